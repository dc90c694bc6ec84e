/**
 * The server's side of the interface languages (decision 012): which language a request gets,
 * the cookie that keeps a `?lang=` choice, and fixed `t` functions for loaders, actions and the
 * Express refusal pages. All six catalogs are bundled into the server; a page ships only its own.
 */
import { createCookie } from "@remix-run/node";
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

/** Kept a year; not a session or tracking cookie, so no consent question (only the language). */
export const languageCookie = createCookie(LANGUAGE_COOKIE, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax", httpOnly: true });

const detector = new RemixI18Next({
  detection: {
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: SOURCE_LANGUAGE,
    searchParamKey: LANGUAGE_PARAM,
    cookie: languageCookie,
    order: ["searchParams", "cookie", "header"],
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
  if (!isLanguage(chosen)) return null;
  return languageCookie.serialize(chosen);
}
