/**
 * The cell-based estimator (sufficient statistics per stratum ∩ group) against the plain
 * per-respondent reference that loops over u_i and r_i as statistics.md writes them, on seeded
 * random data: several sizes, missing answers and background values, tiny groups, weighted and
 * unweighted, every grouping. Tolerance: 1e-9 relative (absolute floor 1e-14 for a value that is
 * 0 in exact arithmetic); the two agree to about 1e-14 relative in practice.
 */
import { describe, expect, it } from "vitest";
import { scoreResponse } from "~/stats/measures";
import { estimateRatioMean } from "~/stats/ratio-mean";
import { referenceRatioMean } from "~/stats/reference";
import { computeResults, groupKey } from "~/stats/results";
import type { GroupBy } from "~/stats/types";
import { stratumKey } from "~/stats/weighting";
import { relDiff } from "./helpers/close";
import { defaultMeasureSet } from "./helpers/default-measures";
import { buildCells } from "./helpers/fixtures";
import { mulberry32, randomPopulation, randomRespondents } from "./helpers/random";

const TOL = 1e-9;
const ABS_FLOOR = 1e-14;
const set = defaultMeasureSet();
const variables = ["area", "age_group"];

const scenarios = [
  { seed: 1, size: 2, missingBackground: 0, missingAnswer: 0.1 },
  { seed: 2, size: 7, missingBackground: 0.1, missingAnswer: 0.3 },
  { seed: 3, size: 40, missingBackground: 0.05, missingAnswer: 0.05 },
  { seed: 4, size: 250, missingBackground: 0.02, missingAnswer: 0.15 },
  { seed: 5, size: 1200, missingBackground: 0.01, missingAnswer: 0.05 },
  { seed: 6, size: 3000, missingBackground: 0, missingAnswer: 0.02 },
];

describe("estimateRatioMean equals the per-respondent reference", () => {
  for (const scenario of scenarios) {
    for (const weighted of [false, true]) {
      it(`seed ${scenario.seed}, ${scenario.size} respondents, ${weighted ? "weighted" : "unweighted"}`, () => {
        const rng = mulberry32(scenario.seed);
        const respondents = randomRespondents(rng, scenario);
        const population = randomPopulation(rng, respondents);
        const cells = buildCells(set, respondents);
        const scores = respondents.map((r) => scoreResponse(set, r.answers));
        let compared = 0;
        for (const by of [null, "area", "gender", "age_group"] as GroupBy[]) {
          const result = computeResults({ measureSet: set, cells, by, weighted, population, minCount: 1 });
          expect(result.weighted).toBe(weighted);
          // The reference design: everyone, or (weighted) those with every weighting variable.
          const inDesign = respondents.map((r) => !weighted || (r.area !== "" && r.age_group !== ""));
          const strata = respondents.map((r) => (weighted ? stratumKey(r, variables) : ""));
          const nh = new Map<string, number>();
          strata.forEach((s, i) => inDesign[i] && nh.set(s, (nh.get(s) ?? 0) + 1));
          const N = new Map(population.map((p) => [stratumKey(p, variables), p.count]));
          const weightOf = (i: number) => (weighted ? (N.get(strata[i]) as number) / (nh.get(strata[i]) as number) : 1);
          if (weighted) {
            expect(result.weighting?.excludedRespondents).toBe(inDesign.filter((x) => !x).length);
          }
          for (const row of result.measures) {
            if (row.key === "problem_index") continue;
            const groupValue = by === null ? null : (row.group[by] as string);
            const ref = referenceRatioMean(
              respondents
                .map((r, i) => ({
                  stratum: strata[i],
                  weight: inDesign[i] ? weightOf(i) : 0,
                  y: scores[i].get(row.key)?.y ?? null,
                  inGroup: by === null || r[by] === groupValue,
                  inDesign: inDesign[i],
                }))
                .filter((r) => r.inDesign),
            );
            const id = `${row.key} ${groupKey(row.group)} by ${by}`;
            expect(row.n, id).toBe(ref.n);
            if (ref.n === 0) {
              expect(row.estimate, id).toBeNull();
              continue;
            }
            expect(relDiff(row.estimate as number, ref.estimate as number, ABS_FLOOR), id).toBeLessThanOrEqual(TOL);
            if (ref.se === null) {
              expect(row.se, id).toBeNull();
            } else {
              expect(relDiff(row.se as number, ref.se, ABS_FLOOR), id).toBeLessThanOrEqual(TOL);
            }
            compared += 1;
          }
        }
        expect(compared).toBeGreaterThan(0);
      });
    }
  }

  it("does not depend on how a stratum's sums are split into rows", () => {
    const base = { stratum: "h1", weight: 2.5, stratumSize: 40 };
    const whole = estimateRatioMean({
      nDesign: 100,
      sums: [
        { ...base, n: 10, sumY: 600, sumY2: 40000 },
        { stratum: "h2", weight: 1.25, stratumSize: 60, n: 20, sumY: 900, sumY2: 50000 },
      ],
    });
    const split = estimateRatioMean({
      nDesign: 100,
      sums: [
        { stratum: "h2", weight: 1.25, stratumSize: 60, n: 20, sumY: 900, sumY2: 50000 },
        { ...base, n: 4, sumY: 200, sumY2: 15000 },
        { ...base, n: 6, sumY: 400, sumY2: 25000 },
      ],
    });
    expect(split.n).toBe(30);
    expect(relDiff(split.estimate as number, whole.estimate as number)).toBeLessThan(1e-15);
    expect(relDiff(split.se as number, whole.se as number)).toBeLessThan(1e-14);
  });

  it("gives nothing for an empty domain and no SE for a design of one", () => {
    expect(estimateRatioMean({ nDesign: 10, sums: [] })).toEqual({ n: 0, sumWeights: 0, estimate: null, se: null });
    expect(
      estimateRatioMean({ nDesign: 1, sums: [{ stratum: "", weight: 1, stratumSize: 1, n: 1, sumY: 1, sumY2: 1 }] }),
    ).toMatchObject({ n: 1, estimate: 1, se: null });
  });

  it("matches the textbook SE of a simple random sample when unweighted, one group", () => {
    // One stratum, everyone valid: SE² = n/(n−1) Σ (y−ȳ)²/n² = s²/n.
    const ys = [1, 4, 4, 5, 7, 9, 10];
    const n = ys.length;
    const mean = ys.reduce((s, y) => s + y, 0) / n;
    const s2 = ys.reduce((s, y) => s + (y - mean) ** 2, 0) / (n - 1);
    const est = estimateRatioMean({
      nDesign: n,
      sums: [{ stratum: "", weight: 1, stratumSize: n, n, sumY: mean * n, sumY2: ys.reduce((s, y) => s + y * y, 0) }],
    });
    expect(relDiff(est.estimate as number, mean)).toBeLessThan(1e-15);
    expect(relDiff(est.se as number, Math.sqrt(s2 / n))).toBeLessThan(1e-14);
  });

  it("refuses inconsistent input", () => {
    expect(() =>
      estimateRatioMean({ nDesign: 5, sums: [{ stratum: "", weight: 1, stratumSize: 2, n: 3, sumY: 1, sumY2: 1 }] }),
    ).toThrow(/only 2/);
  });
});
