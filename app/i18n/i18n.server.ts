/**
 * The server's side of the interface languages (decision 012): which language a request gets,
 * the cookie that keeps a `?lang=` choice, and fixed `t` functions for loaders, actions and the
 * Express refusal pages. All six catalogs are bundled into the server; a page ships only its own.
 */
import ar from "~/locales/ar.json";
import en from "~/locales/en.json";
import fa from "~/locales/fa.json";
import fi from "~/locales/fi.json";
import so from "~/locales/so.json";
import sv from "~/locales/sv.json";
import { createTranslator, type Catalog, type TFunction, type Translator } from "./translator";
import { isLanguage, LANGUAGE_COOKIE, LANGUAGE_PARAM, LANGUAGES, SOURCE_LANGUAGE, type Language } from "./languages";

export const catalogs: Record<Language, Catalog> = { sv, en, ar, fa, so, fi };

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
 * The best-rated language of ours in an Accept-Language-style list (`sv-SE,en;q=0.5`, `de,so`),
 * region and script subtags ignored, ties in the list's order; null when none is ours. (Earlier
 * remix-i18next's rule looked only at the browser's first language, `de,so` giving Swedish, and
 * matched exactly before loosely, `sv-SE,en;q=0.5` giving English.)
 */
export function pickLanguage(list: string | null): Language | null {
  if (!list) return null;
  const ranked = list
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { code: tag.trim().split("-")[0].toLowerCase(), quality: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.quality > 0 && isLanguage(l.code))
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return (ranked[0]?.code as Language | undefined) ?? null;
}

/** One translator per language, over all six catalogs (Swedish, the source, as the fallback). */
const translators = Object.fromEntries(LANGUAGES.map((l) => [l, createTranslator(l, catalogs, SOURCE_LANGUAGE)])) as Record<Language, Translator>;

/** `?lang=xx`, then the `lang` cookie, then Accept-Language, then Swedish. */
export async function languageFromRequest(request: Request): Promise<Language> {
  const chosen = new URL(request.url).searchParams.get(LANGUAGE_PARAM);
  return (
    pickLanguage(chosen) ??
    languageFromCookie(request.headers.get("Cookie")) ??
    pickLanguage(request.headers.get("Accept-Language")) ??
    SOURCE_LANGUAGE
  );
}

/** A `t` fixed to a language, for loaders and actions (`getFixedT(await languageFromRequest(r))`). */
export function getFixedT(language: Language): TFunction {
  return translators[language].t;
}

/** Both at once: the request's language and its `t`. */
export async function translatorFor(request: Request): Promise<{ language: Language; t: TFunction }> {
  const language = await languageFromRequest(request);
  return { language, t: getFixedT(language) };
}

/** The translator in `language` for rendering one page (app/i18n/react.tsx's provider). */
export function translatorIn(language: Language): Translator {
  return translators[language];
}

/**
 * The Set-Cookie value when the request chose a language with `?lang=` (a link, a letter's QR
 * code), so the choice holds on the next pages; null otherwise.
 */
export async function languageCookieFor(request: Request): Promise<string | null> {
  const chosen = new URL(request.url).searchParams.get(LANGUAGE_PARAM);
  return isLanguage(chosen) ? languageCookie(chosen) : null;
}
