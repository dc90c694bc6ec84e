/**
 * A published edition takes new or corrected translations from surveys/ at start (decision 014),
 * and nothing else: a changed Swedish text, a changed code or a removed language leaves it as
 * published. Runs the real start-up step (prepareDatabase) on the test database against copies
 * of surveys/ in a temporary directory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { editionQuestionnaire, getEdition, publishEdition } from "~/models/survey.server";
import { prepareDatabase } from "~/server/startup.server";
import { onlyTranslationsDiffer } from "~/surveys/translations";
import { validateAnswers } from "~/surveys/validate.server";
import { resetEnvCache } from "~/utils/env.server";
import { ROOT } from "../helpers/app-server";

const NEW_LANGUAGES = ["ar", "fa", "so", "fi"];
const work = fs.mkdtempSync(path.join(os.tmpdir(), "td-translations-"));
const previousSurveysDir = process.env.SURVEYS_DIR;

/** A copy of the safety survey's files (and the area list), passed through `edit`. */
function surveysCopy(name: string, edit: (file: string, json: any) => any = (_f, json) => json): string {
  const dir = path.join(work, name);
  for (const file of ["trygghetsmatning/series.json", "trygghetsmatning/questionnaire.json", "trygghetsmatning/measures.json", "areas/kristianstad.json"]) {
    const json = JSON.parse(fs.readFileSync(path.join(ROOT, "surveys", file), "utf8"));
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), JSON.stringify(edit(file, json), null, 2));
  }
  return dir;
}

/** The JSON without the given languages (as the files were before the translations). */
function withoutLanguages(json: any, languages: string[]): any {
  if (Array.isArray(json)) return json.map((x) => withoutLanguages(x, languages));
  if (json === null || typeof json !== "object") return json;
  const isText = "default" in json || ("sv" in json && "en" in json);
  return Object.fromEntries(
    Object.entries(json)
      .filter(([key]) => !(isText && languages.includes(key)))
      .map(([key, value]) => [key, withoutLanguages(value, languages)]),
  );
}

async function startWith(dir: string) {
  process.env.SURVEYS_DIR = dir;
  resetEnvCache();
  return prepareDatabase({ db: getDb(), demoData: false });
}

const id = "trygghetsmatning-2025";
const stored = async () => (await getEdition({ db: getDb(), id }))!;

beforeAll(async () => {
  // Published before the translations existed: Swedish and English only.
  const before = surveysCopy("before", (_file, json) => withoutLanguages(json, NEW_LANGUAGES));
  const report = await startWith(before);
  expect(report.editions).toEqual([id]);
  await publishEdition({ db: getDb(), seriesId: "trygghetsmatning", year: 2024, status: "closed" });
});

afterAll(() => {
  if (previousSurveysDir === undefined) delete process.env.SURVEYS_DIR;
  else process.env.SURVEYS_DIR = previousSurveysDir;
  resetEnvCache();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("translations reaching a published edition", () => {
  it("are taken at start when only translations were added, for open and closed editions alike", async () => {
    const first = await stored();
    expect(first.questionnaire_json).not.toContain('"so":');
    const report = await startWith(surveysCopy("translated"));
    expect(report.translations).toEqual({ updated: ["trygghetsmatning-2024", id], kept: [] });
    const now = await stored();
    const questionnaire = JSON.parse(now.questionnaire_json);
    expect(Object.keys(questionnaire.title)).toEqual(["default", "en", ...NEW_LANGUAGES]);
    expect(questionnaire.title.default).toBe(JSON.parse(first.questionnaire_json).title.default);
    expect(now.definition_hash).not.toBe(first.definition_hash);
    expect(now.published_at).toBe(first.published_at);
    // The validation compiles the new definition (keyed by its hash) and still judges by code.
    const compiled = editionQuestionnaire(now);
    expect(validateAnswers(compiled, { area: "ahus", safe_evening: 2 })).toMatchObject({ ok: true });
    expect(validateAnswers(compiled, { safe_evening: 2 })).toMatchObject({ ok: false });
    // A second start has nothing to do.
    expect((await startWith(path.join(work, "translated"))).translations).toEqual({ updated: [], kept: [] });
  });

  it("are taken when a translation, English included, is corrected", async () => {
    const report = await startWith(
      surveysCopy("corrected", (file, json) =>
        file.endsWith("questionnaire.json") ? { ...json, title: { ...json.title, en: "Safety questionnaire", so: "Sahanka ammaanka" } } : json,
      ),
    );
    expect(report.translations).toEqual({ updated: ["trygghetsmatning-2024", id], kept: [] });
    const title = JSON.parse((await stored()).questionnaire_json).title;
    expect([title.en, title.so]).toEqual(["Safety questionnaire", "Sahanka ammaanka"]);
  });

  it.each([
    ["a changed Swedish text", (q: any) => ({ ...q, title: { ...q.title, default: "Trygghetsenkät", ar: "استطلاع" } })],
    ["a removed language", (q: any) => ({ ...q, title: { default: q.title.default, en: q.title.en } })],
    ["a changed answer code", (q: any) => JSON.parse(JSON.stringify(q).replace('"value":"no_answer"', '"value":"declined"'))],
    ["a changed rule", (q: any) => JSON.parse(JSON.stringify(q).replace('"isRequired":true', '"isRequired":false'))],
  ])("are refused with %s, and the start-up names the edition", async (name, edit) => {
    const before = (await stored()).questionnaire_json;
    const dir = surveysCopy(name.replace(/\W+/g, "-"), (file, json) => (file.endsWith("questionnaire.json") ? edit(json) : json));
    const report = await startWith(dir);
    expect(report.translations).toEqual({ updated: [], kept: [id] });
    expect((await stored()).questionnaire_json).toBe(before);
  });
});

describe("onlyTranslationsDiffer", () => {
  const q = { title: { default: "Kön", en: "Gender" }, choices: [{ value: 1, text: { default: "Ja", en: "Yes" } }] };
  it("accepts added and corrected translations", () => {
    expect(onlyTranslationsDiffer(q, { ...q, title: { default: "Kön", en: "Gender", fi: "Sukupuoli" } })).toBe(true);
    expect(onlyTranslationsDiffer({ title: { sv: "A", en: "B", fi: "C" } }, { title: { sv: "A", en: "B", fi: "D" } })).toBe(true);
  });
  it("refuses any other change", () => {
    expect(onlyTranslationsDiffer(q, { ...q, choices: [{ value: 2, text: { default: "Ja", en: "Yes" } }] })).toBe(false);
    expect(onlyTranslationsDiffer(q, { ...q, title: { default: "Kön ", en: "Gender" } })).toBe(false);
    expect(onlyTranslationsDiffer(q, { ...q, title: "Kön" })).toBe(false);
    expect(onlyTranslationsDiffer(q, { ...q, extra: true })).toBe(false);
    expect(onlyTranslationsDiffer(q, { ...q, title: { default: "Kön", en: "" } })).toBe(false);
    expect(onlyTranslationsDiffer(q, { ...q, choices: [...q.choices, q.choices[0]] })).toBe(false);
  });
});
