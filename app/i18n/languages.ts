/**
 * The site's languages (decision 012). Isomorphic: the server detects one of these per request,
 * the browser renders in it. Swedish is the source language and the fallback.
 */
export const LANGUAGES = ["sv", "en", "ar", "fa", "so", "fi"] as const;
export type Language = (typeof LANGUAGES)[number];
export const SOURCE_LANGUAGE: Language = "sv";

/** The query parameter (`?lang=ar`) and the cookie that keep the choice. */
export const LANGUAGE_PARAM = "lang";
export const LANGUAGE_COOKIE = "lang";

interface LanguageInfo {
  /** The language's name in itself: what the language links show. */
  nativeName: string;
  dir: "ltr" | "rtl";
  /**
   * The BCP 47 tag for Intl. Arabic and Persian use Latin digits: residents of Sweden meet
   * numbers in Latin digits in every letter and form, area names and years in the questionnaire
   * are written that way, and server (Node's ICU) and browser then agree digit for digit. Both
   * use the Gregorian calendar (Persian's default is the Solar Hijri one): the dates are Swedish
   * authorities' dates.
   */
  intl: string;
}

export const LANGUAGE_INFO: Record<Language, LanguageInfo> = {
  sv: { nativeName: "Svenska", dir: "ltr", intl: "sv-SE" },
  en: { nativeName: "English", dir: "ltr", intl: "en-GB" },
  ar: { nativeName: "العربية", dir: "rtl", intl: "ar-u-ca-gregory-nu-latn" },
  fa: { nativeName: "فارسی", dir: "rtl", intl: "fa-u-ca-gregory-nu-latn" },
  so: { nativeName: "Soomaali", dir: "ltr", intl: "so-SO" },
  fi: { nativeName: "Suomi", dir: "ltr", intl: "fi-FI" },
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

export function languageDir(language: Language): "ltr" | "rtl" {
  return LANGUAGE_INFO[language].dir;
}

/**
 * A text in the page's language from an object of translations (series titles in
 * surveys/<series>/series.json), Swedish when that language is missing.
 */
export function pickText(texts: Partial<Record<string, string>> | undefined, language: Language): string {
  return texts?.[language] ?? texts?.[SOURCE_LANGUAGE] ?? "";
}
