/**
 * Post-stratification weights (statistics.md, "Weighting (post-stratification)").
 */
import type { PopulationRow } from "./types";

/**
 * The key of a post-stratum: the values of the weighting variables, in order, as JSON
 * (["ahus","16-24"]). Missing values are "".
 */
export function stratumKey(record: Record<string, unknown>, variables: string[]): string {
  return JSON.stringify(variables.map((v) => (record[v] === undefined || record[v] === null ? "" : String(record[v]))));
}

/** A human name of a post-stratum key, e.g. "area=ahus, age_group=16-24". */
export function stratumName(key: string, variables: string[]): string {
  const values = JSON.parse(key) as string[];
  return variables.map((v, i) => `${v}=${values[i]}`).join(", ");
}

export type PostStratifyResult =
  | { ok: true; weights: Map<string, number> }
  | {
      ok: false;
      reason: "empty_cell" | "no_population";
      /** All offending cells by name: population cells without respondents, then respondents' cells without population. */
      missingCells: string[];
      /** Population cells (N > 0) with no respondents. */
      emptyCells: string[];
      /** Cells with respondents that the population table lacks (or gives N = 0). */
      unmatchedCells: string[];
    };

/**
 * Post-stratification weights w_h = N_h / n_h for every stratum h of the weighting variables,
 * N_h from the population table (rows summed over other columns), n_h = respondents in h
 * (`stratumCounts`, keyed by `stratumKey`). Reference: postStratify() in R's survey package;
 * Lumley, Complex Surveys (2010), §7.4.
 * Not ok, naming the cells, when a population cell has no respondents (reason "empty_cell") or
 * respondents fall in a cell the population table lacks, or the table is empty ("no_population").
 * Throws a RangeError on a count that is not a finite number ≥ 0.
 */
export function postStratify({
  population,
  variables,
  stratumCounts,
}: {
  population: PopulationRow[];
  variables: string[];
  stratumCounts: Map<string, number>;
}): PostStratifyResult {
  const populationCounts = new Map<string, number>();
  for (const row of population) {
    const count = Number(row.count);
    if (!Number.isFinite(count) || count < 0) {
      throw new RangeError(`Population count is not a number ≥ 0: ${JSON.stringify(row)}`);
    }
    const key = stratumKey(row, variables);
    populationCounts.set(key, (populationCounts.get(key) ?? 0) + count);
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const emptyCells: string[] = [];
  for (const [key, count] of populationCounts) {
    if (count > 0 && !((stratumCounts.get(key) ?? 0) > 0)) emptyCells.push(stratumName(key, variables));
  }
  const unmatchedCells: string[] = [];
  for (const [key, n] of stratumCounts) {
    if (n > 0 && !((populationCounts.get(key) ?? 0) > 0)) unmatchedCells.push(stratumName(key, variables));
  }
  emptyCells.sort(byName);
  unmatchedCells.sort(byName);
  const populationTotal = [...populationCounts.values()].reduce((a, b) => a + b, 0);
  if (populationTotal === 0 || emptyCells.length > 0 || unmatchedCells.length > 0) {
    return {
      ok: false,
      reason: emptyCells.length > 0 ? "empty_cell" : "no_population",
      missingCells: [...emptyCells, ...unmatchedCells],
      emptyCells,
      unmatchedCells,
    };
  }
  const weights = new Map<string, number>();
  for (const [key, n] of stratumCounts) {
    if (n > 0) weights.set(key, (populationCounts.get(key) as number) / n);
  }
  return { ok: true, weights };
}
