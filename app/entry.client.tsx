import { RemixBrowser } from "@remix-run/react";
import { createInstance } from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { CATALOG_ELEMENT_ID, setLoadedCatalogScope } from "~/components/language-catalog";
import { isLanguage, SOURCE_LANGUAGE } from "~/i18n/languages";
import { i18nOptions } from "~/i18n/options";

// The page's language and its catalog come with the HTML (root.tsx): nothing is fetched, and the
// browser never holds another language's texts. A language change is a new page load.
const lang = document.documentElement.lang;
const language = isLanguage(lang) ? lang : SOURCE_LANGUAGE;
const catalogElement = document.getElementById(CATALOG_ELEMENT_ID);
const catalog = JSON.parse(catalogElement?.textContent || "{}") as object;
setLoadedCatalogScope(catalogElement?.dataset.scope);
const i18n = createInstance();
void i18n.use(initReactI18next).init({ ...i18nOptions(language), resources: { [language]: { translation: catalog } } });

startTransition(() => {
  hydrateRoot(
    document,
    <I18nextProvider i18n={i18n}>
      <StrictMode>
        <RemixBrowser />
      </StrictMode>
    </I18nextProvider>,
  );
});
