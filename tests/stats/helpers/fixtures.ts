/**
 * Loads ../shared/fixtures/stats (or $STATS_FIXTURES_DIR) and turns responses into cell
 * statistics the way the database does: per cell (area × gender × age_group), a "*" row counting
 * every respondent, and per measure n, Σy, Σy², "vet ej".
 */
import fs from "node:fs";
import path from "node:path";
import { DESIGN_MEASURE_KEY, scoreResponse } from "~/stats/measures";
import type { Answers, CellStat, MeasureSet, PopulationRow } from "~/stats/types";
import { STATS_FIXTURES_DIR } from "../../helpers/shared";
import { parseCsv } from "~/utils/csv";

export const FIXTURE_DIR = process.env.STATS_FIXTURES_DIR ?? STATS_FIXTURES_DIR;

export type Respondent = { area: string; gender: string; age_group: string; answers: Answers };

/** CSV record → answers as the importer hands them over: "" = unanswered, victim split on "|". */
export function recordToRespondent(record: Record<string, string>): Respondent {
  const answers: Answers = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === "") continue;
    answers[key] = key === "victim" ? value.split("|") : value;
  }
  return { area: record.area ?? "", gender: record.gender ?? "", age_group: record.age_group ?? "", answers };
}

/** Rows as objects keyed by the header row, read with the app's CSV parser (app/utils/csv.ts). */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => {
    if (r.fields.length !== header.fields.length) {
      throw new Error(`CSV: line ${r.line} has ${r.fields.length} fields, expected ${header.fields.length}`);
    }
    return Object.fromEntries(header.fields.map((h, j) => [h, r.fields[j]]));
  });
}

export function loadResponses(year: number): Respondent[] {
  const text = fs.readFileSync(path.join(FIXTURE_DIR, `responses-${year}.csv`), "utf8");
  return csvRecords(text).map(recordToRespondent);
}

export function loadPopulation(year: number): PopulationRow[] {
  const text = fs.readFileSync(path.join(FIXTURE_DIR, `population-${year}.csv`), "utf8");
  return csvRecords(text).map((r) => ({ ...r, count: Number(r.count) }));
}

export function loadExpected(): Expected {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, "expected.json"), "utf8")) as Expected;
}

export type ExpectedRow = {
  key: string;
  group: Record<string, string>;
  n: number;
  estimate: number | null;
  se: number | null;
  ci: [number, number] | null;
  suppressed: boolean;
};
export type ExpectedComparisonRow = {
  key: string;
  group: Record<string, string>;
  diff: number;
  se: number;
  ci: [number, number];
  p: number | "NaN";
  significant: boolean | null;
};
export type Expected = {
  series: string;
  results: { year: number; weighted: boolean; by: "area" | "gender" | "age_group" | null; measures: ExpectedRow[] }[];
  comparisons: {
    from: number;
    to: number;
    weighted: boolean;
    by: "area" | "gender" | "age_group" | null;
    measures: ExpectedComparisonRow[];
  }[];
};

/** Aggregates scored respondents into cell statistics (what the SQL keeps up to date). */
export function buildCells(set: MeasureSet, respondents: Respondent[]): CellStat[] {
  const cells = new Map<string, CellStat>();
  const get = (measureKey: string, r: Respondent) => {
    const id = JSON.stringify([measureKey, r.area, r.gender, r.age_group]);
    let c = cells.get(id);
    if (!c) {
      c = { measureKey, area: r.area, gender: r.gender, age_group: r.age_group, n: 0, sumY: 0, sumY2: 0, nDontKnow: 0 };
      cells.set(id, c);
    }
    return c;
  };
  for (const r of respondents) {
    get(DESIGN_MEASURE_KEY, r).n += 1;
    for (const [key, score] of scoreResponse(set, r.answers)) {
      const c = get(key, r);
      if (score.y !== null) {
        c.n += 1;
        c.sumY += score.y;
        c.sumY2 += score.y * score.y;
      }
      if (score.dontKnow) c.nDontKnow += 1;
    }
  }
  return [...cells.values()];
}
