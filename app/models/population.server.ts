/**
 * Population tables for post-stratification: counts per cell of the series' weighting
 * variables (default area × age_group), one table per edition (survey year).
 * Spec: statistics.md, "Weighting (post-stratification)".
 */
import { createHash } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { SurveyEdition } from "~/db/schema";
import { ImportError, parseImportCsv, type RowProblem } from "~/models/import.server";
import { editionId as editionIdOf, getEdition, getEditionByYear, publishEdition } from "~/models/survey.server";
import { DEFAULT_WEIGHTING_VARIABLES } from "~/stats/results";
import type { PopulationRow } from "~/stats/types";
import { postStratify, stratumKey, stratumName } from "~/stats/weighting";
import { loadSeries, type SeriesDefinition } from "~/surveys/files.server";

export const DIMENSIONS = ["area", "gender", "age_group"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface PopulationInput {
  area?: string;
  gender?: string;
  age_group?: string;
  count: number;
}

function isDimension(v: string): v is Dimension {
  return (DIMENSIONS as readonly string[]).includes(v);
}

/** Replaces the edition's population table (in one transaction). */
export async function replacePopulation({
  db,
  editionId,
  variables,
  rows,
  source,
}: {
  db: Db;
  editionId: string;
  variables: string[];
  rows: PopulationInput[];
  source: string;
}): Promise<void> {
  for (const v of variables) {
    if (!isDimension(v)) throw new Error(`Unknown weighting variable: ${v}`);
  }
  const seen = new Set<string>();
  const cells = rows.map((r) => {
    const cell = { edition_id: editionId, area: r.area ?? "", gender: r.gender ?? "", age_group: r.age_group ?? "", count: r.count };
    const key = `${cell.area}|${cell.gender}|${cell.age_group}`;
    if (seen.has(key)) throw new Error(`Population cell given twice: ${key}`);
    seen.add(key);
    if (!Number.isInteger(r.count) || r.count < 0) throw new Error(`Population count must be a whole number ≥ 0 (cell ${key})`);
    return cell;
  });
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("population_cell").where("edition_id", "=", editionId).execute();
    await trx.deleteFrom("population_table").where("edition_id", "=", editionId).execute();
    await trx
      .insertInto("population_table")
      .values({ edition_id: editionId, variables: JSON.stringify(variables), source, imported_at: new Date().toISOString() })
      .execute();
    for (let i = 0; i < cells.length; i += 1000) {
      await trx.insertInto("population_cell").values(cells.slice(i, i + 1000)).execute();
    }
  });
}

/** The edition's population table as rows keyed by its variables, or null if none is loaded. */
export async function getPopulation({ db, editionId }: { db: Db; editionId: string }): Promise<{
  variables: string[];
  source: string;
  rows: PopulationRow[];
} | null> {
  const table = await db.selectFrom("population_table").selectAll().where("edition_id", "=", editionId).executeTakeFirst();
  if (!table) return null;
  const variables = JSON.parse(table.variables) as string[];
  const cells = await db.selectFrom("population_cell").selectAll().where("edition_id", "=", editionId).execute();
  const rows = cells.map((c) => {
    const row: PopulationRow = { count: Number(c.count) };
    for (const v of variables) row[v] = c[v as Dimension];
    return row;
  });
  return { variables, source: table.source, rows };
}

/**
 * The values (codes) of the question `name` in a SurveyJS definition, in the order of its
 * choices (plain values or { value }); null when the definition has no such question.
 */
export function choiceCodes(questionnaire: unknown, name: string): string[] | null {
  if (Array.isArray(questionnaire)) {
    for (const item of questionnaire) {
      const found = choiceCodes(item, name);
      if (found) return found;
    }
    return null;
  }
  if (questionnaire === null || typeof questionnaire !== "object") return null;
  const element = questionnaire as Record<string, unknown>;
  if (element.name === name && Array.isArray(element.choices)) {
    return element.choices.map((c) => String(c !== null && typeof c === "object" ? (c as { value: unknown }).value : c));
  }
  for (const value of Object.values(element)) {
    if (value !== null && typeof value === "object") {
      const found = choiceCodes(value, name);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The codes each weighting variable takes in an edition: the choices of its question in the
 * questionnaire (the published one, or the series' files for an edition not created yet);
 * areas fall back to the series' area list. Throws when a variable has no codes.
 */
export function weightingCodes({
  questionnaire,
  variables,
  definition,
}: {
  questionnaire: unknown;
  variables: string[];
  definition?: SeriesDefinition | null;
}): Record<string, string[]> {
  const codes: Record<string, string[]> = {};
  for (const v of variables) {
    let list = choiceCodes(questionnaire, v);
    if ((!list || list.length === 0) && v === "area" && definition?.areas) list = definition.areas.areas.map((a) => a.code);
    if (!list || list.length === 0) throw new Error(`The questionnaire has no choices for the weighting variable ${v}`);
    codes[v] = list;
  }
  return codes;
}

/** Every combination of the variables' codes as a post-stratum key (stratumKey), in code order. */
export function allStratumKeys(variables: string[], codes: Record<string, string[]>): string[] {
  let combos: Record<string, string>[] = [{}];
  for (const v of variables) combos = combos.flatMap((c) => codes[v].map((code) => ({ ...c, [v]: code })));
  return combos.map((c) => stratumKey(c, variables));
}

/** What a population import needs to know about a series year, before anything is stored. */
export interface PopulationTarget {
  seriesId: string;
  year: number;
  editionId: string;
  /** undefined when the edition does not exist yet (it is created, status "closed", on storing). */
  edition: SurveyEdition | undefined;
  definition: SeriesDefinition;
  variables: Dimension[];
  codes: Record<string, string[]>;
}

/** The series' weighting variables and their codes for a year (the edition's, or the files'). */
export async function populationTarget({
  db,
  seriesId,
  year,
  definition = loadSeries(seriesId),
}: {
  db: Db;
  seriesId: string;
  year: number;
  definition?: SeriesDefinition;
}): Promise<PopulationTarget> {
  const variables = definition.series.weighting ?? DEFAULT_WEIGHTING_VARIABLES;
  for (const v of variables) {
    if (!isDimension(v)) throw new Error(`series.json of ${seriesId} weights by ${v}, which is not one of ${DIMENSIONS.join(", ")}`);
  }
  const edition = await getEditionByYear({ db, seriesId, year });
  const questionnaire = edition ? JSON.parse(edition.questionnaire_json) : definition.questionnaire;
  const codes = weightingCodes({ questionnaire, variables, definition });
  return { seriesId, year, editionId: editionIdOf(seriesId, year), edition, definition, variables: variables as Dimension[], codes };
}

/**
 * Parses and checks a population CSV: the header is exactly the weighting variables and `count`
 * (any order); every value a known code; counts whole numbers ≥ 0; no cell twice. Throws an
 * ImportError naming every bad line (nothing is stored by the caller then).
 */
export function parsePopulationCsv({
  csvText,
  variables,
  codes,
}: {
  csvText: string;
  variables: string[];
  codes: Record<string, string[]>;
}): PopulationInput[] {
  const records = parseImportCsv(csvText);
  const expected = [...variables, "count"];
  if (records.length === 0) throw new ImportError([{ line: 1, messages: [`the file is empty; expected the header ${expected.join(",")} and one row per cell`] }]);
  const [headerRecord, ...rows] = records;
  const header = headerRecord.fields.map((h) => h.trim());
  const headerProblems: string[] = [];
  const missing = expected.filter((c) => !header.includes(c));
  const unexpected = header.filter((c) => !expected.includes(c));
  const twice = header.filter((h, i) => header.indexOf(h) !== i);
  if (missing.length > 0) headerProblems.push(`missing column(s): ${missing.join(", ")}`);
  if (unexpected.length > 0) headerProblems.push(`unexpected column(s): ${unexpected.map((c) => (c === "" ? '""' : c)).join(", ")}`);
  if (twice.length > 0) headerProblems.push(`column(s) given twice: ${[...new Set(twice)].join(", ")}`);
  if (headerProblems.length > 0) {
    throw new ImportError([
      {
        line: headerRecord.line,
        messages: [`the header must be exactly ${expected.join(",")} (the series' weighting variables and count): ${headerProblems.join("; ")}`],
      },
    ]);
  }
  if (rows.length === 0) throw new ImportError([{ line: headerRecord.line, messages: ["the file has a header but no rows"] }]);

  const index = Object.fromEntries(header.map((h, i) => [h, i]));
  const problems: RowProblem[] = [];
  const firstLine = new Map<string, number>();
  const out: PopulationInput[] = [];
  for (const record of rows) {
    if (record.fields.length !== header.length) {
      problems.push({ line: record.line, messages: [`expected ${header.length} fields, found ${record.fields.length}`] });
      continue;
    }
    const messages: string[] = [];
    const cell: Record<string, string> = {};
    for (const v of variables) {
      const value = record.fields[index[v]].trim();
      if (!codes[v].includes(value)) {
        messages.push(value === "" ? `${v} is empty` : `unknown ${v} "${value}" (known: ${codes[v].join(", ")})`);
      }
      cell[v] = value;
    }
    const rawCount = record.fields[index.count].trim();
    if (!/^\d+$/.test(rawCount) || !Number.isSafeInteger(Number(rawCount))) {
      messages.push(`count must be a whole number ≥ 0, found ${rawCount === "" ? "nothing" : `"${rawCount}"`}`);
    }
    if (messages.length === 0) {
      const key = stratumKey(cell, variables);
      const first = firstLine.get(key);
      if (first !== undefined) {
        messages.push(`the cell ${stratumName(key, variables)} is given twice (first on line ${first})`);
      } else {
        firstLine.set(key, record.line);
        out.push({ ...cell, count: Number(rawCount) });
      }
    }
    if (messages.length > 0) problems.push({ line: record.line, messages });
  }
  if (problems.length > 0) throw new ImportError(problems);
  return out;
}

/**
 * Stores a checked population table for the target's edition, creating the edition from the
 * series' files (status "closed") if it does not exist, and returns the weighting status.
 */
export async function storePopulation({
  db,
  target,
  rows,
  source,
}: {
  db: Db;
  target: PopulationTarget;
  rows: PopulationInput[];
  source: string;
}): Promise<{ editionId: string; editionCreated: boolean; cells: number; total: number; status: WeightingStatus }> {
  let edition = target.edition ?? (await getEdition({ db, id: target.editionId }));
  const editionCreated = !edition;
  if (!edition) {
    edition = await publishEdition({ db, seriesId: target.seriesId, year: target.year, status: "closed", definition: target.definition });
  }
  await replacePopulation({ db, editionId: edition.id, variables: target.variables, rows, source });
  const status = await weightingStatus({ db, editionId: edition.id, variables: target.variables });
  return {
    editionId: edition.id,
    editionCreated,
    cells: rows.length,
    total: rows.reduce((sum, r) => sum + r.count, 0),
    status,
  };
}

/** Checks and stores a population CSV for a series year (see parsePopulationCsv, storePopulation). */
export async function importPopulationCsv({
  db,
  seriesId,
  year,
  csvText,
  fileName = "CSV",
}: {
  db: Db;
  seriesId: string;
  year: number;
  csvText: string;
  fileName?: string;
}) {
  const target = await populationTarget({ db, seriesId, year });
  const rows = parsePopulationCsv({ csvText, variables: target.variables, codes: target.codes });
  const digest = createHash("sha256").update(csvText).digest("hex").slice(0, 12);
  return storePopulation({ db, target, rows, source: `file ${fileName} (sha256 ${digest})` });
}

export interface WeightingStatus {
  editionId: string;
  year: number;
  variables: string[];
  /** Weighted figures can be computed: a complete population table and respondents in every cell. */
  possible: boolean;
  /** Why not: no table; a table by other variables than the series weights by; cells missing or without respondents. */
  reason: null | "no_population" | "variables_differ" | "incomplete";
  populationSource: string | null;
  populationVariables: string[] | null;
  populationCells: number;
  populationTotal: number;
  /** Respondents with a value for every weighting variable. */
  respondents: number;
  /** Respondents missing a weighting variable: left out of weighted figures (counted, not an obstacle). */
  respondentsLeftOut: number;
  /** Combinations of the variables' codes that the population table lacks, by name ("area=ahus, age_group=16-24"). */
  missingCells: string[];
  /** Population cells (N > 0) with no respondents. */
  emptyCells: string[];
  /** Cells with respondents where the population table gives no or zero population. */
  unmatchedCells: string[];
  /** One plain English sentence for logs, the CLI and the API. */
  message: string;
}

function listed(names: string[], max = 5): string {
  return names.length <= max ? names.join("; ") : `${names.slice(0, max).join("; ")}; and ${names.length - max} more`;
}

/**
 * Whether weighted figures are possible for an edition, and if not, which cells stand in the way.
 * Respondents per cell are the `cell_stat` rows with measure_key '*', summed over the variables
 * that are not weighting variables; the population is the stored table. Weighting is possible when
 * every combination of the variables' codes (the edition's questionnaire choices) is in the table
 * and postStratify (statistics.md) finds no population cell without respondents and no respondents
 * without population. Respondents missing a weighting variable are left out and counted.
 * `variables` defaults to the series' weighting variables.
 */
export async function weightingStatus({
  db,
  editionId,
  variables,
}: {
  db: Db;
  editionId: string;
  variables?: string[];
}): Promise<WeightingStatus> {
  const edition = await getEdition({ db, id: editionId });
  if (!edition) throw new Error(`No edition ${editionId}`);
  let definition: SeriesDefinition | null = null;
  const seriesDefinition = () => (definition ??= loadSeries(edition.series_id));
  const vars = variables ?? seriesDefinition().series.weighting ?? DEFAULT_WEIGHTING_VARIABLES;
  for (const v of vars) if (!isDimension(v)) throw new Error(`Unknown weighting variable: ${v}`);
  const dims = vars as Dimension[];
  const questionnaire = JSON.parse(edition.questionnaire_json);
  const needsAreaList = dims.includes("area") && !(choiceCodes(questionnaire, "area")?.length);
  const codes = weightingCodes({ questionnaire, variables: dims, definition: needsAreaList ? seriesDefinition() : null });

  const respondentRows =
    dims.length === 0
      ? []
      : await db
          .selectFrom("cell_stat")
          .select(dims)
          .select((eb) => eb.fn.sum<number>("n").as("n"))
          .where("edition_id", "=", editionId)
          .where("measure_key", "=", "*")
          .groupBy(dims)
          .execute();
  const stratumCounts = new Map<string, number>();
  let respondents = 0;
  let respondentsLeftOut = 0;
  for (const row of respondentRows) {
    const n = Number(row.n);
    const record = row as Record<string, unknown>;
    if (dims.some((v) => record[v] === "" || record[v] === null || record[v] === undefined)) {
      respondentsLeftOut += n;
      continue;
    }
    respondents += n;
    const key = stratumKey(record, dims);
    stratumCounts.set(key, (stratumCounts.get(key) ?? 0) + n);
  }

  const population = await getPopulation({ db, editionId });
  const base = {
    editionId,
    year: edition.year,
    variables: dims,
    populationSource: population?.source ?? null,
    populationVariables: population?.variables ?? null,
    populationCells: population?.rows.length ?? 0,
    populationTotal: population?.rows.reduce((sum, r) => sum + Number(r.count), 0) ?? 0,
    respondents,
    respondentsLeftOut,
  };
  const notPossible = (why: string) => `Weighted figures are not possible for ${edition.year}: ${why}; unweighted figures will be shown.`;
  if (!population || population.rows.length === 0) {
    return {
      ...base,
      possible: false,
      reason: "no_population",
      missingCells: [],
      emptyCells: [],
      unmatchedCells: [],
      message: notPossible("no population table is loaded (npm run cli -- import-population)"),
    };
  }
  if (dims.some((v) => !population.variables.includes(v))) {
    return {
      ...base,
      possible: false,
      reason: "variables_differ",
      missingCells: [],
      emptyCells: [],
      unmatchedCells: [],
      message: notPossible(
        `the population table is by ${population.variables.join(" × ")} but the series weights by ${dims.join(" × ")}; import the population again`,
      ),
    };
  }
  const present = new Set(population.rows.map((r) => stratumKey(r, dims)));
  const missingCells = allStratumKeys(dims, codes)
    .filter((key) => !present.has(key))
    .map((key) => stratumName(key, dims));
  const result = postStratify({ population: population.rows, variables: dims, stratumCounts });
  const emptyCells = result.ok ? [] : result.emptyCells;
  const unmatchedCells = result.ok ? [] : result.unmatchedCells;
  const possible = result.ok && missingCells.length === 0;
  const cellCount = present.size;
  let message: string;
  if (possible) {
    message =
      `Weighted figures are possible for ${edition.year}: all ${cellCount} cells (${dims.join(" × ")}) have population and respondents` +
      (respondentsLeftOut > 0 ? `; ${respondentsLeftOut} respondent(s) without ${dims.join(" or ")} are left out of weighted figures.` : ".");
  } else {
    const why: string[] = [];
    if (missingCells.length > 0) why.push(`${missingCells.length} population cell(s) are missing (${listed(missingCells)})`);
    if (emptyCells.length > 0) {
      why.push(
        respondents === 0
          ? `no responses are stored yet, so all ${emptyCells.length} populated cells have no respondents`
          : `${emptyCells.length} cell(s) have no respondents yet (${listed(emptyCells)})`,
      );
    }
    if (unmatchedCells.length > 0) why.push(`${unmatchedCells.length} cell(s) have respondents but no population (${listed(unmatchedCells)})`);
    if (why.length === 0) why.push("the population table has no people in it");
    message = notPossible(why.join("; "));
  }
  return { ...base, possible, reason: possible ? null : "incomplete", missingCells, emptyCells, unmatchedCells, message };
}
