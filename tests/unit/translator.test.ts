/**
 * The site's translator (app/i18n/translator.ts, decision 040) says what i18next v23 said with
 * the options the site used (decision 012): every key of every catalog, plural keys at counts
 * 0, 1, 2, 3, 5, 11 and 100, with and without the values their texts name; the Swedish
 * fallback, defaultValue, missing keys; and <Trans> draws what react-i18next's did.
 * i18next and react-i18next are development dependencies for this comparison only.
 */
import { createElement, Fragment, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createInstance, type i18n as I18n } from "i18next";
import { I18nextProvider, Trans as OracleTrans } from "react-i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES, SOURCE_LANGUAGE, type Language } from "~/i18n/languages";
import { Trans, TranslatorProvider } from "~/i18n/react";
import { createTranslator, type Catalog, type TranslateOptions } from "~/i18n/translator";
import { flatten, readCatalog } from "../helpers/catalogs";
import { expectConsoleError } from "../helpers/console";

const catalogs = Object.fromEntries(LANGUAGES.map((l) => [l, readCatalog(l)])) as Record<Language, Catalog>;
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const COUNTS = [0, 1, 2, 3, 5, 11, 100];

/** i18next as the site configured it until decision 040 (app/i18n/options.ts then). */
async function oracle(resources: Record<string, Catalog>, language: string): Promise<I18n> {
  const i18n = createInstance();
  await i18n.init({
    lng: language,
    supportedLngs: [...LANGUAGES],
    fallbackLng: SOURCE_LANGUAGE,
    defaultNS: "translation",
    ns: ["translation"],
    interpolation: { escapeValue: false },
    initImmediate: false,
    resources: Object.fromEntries(Object.entries(resources).map(([l, c]) => [l, { translation: c }])),
  });
  return i18n;
}

/** Values for every {{name}} of a text: "‹name›", with characters HTML would escape (or `markup`). */
function valuesFor(text: string, markup = ' <b>&"'): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/\{\{-?\s*([\w.]+)\s*\}\}/g)].map((m) => [m[1], `‹${m[1]}›${markup}`]));
}

describe.each(LANGUAGES)("in %s", (language) => {
  let i18next: I18n;
  const ours = createTranslator(language, catalogs, SOURCE_LANGUAGE);
  beforeAll(async () => {
    i18next = await oracle(catalogs, language);
  });

  it("every key gives i18next's text, with its values, without them, and at every count for plurals", () => {
    const texts = flatten(catalogs[language]);
    const keys = new Map<string, string>();
    for (const [key, text] of texts) keys.set(key.replace(PLURAL_SUFFIX, ""), (keys.get(key.replace(PLURAL_SUFFIX, "")) ?? "") + text);
    expect(keys.size).toBeGreaterThan(800);
    let compared = 0;
    for (const [key, joined] of keys) {
      const values = valuesFor(joined);
      // A plural key (only its suffixed forms exist) is always asked for with a count.
      const plural = !texts.has(key);
      const optionSets: (TranslateOptions | undefined)[] = plural
        ? COUNTS.flatMap((count) => [{ ...values, count }, { count }])
        : [undefined, values, { ...values, count: 2 }];
      for (const options of optionSets) {
        expect(ours.t(key, options), `${key} ${JSON.stringify(options)}`).toBe(i18next.t(key, options));
        compared++;
      }
      if (!plural) expect(ours.exists(key)).toBe(i18next.exists(key));
    }
    expect(compared).toBeGreaterThan(2 * keys.size);
  });

});

describe("beyond the catalogs", () => {
  const sv: Catalog = { a: { plain: "Hej {{name}}", deep: "{{who.name}} är {{ who.age }} år", zero: { n_zero: "inga", n_one: "en", n_other: "{{count}} st" } }, only: "bara svenska" };
  const ar: Catalog = { a: { plain: "مرحبا {{name}}", zero: { n_zero: "لا شيء", n_one: "واحد", n_two: "اثنان", n_few: "{{count}} قليل", n_many: "{{count}} كثير", n_other: "{{count}} آخر" } } };

  it("falls back to Swedish, then defaultValue, then the key, as i18next does", async () => {
    const i18next = await oracle({ sv, ar }, "ar");
    const ours = createTranslator("ar", { sv, ar }, "sv");
    const cases: [string, TranslateOptions | undefined][] = [
      ["a.plain", { name: "X" }],
      ["a.deep", { who: { name: "Ali", age: 40 } }],
      ["only", undefined],
      ["a.none", { defaultValue: "standard {{x}}", x: 1 }],
      ...COUNTS.map((count): [string, TranslateOptions] => ["a.zero.n", { count }]),
    ];
    for (const [key, options] of cases) expect(ours.t(key, options), key).toBe(i18next.t(key, options));
    // Swedish plurals at 0: "_zero" when the key has one (i18next's rule), else the language's form.
    const svOurs = createTranslator("sv", { sv }, "sv");
    expect(svOurs.t("a.zero.n", { count: 0 })).toBe("inga");
    expect(svOurs.t("a.zero.n", { count: 1 })).toBe("en");
    expect(svOurs.t("a.zero.n", { count: 7 })).toBe("7 st");
  });

  it("says so on the console when a page asks for a text its catalog lacks, and shows the key", async () => {
    expectConsoleError(/Missing text: no "a\.missing" in the sv catalog/);
    const i18next = await oracle({ sv }, "sv");
    const ours = createTranslator("sv", { sv });
    expect(ours.t("a.missing")).toBe(i18next.t("a.missing"));
  });
});

describe("<Trans>", () => {
  function draw(element: (TransComponent: typeof Trans) => ReactElement, language: Language, i18next: I18n): [string, string] {
    const ours = renderToStaticMarkup(
      createElement(TranslatorProvider, { translator: createTranslator(language, catalogs, SOURCE_LANGUAGE) }, element(Trans)),
    );
    const theirs = renderToStaticMarkup(
      createElement(I18nextProvider, { i18n: i18next }, element(OracleTrans as unknown as typeof Trans)),
    );
    return [ours, theirs];
  }

  it.each(LANGUAGES)("draws every text with <0> tags as react-i18next did, in %s", async (language) => {
    const i18next = await oracle(catalogs, language);
    const tagged = [...flatten(catalogs[language])].filter(([, text]) => /<0>/.test(text));
    expect(tagged.length).toBeGreaterThanOrEqual(4);
    for (const [key, text] of tagged) {
      // react-i18next fills values in before reading the tags, so that a value's "<b>" became
      // an element; ours keeps it text (see below), so they are compared on values without.
      const values = valuesFor(text, " & \"x\"");
      const [ours, theirs] = draw(
        (T) => createElement(Fragment, null, createElement(T, { i18nKey: key, values, components: [createElement("time", { key: "t", dateTime: "2025-01-01" })] })),
        language,
        i18next,
      );
      expect(ours, key).toBe(theirs);
      expect(ours).toContain('<time dateTime="2025-01-01">');
    }
  });

  it("keeps a value's markup as text", () => {
    const html = renderToStaticMarkup(
      createElement(
        TranslatorProvider,
        { translator: createTranslator("sv", catalogs, SOURCE_LANGUAGE) },
        createElement(Trans, { i18nKey: "start.openUntil", values: { date: "<0>x</0><b>y</b>" }, components: [createElement("time", { key: "t" })] }),
      ),
    );
    expect(html).toBe("Öppen till och med <time>&lt;0&gt;x&lt;/0&gt;&lt;b&gt;y&lt;/b&gt;</time>");
  });
});
