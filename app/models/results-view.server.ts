/**
 * What the results pages show, decided on the server from the results API's own documents
 * (results-cache.server.ts): which rows, suppressed or not, significant or not, comparable or
 * not. Nothing here estimates anything: every figure is the API's number, passed on unrounded;
 * components format it once through app/i18n/format.ts (house style: "a page and the API never
 * round the same figure twice").
 */
import type { Db } from "~/db/db.server";
import type { Language } from "~/i18n/languages";
import { pickText } from "~/i18n/languages";
import { cachedResults, type CachedResults } from "~/models/results-cache.server";
import { editionMeasures, listEditions } from "~/models/survey.server";
import { groupKey, problemLevel } from "~/stats/results";
import type { ComparisonRow, GroupBy, MeasureSet, ResponseRateFigures, ResultRow, ResultsDocument } from "~/stats/types";
import { loadSeries } from "~/surveys/files.server";

export const RESULTS_SERIES = "trygghetsmatning";

import { BREAKDOWNS, HEADLINE_KEYS } from "~/utils/results-keys";

export { BREAKDOWNS, HEADLINE_KEYS };

export type ChangeKind = "increase" | "decrease" | "noSignificantChange" | "notComparable" | "noComparison";

export interface Change {
  kind: ChangeKind;
  /** The year compared with. */
  from: number | null;
  /** Why a comparison is refused (definition_changed, suppressed, …). */
  reason?: string;
}

/** One figure as the API gives it, with what the page must say about it. */
export interface FigureRow {
  key: string;
  kind: "mean" | "share" | "level";
  /** The group's code ("" = everyone). */
  group: string;
  n: number;
  estimate: number | null;
  ci: [number, number] | null;
  suppressed: boolean;
  lowPrecision: boolean;
  dontKnowShare: number | null;
  change: Change | null;
  /** Problem items: the police-style level (0–6) of the share, from the survey's band table. */
  level?: number | null;
}

function kindOf(key: string, measureSet: MeasureSet | null): FigureRow["kind"] {
  if (key === "problem_index") return "level";
  const m = measureSet?.measures.find((x) => x.key === key);
  return m?.kind === "mean" ? "mean" : "share";
}

/** The significance wording of statistics.md ("Year-over-year comparison"). */
export function changeOf(row: ComparisonRow | undefined, from: number | null): Change | null {
  if (from === null) return null;
  if (!row) return { kind: "noComparison", from };
  if (!row.comparable) {
    return { kind: row.reason === "definition_changed" ? "notComparable" : "noComparison", from, reason: row.reason };
  }
  if (!row.significant) return { kind: "noSignificantChange", from };
  return { kind: row.diff > 0 ? "increase" : "decrease", from };
}

function toRow(m: ResultRow, cached: CachedResults, measureSet: MeasureSet | null): FigureRow {
  const comparison = cached.doc.comparison;
  const match = comparison?.measures.find((c) => c.key === m.key && groupKey(c.group) === groupKey(m.group));
  const from = comparison ? (comparison.from === cached.doc.year ? comparison.to : comparison.from) : null;
  const row: FigureRow = {
    key: m.key,
    kind: kindOf(m.key, measureSet),
    group: Object.values(m.group)[0] ?? "",
    n: m.n,
    estimate: m.suppressed ? null : m.estimate,
    ci: m.suppressed ? null : m.ci,
    suppressed: m.suppressed,
    lowPrecision: m.lowPrecision,
    dontKnowShare: m.suppressed ? null : m.dontKnow.share,
    change: changeOf(match, from),
  };
  if (m.key.startsWith("problem_share.") && measureSet?.problemIndex) {
    row.level = row.estimate === null ? null : problemLevel(row.estimate * 100, measureSet.problemIndex.bands);
  }
  return row;
}

export interface YearDocs {
  year: number;
  open: boolean;
  measureSet: MeasureSet | null;
  cached: CachedResults;
  rows: FigureRow[];
}

/** The editions of the series that have been published (not drafts), oldest first. */
export async function publishedYears({ db, seriesId }: { db: Db; seriesId: string }) {
  const editions = await listEditions({ db, seriesId });
  return editions.filter((e) => e.status !== "draft").map((e) => ({ year: e.year, open: e.status === "open", edition: e }));
}

/** The figures of one year for one grouping, with the comparison with the year before when there is one. */
export async function yearFigures({
  db,
  seriesId,
  year,
  by,
  weighted,
  years,
}: {
  db: Db;
  seriesId: string;
  year: number;
  by: GroupBy;
  weighted: boolean;
  years: { year: number; edition: Parameters<typeof editionMeasures>[0] & { status: string } }[];
}): Promise<YearDocs> {
  const previous = years.filter((y) => y.year < year).at(-1)?.year ?? null;
  const cached = await cachedResults({ db, seriesId, year, by, weighted, compareTo: previous });
  const edition = years.find((y) => y.year === year)!.edition;
  const measureSet = editionMeasures(edition);
  return { year, open: edition.status === "open", measureSet, cached, rows: cached.doc.measures.map((m) => toRow(m, cached, measureSet)) };
}

/** Problem items, most often seen as a big problem first; suppressed ones last. */
export function problemRows(rows: FigureRow[], group = ""): FigureRow[] {
  return rows
    .filter((r) => r.key.startsWith("problem_share.") && r.group === group)
    .sort((a, b) => (b.estimate ?? -1) - (a.estimate ?? -1) || a.key.localeCompare(b.key));
}

export function headlineRows(rows: FigureRow[], group = ""): FigureRow[] {
  return HEADLINE_KEYS.map((k) => rows.find((r) => r.key === k && r.group === group)).filter((r): r is FigureRow => Boolean(r));
}

/** Area codes and names (page language, Swedish where missing), in the area list's order. */
export function areaNames(seriesId: string, language: Language): { code: string; name: string }[] {
  const areas = loadSeries(seriesId).areas?.areas ?? [];
  return areas.map((a) => ({ code: a.code, name: pickText(a.name as Partial<Record<string, string>>, language) }));
}

/** A measure's definition texts (name and formula) in the page language, Swedish where missing. */
export function measureDefinitions(measureSet: MeasureSet | null, language: Language): Record<string, { name: string; formula: string }> {
  const out: Record<string, { name: string; formula: string }> = {};
  for (const m of measureSet?.measures ?? []) {
    out[m.key] = { name: pickText(m.name as Partial<Record<string, string>>, language), formula: pickText(m.formula as Partial<Record<string, string>>, language) };
  }
  const p = measureSet?.problemIndex;
  if (p) out[p.key] = { name: pickText(p.name as Partial<Record<string, string>>, language), formula: pickText(p.formula as Partial<Record<string, string>>, language) };
  return out;
}

export interface PublicResults {
  year: number;
  years: number[];
  open: boolean;
  computedAt: number;
  weighted: boolean;
  respondents: number;
  minCount: number;
  area: { code: string; name: string } | null;
  areas: { code: string; name: string }[];
  /** The area (or municipality) has too few answers for any figure. */
  suppressed: boolean;
  headline: FigureRow[];
  problems: FigureRow[];
  /** Municipality page: each area's safety index and share unsafe in the evening. */
  areaTable: { code: string; name: string; safety: FigureRow | null; unsafe: FigureRow | null }[];
  /** "7 av 10": per headline measure, out of ten, as the plain-language sentence says it. */
  outOfTen: Record<string, number | null>;
  /** Half the 95 % interval's width, per headline measure (same unit as the estimate). */
  margin: Record<string, number | null>;
  /** The year's response rate when it had a sample with invitation codes: the municipality's, or the area's. */
  responseRate: ResponseRateFigures | null;
}

/**
 * The public results of a year for the municipality (area null) or one area: weighted where
 * possible. Throws a 404 Response for a year without a published edition or an unknown area.
 */
export async function publicResults({ db, language, year, areaCode }: { db: Db; language: Language; year: number; areaCode: string | null }): Promise<PublicResults> {
  const seriesId = RESULTS_SERIES;
  const years = await publishedYears({ db, seriesId });
  if (!years.some((y) => y.year === year)) throw new Response("No results for that year", { status: 404 });
  const areas = areaNames(seriesId, language);
  const area = areaCode === null ? null : (areas.find((a) => a.code === areaCode) ?? null);
  if (areaCode !== null && !area) throw new Response("No such area", { status: 404 });
  const [all, byArea] = await Promise.all([
    yearFigures({ db, seriesId, year, by: null, weighted: true, years }),
    yearFigures({ db, seriesId, year, by: "area", weighted: true, years }),
  ]);
  const source = area ? byArea : all;
  const group = area?.code ?? "";
  const headline = headlineRows(source.rows, group);
  const outOfTen: Record<string, number | null> = {};
  const margin: Record<string, number | null> = {};
  for (const row of headline) {
    if (row.estimate === null || row.ci === null) {
      outOfTen[row.key] = null;
      margin[row.key] = null;
      continue;
    }
    // "känner sig trygga" is the complement of the share unsafe in the evening.
    const share = row.key === "unsafe_evening_share" ? 1 - row.estimate : row.estimate;
    outOfTen[row.key] = row.kind === "share" ? Math.round(share * 10) : null;
    margin[row.key] = (row.ci[1] - row.ci[0]) / 2;
  }
  return {
    year,
    years: years.map((y) => y.year),
    open: source.open,
    computedAt: source.cached.computedAt,
    weighted: source.cached.doc.weighted,
    respondents: area ? Math.max(0, ...source.rows.filter((r) => r.group === group && !r.suppressed).map((r) => r.n)) : source.cached.doc.respondents,
    responseRate: area ? (byArea.cached.doc.responseRate?.groups?.[area.code] ?? null) : (all.cached.doc.responseRate ?? null),
    minCount: source.cached.doc.minCount,
    area,
    areas,
    suppressed: headline.every((r) => r.suppressed),
    headline,
    problems: problemRows(source.rows, group),
    areaTable: area
      ? []
      : areas.map((a) => ({
          ...a,
          safety: byArea.rows.find((r) => r.key === "safety_index" && r.group === a.code) ?? null,
          unsafe: byArea.rows.find((r) => r.key === "unsafe_evening_share" && r.group === a.code) ?? null,
        })),
    outOfTen,
    margin,
  };
}

/** The latest published year whose whole-municipality figures are not suppressed, or null. */
export async function latestPublicYear({ db }: { db: Db }): Promise<number | null> {
  const years = await publishedYears({ db, seriesId: RESULTS_SERIES });
  for (const y of [...years].reverse()) {
    const cached = await cachedResults({ db, seriesId: RESULTS_SERIES, year: y.year, by: null, weighted: true });
    if (cached.doc.respondents >= cached.doc.minCount) return y.year;
  }
  return null;
}


export interface DashboardResults {
  seriesId: string;
  year: number;
  years: number[];
  open: boolean;
  computedAt: number;
  weightedRequested: boolean;
  weighting: CachedResults["doc"]["weighting"];
  weighted: boolean;
  respondents: number;
  minCount: number;
  lowPrecisionCount: number;
  headline: FigureRow[];
  problemIndex: FigureRow | null;
  problems: FigureRow[];
  /** Per measure key: the whole municipality's row of every year (null where the year lacks it). */
  trend: Record<string, { year: number; row: FigureRow | null }[]>;
  breakdowns: Record<(typeof BREAKDOWNS)[number], { groups: { code: string; name: string }[]; rows: FigureRow[] }>;
  definitions: Record<string, { name: string; formula: string }>;
  /** The year's response rate when it had a sample with invitation codes: in all and per area. */
  responseRate: (ResponseRateFigures & { areas: (ResponseRateFigures & { code: string; name: string })[] }) | null;
}

/** Everything the analysts' dashboard shows for a year and weighting. 404 for an unknown year. */
export async function dashboardResults({
  db,
  language,
  year: asked,
  weighted,
  genderNames,
}: {
  db: Db;
  language: Language;
  year: number | null;
  weighted: boolean;
  /** Gender codes → names in the page language (from the catalogs). */
  genderNames: (code: string) => string;
}): Promise<DashboardResults> {
  const seriesId = RESULTS_SERIES;
  const years = await publishedYears({ db, seriesId });
  if (years.length === 0) throw new Response("No survey years", { status: 404 });
  const year = asked ?? (await latestPublicYear({ db })) ?? years.at(-1)!.year;
  if (!years.some((y) => y.year === year)) throw new Response("No results for that year", { status: 404 });
  const [all, byArea, byGender, byAge, ...perYear] = await Promise.all([
    yearFigures({ db, seriesId, year, by: null, weighted, years }),
    yearFigures({ db, seriesId, year, by: "area", weighted, years }),
    yearFigures({ db, seriesId, year, by: "gender", weighted, years }),
    yearFigures({ db, seriesId, year, by: "age_group", weighted, years }),
    ...years.map((y) => yearFigures({ db, seriesId, year: y.year, by: null, weighted, years })),
  ]);
  const trend: DashboardResults["trend"] = {};
  for (const key of [...HEADLINE_KEYS, "problem_index"]) {
    trend[key] = perYear.map((p) => ({ year: p.year, row: p.rows.find((r) => r.key === key && r.group === "") ?? null }));
  }
  const keys = new Set<string>([...HEADLINE_KEYS]);
  const pick = (rows: FigureRow[]) => rows.filter((r) => keys.has(r.key));
  const groupsOf = (rows: FigureRow[], name: (code: string) => string) =>
    [...new Set(rows.map((r) => r.group))].map((code) => ({ code, name: name(code) }));
  const areas = areaNames(seriesId, language);
  return {
    seriesId,
    year,
    years: years.map((y) => y.year),
    open: all.open,
    computedAt: all.cached.computedAt,
    weightedRequested: weighted,
    weighting: all.cached.doc.weighting,
    weighted: all.cached.doc.weighted,
    respondents: all.cached.doc.respondents,
    minCount: all.cached.doc.minCount,
    lowPrecisionCount: all.cached.doc.lowPrecisionCount,
    headline: headlineRows(all.rows),
    problemIndex: all.rows.find((r) => r.key === "problem_index" && r.group === "") ?? null,
    problems: problemRows(all.rows),
    trend,
    breakdowns: {
      area: { groups: groupsOf(pick(byArea.rows), (c) => areas.find((a) => a.code === c)?.name ?? c), rows: pick(byArea.rows) },
      gender: { groups: groupsOf(pick(byGender.rows), genderNames), rows: pick(byGender.rows) },
      age_group: { groups: groupsOf(pick(byAge.rows), (c) => c.replace("-", "–")), rows: pick(byAge.rows) },
    },
    definitions: measureDefinitions(all.measureSet, language),
    responseRate: dashboardResponseRate(all.cached.doc.responseRate, byArea.cached.doc.responseRate, areas),
  };
}

function dashboardResponseRate(
  total: ResultsDocument["responseRate"],
  byArea: ResultsDocument["responseRate"],
  areas: { code: string; name: string }[],
): DashboardResults["responseRate"] {
  if (!total) return null;
  const groups = byArea?.groups ?? {};
  return {
    invited: total.invited,
    answered: total.answered,
    rate: total.rate,
    areas: areas.flatMap((a) => (groups[a.code] ? [{ code: a.code, name: a.name, ...groups[a.code] }] : [])),
  };
}
