/**
 * The figures of a survey year (statistics.md): read the edition's cell statistics (the
 * per-cell sums the database keeps at submission and import time), its population table and
 * measure set, and hand them to the pure estimators in app/stats. Never reads raw answers.
 */
import { responseRates, type RateRow, type ResponseRates } from "~/models/response-rate.server";
import type { Db } from "~/db/db.server";
import type { SurveyEdition } from "~/db/schema";
import { getPopulation } from "~/models/population.server";
import { editionMeasures, getEditionByYear } from "~/models/survey.server";
import { measureFingerprints } from "~/stats/measures";
import { compareResults, computeResults } from "~/stats/results";
import type { CellStat, ComparisonRow, GroupBy, Results, ResultsDocument } from "~/stats/types";

export type { ResultsDocument };
import { loadSeries } from "~/surveys/files.server";
import { resultsToCsv } from "~/utils/results-csv";
import type { ResultsParams } from "~/utils/results-params";

export class ResultsError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface ResultsQuery {
  seriesId: string;
  year: number;
  by: GroupBy;
  weighted: boolean;
  compareTo?: number | null;
}

/** Reads an edition's cell statistics (one SQL query; rows are per measure and cell). */
export async function getCellStats({ db, editionId }: { db: Db; editionId: string }): Promise<CellStat[]> {
  const rows = await db
    .selectFrom("cell_stat")
    .select(["measure_key", "area", "gender", "age_group", "n", "sum_y", "sum_y2", "n_dont_know"])
    .where("edition_id", "=", editionId)
    .execute();
  return rows.map((r) => ({
    measureKey: r.measure_key,
    area: r.area,
    gender: r.gender,
    age_group: r.age_group,
    n: Number(r.n),
    sumY: Number(r.sum_y),
    sumY2: Number(r.sum_y2),
    nDontKnow: Number(r.n_dont_know),
  }));
}

/** The order of groups per variable: the area list, and the questionnaire's choices. */
function groupValues(edition: SurveyEdition): Record<string, string[]> {
  const json = JSON.parse(edition.questionnaire_json) as { pages?: { elements?: unknown[] }[] };
  const out: Record<string, string[]> = {};
  const visit = (elements: unknown[] | undefined) => {
    for (const el of elements ?? []) {
      const e = el as { name?: string; choices?: ({ value: string } | string)[]; elements?: unknown[] };
      if (e.name === "area" || e.name === "gender" || e.name === "age_group") {
        out[e.name] = (e.choices ?? []).map((c) => (typeof c === "string" ? c : String(c.value)));
      }
      visit(e.elements);
    }
  };
  for (const page of json.pages ?? []) visit(page.elements);
  return out;
}

async function yearResults({ db, seriesId, year, by, weighted }: Omit<ResultsQuery, "compareTo"> & { db: Db }) {
  const edition = await getEditionByYear({ db, seriesId, year });
  if (!edition) throw new ResultsError(404, `No ${seriesId} survey for ${year}`);
  const measureSet = editionMeasures(edition);
  if (!measureSet) throw new ResultsError(409, `The ${seriesId} survey has no measures defined`);
  const series = loadSeries(seriesId).series;
  const minCount = series.minCount ?? 10;
  const lowPrecisionCount = series.lowPrecisionCount ?? 50;
  const [cells, population] = await Promise.all([
    getCellStats({ db, editionId: edition.id }),
    weighted ? getPopulation({ db, editionId: edition.id }) : Promise.resolve(null),
  ]);
  const results = computeResults({
    measureSet,
    cells,
    by,
    weighted,
    population: population?.rows,
    weightingVariables: population?.variables ?? series.weighting,
    minCount,
    lowPrecisionCount,
    groupValues: groupValues(edition),
  });
  const respondents = cells.filter((c) => c.measureKey === "*").reduce((s, c) => s + c.n, 0);
  return { edition, measureSet, results, minCount, lowPrecisionCount, respondents };
}

/**
 * The results document of statistics.md ("The results contract"): every measure per group,
 * suppressed below minCount, weighted when asked and possible, with a year-over-year comparison
 * when `compareTo` is given (the earlier of the two years is `from`).
 */
const RATE_GROUPS = { area: "byArea", gender: "byGender", age_group: "byAgeGroup" } as const;

/** The response rate beside a year's figures: the total, and per group of `by` where the sample has it. */
function responseRateFigures(rates: ResponseRates, by: GroupBy): NonNullable<ResultsDocument["responseRate"]> {
  const figures = ({ invited, answered, rate }: RateRow) => ({ invited, answered, rate });
  const rows = by ? rates[RATE_GROUPS[by]].filter((r) => r.key !== "") : [];
  return { ...figures(rates.total), ...(rows.length > 0 ? { groups: Object.fromEntries(rows.map((r) => [r.key, figures(r)])) } : {}) };
}

export async function getResults({ db, ...query }: ResultsQuery & { db: Db }): Promise<ResultsDocument> {
  const current = await yearResults({ db, ...query });
  const doc: ResultsDocument = {
    series: query.seriesId,
    year: query.year,
    by: query.by,
    weighted: current.results.weighted,
    weighting: current.results.weighting,
    measureSetVersion: current.measureSet.version ?? null,
    minCount: current.minCount,
    lowPrecisionCount: current.lowPrecisionCount,
    respondents: current.respondents,
    measures: current.results.measures,
  };
  const rates = await responseRates({ db, editionId: current.edition.id });
  if (rates) doc.responseRate = responseRateFigures(rates, query.by);
  if (query.compareTo !== undefined && query.compareTo !== null) {
    if (query.compareTo === query.year) throw new ResultsError(400, "compareTo must be another year");
    const other = await yearResults({ db, ...query, year: query.compareTo });
    const [earlier, later] = query.compareTo < query.year ? [other, current] : [current, other];
    doc.comparison = {
      from: earlier.edition.year,
      to: later.edition.year,
      weighted: earlier.results.weighted && later.results.weighted,
      measures: compareResults(earlier.results, later.results, {
        fingerprintsA: measureFingerprints(earlier.measureSet),
        fingerprintsB: measureFingerprints(later.measureSet),
      }),
    };
  }
  return doc;
}

export type ResultsOutput =
  | { format: "json"; doc: ResultsDocument }
  | { format: "csv"; csv: string; filename: string };

/** The results for checked parameters, as the JSON document or the CSV table (API and CLI). */
export async function resultsOutput({ db, seriesId, params }: { db: Db; seriesId: string; params: ResultsParams }): Promise<ResultsOutput> {
  const { year, by, weighted, compareTo, format } = params;
  const doc = await getResults({ db, seriesId, year, by, weighted, compareTo });
  if (format === "json") return { format, doc };
  const edition = await getEditionByYear({ db, seriesId, year });
  const filename = `${seriesId}-${year}${by ? `-per-${by}` : ""}${doc.weighted ? "-viktad" : ""}.csv`;
  return { format, csv: resultsToCsv(doc, edition ? editionMeasures(edition) : null), filename };
}
