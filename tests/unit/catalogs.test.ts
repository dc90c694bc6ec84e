/**
 * The interface catalogs (app/locales/<lng>.json, decision 012) are complete: every language has
 * exactly Swedish's keys (plural keys with exactly the plural forms the language has), the same
 * {{variables}} and <0> tags, no empty text, and the right-to-left catalogs no Latin-script
 * words left but the names that stay as they are.
 */
import fs from "node:fs";
import path from "node:path";
import { flatten, readCatalog, type Catalog } from "../helpers/catalogs";
import { describe, expect, it } from "vitest";
import { LANGUAGES, SOURCE_LANGUAGE } from "~/i18n/languages";
import { ROOT } from "../helpers/app-server";

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
/** Names written the same in every language. */
// Product, app and file-format names, and the statistical symbol SE, are written in Latin letters in every language.
const KEPT_NAMES = ["Trygghetsdialog", "JavaScript", "Microsoft Authenticator", "FreeOTP", "QR", "Excel", "CSV", "PNG", "PDF", "Atom", "SE"];



/** {{variables}} and <n></n> tags of a text, sorted. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}|<\/?(\d+)>/g)].map((m) => m[0].replace(/\s/g, "")).sort();
}

/** What is wrong with `target` (in `language`) against the Swedish `source`; empty when nothing. */
export function catalogProblems(source: Catalog, target: Catalog, language: string): string[] {
  const problems: string[] = [];
  const sv = flatten(source);
  const tr = flatten(target);
  const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories as string[];
  // Plural keys by their base: Swedish's _one/_other stand for whatever forms the language has.
  const pluralBases = new Set([...sv.keys()].filter((k) => PLURAL_SUFFIX.test(k)).map((k) => k.replace(PLURAL_SUFFIX, "")));
  const expected = new Map<string, string>();
  for (const [key, text] of sv) {
    const base = key.replace(PLURAL_SUFFIX, "");
    if (pluralBases.has(base)) {
      for (const form of forms) expected.set(`${base}_${form}`, sv.get(`${base}_other`) ?? text);
    } else {
      expected.set(key, text);
    }
  }
  for (const key of expected.keys()) if (!tr.has(key)) problems.push(`${language}: missing ${key}`);
  for (const key of tr.keys()) if (!expected.has(key)) problems.push(`${language}: ${key} is not in the Swedish catalog${pluralBases.has(key.replace(PLURAL_SUFFIX, "")) ? ` (${language} has the plural forms ${forms.join(", ")})` : ""}`);
  for (const [key, text] of tr) {
    const swedish = expected.get(key);
    if (swedish === undefined) continue;
    if (text.trim() === "") problems.push(`${language}: ${key} is empty`);
    const want = placeholders(swedish);
    const got = placeholders(text);
    const plural = pluralBases.has(key.replace(PLURAL_SUFFIX, ""));
    // A plural form for one, two or zero may spell the number out instead of {{count}}.
    const ok = plural && !key.endsWith("_other") ? got.every((p) => want.includes(p)) : JSON.stringify(want) === JSON.stringify(got);
    if (!ok) problems.push(`${language}: ${key} has ${got.join(" ") || "no placeholders"}, Swedish ${want.join(" ") || "none"}`);
  }
  return problems;
}

/** Latin-script words in a right-to-left text, other than placeholders and kept names. */
function latinWords(text: string): string[] {
  let rest = text.replace(/\{\{[^}]*\}\}|<\/?\d+>/g, " ");
  for (const name of KEPT_NAMES) rest = rest.split(name).join(" ");
  return rest.match(/[A-Za-zÅÄÖåäöÉé]{2,}/g) ?? [];
}

const swedish = readCatalog(SOURCE_LANGUAGE);

describe("the interface catalogs", () => {
  for (const language of LANGUAGES.filter((l) => l !== SOURCE_LANGUAGE)) {
    it(`${language} has every Swedish key and no other, with the same placeholders`, () => {
      expect(catalogProblems(swedish, readCatalog(language), language)).toEqual([]);
    });
  }

  it("has no Latin-script words left in the Arabic and Persian catalogs", () => {
    const left: string[] = [];
    for (const language of ["ar", "fa"]) {
      for (const [key, text] of flatten(readCatalog(language))) {
        const words = latinWords(text);
        if (words.length > 0) left.push(`${language} ${key}: ${words.join(" ")}`);
      }
    }
    expect(left).toEqual([]);
  });

  it("has a file for every language of the site and no other", () => {
    const files = fs.readdirSync(path.join(ROOT, "app/locales")).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, ""));
    expect(files.sort()).toEqual([...LANGUAGES].sort());
  });

  it("reports a missing key, an extra key, a changed variable and a missing plural form", () => {
    const source: Catalog = { a: { title: "Hej {{name}}", gone: "x" }, wait_one: "{{count}} sekund", wait_other: "{{count}} sekunder" };
    const target: Catalog = { a: { title: "Hi {{nom}}", extra: "y" }, wait_one: "{{count}} second", wait_other: "{{count}} seconds" };
    expect(catalogProblems(source, target, "en").sort()).toEqual(
      ["en: a.extra is not in the Swedish catalog", "en: a.title has {{nom}}, Swedish {{name}}", "en: missing a.gone"].sort(),
    );
    // Arabic has six plural forms: two of them are missing here, and _other must keep {{count}}.
    const arabic: Catalog = { a: { title: "مرحبا {{name}}", gone: "x" }, wait_zero: "{{count}}", wait_one: "ثانية واحدة", wait_two: "ثانيتان", wait_few: "{{count}}", wait_other: "ثوان" };
    expect(catalogProblems(source, arabic, "ar").sort()).toEqual(
      ["ar: missing wait_many", "ar: wait_other has no placeholders, Swedish {{count}}"].sort(),
    );
  });
});
