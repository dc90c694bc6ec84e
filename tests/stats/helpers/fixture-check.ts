/** Runs the statistics fixture through computeResults and lists what does not match expected.json. */
import { computeResults, groupKey } from "~/stats/results";
import type { CellStat, MeasureSet, PopulationRow, Results } from "~/stats/types";
import { relDiff } from "./close";
import { buildCells, loadPopulation, loadResponses, type ExpectedRow } from "./fixtures";

/** fixtures/stats/README.md: estimates and intervals to 1e-9 relative, standard errors to 1e-6. */
export const EST_TOL = 1e-9;
export const SE_TOL = 1e-6;
export const YEARS = [2023, 2024, 2025];

/** Results of a fixture year for a measure set (cells built once per year). */
export function makeFixtureRunner(set: MeasureSet) {
  const cells = new Map<number, CellStat[]>(YEARS.map((y) => [y, buildCells(set, loadResponses(y))]));
  const populations = new Map<number, PopulationRow[]>(YEARS.map((y) => [y, loadPopulation(y)]));
  return (year: number, weighted: boolean, by: "area" | "gender" | "age_group" | null): Results =>
    computeResults({
      measureSet: set,
      cells: cells.get(year) as CellStat[],
      by,
      weighted,
      population: populations.get(year),
      weightingVariables: ["area", "age_group"],
    });
}

/** Mismatches of one computed result against its expected rows (empty = all reproduced). */
export function resultMismatches(actual: Results, rows: ExpectedRow[], weighted: boolean): string[] {
  const problems: string[] = [];
  if (actual.weighted !== weighted) problems.push(`weighted is ${actual.weighted}`);
  const byKey = new Map(actual.measures.map((r) => [`${r.key} ${groupKey(r.group)}`, r]));
  const fixtureKeys = new Set(rows.map((r) => r.key));
  const compared = actual.measures.filter((r) => fixtureKeys.has(r.key));
  if (compared.length !== rows.length) problems.push(`${compared.length} rows, expected ${rows.length}`);
  for (const e of rows) {
    const id = `${e.key} ${groupKey(e.group)}`;
    const a = byKey.get(id);
    if (!a) {
      problems.push(`${id}: missing`);
      continue;
    }
    if (a.n !== e.n) problems.push(`${id}: n ${a.n} ≠ ${e.n}`);
    if (a.suppressed !== e.suppressed) problems.push(`${id}: suppressed ${a.suppressed} ≠ ${e.suppressed}`);
    if (e.suppressed) {
      if (a.estimate !== null || a.se !== null || a.ci !== null || a.reason !== "too_few") {
        problems.push(`${id}: suppressed row shows figures`);
      }
      continue;
    }
    const check = (what: string, x: number | null | undefined, y: number, tol: number) => {
      if (typeof x !== "number" || !(relDiff(x, y) <= tol)) problems.push(`${id}: ${what} ${x} ≠ ${y}`);
    };
    check("estimate", a.estimate, e.estimate as number, EST_TOL);
    check("se", a.se, e.se as number, SE_TOL);
    check("ci[0]", a.ci?.[0], (e.ci as [number, number])[0], EST_TOL);
    check("ci[1]", a.ci?.[1], (e.ci as [number, number])[1], EST_TOL);
  }
  return problems;
}

