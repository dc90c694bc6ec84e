/**
 * computeResults and compareResults beyond the R fixture: suppression and precision boundaries,
 * Clopper–Pearson at 0 and n (also weighted), the unweighted fallback, respondents without a
 * weighting variable, "vet ej", group order, the problem index and refused comparisons.
 */
import { describe, expect, it } from "vitest";
import { clopperPearsonAllOrNone, logitInterval } from "~/stats/intervals";
import { DESIGN_MEASURE_KEY, measureFingerprints } from "~/stats/measures";
import { compareResults, computeResults, problemLevel } from "~/stats/results";
import type { Answers, CellStat, MeasureSet, ResultRow, Results, ShareMeasure } from "~/stats/types";
import { relDiff } from "./helpers/close";
import { defaultMeasureSet, PROBLEM_ITEMS } from "./helpers/default-measures";
import { buildCells, type Respondent } from "./helpers/fixtures";

const set = defaultMeasureSet();
const person = (area: string, age_group: string, answers: Answers, gender = "woman"): Respondent => ({
  area,
  gender,
  age_group,
  answers: { area, age_group, gender, ...answers },
});
const times = (k: number, make: (i: number) => Respondent) => Array.from({ length: k }, (_, i) => make(i));
const row = (r: Results, key: string, group: Record<string, string> = {}) =>
  r.measures.find((m) => m.key === key && JSON.stringify(m.group) === JSON.stringify(group)) as ResultRow;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe("suppression and precision", () => {
  // avoid_share valid for 9, 10, 49 and 50 respondents in areas a–d; 30 more per area unanswered.
  const respondents = [
    ...[9, 10, 49, 50].flatMap((k, j) => {
      const area = "abcd"[j];
      return [
        ...times(k, (i) => person(area, "25-44", { avoid_activity: i % 3 === 0 ? 3 : 1 })),
        ...times(30, () => person(area, "25-44", {})),
      ];
    }),
  ];
  const cells = buildCells(set, respondents);

  it("suppresses below minCount (9) and shows from minCount (10)", () => {
    const r = computeResults({ measureSet: set, cells, by: "area", weighted: false });
    expect(row(r, "avoid_share", { area: "a" })).toMatchObject({
      n: 9,
      suppressed: true,
      reason: "too_few",
      estimate: null,
      se: null,
      ci: null,
      lowPrecision: false,
    });
    const b = row(r, "avoid_share", { area: "b" });
    expect(b).toMatchObject({ n: 10, suppressed: false, lowPrecision: true });
    expect(b.reason).toBeUndefined();
    expect(b.estimate).toBeCloseTo(4 / 10, 15);
    expect(b.ci).not.toBeNull();
  });

  it("marks low precision below lowPrecisionCount (49) but not from it (50)", () => {
    const r = computeResults({ measureSet: set, cells, by: "area", weighted: false });
    expect(row(r, "avoid_share", { area: "c" })).toMatchObject({ n: 49, suppressed: false, lowPrecision: true });
    expect(row(r, "avoid_share", { area: "d" })).toMatchObject({ n: 50, suppressed: false, lowPrecision: false });
  });

  it("takes minCount and lowPrecisionCount from the survey", () => {
    const r = computeResults({ measureSet: set, cells, by: "area", weighted: false, minCount: 50, lowPrecisionCount: 100 });
    expect(row(r, "avoid_share", { area: "c" }).suppressed).toBe(true);
    expect(row(r, "avoid_share", { area: "d" })).toMatchObject({ suppressed: false, lowPrecision: true });
  });

  it("suppresses every measure with an empty domain, also for groups listed but absent", () => {
    const r = computeResults({ measureSet: set, cells, by: "area", weighted: false, groupValues: { area: ["z", "d", "a"] } });
    expect(row(r, "safety_index", { area: "z" })).toMatchObject({ n: 0, suppressed: true, estimate: null });
    expect(r.measures.filter((m) => m.key === "avoid_share").map((m) => m.group.area)).toEqual(["z", "d", "a", "b", "c"]);
  });
});

describe("all-or-none shares: Clopper–Pearson on unweighted counts", () => {
  // Area "none": nobody avoided (20 valid); area "all": everybody did (12 valid); two age groups
  // with different weights in each.
  const respondents = [
    ...times(8, () => person("none", "16-24", { avoid_activity: 1 })),
    ...times(12, () => person("none", "65-85", { avoid_activity: 2 })),
    ...times(5, () => person("all", "16-24", { avoid_activity: 4 })),
    ...times(7, () => person("all", "65-85", { avoid_activity: 3 })),
    ...times(3, () => person("all", "65-85", { avoid_activity: 9 })),
  ];
  const cells = buildCells(set, respondents);
  const population = [
    { area: "none", age_group: "16-24", count: 700 },
    { area: "none", age_group: "65-85", count: 113 },
    { area: "all", age_group: "16-24", count: 333 },
    { area: "all", age_group: "65-85", count: 1001 },
  ];

  for (const weighted of [false, true]) {
    it(weighted ? "weighted" : "unweighted", () => {
      const r = computeResults({ measureSet: set, cells, by: "area", weighted, population });
      expect(r.weighted).toBe(weighted);
      const none = row(r, "avoid_share", { area: "none" });
      expect(none).toMatchObject({ n: 20, estimate: 0, se: 0, ci: clopperPearsonAllOrNone(0, 20) });
      const all = row(r, "avoid_share", { area: "all" });
      expect(all).toMatchObject({ n: 12, estimate: 1, se: 0, ci: clopperPearsonAllOrNone(12, 12) });
      expect(all.ci?.[0]).toBeCloseTo(0.7354, 4); // qbeta(0.025, 12, 1)
    });
  }

  it("uses the logit interval otherwise", () => {
    const mixed = buildCells(set, [
      ...times(3, () => person("x", "16-24", { avoid_activity: 4 })),
      ...times(17, () => person("x", "16-24", { avoid_activity: 1 })),
    ]);
    const r = computeResults({ measureSet: set, cells: mixed, by: null, weighted: false });
    const m = row(r, "avoid_share");
    expect(m.estimate).toBeCloseTo(0.15, 15);
    expect(m.ci).toEqual(logitInterval(m.estimate as number, m.se as number));
  });
});

describe("weighting", () => {
  const respondents = [
    ...times(30, (i) => person("a", "16-24", { avoid_activity: i % 2 ? 1 : 4 })),
    ...times(20, (i) => person("a", "65-85", { avoid_activity: i % 4 ? 1 : 3 })),
    ...times(25, (i) => person("b", "16-24", { avoid_activity: i % 5 ? 2 : 4 })),
    ...times(15, (i) => person("b", "65-85", { avoid_activity: i % 3 ? 1 : 3 })),
  ];
  const missingAge = times(11, () => person("a", "", { avoid_activity: 4 }));
  const population = [
    { area: "a", age_group: "16-24", count: 1000 },
    { area: "a", age_group: "65-85", count: 3000 },
    { area: "b", age_group: "16-24", count: 500 },
    { area: "b", age_group: "65-85", count: 2500 },
  ];

  it("weights by N_h / n_h", () => {
    const r = computeResults({ measureSet: set, cells: buildCells(set, respondents), by: null, weighted: true, population });
    expect(r.weighting).toEqual({ requested: true, applied: true, excludedRespondents: 0 });
    const expected = (1000 * 0.5 + 3000 * 0.25 + 500 * 0.2 + 2500 * (5 / 15)) / 7000;
    expect(relDiff(row(r, "avoid_share").estimate as number, expected, 0)).toBeLessThan(1e-14);
  });

  it("leaves respondents without age_group out of weighted figures entirely, and counts them", () => {
    const withMissing = buildCells(set, [...respondents, ...missingAge]);
    const without = buildCells(set, respondents);
    const w = computeResults({ measureSet: set, cells: withMissing, by: "area", weighted: true, population });
    expect(w.weighted).toBe(true);
    expect(w.weighting?.excludedRespondents).toBe(11);
    // Identical to the data without them: estimate, SE (the design's n excludes them too) and n.
    expect(w.measures).toEqual(computeResults({ measureSet: set, cells: without, by: "area", weighted: true, population }).measures);
    // Unweighted figures keep them.
    const u = computeResults({ measureSet: set, cells: withMissing, by: "area", weighted: false, population });
    expect(row(u, "avoid_share", { area: "a" }).n).toBe(61);
    expect(row(w, "avoid_share", { area: "a" }).n).toBe(50);
  });

  it("falls back to unweighted figures and names the cells when the table lacks one", () => {
    const cells = buildCells(set, respondents);
    const r = computeResults({ measureSet: set, cells, by: "area", weighted: true, population: population.slice(0, 3) });
    expect(r.weighted).toBe(false);
    expect(r.weighting).toEqual({
      requested: true,
      applied: false,
      reason: "no_population",
      missingCells: ["area=b, age_group=65-85"],
      excludedRespondents: 0,
    });
    expect(r.measures).toEqual(computeResults({ measureSet: set, cells, by: "area", weighted: false }).measures);
  });

  it("falls back when a population cell has no respondents", () => {
    const cells = buildCells(set, respondents);
    const r = computeResults({
      measureSet: set,
      cells,
      by: null,
      weighted: true,
      population: [...population, { area: "c", age_group: "16-24", count: 10 }],
    });
    expect(r.weighted).toBe(false);
    expect(r.weighting).toMatchObject({ applied: false, reason: "empty_cell", missingCells: ["area=c, age_group=16-24"] });
  });

  it("falls back without a population table", () => {
    const r = computeResults({ measureSet: set, cells: buildCells(set, respondents), by: null, weighted: true });
    expect(r.weighted).toBe(false);
    expect(r.weighting).toMatchObject({ requested: true, applied: false, reason: "no_population" });
  });

  it("falls back when a weighting variable is not a cell variable", () => {
    const r = computeResults({
      measureSet: set,
      cells: buildCells(set, respondents),
      by: null,
      weighted: true,
      population,
      weightingVariables: ["area", "income"],
    });
    expect(r.weighted).toBe(false);
    expect(r.weighting?.reason).toMatch(/^unsupported_variable: income/);
  });

  it("says so when weighting was not asked for", () => {
    const r = computeResults({ measureSet: set, cells: buildCells(set, respondents), by: null, weighted: false, population });
    expect(r.weighted).toBe(false);
    expect(r.weighting).toEqual({ requested: false, applied: false, excludedRespondents: 0 });
  });
});

describe("'vet ej' and groups", () => {
  it("counts 'vet ej' and its share of the group's respondents", () => {
    const cells = buildCells(set, [
      ...times(12, () => person("a", "25-44", { avoid_activity: 9 })),
      ...times(18, () => person("a", "25-44", { avoid_activity: 1 })),
      ...times(10, () => person("a", "25-44", {})),
      ...times(5, () => person("b", "25-44", { avoid_activity: 9 })),
    ]);
    const r = computeResults({ measureSet: set, cells, by: "area", weighted: false });
    expect(row(r, "avoid_share", { area: "a" }).dontKnow).toEqual({ n: 12, share: 12 / 40 });
    // Group b has 5 respondents (< minCount): the count, not the share.
    expect(row(r, "avoid_share", { area: "b" }).dontKnow).toEqual({ n: 5, share: null });
  });

  it("does not make a group of respondents without a gender, but keeps them in the totals", () => {
    const cells = buildCells(set, [
      ...times(10, () => person("a", "25-44", { avoid_activity: 1 }, "woman")),
      ...times(10, () => person("a", "25-44", { avoid_activity: 4 }, "")),
    ]);
    const byGender = computeResults({ measureSet: set, cells, by: "gender", weighted: false });
    expect(byGender.measures.filter((m) => m.key === "avoid_share").map((m) => m.group)).toEqual([{ gender: "woman" }]);
    expect(row(computeResults({ measureSet: set, cells, by: null, weighted: false }), "avoid_share").n).toBe(20);
  });

  it("orders rows: measures as defined, then problem_index; groups sorted", () => {
    const cells = buildCells(set, [person("b", "25-44", {}), person("a", "25-44", {})]);
    const r = computeResults({ measureSet: set, cells, by: "area", weighted: false });
    const keys = [...new Set(r.measures.map((m) => m.key))];
    expect(keys).toEqual([...set.measures.map((m) => m.key), "problem_index"]);
    expect(r.measures.slice(0, 2).map((m) => m.group)).toEqual([{ area: "a" }, { area: "b" }]);
  });

  it("refuses cells without a design row", () => {
    const cells: CellStat[] = [
      { measureKey: "avoid_share", area: "a", gender: "", age_group: "", n: 3, sumY: 1, sumY2: 1, nDontKnow: 0 },
    ];
    expect(() => computeResults({ measureSet: set, cells, by: null, weighted: false })).toThrow(/no "\*" row/);
    cells.push({ measureKey: DESIGN_MEASURE_KEY, area: "a", gender: "", age_group: "", n: 2, sumY: 0, sumY2: 0, nDontKnow: 0 });
    expect(() => computeResults({ measureSet: set, cells, by: null, weighted: false })).toThrow(/more valid/);
  });
});

describe("problem_index", () => {
  const bands = set.problemIndex!.bands;

  it.each([
    [0, 0],
    [4.999, 0],
    [5, 1],
    [9.99, 1],
    [10, 2],
    [19.999999, 2],
    [20, 3],
    [30, 4],
    [44.9, 4],
    [45, 5],
    [59.99, 5],
    [60, 6],
    [100, 6],
  ])("share %s %% → level %s", (share, level) => {
    expect(problemLevel(share, bands)).toBe(level);
  });

  it("reads a share a rounding error below a cut point as at the cut point", () => {
    const custom = [
      { below: 29, level: 0 },
      { below: null, level: 1 },
    ];
    expect((29 / 100) * 100).toBeLessThan(29); // 28.999999999999996
    expect(problemLevel((29 / 100) * 100, custom)).toBe(1);
    expect(problemLevel(28.99999, custom)).toBe(0);
  });

  // 20 respondents; item k is a big problem (3) for shares[k] of them; problem_fights is
  // answered by only 9 (suppressed).
  const shares: Record<string, number> = {
    problem_littering: 0, // 0 % → 0
    problem_vandalism: 1, // 5 % → 1
    problem_poor_lighting: 2, // 10 % → 2
    problem_speeding: 4, // 20 % → 3
    problem_reckless_driving: 6, // 30 % → 4
    problem_mopeds: 9, // 45 % → 5
    problem_intoxicated: 12, // 60 % → 6
    problem_drug_dealing: 20, // 100 % → 6
    problem_drug_use: 0,
    problem_youth_groups: 0,
    problem_harassment: 0,
  };
  const respondents = times(20, (i) => {
    const answers: Answers = {};
    for (const item of PROBLEM_ITEMS) {
      if (item === "problem_fights") answers[item] = i < 9 ? 4 : undefined;
      else answers[item] = i < shares[item] ? 3 : 1;
    }
    return person("a", "25-44", answers);
  });

  it("is the mean of the levels of the non-suppressed items; n is their smallest n; no SE", () => {
    const r = computeResults({ measureSet: set, cells: buildCells(set, respondents), by: null, weighted: false });
    expect(row(r, "problem_share.problem_fights").suppressed).toBe(true);
    const index = row(r, "problem_index");
    expect(index).toMatchObject({ n: 20, se: null, ci: null, suppressed: false, lowPrecision: true });
    expect(index.estimate).toBeCloseTo((0 + 1 + 2 + 3 + 4 + 5 + 6 + 6 + 0 + 0 + 0) / 11, 14);
  });

  it("is suppressed when all its items are", () => {
    const r = computeResults({ measureSet: set, cells: buildCells(set, respondents.slice(0, 9)), by: null, weighted: false });
    expect(row(r, "problem_index")).toMatchObject({ n: 9, estimate: null, suppressed: true, reason: "too_few" });
  });

  it("is left out when the set has none", () => {
    const noIndex: MeasureSet = { ...set, problemIndex: undefined };
    const r = computeResults({ measureSet: noIndex, cells: buildCells(noIndex, respondents), by: null, weighted: false });
    expect(r.measures.some((m) => m.key === "problem_index")).toBe(false);
  });
});

describe("compareResults", () => {
  const year = (shift: number) =>
    buildCells(set, [
      ...times(40, (i) => person("a", "25-44", { avoid_activity: i < 10 + shift ? 4 : 1, police_cares: 1 })),
      ...times(40, (i) => person("b", "25-44", { avoid_activity: i < 12 ? 4 : 1, police_cares: i < 20 ? 1 : 4 })),
      ...times(shift === 0 ? 5 : 15, () => person("c", "25-44", { avoid_activity: 1 })),
    ]);
  const a = computeResults({ measureSet: set, cells: year(0), by: "area", weighted: false });
  const b = computeResults({ measureSet: set, cells: year(8), by: "area", weighted: false });
  const fp = measureFingerprints(set);

  it("compares b − a where both are shown and the definition is the same", () => {
    const rows = compareResults(a, b, { fingerprintsA: fp, fingerprintsB: fp });
    const r = rows.find((x) => x.key === "avoid_share" && x.group.area === "a");
    expect(r).toMatchObject({ comparable: true });
    if (!r?.comparable) throw new Error("not comparable");
    expect(r.diff).toBeCloseTo(8 / 40, 15);
    expect(r.significant).toBe(r.p !== null && r.p < 0.05);
  });

  it("gives p and significance null where both SEs are 0", () => {
    const rows = compareResults(a, b, { fingerprintsA: fp, fingerprintsB: fp });
    expect(rows.find((x) => x.key === "police_confidence_share" && x.group.area === "a")).toEqual({
      key: "police_confidence_share",
      group: { area: "a" },
      comparable: true,
      diff: 0,
      se: 0,
      ci: [0, 0],
      p: null,
      significant: null,
    });
  });

  it("refuses a measure whose definition changed, and says why", () => {
    const changed = clone(set);
    (changed.measures.find((m) => m.key === "avoid_share") as ShareMeasure).positive = [4];
    const renamed = clone(set);
    renamed.measures[1].name = { sv: "Annat namn", en: "Other name" };
    const rows = compareResults(a, b, { fingerprintsA: fp, fingerprintsB: measureFingerprints(changed) });
    expect(rows.filter((x) => x.key === "avoid_share").every((x) => !x.comparable && x.reason === "definition_changed")).toBe(true);
    expect(rows.find((x) => x.key === "police_confidence_share" && x.group.area === "b")).toMatchObject({ comparable: true });
    const renamedRows = compareResults(a, b, { fingerprintsA: fp, fingerprintsB: measureFingerprints(renamed) });
    expect(renamedRows.find((x) => x.key === "avoid_share" && x.group.area === "a")).toMatchObject({ comparable: true });
    const unknown = compareResults(a, b, { fingerprintsA: {}, fingerprintsB: fp });
    expect(unknown.every((x) => !x.comparable)).toBe(true);
  });

  it("refuses suppressed, missing, problem_index and mixed weighting", () => {
    const rows = compareResults(a, b, { fingerprintsA: fp, fingerprintsB: fp });
    expect(rows.find((x) => x.key === "avoid_share" && x.group.area === "c")).toMatchObject({
      comparable: false,
      reason: "suppressed",
    });
    expect(rows.find((x) => x.key === "problem_index")).toMatchObject({ comparable: false, reason: "no_standard_error" });
    const onlyB = computeResults({
      measureSet: set,
      cells: [...year(8), ...buildCells(set, times(12, () => person("d", "25-44", { avoid_activity: 1 })))],
      by: "area",
      weighted: false,
    });
    const withD = compareResults(a, onlyB, { fingerprintsA: fp, fingerprintsB: fp });
    expect(withD.find((x) => x.key === "avoid_share" && x.group.area === "d")).toMatchObject({
      comparable: false,
      reason: "missing",
    });
    const mixed = compareResults({ ...a, weighted: true }, b, { fingerprintsA: fp, fingerprintsB: fp });
    expect(mixed.every((x) => !x.comparable && (x.reason === "weighting_differs" || x.reason === "no_standard_error"))).toBe(true);
  });
});
