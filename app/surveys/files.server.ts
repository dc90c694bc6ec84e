/**
 * Reads questionnaires from surveys/ (the files, not the published editions).
 * A published edition stores its own copy; these files only feed new editions.
 */
import fs from "node:fs";
import path from "node:path";
import type { MeasureSet, Text } from "~/stats/types";
import { SOURCE_LANGUAGE, isLanguageCode } from "~/surveys/translations";
import { getEnv } from "~/utils/env.server";

/** A text in Swedish (the source) and English, plus whatever other languages its series declares. */
export type LocalizedText = Text & { [language: string]: string };

export interface AreaList {
  municipality: { code: string; name: string };
  areas: { code: string; name: LocalizedText }[];
}

export interface EditionPlan {
  year: number;
  status: "open" | "closed" | "draft";
  opensOn?: string;
  closesOn?: string;
}

export interface SeriesFile {
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
  /**
   * The languages every questionnaire text of the series is written in, Swedish first
   * (`"languages": ["sv", "en", "ar", "fa", "so", "fi"]`). Missing: Swedish and English.
   */
  languages: string[];
  kind: "survey" | "dialogue" | "walk" | "tips";
  areaList?: string;
  dimensions?: string[];
  weighting?: string[];
  minCount?: number;
  lowPrecisionCount?: number;
  channels?: string[];
  /** Editions the server publishes at start if they do not exist yet. */
  editions?: EditionPlan[];
}

export interface SeriesDefinition {
  series: SeriesFile;
  /** SurveyJS JSON with the area list injected. */
  questionnaire: Record<string, unknown>;
  measures: MeasureSet | null;
  areas: AreaList | null;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** Series ids that have a folder with series.json under the surveys directory. */
export function listSeriesIds(dir = getEnv().surveysDir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "series.json")))
    .map((e) => e.name)
    .sort();
}

export function loadAreaList(file: string, dir = getEnv().surveysDir): AreaList {
  return readJson<AreaList>(path.resolve(dir, file));
}

/**
 * Replaces `choices` of every question marked `choicesFromAreaList: true` with the area list
 * (Swedish as the default text, every other language of the area names under its own code)
 * and drops the marker.
 */
export function injectAreas(questionnaire: unknown, areas: AreaList): unknown {
  if (Array.isArray(questionnaire)) return questionnaire.map((q) => injectAreas(q, areas));
  if (questionnaire === null || typeof questionnaire !== "object") return questionnaire;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(questionnaire)) {
    if (key !== "choicesFromAreaList") out[key] = injectAreas(value, areas);
  }
  if ((questionnaire as Record<string, unknown>).choicesFromAreaList === true) {
    out.choices = areas.areas.map((a) => ({ value: a.code, text: areaChoiceText(a.name) }));
  }
  return out;
}

/** An area name as a SurveyJS text: Swedish under `default`, the other languages by code. */
function areaChoiceText(name: LocalizedText): Record<string, string> {
  const text: Record<string, string> = { default: name[SOURCE_LANGUAGE] };
  for (const [language, value] of Object.entries(name)) if (language !== SOURCE_LANGUAGE) text[language] = value;
  return text;
}

/** The series' declared languages, checked: known codes, Swedish first, none twice. */
function readLanguages(raw: unknown, file: string): string[] {
  if (raw === undefined) return [SOURCE_LANGUAGE, "en"];
  const ok =
    Array.isArray(raw) &&
    raw.every((l) => typeof l === "string" && isLanguageCode(l)) &&
    raw[0] === SOURCE_LANGUAGE &&
    new Set(raw).size === raw.length;
  if (!ok) {
    throw new Error(`${file}: "languages" must list language codes without repeats, starting with "${SOURCE_LANGUAGE}" (got ${JSON.stringify(raw)})`);
  }
  return raw as string[];
}

/** Loads one series: its series.json, questionnaire (areas injected) and measures if any. */
export function loadSeries(seriesId: string, dir = getEnv().surveysDir): SeriesDefinition {
  if (!/^[a-z0-9-]+$/.test(seriesId)) throw new Error(`Not a series id: ${seriesId}`);
  const folder = path.join(dir, seriesId);
  const seriesFile = path.join(folder, "series.json");
  const declared = readJson<SeriesFile>(seriesFile);
  const series: SeriesFile = { ...declared, languages: readLanguages(declared.languages, seriesFile) };
  const areas = series.areaList ? loadAreaList(series.areaList, dir) : null;
  const raw = readJson<Record<string, unknown>>(path.join(folder, "questionnaire.json"));
  const questionnaire = (areas ? injectAreas(raw, areas) : raw) as Record<string, unknown>;
  const measuresFile = path.join(folder, "measures.json");
  const measures = fs.existsSync(measuresFile) ? readJson<MeasureSet>(measuresFile) : null;
  return { series, questionnaire, measures, areas };
}
