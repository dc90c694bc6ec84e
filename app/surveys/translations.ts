/**
 * The languages of questionnaire texts. Swedish is the source: in SurveyJS JSON it is the
 * `default` text, in series.json and the area lists the `sv` key; every other language is a
 * translation under its own code (`en`, `ar`, `fa`, `so`, `fi`). Pure and isomorphic.
 */

export const SOURCE_LANGUAGE = "sv";

/** A bare ISO 639 code as used in the JSON files ("sv", "so"), not a tag with a region. */
export function isLanguageCode(value: string): boolean {
  return /^[a-z]{2,3}$/.test(value);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type LocalizedTextJson = { [language: string]: string };

/**
 * Whether a JSON value is one localized text: an object of strings only, with a `default`
 * (SurveyJS) or an `sv` and an `en` (series.json, area lists) key.
 */
export function isLocalizedText(value: unknown): value is LocalizedTextJson {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (!entries.every(([, v]) => typeof v === "string")) return false;
  const keys = new Set(entries.map(([k]) => k));
  return keys.has("default") || (keys.has("sv") && keys.has("en"));
}

/** The languages a localized text has, `default` counted as Swedish, in the text's order. */
export function textLanguages(text: LocalizedTextJson): string[] {
  return Object.keys(text).map((k) => (k === "default" ? SOURCE_LANGUAGE : k));
}

/** Every localized text in a JSON document, with a readable path to it. */
export function listLocalizedTexts(json: unknown, path = "$"): { path: string; text: LocalizedTextJson }[] {
  if (isLocalizedText(json)) return [{ path, text: json }];
  if (Array.isArray(json)) return json.flatMap((item, i) => listLocalizedTexts(item, `${path}[${i}]`));
  if (json !== null && typeof json === "object") {
    return Object.entries(json).flatMap(([key, value]) => listLocalizedTexts(value, `${path}.${key}`));
  }
  return [];
}

/**
 * Whether `current` is `published` with translations added or revised and nothing else changed:
 * the same structure, names, codes, values, rules and order; every localized text has the same
 * Swedish source and keeps every language it had (a translation may be added or corrected,
 * never removed). Such an update does not change what any answer means (decision 014).
 */
export function onlyTranslationsDiffer(published: unknown, current: unknown): boolean {
  return sameExceptTranslations(published as Json, current as Json);
}

function sameExceptTranslations(before: Json, after: Json): boolean {
  if (isLocalizedText(before) || isLocalizedText(after)) {
    if (!isLocalizedText(before) || !isLocalizedText(after)) return false;
    for (const source of ["default", SOURCE_LANGUAGE]) {
      if (before[source] !== after[source]) return false;
    }
    return Object.keys(before).every((language) => typeof after[language] === "string" && after[language].trim() !== "");
  }
  if (Array.isArray(before) || Array.isArray(after)) {
    if (!Array.isArray(before) || !Array.isArray(after) || before.length !== after.length) return false;
    return before.every((item, i) => sameExceptTranslations(item, after[i]));
  }
  if (before !== null && after !== null && typeof before === "object" && typeof after === "object") {
    const keys = Object.keys(before);
    if (keys.length !== Object.keys(after).length) return false;
    return keys.every((key) => Object.hasOwn(after, key) && sameExceptTranslations(before[key], after[key]));
  }
  return before === after;
}

/**
 * A questionnaire with every localized text cut down to the one text the page shows, for a page
 * in one language (the six-language 2025 survey is 44 KB of JSON; Swedish alone about 14 KB).
 * A text that has `language` keeps only that, as its `default` (SurveyJS shows `default` when
 * the survey's locale has no entry of its own, so it shows the same); a text without it keeps
 * the Swedish source as before. Returns a new object.
 */
export function questionnaireInLanguage<T>(questionnaire: T, language: string): T {
  const keep = new Set(["default", SOURCE_LANGUAGE, language]);
  const cut = (json: unknown): unknown => {
    if (isLocalizedText(json)) {
      const own = language !== SOURCE_LANGUAGE ? json[language] : undefined;
      if (typeof own === "string" && own !== "") return { default: own };
      return Object.fromEntries(Object.entries(json).filter(([key]) => keep.has(key)));
    }
    if (Array.isArray(json)) return json.map(cut);
    if (json !== null && typeof json === "object") return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, cut(v)]));
    return json;
  };
  return cut(questionnaire) as T;
}
