/**
 * Numbers, percentages and dates in the page's language, all through Intl: the one formatting
 * module for pages (house style). `useFormat()` binds them to the page's language.
 */
import { useTranslation } from "~/i18n/react";
import { isLanguage, LANGUAGE_INFO, SOURCE_LANGUAGE, type Language } from "./languages";

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${language}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) cache.set(key, (format = new Intl.NumberFormat(LANGUAGE_INFO[language].intl, options)));
  return format;
}

/** A number with exactly `digits` decimals: Swedish `71,2`, English `71.2`. */
export function formatNumber(language: Language, value: number, digits = 0): string {
  return numberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A share (0–1) as a percentage: Swedish `31,8 %` (a no-break space before the sign). */
export function formatPercent(language: Language, share: number, digits = 0): string {
  return numberFormat(language, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share);
}

/**
 * A calendar date (`YYYY-MM-DD`, or a Date) as day, month name and year: Swedish
 * `3 december 2026`. Read and written in UTC, so the day never shifts with the time zone.
 */
export function formatDate(language: Language, date: string | Date): string {
  const value = typeof date === "string" ? new Date(`${date.slice(0, 10)}T00:00:00Z`) : date;
  const key = `d|${language}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(LANGUAGE_INFO[language].intl, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    cache.set(key, format);
  }
  return format.format(value);
}

/** A moment (ISO 8601) as date and time in Swedish time: Swedish `3 dec. 2026 10:15`. */
export function formatDateTime(language: Language, iso: string | Date): string {
  const key = `dt|${language}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(LANGUAGE_INFO[language].intl, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Stockholm" });
    cache.set(key, format);
  }
  return format.format(typeof iso === "string" ? new Date(iso) : iso);
}

export interface Formatters {
  language: Language;
  number: (value: number, digits?: number) => string;
  percent: (share: number, digits?: number) => string;
  date: (date: string | Date) => string;
  dateTime: (moment: string | Date) => string;
}

export function formatters(language: Language): Formatters {
  return {
    language,
    number: (value, digits) => formatNumber(language, value, digits),
    percent: (share, digits) => formatPercent(language, share, digits),
    date: (date) => formatDate(language, date),
    dateTime: (moment) => formatDateTime(language, moment),
  };
}

/** The formatters for the page's language (the language the page renders in). */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return formatters(isLanguage(i18n.language) ? i18n.language : SOURCE_LANGUAGE);
}
