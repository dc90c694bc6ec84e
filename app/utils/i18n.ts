/**
 * Interface language: Swedish first, English second. Pages pick texts with `t(locale, {sv, en})`.
 */
import type { Locale, Text } from "~/stats/types";

export type { Locale, Text };
export const LOCALES: Locale[] = ["sv", "en"];
export const LANG_COOKIE = "lang";

export function parseLocale(value: string | null | undefined): Locale {
  return value === "en" ? "en" : "sv";
}

/** The locale from the `lang` cookie (set by the language switch); Swedish by default. */
export function localeFromRequest(request: Request): Locale {
  const url = new URL(request.url);
  const fromQuery = url.searchParams.get("lang");
  if (fromQuery === "sv" || fromQuery === "en") return fromQuery;
  const cookie = request.headers.get("Cookie") ?? "";
  const match = /(?:^|;\s*)lang=(sv|en)\b/.exec(cookie);
  return parseLocale(match?.[1]);
}

export function t(locale: Locale, text: Text): string {
  return text[locale] ?? text.sv;
}

/** Formats a share (0–1) as a percentage the Swedish or English way. */
export function formatPercent(locale: Locale, share: number, digits = 0): string {
  return new Intl.NumberFormat(locale === "sv" ? "sv-SE" : "en-GB", {
    style: "percent",
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(share);
}

export function formatNumber(locale: Locale, value: number, digits = 0): string {
  return new Intl.NumberFormat(locale === "sv" ? "sv-SE" : "en-GB", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}

/** A moment (ISO 8601) as date and time in Swedish time, the Swedish or English way. */
export function formatDateTime(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Stockholm",
  }).format(new Date(iso));
}
