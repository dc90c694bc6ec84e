/**
 * The problem picture for next year's promises (issue 18): the survey's local problems ranked by
 * level and by significant change per area, what the citizen dialogues and traffic tips added,
 * the avoidance share and who avoids most, and which of the year's indicators improved or
 * worsened. Survey figures are rows of the results documents (results-view.server.ts), never
 * recomputed; dialogue and tip counts are simple counts of stored answers of those series.
 */
import type { Db } from "~/db/db.server";
import { PROMISE_SERIES } from "~/models/promise.server";
import { followUp, surveyYearFor, type MeasureFigure } from "~/models/promise-follow-up.server";
import { problemRows, publishedYears, yearFigures, type FigureRow } from "~/models/results-view.server";

/** Measures where a rise is good news; for every other (problems, worry, avoidance) a fall is. */
export const HIGHER_IS_BETTER = new Set(["safety_index", "safe_centre_share", "police_confidence_share"]);

export type Direction = "improved" | "worsened" | "unchanged";

export function directionOf(row: FigureRow | null): Direction {
  const kind = row?.change?.kind;
  if (kind !== "increase" && kind !== "decrease") return "unchanged";
  const up = kind === "increase";
  return up === HIGHER_IS_BETTER.has(row!.key) ? "improved" : "worsened";
}

export interface ProblemPicture {
  year: number;
  surveyYear: number | null;
  previousYear: number | null;
  ranking: FigureRow[];
  /** Per area, the problems whose change is significant (increase or decrease). */
  areaChanges: { area: string; rows: FigureRow[] }[];
  avoid: { by: "gender" | "age_group" | "area"; rows: FigureRow[] }[];
  dialogueProblems: { key: string; count: number }[];
  tipProblems: { code: string; count: number }[];
  tipPlaces: { place: string; count: number }[];
  dialogueResponses: number;
  indicators: (MeasureFigure & { direction: Direction; promisePosition: number })[];
}

async function answersOf(db: Db, seriesId: string, year: number): Promise<Record<string, unknown>[]> {
  const rows = await db
    .selectFrom("response")
    .innerJoin("survey_edition", "survey_edition.id", "response.edition_id")
    .select("response.answers_json")
    .where("survey_edition.series_id", "=", seriesId)
    .where("survey_edition.year", "=", year)
    .execute();
  return rows.map((r) => JSON.parse(r.answers_json) as Record<string, unknown>);
}

function top<T extends string>(counts: Map<T, number>, n: number) {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
}

/** The problem picture of a year (the year the promises were followed up). */
export async function problemPicture({ db, year }: { db: Db; year: number }): Promise<ProblemPicture> {
  const years = await publishedYears({ db, seriesId: PROMISE_SERIES });
  const { surveyYear, previousYear } = surveyYearFor(years.map((y) => y.year), year);
  let ranking: FigureRow[] = [];
  let areaChanges: ProblemPicture["areaChanges"] = [];
  let avoid: ProblemPicture["avoid"] = [];
  if (surveyYear !== null) {
    const get = (by: "area" | "gender" | "age_group" | null) => yearFigures({ db, seriesId: PROMISE_SERIES, year: surveyYear, by, weighted: true, years });
    const [all, byArea, byGender, byAge] = await Promise.all([get(null), get("area"), get("gender"), get("age_group")]);
    ranking = problemRows(all.rows);
    const areas = [...new Set(byArea.rows.map((r) => r.group))];
    areaChanges = areas
      .map((area) => ({
        area,
        rows: problemRows(byArea.rows, area).filter((r) => r.change?.kind === "increase" || r.change?.kind === "decrease"),
      }))
      .filter((a) => a.rows.length > 0);
    const avoidRows = (rows: FigureRow[]) => rows.filter((r) => r.key === "avoid_share").sort((a, b) => (b.estimate ?? -1) - (a.estimate ?? -1));
    avoid = [
      { by: "gender", rows: avoidRows(byGender.rows) },
      { by: "age_group", rows: avoidRows(byAge.rows) },
      { by: "area", rows: avoidRows(byArea.rows) },
    ];
  }
  const [dialogue, tips] = await Promise.all([answersOf(db, "medborgardialog", year), answersOf(db, "trafiktips", year)]);
  const dialogueCounts = new Map<string, number>();
  for (const a of dialogue) {
    for (const [k, v] of Object.entries(a)) {
      if (k.startsWith("problem_") && (String(v) === "3" || String(v) === "4")) dialogueCounts.set(`problem_share.${k}`, (dialogueCounts.get(`problem_share.${k}`) ?? 0) + 1);
    }
  }
  const tipCounts = new Map<string, number>();
  const placeCounts = new Map<string, number>();
  const placeNames = new Map<string, string>();
  for (const a of tips) {
    const problems = Array.isArray(a.traffic_problem) ? a.traffic_problem : a.traffic_problem ? [a.traffic_problem] : [];
    for (const p of problems) tipCounts.set(String(p), (tipCounts.get(String(p)) ?? 0) + 1);
    const place = typeof a.place === "string" ? a.place.trim().replace(/\s+/g, " ") : "";
    if (place) {
      const key = place.toLocaleLowerCase("sv");
      if (!placeNames.has(key)) placeNames.set(key, place);
      placeCounts.set(key, (placeCounts.get(key) ?? 0) + 1);
    }
  }
  const fu = await followUp({ db, year });
  const indicators = fu.promises.flatMap((p) => p.measures.map((m) => ({ ...m, direction: directionOf(m.current), promisePosition: p.promise.position })));
  return {
    year,
    surveyYear,
    previousYear,
    ranking,
    areaChanges,
    avoid,
    dialogueProblems: top(dialogueCounts, 10).map(([key, count]) => ({ key, count })),
    tipProblems: top(tipCounts, 10).map(([code, count]) => ({ code, count })),
    tipPlaces: top(placeCounts, 10).map(([key, count]) => ({ place: placeNames.get(key)!, count })),
    dialogueResponses: dialogue.length + tips.length,
    indicators,
  };
}
