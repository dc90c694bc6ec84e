/**
 * The site's own translator (decision 040): what the code used of i18next, in a page of code,
 * so that the browser bundle carries no i18n library. Isomorphic: the server renders with the
 * same function the browser hydrates with, so both write the same text.
 *
 * It does what i18next v23 did with our options (app/locales, JSON v4, escapeValue false):
 * nested keys with "."; `{{name}}` (and `{{-name}}`) filled from the options, unescaped (React
 * escapes what it renders); plurals by suffix (`_zero` for a count of 0
 * when the key has one, then `_one`, `_few`… from Intl.PluralRules, then the bare key);
 * `defaultValue`; the fallback language's text, then the key itself, when a text is missing.
 * tests/unit/translator.test.ts compares it with i18next on every key of every catalog.
 */

export type Catalog = { [key: string]: string | Catalog };
export type TranslateOptions = { count?: number; defaultValue?: string } & Record<string, unknown>;
export type TFunction = (key: string, options?: TranslateOptions) => string;

export interface Translator {
  language: string;
  t: TFunction;
  /** The text `t` would fill in, before filling (for <Trans>, which splits it first). */
  template(key: string, options?: TranslateOptions): string;
  /** Whether the key has a text in this language (or, on the server, in the fallback). */
  exists(key: string, options?: TranslateOptions): boolean;
  /** The catalog this translator holds for the language (what the page writes into its HTML). */
  getResourceBundle(language: string): Catalog | undefined;
}

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(language: string, count: number): string {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(count);
}

function lookup(catalog: Catalog | undefined, key: string): string | undefined {
  let node: string | Catalog | undefined = catalog;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** The keys tried for one language, most specific first (i18next's order). */
function candidates(language: string, key: string, options: TranslateOptions | undefined): string[] {
  const count = options?.count;
  if (count === undefined || typeof count === "string") return [key];
  const keys = [`${key}_${pluralCategory(language, count)}`, key];
  if (count === 0) keys.unshift(`${key}_zero`);
  return keys;
}

function valueAt(values: Record<string, unknown>, path: string): unknown {
  if (path in values) return values[path];
  let node: unknown = values;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

const PLACEHOLDER = /\{\{-?(.+?)\}\}/g;

/**
 * Fills `{{name}}` from the options, once (a value's own braces stay). As in i18next: a name
 * the options do not have stays as written, one they have as undefined or null becomes "".
 */
export function interpolate(text: string, values: TranslateOptions | undefined): string {
  if (!text.includes("{{")) return text;
  return text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const path = name.trim();
    const value = values ? valueAt(values, path) : undefined;
    if (value === undefined) return values && Object.prototype.hasOwnProperty.call(values, path) ? "" : placeholder;
    return value === null ? "" : String(value);
  });
}

/**
 * A translator over catalogs by language: `language` first, then `fallback` (the server holds
 * all six; the browser holds one, complete as the catalogs test checks, and no fallback).
 */
export function createTranslator(language: string, catalogs: Record<string, Catalog | undefined>, fallback?: string): Translator {
  const order = fallback && fallback !== language ? [language, fallback] : [language];
  const find = (key: string, options: TranslateOptions | undefined): string | undefined => {
    for (const code of order) {
      for (const candidate of candidates(code, key, options)) {
        const text = lookup(catalogs[code], candidate);
        if (text !== undefined) return text;
      }
    }
    return undefined;
  };
  const template = (key: string, options?: TranslateOptions): string => {
    const text = find(key, options) ?? options?.defaultValue;
    if (text !== undefined) return text;
    missingKey(language, key);
    return key;
  };
  return {
    language,
    t: (key, options) => interpolate(template(key, options), options),
    template,
    exists: (key, options) => find(key, options) !== undefined,
    getResourceBundle: (code) => catalogs[code],
  };
}

/**
 * A key with no text: a page would show the raw key. In the browser this means the page's
 * catalog lacks a section its routes use (decision 040); the end-to-end tests fail on any
 * console error, so they catch it. Said once per key.
 */
const reported = new Set<string>();
function missingKey(language: string, key: string): void {
  if (reported.has(`${language}:${key}`) || reported.size > 1000) return;
  reported.add(`${language}:${key}`);
  console.error(`Missing text: no "${key}" in the ${language} catalog`);
}
