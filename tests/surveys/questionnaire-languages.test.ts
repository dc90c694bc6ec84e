/**
 * Every questionnaire text is written in exactly the languages its series declares
 * (series.json `languages`, Swedish first). A text is any object with a `default` key (SurveyJS)
 * or with `sv` and `en` keys (series.json, area names); the area names are checked as the
 * questionnaire shows them, injected into the area question. SurveyJS's own list of localizable
 * properties catches a text written as a bare string, which would show one language to all.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Model, Serializer, surveyLocalization } from "survey-core";
import { describe, expect, it } from "vitest";
import { injectAreas, loadSeries, type AreaList } from "~/surveys/files.server";
import { questionnaireInLanguage } from "~/surveys/translations";

const surveysDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "surveys");
const readJson = (relative: string): any => JSON.parse(readFileSync(join(surveysDir, relative), "utf8"));

const seriesFolders = readdirSync(surveysDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(surveysDir, d.name, "series.json")))
  .map((d) => d.name)
  .sort();

/** Objects that are texts: a `default` key, or `sv` and `en` keys. */
function textsIn(json: unknown, path = "$"): { path: string; text: Record<string, unknown> }[] {
  if (Array.isArray(json)) return json.flatMap((item, i) => textsIn(item, `${path}[${i}]`));
  if (json === null || typeof json !== "object") return [];
  const obj = json as Record<string, unknown>;
  if ("default" in obj || ("sv" in obj && "en" in obj)) return [{ path, text: obj }];
  return Object.entries(obj).flatMap(([key, value]) => textsIn(value, `${path}.${key}`));
}

/** What is wrong with one text against the declared languages (empty when nothing is). */
function languageProblems(text: Record<string, unknown>, declared: string[]): string[] {
  const languages = Object.keys(text).map((k) => (k === "default" ? "sv" : k));
  const problems: string[] = [];
  for (const language of declared) if (!languages.includes(language)) problems.push(`lacks ${language}`);
  for (const language of languages) if (!declared.includes(language)) problems.push(`has undeclared ${language}`);
  if ("default" in text && "sv" in text) problems.push("has both default and sv");
  for (const [key, value] of Object.entries(text)) {
    if (typeof value !== "string" || value.trim() === "") problems.push(`${key} is empty or not text`);
  }
  return problems;
}

/** Paths of localizable SurveyJS properties written as a bare string instead of a text object. */
function bareStrings(definition: Record<string, unknown>): string[] {
  const found: string[] = [];
  const visit = (obj: Record<string, unknown>, className: string, path: string) => {
    for (const [key, value] of Object.entries(obj)) {
      if (Serializer.findProperty(className, key)?.isLocalizable && typeof value === "string") found.push(`${path}.${key}`);
      if (key === "pages" || key === "elements") {
        (value as Record<string, unknown>[]).forEach((child, i) =>
          visit(child, key === "pages" ? "page" : String(child.type), `${path}.${key}[${i}]`),
        );
      }
      if (key === "choices" || key === "validators") {
        (value as unknown[]).forEach((item, i) => {
          if (typeof item === "string" && key === "choices") found.push(`${path}.choices[${i}]`);
          else if (item && typeof item === "object") {
            const itemClass = key === "choices" ? "itemvalue" : String((item as { type?: string }).type) + "validator";
            visit(item as Record<string, unknown>, itemClass, `${path}.${key}[${i}]`);
          }
        });
      }
    }
  };
  visit(definition, "survey", "$");
  return found;
}

describe("the test itself", () => {
  it("finds the four series and sees a missing or an extra language", () => {
    expect(seriesFolders).toEqual(["medborgardialog", "trafiktips", "trygghetsmatning", "trygghetsvandring"]);
    const declared = ["sv", "en", "so"];
    expect(languageProblems({ default: "Ja", en: "Yes", so: "Haa" }, declared)).toEqual([]);
    expect(languageProblems({ default: "Ja", en: "Yes" }, declared)).toEqual(["lacks so"]);
    expect(languageProblems({ default: "Ja", en: "Yes", so: "Haa", fi: "Kyllä" }, declared)).toEqual(["has undeclared fi"]);
    expect(languageProblems({ default: "Ja", en: "Yes", so: " " }, declared)).toEqual(["so is empty or not text"]);
    expect(bareStrings({ title: "Enkät", pages: [{ elements: [{ type: "radiogroup", name: "q", choices: ["a"] }] }] })).toEqual([
      "$.title",
      "$.pages[0].elements[0].choices[0]",
    ]);
  });
});

describe.each(seriesFolders)("%s", (folder) => {
  const series = readJson(`${folder}/series.json`);
  const declared: string[] = series.languages;
  const raw = readJson(`${folder}/questionnaire.json`);
  const questionnaire = series.areaList ? (injectAreas(raw, readJson(series.areaList) as AreaList) as Record<string, unknown>) : raw;

  it("declares its languages, Swedish first and English among them", () => {
    expect(Array.isArray(declared)).toBe(true);
    expect(declared[0]).toBe("sv");
    expect(declared).toContain("en");
    expect(new Set(declared).size).toBe(declared.length);
  });

  it("has series.json's title and description in exactly those languages", () => {
    const texts = textsIn(series);
    expect(texts.map((t) => t.path)).toEqual(["$.title", "$.description"]);
    for (const { path, text } of texts) expect(languageProblems(text, declared), path).toEqual([]);
  });

  it("has every questionnaire text, area names included, in exactly those languages", () => {
    const texts = textsIn(questionnaire);
    expect(texts.length).toBeGreaterThan(20);
    const problems = texts.flatMap(({ path, text }) => languageProblems(text, declared).map((p) => `${path} ${p}`));
    expect(problems).toEqual([]);
  });

  it("writes no localizable text as a bare string", () => {
    expect(bareStrings(questionnaire)).toEqual([]);
  });
});

describe("questionnaireInLanguage", () => {
  const full = injectAreas(readJson("trygghetsmatning/questionnaire.json"), readJson("areas/kristianstad.json")) as Record<string, any>;

  it("keeps only the page language's text in every text (as its default), and everything else as it was", () => {
    const somali = questionnaireInLanguage(full, "so");
    const fullTexts = new Map(textsIn(full).map(({ path, text }) => [path, text]));
    for (const { path, text } of textsIn(somali)) {
      expect(Object.keys(text), path).toEqual(["default"]);
      expect(text.default, path).toBe(fullTexts.get(path)!.so);
    }
    expect(textsIn(somali).length).toBe(textsIn(full).length);
    // Everything but the texts as it was.
    const skeleton = (json: unknown) =>
      JSON.stringify(json, (_key, value) =>
        value && typeof value === "object" && !Array.isArray(value) && "default" in value && Object.values(value).every((v) => typeof v === "string") ? "<text>" : value,
      );
    expect(skeleton(somali)).toBe(skeleton(full));
    expect(JSON.stringify(somali).length).toBeLessThan(JSON.stringify(full).length / 3);
    // A text the language lacks keeps the Swedish (SurveyJS's fallback).
    const partial = { title: { default: "Titel", en: "Title" }, pages: [] };
    expect(questionnaireInLanguage(partial, "so").title).toEqual({ default: "Titel" });
    expect(questionnaireInLanguage(partial, "en").title).toEqual({ default: "Title" });
    expect(Object.keys(questionnaireInLanguage(full, "sv").title)).toEqual(["default"]);
    expect(full.title.so).toBeTruthy();
  });

  it("shows the same texts in SurveyJS as the full questionnaire", () => {
    const before = surveyLocalization.defaultLocale;
    surveyLocalization.defaultLocale = "sv";
    try {
      for (const lng of ["sv", "en", "ar", "so"]) {
        const a = new Model(full);
        const b = new Model(questionnaireInLanguage(full, lng));
        a.locale = b.locale = lng === "sv" ? "" : lng;
        const shown = (m: Model) =>
          m.getAllQuestions().flatMap((q: any) => [q.title, q.description, ...(q.choices ?? []).map((c: any) => c.text)]);
        expect(shown(b), lng).toEqual(shown(a));
        expect(b.completedHtml, lng).toBe(a.completedHtml);
      }
    } finally {
      surveyLocalization.defaultLocale = before;
    }
  });
});

describe("the loader (app/surveys/files.server.ts)", () => {
  it("reads the declared languages, defaults to Swedish and English, and refuses a bad list", () => {
    const dir = mkdtempSync(join(tmpdir(), "td-languages-"));
    try {
      cpSync(join(surveysDir, "trafiktips"), join(dir, "trafiktips"), { recursive: true });
      cpSync(join(surveysDir, "areas"), join(dir, "areas"), { recursive: true });
      const file = join(dir, "trafiktips/series.json");
      const series = JSON.parse(readFileSync(file, "utf8"));
      expect(loadSeries("trafiktips", dir).series.languages).toEqual(["sv", "en", "ar", "fa", "so", "fi"]);
      const choices = (loadSeries("trafiktips", dir).questionnaire as any).pages[0].elements[0].choices;
      expect(Object.keys(choices[0].text)).toEqual(["default", "en", "ar", "fa", "so", "fi"]);
      writeFileSync(file, JSON.stringify({ ...series, languages: undefined }));
      expect(loadSeries("trafiktips", dir).series.languages).toEqual(["sv", "en"]);
      for (const bad of [["en", "sv"], ["sv", "sv"], ["sv", "Somali"], "sv"]) {
        writeFileSync(file, JSON.stringify({ ...series, languages: bad }));
        expect(() => loadSeries("trafiktips", dir), JSON.stringify(bad)).toThrow(/"languages" must list language codes/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
