/**
 * TRANSITIONAL: the inline `t(locale, {sv, en})` of the pages not yet moved to the catalogs in
 * app/locales (decision 012). Deleted when nothing uses it; do not add new calls.
 */
import type { Language } from "~/i18n/languages";
import type { Text } from "~/stats/types";

export function t(locale: Language, text: Text): string {
  return locale === "en" ? text.en : text.sv;
}

