/**
 * Reads questionnaires from surveys/ (the files, not the published editions).
 * A published edition stores its own copy; these files only feed new editions.
 */
import fs from "node:fs";
import path from "node:path";
import type { MeasureSet, Text } from "~/stats/types";
import { getEnv } from "~/utils/env.server";

export interface AreaList {
  municipality: { code: string; name: string };
  areas: { code: string; name: Text }[];
}

export interface EditionPlan {
  year: number;
  status: "open" | "closed" | "draft";
  opensOn?: string;
  closesOn?: string;
}

/** A text in Swedish and any of the site's other languages (surveys/<series>/series.json). */
export type LanguageTexts = Text & Partial<Record<"ar" | "fa" | "so" | "fi", string>>;

export interface SeriesFile {
  id: string;
  title: LanguageTexts;
  description?: Text;
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
 * (Swedish as the default text, English as `en`) and drops the marker.
 */
export function injectAreas(questionnaire: unknown, areas: AreaList): unknown {
  if (Array.isArray(questionnaire)) return questionnaire.map((q) => injectAreas(q, areas));
  if (questionnaire === null || typeof questionnaire !== "object") return questionnaire;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(questionnaire)) {
    if (key !== "choicesFromAreaList") out[key] = injectAreas(value, areas);
  }
  if ((questionnaire as Record<string, unknown>).choicesFromAreaList === true) {
    out.choices = areas.areas.map((a) => ({ value: a.code, text: { default: a.name.sv, en: a.name.en } }));
  }
  return out;
}

/** Loads one series: its series.json, questionnaire (areas injected) and measures if any. */
export function loadSeries(seriesId: string, dir = getEnv().surveysDir): SeriesDefinition {
  if (!/^[a-z0-9-]+$/.test(seriesId)) throw new Error(`Not a series id: ${seriesId}`);
  const folder = path.join(dir, seriesId);
  const series = readJson<SeriesFile>(path.join(folder, "series.json"));
  const areas = series.areaList ? loadAreaList(series.areaList, dir) : null;
  const raw = readJson<Record<string, unknown>>(path.join(folder, "questionnaire.json"));
  const questionnaire = (areas ? injectAreas(raw, areas) : raw) as Record<string, unknown>;
  const measuresFile = path.join(folder, "measures.json");
  const measures = fs.existsSync(measuresFile) ? readJson<MeasureSet>(measuresFile) : null;
  return { series, questionnaire, measures, areas };
}
