/**
 * TRANSITIONAL: the inline `t(locale, {sv, en})` of the pages not yet moved to the catalogs in
 * app/locales (decision 012). Deleted when nothing uses it; do not add new calls.
 */
import type { Language } from "~/i18n/languages";
import type { Text } from "~/stats/types";

export function t(locale: Language, text: Text): string {
  return locale === "en" ? text.en : text.sv;
}

/** A moment (ISO 8601) as date and time in Swedish time, the Swedish or English way. */
export function formatDateTime(locale: Language, iso: string): string {
  return new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Stockholm",
  }).format(new Date(iso));
}
