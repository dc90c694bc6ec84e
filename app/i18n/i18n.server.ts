/**
 * The server's side of the interface languages (decision 012): which language a request gets,
 * the cookie that keeps a `?lang=` choice, and fixed `t` functions for loaders, actions and the
 * Express refusal pages. All six catalogs are bundled into the server; a page ships only its own.
 */
import { createInstance, type i18n as I18n, type TFunction } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import ar from "~/locales/ar.json";
import en from "~/locales/en.json";
import fa from "~/locales/fa.json";
import fi from "~/locales/fi.json";
import so from "~/locales/so.json";
import sv from "~/locales/sv.json";
import { i18nOptions } from "./options";
import { isLanguage, LANGUAGE_COOKIE, LANGUAGE_PARAM, LANGUAGES, SOURCE_LANGUAGE, type Language } from "./languages";

export const catalogs: Record<Language, object> = { sv, en, ar, fa, so, fi };

const COOKIE_PATTERN = new RegExp(`(?:^|;\\s*)${LANGUAGE_COOKIE}=([a-z]{2})(?:;|$)`);

/**
 * The language in the `lang` cookie, if one of ours. A plain value (`lang=ar`), as the old
 * language switch wrote it, rather than a Remix cookie (base64 JSON): visitors' existing
 * cookies keep working and the value is readable.
 */
export function languageFromCookie(header: string | null): Language | null {
  const value = header ? COOKIE_PATTERN.exec(header)?.[1] : undefined;
  return isLanguage(value) ? value : null;
}

/** The Set-Cookie value keeping `language` a year; only the language, so no consent question. */
export function languageCookie(language: Language): string {
  return `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=${365 * 24 * 3600}; SameSite=Lax; HttpOnly`;
}

/**
 * Accept-Language with region subtags dropped (`sv-SE,en;q=0.5` → `sv,en;q=0.5`), qualities
 * kept. remix-i18next's own header rule looks only at the browser's first language (`de,so`
 * gave Swedish, not Somali) and matches exactly before loosely (`sv-SE,en;q=0.5` gave English);
 * given this, its matcher takes the best-rated language the site has.
 */
function primaryLanguages(header: string | null): string | null {
  if (!header) return null;
  return header
    .split(",")
    .map((part) => part.trim().replace(/^([A-Za-z]{2,3})-[^;]*/, "$1"))
    .join(",");
}

const detector = new RemixI18Next({
  detection: {
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: SOURCE_LANGUAGE,
    searchParamKey: LANGUAGE_PARAM,
    // The cookie, else Accept-Language (see primaryLanguages).
    findLocale: async (request) =>
      languageFromCookie(request.headers.get("Cookie")) ?? primaryLanguages(request.headers.get("Accept-Language")),
    order: ["searchParams", "custom"],
  },
});

/** One instance holding every catalog; per-request instances are clones sharing its store. */
const shared: I18n = createInstance();
void shared.init({
  ...i18nOptions(SOURCE_LANGUAGE),
  resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: catalogs[l] }])),
});

/** `?lang=xx`, then the `lang` cookie, then Accept-Language, then Swedish. */
export async function languageFromRequest(request: Request): Promise<Language> {
  const found = await detector.getLocale(request);
  return isLanguage(found) ? found : SOURCE_LANGUAGE;
}

/** A `t` fixed to a language, for loaders and actions (`getFixedT(await languageFromRequest(r))`). */
export function getFixedT(language: Language): TFunction {
  return shared.getFixedT(language);
}

/** Both at once: the request's language and its `t`. */
export async function translatorFor(request: Request): Promise<{ language: Language; t: TFunction }> {
  const language = await languageFromRequest(request);
  return { language, t: getFixedT(language) };
}

/** An i18next instance in `language` for rendering one page (react-i18next's provider). */
export function instanceFor(language: Language): I18n {
  return shared.cloneInstance({ lng: language });
}

/**
 * The Set-Cookie value when the request chose a language with `?lang=` (a link, a letter's QR
 * code), so the choice holds on the next pages; null otherwise.
 */
export async function languageCookieFor(request: Request): Promise<string | null> {
  const chosen = new URL(request.url).searchParams.get(LANGUAGE_PARAM);
  return isLanguage(chosen) ? languageCookie(chosen) : null;
}
