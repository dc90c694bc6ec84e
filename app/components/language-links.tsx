/**
 * The other languages, each by its own name, as plain links to the current page with `?lang=xx`
 * (the server keeps the choice in a cookie). Links rather than a form: nothing here is a submit
 * button that Enter in a field could hit, and a full page load brings the new direction and
 * catalog.
 */
import { useLocation } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { LANGUAGE_INFO, LANGUAGE_PARAM, LANGUAGES, type Language } from "~/i18n/languages";

export function LanguageLinks({ current }: { current: Language }) {
  const { t } = useTranslation();
  const { pathname, search } = useLocation();
  const hrefFor = (language: Language) => {
    const params = new URLSearchParams(search);
    params.set(LANGUAGE_PARAM, language);
    return `${pathname}?${params}`;
  };
  return (
    <nav aria-label={t("layout.languages")} className="lang-links">
      <ul>
        {LANGUAGES.filter((l) => l !== current).map((language) => (
          <li key={language}>
            <a href={hrefFor(language)} lang={language} hrefLang={language} dir={LANGUAGE_INFO[language].dir}>
              {LANGUAGE_INFO[language].nativeName}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
