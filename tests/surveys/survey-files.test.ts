/**
 * The questionnaire data files in surveys/ against their contract.
 *
 * The expectations are parsed out of the specification itself (safety-survey.md: question names,
 * answer codes, which question is required, when `reported` shows; statistics.md: the default
 * measures, the safety-index scores, the problem-index bands), so when the spec changes these tests
 * follow it and the data files must follow too. survey-core is the real SurveyJS 3 library, so the
 * files are also checked the way the app will load them.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPEC_DIR } from "../helpers/shared";
import {
  Model,
  QuestionCheckboxModel,
  QuestionSelectBase,
  Serializer,
  surveyLocalization,
  type Question,
} from "survey-core";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const surveysDir = join(repoRoot, "surveys");

/** The spec lives beside the repo in the shared folder; a copy in docs/spec wins if one is added. */
function specPath(file: string): string {
  const candidates = [
    process.env.SPEC_DIR ? join(process.env.SPEC_DIR, file) : "",
    join(repoRoot, "docs", "spec", file),
    join(repoRoot, "..", "shared", "spec", file),
    join(SPEC_DIR, file),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`Cannot find ${file}; looked in ${candidates.join(", ")} (set SPEC_DIR)`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Types of the data files (only what the tests touch)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Code = string | number;
type Text = { sv: string; en: string };

interface AreaFile {
  municipality: { code: string; name: string };
  areas: { code: string; name: Text }[];
}
interface SeriesFile {
  id: string;
  title: Text;
  description: Text;
  languages: string[];
  kind: "survey" | "dialogue" | "walk" | "tips";
  areaList: string;
  dimensions: string[];
  weighting: string[];
  minCount: number;
  lowPrecisionCount: number;
  channels: string[];
}
interface ShareMeasure {
  key: string;
  kind: "share";
  name: Text;
  formula: Text;
  item: string;
  valid: Code[] | "answered";
  positive: Code[];
  dontKnow?: Code[];
}
interface MeanMeasure {
  key: string;
  kind: "mean";
  name: Text;
  formula: Text;
  items: Record<string, Record<string, number>>;
  minValid: number;
  scale: [number, number];
  dontKnow?: Record<string, Code[]>;
}
interface ProblemIndexDefinition {
  key: "problem_index";
  name: Text;
  formula: Text;
  measures: string[];
  bands: { below: number | null; level: number }[];
}
interface MeasureSet {
  version: string;
  measures: (ShareMeasure | MeanMeasure)[];
  problemIndex?: ProblemIndexDefinition;
}

function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(join(surveysDir, relative), "utf8")) as T;
}

// ---------------------------------------------------------------------------------------------
// Parsing the specification

interface MdTable {
  section: string;
  header: string[];
  rows: string[][];
  prose: string; // the non-table text of the table's section
}

function splitRow(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((cell) => cell.trim());
}

function parseTables(md: string): MdTable[] {
  const tables: MdTable[] = [];
  let section = "";
  let prose: string[] = [];
  let current: MdTable | null = null;
  const sectionTables: MdTable[] = [];
  const closeSection = () => {
    for (const t of sectionTables) t.prose = prose.join("\n");
    sectionTables.length = 0;
    prose = [];
  };
  for (const line of md.split("\n")) {
    if (line.startsWith("#")) {
      closeSection();
      section = line.replace(/^#+\s*/, "");
      current = null;
    } else if (line.trim().startsWith("|")) {
      const cells = splitRow(line);
      if (!current) {
        current = { section, header: cells, rows: [], prose: "" };
        tables.push(current);
        sectionTables.push(current);
      } else if (!cells.every((c) => /^:?-+:?$/.test(c))) {
        current.rows.push(cells);
      }
    } else {
      current = null;
      prose.push(line);
    }
  }
  closeSection();
  return tables;
}

const unquote = (cell: string) => cell.replace(/`/g, "").trim();
/** Answer codes that are all digits are stored as numbers, every other code as a string. */
const toCode = (raw: string): Code => (/^\d+$/.test(raw) ? Number(raw) : raw);

interface SpecValue {
  code: Code;
  label: string;
}
type SpecItem =
  | { name: string; question: string; kind: "area" }
  | { name: string; question: string; kind: "single"; values: SpecValue[] }
  | { name: string; question: string; kind: "multi"; values: SpecValue[]; exclusive: Code }
  | { name: string; question: string; kind: "text"; maxLength: number };

/** "`1` Ja, allt; `2` Ja, en del" -> codes with their labels. */
function parseValues(text: string): SpecValue[] {
  const values: SpecValue[] = [];
  const re = /`([^`]+)`([^`]*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const label = m[2].replace(/^\s+/, "").replace(/[,;.]?\s*(or exactly|or)?\s*$/, "").trim();
    values.push({ code: toCode(m[1]), label });
  }
  return values;
}

interface SurveySpec {
  items: SpecItem[];
  areas: { code: string; name: string }[];
  problemItems: { name: string; label: string }[];
  problemQuestion: string;
  requiredOnly: string[];
  conditional: { name: string; on: string };
}

function parseSurveySpec(md: string): SurveySpec {
  const tables = parseTables(md);
  const areaTable = tables.find((t) => t.header[0] === "code");
  if (!areaTable) throw new Error("safety-survey.md: no area table (header starting with `code`)");
  const areas = areaTable.rows.map(([code, name]) => ({ code: unquote(code), name: name.trim() }));

  const items: SpecItem[] = [];
  let problemItems: { name: string; label: string }[] = [];
  let problemQuestion = "";
  for (const table of tables.filter((t) => t.header[0] === "name")) {
    if (table.header.length === 2) {
      // The problem items: one shared scale, given in the section's prose.
      const scaleLine = table.prose.split("\n\n").find((p) => p.includes("same scale"));
      if (!scaleLine) throw new Error(`safety-survey.md: no scale for the table in "${table.section}"`);
      const joined = scaleLine.replace(/\s*\n\s*/g, " ");
      problemQuestion = /"([^"]+)"/.exec(joined)?.[1] ?? "";
      const values = parseValues(joined.slice(joined.indexOf("same scale")));
      for (const [name, label] of table.rows) {
        items.push({ name: unquote(name), question: label, kind: "single", values });
        problemItems.push({ name: unquote(name), label: label.trim() });
      }
      continue;
    }
    let previous: SpecItem | undefined;
    for (const [nameCell, question, valuesCell] of table.rows) {
      const name = unquote(nameCell);
      let item: SpecItem;
      const sameAs = /^same as `([^`]+)`/.exec(valuesCell);
      if (/area list/.test(valuesCell)) item = { name, question, kind: "area" };
      else if (sameAs || /^same$/.test(valuesCell)) {
        const source = sameAs ? items.find((i) => i.name === sameAs[1]) : previous;
        if (!source || source.kind === "area") throw new Error(`safety-survey.md: "${valuesCell}" for ${name}`);
        item = { ...source, name, question };
      } else if (/free text/.test(valuesCell)) {
        const max = /at most ([\d,]+) characters/.exec(valuesCell);
        if (!max) throw new Error(`safety-survey.md: no maximum length for ${name}`);
        item = { name, question, kind: "text", maxLength: Number(max[1].replace(/,/g, "")) };
      } else if (/^any of/.test(valuesCell)) {
        const exclusive = /or exactly `([^`]+)`/.exec(valuesCell);
        if (!exclusive) throw new Error(`safety-survey.md: no exclusive answer for ${name}`);
        item = { name, question, kind: "multi", values: parseValues(valuesCell), exclusive: toCode(exclusive[1]) };
      } else item = { name, question, kind: "single", values: parseValues(valuesCell) };
      items.push(item);
      previous = item;
    }
  }
  problemItems = problemItems.filter((p) => p.name.startsWith("problem_"));

  const flat = md.replace(/\s*\n\s*/g, " ");
  const required = /optional for the respondent except ([^(]+)\(/.exec(flat);
  if (!required) throw new Error("safety-survey.md: no sentence on required questions");
  const conditionalRow = items.find((i) => /shown only when `([^`]+)` holds a crime/.test(i.question));
  if (!conditionalRow) throw new Error("safety-survey.md: no conditional question");
  const on = /shown only when `([^`]+)` holds a crime/.exec(conditionalRow.question)![1];
  return {
    items,
    areas,
    problemItems,
    problemQuestion,
    requiredOnly: [...required[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]),
    conditional: { name: conditionalRow.name, on },
  };
}

interface StatsSpec {
  measures: { key: string; name: string; perRespondent: string; valid: string }[];
  scores: Record<string, Record<string, number>>;
  notValid: Record<string, Code[]>;
  bands: { below: number | null; level: number }[];
}

function parseStatsSpec(md: string): StatsSpec {
  const table = parseTables(md).find((t) => t.header[0] === "key");
  if (!table) throw new Error("statistics.md: no measure table");
  const measures = table.rows.map(([key, name, perRespondent, valid]) => ({
    key: unquote(key),
    name: name.trim(),
    perRespondent,
    valid,
  }));

  const flat = md.replace(/\s*\n\s*/g, " ");
  const scoresParagraph = /Safety index item scores: (.*?)\(This is/.exec(flat)?.[1];
  if (!scoresParagraph) throw new Error("statistics.md: no safety index scores");
  const scores: Record<string, Record<string, number>> = {};
  const notValid: Record<string, Code[]> = {};
  for (const sentence of scoresParagraph.split(/\.\s+(?=`)/)) {
    const [head, body] = sentence.split(/:\s/, 2);
    const itemNames = [...head.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const map: Record<string, number> = {};
    const re = /(\d+)→(?:(\d+)\/(\d+)|([\d.]+)(?:\s*\((\d+)\/(\d+)\))?)/g;
    for (let m = re.exec(body); m; m = re.exec(body)) {
      map[m[1]] = m[2] ? Number(m[2]) / Number(m[3]) : m[5] ? Number(m[5]) / Number(m[6]) : Number(m[4]);
    }
    const invalid = /while (.+?) (?:is|are) not valid/.exec(body)?.[1] ?? "";
    for (const name of itemNames) {
      scores[name] = map;
      notValid[name] = [...invalid.matchAll(/\d+/g)].map((m) => Number(m[0]));
    }
  }

  const bandText = /Default \(illustrative;.*?\): (.*?)\. It has/.exec(flat)?.[1];
  if (!bandText) throw new Error("statistics.md: no problem-index band table");
  const bands: { below: number | null; level: number }[] = [...bandText.matchAll(/below (\d+) → (\d+)/g)].map(
    (m) => ({ below: Number(m[1]), level: Number(m[2]) }),
  );
  const otherwise = /otherwise (\d+)/.exec(bandText);
  if (otherwise) bands.push({ below: null, level: Number(otherwise[1]) });
  return { measures, scores, notValid, bands };
}

/** "is 3 or 4" / "is 3, 4 or 5" / "in 1–4" -> the codes. */
function numbersIn(text: string): number[] {
  const range = /(\d+)–(\d+)/.exec(text);
  if (range) {
    const out: number[] = [];
    for (let v = Number(range[1]); v <= Number(range[2]); v++) out.push(v);
    return out;
  }
  return [...text.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

// ---------------------------------------------------------------------------------------------
// Walking questionnaire JSON

interface ElementJson extends JsonObject {
  type: string;
  name: string;
}

/** Questions (not panels) in document order, descending into pages and panels. */
function questionsOf(definition: JsonObject): ElementJson[] {
  const out: ElementJson[] = [];
  const visit = (elements: Json | undefined) => {
    for (const el of (elements as ElementJson[] | undefined) ?? []) {
      if (el.type === "panel") visit(el.elements);
      else out.push(el);
    }
  };
  for (const page of (definition.pages as JsonObject[]) ?? []) visit(page.elements);
  return out;
}

function choicesOf(q: ElementJson): JsonObject[] {
  return (q.choices as JsonObject[] | undefined) ?? [];
}

/**
 * The app's job at load time (app/surveys/files.server.ts does the same): a question marked
 * `choicesFromAreaList: true` gets the area list as its choices, and the marker, which SurveyJS
 * does not know, is dropped.
 */
function injectAreas(definition: JsonObject, areaFile: AreaFile): JsonObject {
  const copy = structuredClone(definition);
  for (const q of questionsOf(copy)) {
    if (q.choicesFromAreaList === true) {
      delete q.choicesFromAreaList;
      // Swedish is the default text; every other language of the name keeps its code.
      q.choices = areaFile.areas.map((a) => {
        const { sv, ...translations } = a.name as Text & Record<string, string>;
        return { value: a.code, text: { default: sv, ...translations } };
      });
    }
  }
  return copy;
}

/** Every localizable property used anywhere in the JSON, with the class SurveyJS reads it as. */
function localizedTexts(definition: JsonObject): { path: string; value: Json }[] {
  const out: { path: string; value: Json }[] = [];
  const visit = (obj: JsonObject, className: string, path: string) => {
    for (const [key, value] of Object.entries(obj)) {
      const prop = Serializer.findProperty(className, key);
      if (prop?.isLocalizable) out.push({ path: `${path}.${key}`, value });
      if (key === "pages" || key === "elements") {
        (value as JsonObject[]).forEach((child, i) =>
          visit(child, key === "pages" ? "page" : String(child.type), `${path}.${key}[${i}]`),
        );
      }
      if (key === "choices") {
        (value as Json[]).forEach((choice, i) => {
          // A bare code as a choice would show the respondent the code itself.
          if (typeof choice !== "object" || choice === null || Array.isArray(choice)) {
            out.push({ path: `${path}.choices[${i}]`, value: choice });
          } else visit(choice, "itemvalue", `${path}.choices[${i}]`);
        });
      }
    }
  };
  visit(definition, "survey", "survey");
  return out;
}

const isLocalized = (value: Json): boolean =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  typeof value.default === "string" &&
  value.default.trim() !== "" &&
  typeof value.en === "string" &&
  value.en.trim() !== "";

const isText = (value: unknown): value is Text =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Text).sv === "string" &&
  (value as Text).sv.trim() !== "" &&
  typeof (value as Text).en === "string" &&
  (value as Text).en.trim() !== "";

// ---------------------------------------------------------------------------------------------

const spec = parseSurveySpec(readFileSync(specPath("safety-survey.md"), "utf8"));
const stats = parseStatsSpec(readFileSync(specPath("statistics.md"), "utf8"));
const areaFile = readJson<AreaFile>("areas/kristianstad.json");
const main = readJson<JsonObject>("trygghetsmatning/questionnaire.json");
const mainQuestions = questionsOf(main);
const mainByName = new Map(mainQuestions.map((q) => [q.name, q]));
const mainMeasures = readJson<MeasureSet>("trygghetsmatning/measures.json");
const seriesFolders = readdirSync(surveysDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(surveysDir, d.name, "series.json")))
  .map((d) => d.name)
  .sort();
const shorter = seriesFolders.filter((f) => f !== "trygghetsmatning");
const specCrimes = (() => {
  const victim = spec.items.find((i) => i.name === spec.conditional.on);
  if (victim?.kind !== "multi") throw new Error("spec: the conditional question's trigger is not multi-choice");
  return victim.values.map((v) => v.code).filter((c) => c !== victim.exclusive);
})();

function loadModel(definition: JsonObject): Model {
  const model = new Model(injectAreas(definition, areaFile));
  return model;
}

const originalDefaultLocale = surveyLocalization.defaultLocale;
beforeAll(() => {
  // The "default" texts are Swedish. SurveyJS treats its defaultLocale ("en" unless told
  // otherwise) as the default texts' language, so setting locale "en" would show the Swedish
  // ones; an app using these files must set defaultLocale to "sv", as done here.
  surveyLocalization.defaultLocale = "sv";
});
afterAll(() => {
  surveyLocalization.defaultLocale = originalDefaultLocale;
});

describe("the specification parses", () => {
  // Guards the parsers: if the spec's layout changes so that nothing is found, fail here
  // rather than comparing empty lists below.
  it("finds the questions, areas and measures", () => {
    expect(spec.items.length).toBeGreaterThanOrEqual(20);
    expect(spec.problemItems).toHaveLength(12);
    expect(spec.areas).toHaveLength(10);
    expect(spec.items.find((i) => i.name === "safe_centre")).toMatchObject({ kind: "single" });
    expect(spec.requiredOnly).toEqual(["area"]);
    expect(specCrimes.length).toBeGreaterThan(0);
    expect(stats.measures.map((m) => m.key)).toContain("safety_index");
    expect(Object.keys(stats.scores).length).toBe(5);
    expect(stats.bands.length).toBeGreaterThan(1);
  });
});

describe("area list (surveys/areas/kristianstad.json)", () => {
  it("has exactly the spec's area codes and names, in order", () => {
    expect(areaFile.areas.map((a) => a.code)).toEqual(spec.areas.map((a) => a.code));
    expect(areaFile.areas.map((a) => a.name.sv)).toEqual(spec.areas.map((a) => a.name));
  });
  it("names the municipality and every area in sv and en", () => {
    expect(areaFile.municipality).toEqual({ code: "1290", name: "Kristianstad" });
    for (const a of areaFile.areas) expect(isText(a.name), a.code).toBe(true);
  });
});

describe("safety survey questionnaire (surveys/trygghetsmatning/questionnaire.json)", () => {
  it("has every spec question, in the spec's order, and no others", () => {
    expect(mainQuestions.map((q) => q.name)).toEqual(spec.items.map((i) => i.name));
  });

  it.each(spec.items.map((i) => [i.name, i] as const))("%s has the spec's type and codes", (_name, item) => {
    const q = mainByName.get(item.name);
    expect(q, `${item.name} missing`).toBeDefined();
    if (!q) return;
    switch (item.kind) {
      case "area":
        expect(["dropdown", "radiogroup"]).toContain(q.type);
        expect(q.choicesFromAreaList).toBe(true);
        expect(q.choices).toEqual([]);
        break;
      case "single": {
        expect(["radiogroup", "dropdown"]).toContain(q.type);
        const values = choicesOf(q).map((c) => c.value);
        // toEqual tells 1 from "1": numeric codes must be stored as numbers.
        expect(values).toEqual(item.values.map((v) => v.code));
        for (const v of values) expect(typeof v).toBe(/^\d+$/.test(String(v)) ? "number" : "string");
        break;
      }
      case "multi":
        expect(q.type).toBe("checkbox");
        expect(choicesOf(q).map((c) => c.value)).toEqual(item.values.map((v) => v.code).filter((c) => c !== item.exclusive));
        expect(q.showNoneItem).toBe(true);
        break;
      case "text":
        expect(q.type).toBe("comment");
        expect(q.maxLength).toBe(item.maxLength);
        break;
    }
  });

  it("puts the problem items on one page under the spec's question as a panel title", () => {
    const pages = main.pages as { elements: ElementJson[] }[];
    const page = pages.find((p) => p.elements.some((e) => e.type === "panel"));
    const panel = page?.elements.find((e) => e.type === "panel");
    expect((panel?.title as JsonObject | undefined)?.default).toBe(spec.problemQuestion);
    expect(((panel?.elements as ElementJson[]) ?? []).map((q) => q.name)).toEqual(spec.problemItems.map((p) => p.name));
    expect(page?.elements).toHaveLength(1);
  });

  it("requires only the questions the spec requires", () => {
    expect(mainQuestions.filter((q) => q.isRequired === true).map((q) => q.name)).toEqual(spec.requiredOnly);
  });

  it("has a Swedish default and an English text for every text shown", () => {
    const texts = localizedTexts(main);
    expect(texts.length).toBeGreaterThan(50);
    for (const t of texts) expect(isLocalized(t.value), t.path).toBe(true);
    for (const key of ["title", "description", "completedHtml"]) expect(isLocalized(main[key]), key).toBe(true);
  });

  it("loads in survey-core without JSON errors once the areas are injected", () => {
    const model = loadModel(main);
    expect(model.jsonErrors ?? []).toEqual([]);
    expect(model.getAllQuestions().map((q) => q.name)).toEqual(spec.items.map((i) => i.name));
    const area = model.getQuestionByName("area") as QuestionSelectBase;
    expect(area.visibleChoices.map((c) => c.value)).toEqual(spec.areas.map((a) => a.code));
    expect(model.showQuestionNumbers).toBe("off");
    expect(model.showProgressBar).toBe(true);
    expect(model.progressBarType).toBe("pages");
  });

  it("shows Swedish by default and English for locale en", () => {
    const model = loadModel(main);
    const title = main.title as JsonObject;
    expect(model.title).toBe(title.default);
    model.locale = "en";
    expect(model.title).toBe(title.en);
    expect((model.getQuestionByName("area") as QuestionSelectBase).visibleChoices[0].text).toBe(areaFile.areas[0].name.en);
  });

  it("will not complete without an area", () => {
    const model = loadModel(main);
    const area = model.getQuestionByName("area");
    expect(area.validate()).toBe(false);
    area.value = spec.areas[0].code;
    expect(area.validate()).toBe(true);
  });

  it("stores the multiple-choice answer as an array whose none item is exclusive", () => {
    const item = spec.items.find((i) => i.name === spec.conditional.on);
    if (item?.kind !== "multi") throw new Error("spec: no multiple-choice question");
    const model = loadModel(main);
    const q = model.getQuestionByName(item.name) as QuestionCheckboxModel;
    expect(q.noneItem.value).toBe(item.exclusive);
    q.clickItemHandler(q.choices[0], true);
    q.clickItemHandler(q.choices[1], true);
    expect(model.data[item.name]).toEqual([specCrimes[0], specCrimes[1]]);
    q.clickItemHandler(q.noneItem, true);
    expect(model.data[item.name]).toEqual([item.exclusive]);
    q.clickItemHandler(q.choices[2], true);
    expect(model.data[item.name]).toEqual([specCrimes[2]]);
  });

  it("shows the conditional question exactly when a crime is chosen, and drops a stale answer", () => {
    const triggerItem = spec.items.find((i) => i.name === spec.conditional.on);
    if (triggerItem?.kind !== "multi") throw new Error("spec: the conditional question's trigger is not multi-choice");
    const none = triggerItem.exclusive;
    const model = loadModel(main);
    const trigger = model.getQuestionByName(spec.conditional.on);
    const dependent: Question = model.getQuestionByName(spec.conditional.name);
    expect(dependent.isVisible).toBe(false);
    for (const crime of specCrimes) {
      trigger.value = [crime];
      expect(dependent.isVisible, String(crime)).toBe(true);
    }
    trigger.value = [none];
    expect(dependent.isVisible).toBe(false);
    trigger.value = [specCrimes[0]];
    dependent.value = (choicesOf(mainByName.get(spec.conditional.name)!)[0] as JsonObject).value;
    trigger.value = [none];
    model.setValue("area", spec.areas[0].code);
    model.doComplete();
    expect(model.data).toEqual({ area: spec.areas[0].code, [spec.conditional.on]: [none] });
  });

  it("keeps long scales in one column for narrow phones", () => {
    for (const q of mainQuestions.filter((q) => q.type === "radiogroup" || q.type === "checkbox")) {
      expect(q.colCount, q.name).toBe(1);
    }
  });
});

describe("series definitions (surveys/*/series.json)", () => {
  it("finds the four series", () => {
    expect(seriesFolders).toEqual(["medborgardialog", "trafiktips", "trygghetsmatning", "trygghetsvandring"]);
  });

  it("defines the safety survey series as agreed", () => {
    const series = readJson<SeriesFile>("trygghetsmatning/series.json");
    expect(series).toEqual({
      id: "trygghetsmatning",
      title: { ...series.title, sv: "Trygghetsmätning", en: "Safety survey" },
      description: series.description,
      languages: ["sv", "en", "ar", "fa", "so", "fi"],
      kind: "survey",
      areaList: "areas/kristianstad.json",
      dimensions: ["area", "gender", "age_group"],
      weighting: ["area", "age_group"],
      minCount: 10,
      lowPrecisionCount: 50,
      channels: ["web", "tablet", "paper"],
      editions: [{ year: 2025, status: "open" }],
    });
  });

  it.each(seriesFolders)("%s: is consistent with its questionnaire", (folder) => {
    const series = readJson<SeriesFile>(`${folder}/series.json`);
    const questionnaire = readJson<JsonObject>(`${folder}/questionnaire.json`);
    const names = questionsOf(questionnaire).map((q) => q.name);
    expect(series.id).toBe(folder);
    expect(["survey", "dialogue", "walk", "tips"]).toContain(series.kind);
    expect(isText(series.title) && isText(series.description)).toBe(true);
    expect(existsSync(join(surveysDir, series.areaList)), series.areaList).toBe(true);
    for (const d of series.dimensions) expect(names, d).toContain(d);
    for (const w of series.weighting) expect(series.dimensions, w).toContain(w);
    expect(series.minCount).toBeGreaterThan(0);
    expect(series.lowPrecisionCount).toBeGreaterThan(series.minCount);
    for (const c of series.channels) expect(["web", "tablet", "paper"]).toContain(c);
  });
});

/**
 * Measures added beyond statistics.md for following up the citizen promises (issue 18, decision
 * 030), after the problem shares, with their Swedish names. Version 2 of the measure set.
 */
const PROMISE_MEASURES: Record<string, string> = {
  safe_centre_share: "Andel trygga i centrum en kväll",
  worry_fraud_share: "Andel oroliga för bedrägeri",
};

/** Checks a measure file against the questionnaire it is computed from. */
function checkMeasureSet(set: MeasureSet, questionnaire: JsonObject, version = "1"): void {
  const byName = new Map(questionsOf(questionnaire).map((q) => [q.name, q]));
  const codesOf = (item: string): Code[] => {
    const q = byName.get(item);
    expect(q, `measure item ${item} is not a question`).toBeDefined();
    const codes = choicesOf(q!).map((c) => c.value as Code);
    expect(codes.length, `${item} has no choices`).toBeGreaterThan(0);
    return codes;
  };
  expect(set.version).toBe(version);
  expect(new Set(set.measures.map((m) => m.key)).size).toBe(set.measures.length);
  for (const m of set.measures) {
    expect(isText(m.name) && isText(m.formula), m.key).toBe(true);
    if (m.kind === "share") {
      const codes = codesOf(m.item);
      if (m.valid === "answered") expect(byName.get(m.item)?.type).toBe("checkbox");
      else for (const v of m.valid) expect(codes, `${m.key} valid`).toContain(v);
      const valid = m.valid === "answered" ? codes : m.valid;
      for (const v of m.positive) expect(valid, `${m.key} positive`).toContain(v);
      for (const v of m.dontKnow ?? []) {
        expect(codes, `${m.key} dontKnow`).toContain(v);
        expect(valid, `${m.key} dontKnow must not be valid`).not.toContain(v);
      }
    } else {
      for (const [item, scores] of Object.entries(m.items)) {
        const codes = codesOf(item).map(String);
        for (const [code, score] of Object.entries(scores)) {
          expect(codes, `${m.key}.${item}`).toContain(code);
          expect(score).toBeGreaterThanOrEqual(m.scale[0]);
          expect(score).toBeLessThanOrEqual(m.scale[1]);
        }
        for (const v of m.dontKnow?.[item] ?? []) {
          expect(codesOf(item), `${m.key}.${item} dontKnow`).toContain(v);
          expect(Object.keys(scores)).not.toContain(String(v));
        }
      }
      expect(m.minValid).toBeGreaterThan(0);
      expect(m.minValid).toBeLessThanOrEqual(Object.keys(m.items).length);
    }
  }
  if (set.problemIndex) {
    const keys = set.measures.map((m) => m.key);
    for (const k of set.problemIndex.measures) expect(keys).toContain(k);
  }
}

describe("measures (surveys/trygghetsmatning/measures.json)", () => {
  const problemKey = (name: string) => `problem_share.${name}`;
  const expectedKeys = [
    ...stats.measures.map((m) => m.key).filter((k) => !k.startsWith("problem_share.")),
    ...spec.problemItems.map((p) => problemKey(p.name)),
    ...Object.keys(PROMISE_MEASURES),
  ];
  const dontKnowCodes = (item: string): Code[] => {
    const specItem = spec.items.find((i) => i.name === item);
    if (!specItem || (specItem.kind !== "single" && specItem.kind !== "multi")) return [];
    return specItem.values.filter((v) => /^vet ej/i.test(v.label)).map((v) => v.code);
  };

  it("has the measures of statistics.md, problem shares last in the spec's item order", () => {
    expect(mainMeasures.measures.map((m) => m.key)).toEqual(expectedKeys);
  });

  it("references only questions and answer codes of the questionnaire", () => {
    checkMeasureSet(mainMeasures, main, "2");
  });

  it("uses the Swedish names of statistics.md", () => {
    for (const m of mainMeasures.measures) {
      if (Object.hasOwn(PROMISE_MEASURES, m.key)) {
        expect(m.name.sv).toBe(PROMISE_MEASURES[m.key]);
        continue;
      }
      const row = stats.measures.find((s) => s.key === (m.key.startsWith("problem_share.") ? "problem_share.<item>" : m.key));
      expect(row, m.key).toBeDefined();
      if (m.key.startsWith("problem_share.")) {
        const item = spec.problemItems.find((p) => problemKey(p.name) === m.key);
        expect(m.name.sv).toBe(`${row!.name.replace(/, per problem item$/, "")}: ${item?.label}`);
      } else {
        expect(m.name.sv).toBe(row!.name.replace(/\s*\(.*\)$/, ""));
      }
    }
  });

  it.each(stats.measures.filter((s) => s.key !== "safety_index").map((s) => [s.key, s] as const))(
    "%s counts the values statistics.md says",
    (_key, row) => {
      const measures = mainMeasures.measures.filter((m) =>
        row.key === "problem_share.<item>" ? m.key.startsWith("problem_share.") : m.key === row.key,
      ) as ShareMeasure[];
      expect(measures.length).toBeGreaterThan(0);
      for (const m of measures) {
        expect(m.kind).toBe("share");
        const itemInSpec = /`([^`]+)`/.exec(row.perRespondent)?.[1];
        if (itemInSpec) expect(m.item).toBe(itemInSpec);
        if (/holds any crime/.test(row.perRespondent)) expect(m.positive).toEqual(specCrimes);
        else expect(m.positive).toEqual(numbersIn(/\bis (.*?)(?:, else 0)?$/.exec(row.perRespondent)?.[1] ?? ""));
        if (/answered/.test(row.valid)) expect(m.valid).toBe("answered");
        else expect(m.valid).toEqual(numbersIn(row.valid));
        const dk = dontKnowCodes(m.item);
        if (dk.length > 0) expect(m.dontKnow).toEqual(dk);
        else expect(m.dontKnow ?? []).toEqual([]);
      }
    },
  );

  it("scores the safety index as statistics.md says, with exact doubles", () => {
    const index = mainMeasures.measures.find((m) => m.key === "safety_index") as MeanMeasure;
    expect(index.kind).toBe("mean");
    expect(index.items).toEqual(stats.scores);
    const row = stats.measures.find((m) => m.key === "safety_index")!;
    expect(index.minValid).toBe(Number(/at least (\d+)/.exec(row.valid)?.[1]));
    expect(index.scale).toEqual([0, 100]);
    for (const [item, scores] of Object.entries(index.items)) {
      expect(Object.is(scores["2"], 200 / 3), item).toBe(true);
      expect(Object.is(scores["3"], 100 / 3), item).toBe(true);
      for (const code of stats.notValid[item]) expect(Object.keys(scores)).not.toContain(String(code));
      expect(index.dontKnow?.[item], item).toEqual(dontKnowCodes(item));
    }
    const raw = readFileSync(join(surveysDir, "trygghetsmatning/measures.json"), "utf8");
    expect(raw).toContain("66.66666666666667");
    expect(raw).toContain("33.333333333333336");
  });

  it("has the problem index over every problem share with the bands of statistics.md", () => {
    const pi = mainMeasures.problemIndex;
    expect(pi?.key).toBe("problem_index");
    expect(pi?.measures).toEqual(spec.problemItems.map((p) => problemKey(p.name)));
    expect(pi?.bands).toEqual(stats.bands);
    expect(isText(pi?.name) && isText(pi?.formula)).toBe(true);
  });
});

describe.each(shorter)("shorter questionnaire %s", (folder) => {
  const definition = readJson<JsonObject>(`${folder}/questionnaire.json`);
  const questions = questionsOf(definition);

  it("loads in survey-core without JSON errors and with unique names", () => {
    const model = loadModel(definition);
    expect(model.jsonErrors ?? []).toEqual([]);
    const names = model.getAllQuestions().map((q) => q.name);
    expect(names).toEqual(questions.map((q) => q.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it("has a Swedish default and an English text for every text shown", () => {
    for (const t of localizedTexts(definition)) expect(isLocalized(t.value), t.path).toBe(true);
    for (const key of ["title", "description", "completedHtml"]) expect(isLocalized(definition[key]), key).toBe(true);
  });

  it("asks for a required area from the area list", () => {
    const area = questions.find((q) => q.name === "area");
    expect(area).toMatchObject({ isRequired: true, choicesFromAreaList: true, choices: [] });
  });

  it("reuses the safety survey's type and scale wherever a name coincides", () => {
    const shared = questions.filter((q) => mainByName.has(q.name));
    expect(shared.length).toBeGreaterThan(0);
    for (const q of shared) {
      const m = mainByName.get(q.name)!;
      expect(q.type, q.name).toBe(m.type);
      expect(q.choices, q.name).toEqual(m.choices);
      expect(q.showNoneItem, q.name).toEqual(m.showNoneItem);
      expect(q.maxLength, q.name).toEqual(m.maxLength);
    }
    // A name shaped like a spec item that is not one is a typo, not a new question.
    for (const q of questions) {
      if (/^(problem|safe|worry|avoid)_/.test(q.name)) expect(mainByName.has(q.name), q.name).toBe(true);
    }
  });

  it("limits free text", () => {
    for (const q of questions.filter((q) => q.type === "comment" || q.type === "text")) {
      expect(q.maxLength, q.name).toBeGreaterThan(0);
      expect(q.maxLength, q.name).toBeLessThanOrEqual(2000);
    }
  });

  it("has measures, if any, identical to the safety survey's where keys coincide", () => {
    if (!existsSync(join(surveysDir, folder, "measures.json"))) return;
    const set = readJson<MeasureSet>(`${folder}/measures.json`);
    checkMeasureSet(set, definition);
    for (const m of set.measures) {
      const same = mainMeasures.measures.find((x) => x.key === m.key);
      if (same) expect(m, m.key).toEqual(same);
    }
  });
});

describe("traffic tips", () => {
  it("uses the problem items' codes for the traffic problems they share", () => {
    const q = questionsOf(readJson<JsonObject>("trafiktips/questionnaire.json")).find((x) => x.name === "traffic_problem");
    const codes = choicesOf(q!).map((c) => String(c.value));
    for (const code of ["speeding", "reckless_driving", "mopeds"]) {
      expect(codes).toContain(code);
      expect(mainByName.has(`problem_${code}`)).toBe(true);
    }
    expect(codes).toContain("drink_driving");
  });
});
