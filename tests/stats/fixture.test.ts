/**
 * Reproduces every row of fixtures/stats/expected.json (computed with R's survey package):
 * estimates and intervals to 1e-9 relative, standard errors and p-values to 1e-6 relative
 * (fixtures/stats/README.md), the same n and the same rows suppressed.
 */
import { describe, expect, it } from "vitest";
import { measureFingerprints } from "~/stats/measures";
import { compareResults, groupKey } from "~/stats/results";
import type { ComparisonRow } from "~/stats/types";
import { relDiff } from "./helpers/close";
import { defaultMeasureSet } from "./helpers/default-measures";
import { EST_TOL, makeFixtureRunner, resultMismatches, SE_TOL, YEARS } from "./helpers/fixture-check";
import { loadExpected } from "./helpers/fixtures";

const expected = loadExpected();

describe("expected.json: results", () => {
  const run = makeFixtureRunner(defaultMeasureSet());
  for (const entry of expected.results) {
    it(`${entry.year}, ${entry.weighted ? "weighted" : "unweighted"}, by ${entry.by ?? "everyone"} (${entry.measures.length} rows)`, () => {
      const actual = run(entry.year, entry.weighted, entry.by);
      expect(resultMismatches(actual, entry.measures, entry.weighted)).toEqual([]);
      if (entry.weighted) expect(actual.weighting).toMatchObject({ requested: true, applied: true, excludedRespondents: 0 });
    });
  }

  it("covers every year × weighting × grouping", () => {
    expect(expected.results).toHaveLength(YEARS.length * 2 * 4);
    expect(expected.results.reduce((s, r) => s + r.measures.length, 0)).toBe(1938);
  });

  it("orders groups within a measure as the fixture does (sorted codes)", () => {
    for (const entry of expected.results) {
      const actual = run(entry.year, entry.weighted, entry.by);
      for (const key of new Set(entry.measures.map((r) => r.key))) {
        const want = entry.measures.filter((r) => r.key === key).map((r) => groupKey(r.group));
        const got = actual.measures.filter((r) => r.key === key).map((r) => groupKey(r.group));
        expect(got).toEqual(want);
      }
    }
  });
});

describe("expected.json: comparisons", () => {
  const set = defaultMeasureSet();
  const run = makeFixtureRunner(set);
  const fingerprints = measureFingerprints(set);
  for (const entry of expected.comparisons) {
    it(`${entry.from}→${entry.to}, ${entry.weighted ? "weighted" : "unweighted"}, by ${entry.by ?? "everyone"}`, () => {
      const rows = compareResults(run(entry.from, entry.weighted, entry.by), run(entry.to, entry.weighted, entry.by), {
        fingerprintsA: fingerprints,
        fingerprintsB: fingerprints,
      });
      const byKey = new Map(rows.map((r) => [`${r.key} ${groupKey(r.group)}`, r]));
      const problems: string[] = [];
      for (const e of entry.measures) {
        const id = `${e.key} ${groupKey(e.group)}`;
        const a = byKey.get(id) as ComparisonRow | undefined;
        if (!a || !a.comparable) {
          problems.push(`${id}: not compared (${a && !a.comparable ? a.reason : "missing"})`);
          continue;
        }
        const check = (what: string, x: number, y: number, tol: number) => {
          if (!(relDiff(x, y) <= tol)) problems.push(`${id}: ${what} ${x} ≠ ${y}`);
        };
        check("diff", a.diff, e.diff, EST_TOL);
        check("se", a.se, e.se, SE_TOL);
        check("ci[0]", a.ci[0], e.ci[0], EST_TOL);
        check("ci[1]", a.ci[1], e.ci[1], EST_TOL);
        if (e.p === "NaN") {
          if (a.p !== null) problems.push(`${id}: p ${a.p}, expected none`);
        } else if (a.p === null) {
          problems.push(`${id}: p null ≠ ${e.p}`);
        } else {
          check("p", a.p, e.p, SE_TOL);
        }
        if (a.significant !== e.significant) problems.push(`${id}: significant ${a.significant} ≠ ${e.significant}`);
      }
      expect(problems).toEqual([]);
      // Comparable rows beyond the fixture are only problem_index (refused) and nothing else.
      const extra = rows.filter((r) => !entry.measures.some((e) => e.key === r.key && groupKey(e.group) === groupKey(r.group)));
      expect(extra.every((r) => r.key === "problem_index" && !r.comparable && r.reason === "no_standard_error")).toBe(true);
    });
  }

  it("includes the NaN rows (se 0 in both years) and compares them as p null, significant null", () => {
    const nanRows = expected.comparisons.flatMap((c) => c.measures.filter((m) => m.p === "NaN"));
    expect(nanRows.length).toBeGreaterThan(0);
    expect(nanRows.every((r) => r.significant === null && r.se === 0)).toBe(true);
  });
});
