/**
 * Results of a survey year from the cell statistics (statistics.md): every measure for everyone
 * or by one background variable, weighted or not, with suppression, precision marks, "vet ej"
 * counts, the problem index, and year-over-year comparisons.
 */
import { compareEstimates } from "./compare";
import { clopperPearsonAllOrNone, logitInterval, waldInterval } from "./intervals";
import { DESIGN_MEASURE_KEY } from "./measures";
import { estimateRatioMean, type StratumDomainSums } from "./ratio-mean";
import type {
  CellStat,
  CellVariable,
  ComparisonRow,
  GroupBy,
  MeasureSet,
  PopulationRow,
  ProblemIndexDefinition,
  ResultGroup,
  ResultRow,
  Results,
  WeightingInfo,
} from "./types";
import { postStratify, stratumKey } from "./weighting";

export const CELL_VARIABLES: readonly CellVariable[] = ["area", "gender", "age_group"];
export const DEFAULT_WEIGHTING_VARIABLES: CellVariable[] = ["area", "age_group"];
export const DEFAULT_MIN_COUNT = 10;
export const DEFAULT_LOW_PRECISION_COUNT = 50;

/** Cut points within this many percentage points below a band's `below` count as reaching it. */
const BAND_TOLERANCE = 1e-9;

/**
 * The level of one problem item's share (in %, 0–100) in a band table: the level of the first band
 * whose `below` exceeds the share, or of the "otherwise" band (below = null). A share equal to a
 * cut point is not below it (5 % → the "below 10" band); floating-point noise of up to 1e-9
 * percentage points under a cut point is read as equal to it (29/100 · 100 = 28.999999999999996).
 * Reference: statistics.md, "problem_index".
 */
export function problemLevel(sharePercent: number, bands: ProblemIndexDefinition["bands"]): number {
  for (const band of bands) {
    if (band.below === null) return band.level;
    if (sharePercent < band.below - BAND_TOLERANCE * Math.max(1, Math.abs(band.below))) return band.level;
  }
  throw new Error("The band table of problem_index has no band for this share (last band must have below: null)");
}

export type ComputeResultsInput = {
  measureSet: MeasureSet;
  /** All cell statistics of one edition, including the "*" design rows. */
  cells: CellStat[];
  by: GroupBy;
  weighted: boolean;
  population?: PopulationRow[];
  /** Default area × age_group. */
  weightingVariables?: string[];
  minCount?: number;
  lowPrecisionCount?: number;
  /** Order (and completeness) of the groups per variable, e.g. the area list. */
  groupValues?: Record<string, string[]>;
};

type CellPlacement = { stratum: string; weight: number; group: string };

const cellId = (c: { area: string; gender: string; age_group: string }) =>
  JSON.stringify([c.area, c.gender, c.age_group]);

function normalizeCell(c: CellStat): CellStat {
  const s = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  return { ...c, area: s(c.area), gender: s(c.gender), age_group: s(c.age_group) };
}

function groupOf(by: GroupBy, value: string): ResultGroup {
  return by === null ? {} : { [by]: value };
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every measure of the set (definition order, then problem_index), per group (the order of
 * `groupValues[by]`, then any other values sorted; "" = unanswered is not a group of its own),
 * from the cell statistics:
 * - estimate and SE by `estimateRatioMean` (statistics.md, "Estimator"); weights w_h = N_h/n_h
 *   by `postStratify` over `weightingVariables`; respondents missing one of them are left out of
 *   weighted figures (also from the design's n) and counted in `weighting.excludedRespondents`;
 * - weighting impossible (no population table, a population cell without respondents, respondents
 *   outside the table) → unweighted figures, `weighting.applied = false` with the reason and cells;
 * - n < minCount → suppressed (estimate, se, ci null; reason "too_few"); n < lowPrecisionCount →
 *   lowPrecision;
 * - shares: logit interval; when no or every respondent of the domain has the outcome (decided on
 *   the unweighted counts, Σy = 0 or Σy = n) the Clopper–Pearson interval on those counts, se as
 *   computed (0). Means: Wald interval clipped to the scale;
 * - dontKnow: "vet ej" count and its share of the group's respondents (weighted when the row is;
 *   share null when the group has fewer than minCount respondents);
 * - problem_index per group: mean of the band levels of the non-suppressed items, n = the
 *   smallest n among them, no se or ci; suppressed when all items are.
 * Throws on inconsistent cells (a measure row without a "*" row, or more valid than respondents).
 */
export function computeResults(input: ComputeResultsInput): Results {
  const {
    measureSet,
    by,
    population,
    groupValues,
    minCount = DEFAULT_MIN_COUNT,
    lowPrecisionCount = DEFAULT_LOW_PRECISION_COUNT,
  } = input;
  const variables = input.weightingVariables ?? DEFAULT_WEIGHTING_VARIABLES;
  const cells = input.cells.map(normalizeCell);
  const designCells = new Map<string, CellStat>();
  for (const c of cells) {
    if (c.measureKey !== DESIGN_MEASURE_KEY) continue;
    const id = cellId(c);
    const seen = designCells.get(id);
    designCells.set(id, seen ? { ...seen, n: seen.n + c.n } : c);
  }

  // Weighting: decide which cells take part and with which weight.
  let weighting: WeightingInfo = { requested: input.weighted, applied: false, excludedRespondents: 0 };
  let weights: Map<string, number> | null = null;
  if (input.weighted) {
    const unsupported = variables.filter((v) => !CELL_VARIABLES.includes(v as CellVariable));
    if (unsupported.length > 0) {
      weighting = {
        ...weighting,
        reason: `unsupported_variable: ${unsupported.join(", ")} (cells hold ${CELL_VARIABLES.join(", ")})`,
      };
    } else {
      const stratumCounts = new Map<string, number>();
      let excluded = 0;
      for (const c of designCells.values()) {
        if (variables.some((v) => c[v as CellVariable] === "")) {
          excluded += c.n;
        } else {
          const key = stratumKey(c, variables);
          stratumCounts.set(key, (stratumCounts.get(key) ?? 0) + c.n);
        }
      }
      // No table at all: nothing to name. Otherwise postStratify names the offending cells.
      const ps =
        population && population.length > 0
          ? postStratify({ population, variables, stratumCounts })
          : { ok: false as const, reason: "no_population" as const, missingCells: [] as string[] };
      if (ps.ok) {
        weights = ps.weights;
        weighting = { requested: true, applied: true, excludedRespondents: excluded };
      } else {
        weighting = { ...weighting, reason: ps.reason, missingCells: ps.missingCells };
      }
    }
  }
  const placementOf = (c: CellStat): CellPlacement | null => {
    const group = by === null ? "" : c[by];
    if (!weights) return { stratum: "", weight: 1, group };
    if (variables.some((v) => c[v as CellVariable] === "")) return null;
    const stratum = stratumKey(c, variables);
    const weight = weights.get(stratum);
    return weight === undefined ? null : { stratum, weight, group };
  };

  // The design: n, n_h, and respondents per group and stratum.
  let nDesign = 0;
  const stratumSize = new Map<string, number>();
  const groupTotals = new Map<string, { n: number; weighted: number }>();
  const dataGroups = new Set<string>();
  for (const c of designCells.values()) {
    const place = placementOf(c);
    if (!place) continue;
    nDesign += c.n;
    stratumSize.set(place.stratum, (stratumSize.get(place.stratum) ?? 0) + c.n);
    const t = groupTotals.get(place.group) ?? { n: 0, weighted: 0 };
    t.n += c.n;
    t.weighted += place.weight * c.n;
    groupTotals.set(place.group, t);
    if (c.n > 0 && (by === null || place.group !== "")) dataGroups.add(place.group);
  }

  // The groups, in order.
  let groups: string[];
  if (by === null) {
    groups = [""];
  } else {
    const listed = (groupValues?.[by] ?? []).filter((v, i, all) => v !== "" && all.indexOf(v) === i);
    const rest = [...dataGroups].filter((g) => !listed.includes(g)).sort(compareCodeUnits);
    groups = [...listed, ...rest];
  }

  // Per measure and group: the per-stratum domain sums and "vet ej" counts.
  type Acc = { sums: StratumDomainSums[]; count: number; sumY: number; dontKnow: number; dontKnowWeighted: number };
  const acc = new Map<string, Map<string, Acc>>();
  for (const c of cells) {
    if (c.measureKey === DESIGN_MEASURE_KEY) continue;
    const design = designCells.get(cellId(c));
    if (!design) {
      throw new Error(`Cell statistics for "${c.measureKey}" in cell ${cellId(c)} have no "${DESIGN_MEASURE_KEY}" row`);
    }
    if (c.n + c.nDontKnow > design.n) {
      throw new Error(`Cell ${cellId(c)} has more valid and "vet ej" answers for "${c.measureKey}" than respondents`);
    }
    const place = placementOf(c);
    if (!place) continue;
    let byGroup = acc.get(c.measureKey);
    if (!byGroup) acc.set(c.measureKey, (byGroup = new Map()));
    let a = byGroup.get(place.group);
    if (!a) byGroup.set(place.group, (a = { sums: [], count: 0, sumY: 0, dontKnow: 0, dontKnowWeighted: 0 }));
    a.sums.push({
      stratum: place.stratum,
      weight: place.weight,
      stratumSize: stratumSize.get(place.stratum) as number,
      n: c.n,
      sumY: c.sumY,
      sumY2: c.sumY2,
    });
    a.count += c.n;
    a.sumY += c.sumY;
    a.dontKnow += c.nDontKnow;
    a.dontKnowWeighted += place.weight * c.nDontKnow;
  }

  const rows: ResultRow[] = [];
  const rowsByKey = new Map<string, Map<string, ResultRow>>();
  for (const def of measureSet.measures) {
    const byGroup = new Map<string, ResultRow>();
    rowsByKey.set(def.key, byGroup);
    for (const g of groups) {
      const a = acc.get(def.key)?.get(g);
      const est = estimateRatioMean({ sums: a?.sums ?? [], nDesign });
      const total = groupTotals.get(g);
      const dontKnowCount = a?.dontKnow ?? 0;
      const dontKnow = {
        n: dontKnowCount,
        share: total && total.n >= minCount && total.n > 0 ? (a?.dontKnowWeighted ?? 0) / total.weighted : null,
      };
      const row: ResultRow = {
        key: def.key,
        group: groupOf(by, g),
        n: est.n,
        estimate: null,
        se: null,
        ci: null,
        suppressed: est.n < minCount || est.estimate === null,
        lowPrecision: false,
        dontKnow,
      };
      if (row.suppressed) {
        row.reason = "too_few";
      } else {
        const estimate = est.estimate as number;
        row.estimate = estimate;
        row.se = est.se;
        row.lowPrecision = est.n < lowPrecisionCount;
        if (def.kind === "share") {
          // Counts, not the floating-point estimate, decide the all-or-none case.
          const x = a?.sumY ?? 0;
          if (x === 0 || x === est.n) row.ci = clopperPearsonAllOrNone(x, est.n);
          else if (est.se !== null) row.ci = logitInterval(estimate, est.se);
        } else if (est.se !== null) {
          row.ci = waldInterval(estimate, est.se, def.scale);
        }
      }
      rows.push(row);
      byGroup.set(g, row);
    }
  }

  const pi = measureSet.problemIndex;
  if (pi) {
    for (const key of pi.measures) {
      if (!rowsByKey.has(key)) throw new Error(`problem_index refers to the unknown measure "${key}"`);
    }
    for (const g of groups) {
      const items = pi.measures.map((key) => rowsByKey.get(key)?.get(g) as ResultRow);
      const used = items.filter((r) => !r.suppressed && r.estimate !== null);
      const minN = (list: ResultRow[]) => (list.length > 0 ? Math.min(...list.map((r) => r.n)) : 0);
      const row: ResultRow = {
        key: pi.key,
        group: groupOf(by, g),
        n: used.length > 0 ? minN(used) : minN(items),
        estimate: null,
        se: null,
        ci: null,
        suppressed: used.length === 0,
        lowPrecision: false,
        dontKnow: { n: null, share: null },
      };
      if (row.suppressed) {
        row.reason = "too_few";
      } else {
        const levels = used.map((r) => problemLevel((r.estimate as number) * 100, pi.bands));
        row.estimate = levels.reduce((s, l) => s + l, 0) / levels.length;
        row.lowPrecision = row.n < lowPrecisionCount;
      }
      rows.push(row);
    }
  }

  return { weighted: weights !== null, weighting, measures: rows };
}

/** A stable key of a result group ({} or { area: "ahus" }). */
export function groupKey(group: ResultGroup): string {
  return JSON.stringify(Object.entries(group).sort(([a], [b]) => compareCodeUnits(a, b)));
}

/**
 * Year-over-year comparison of two results (a = the earlier year, b = the later), row by row
 * (b's order, then rows only a has): `compareEstimates` (diff = b − a, SE_diff = sqrt(SE_a² +
 * SE_b²), p = 2(1 − Φ(|z|)), significant = p < 0.05), or comparable: false with the reason:
 * "weighting_differs" (one weighted, the other not), "no_standard_error" (problem_index, or no
 * SE), "missing" (the measure or group is absent from one year), "definition_changed" (the
 * measure's fingerprints differ or are unknown), "suppressed" (in either year).
 * Reference: statistics.md, "Year-over-year comparison".
 */
export function compareResults(
  a: Pick<Results, "weighted" | "measures">,
  b: Pick<Results, "weighted" | "measures">,
  { fingerprintsA, fingerprintsB }: { fingerprintsA: Record<string, string>; fingerprintsB: Record<string, string> },
): ComparisonRow[] {
  const rowKey = (r: { key: string; group: ResultGroup }) => `${r.key}\u0000${groupKey(r.group)}`;
  const aRows = new Map(a.measures.map((r) => [rowKey(r), r]));
  const bKeys = new Set(b.measures.map(rowKey));
  const pairs: [ResultRow | undefined, ResultRow | undefined][] = [
    ...b.measures.map((r) => [aRows.get(rowKey(r)), r] as [ResultRow | undefined, ResultRow]),
    ...a.measures.filter((r) => !bKeys.has(rowKey(r))).map((r) => [r, undefined] as [ResultRow, undefined]),
  ];
  return pairs.map(([ra, rb]) => {
    const { key, group } = (rb ?? ra) as ResultRow;
    const refuse = (reason: Extract<ComparisonRow, { comparable: false }>["reason"]): ComparisonRow => ({
      key,
      group,
      comparable: false,
      reason,
    });
    if (key === "problem_index") return refuse("no_standard_error");
    if (a.weighted !== b.weighted) return refuse("weighting_differs");
    if (!ra || !rb) return refuse("missing");
    const fa = fingerprintsA[key];
    const fb = fingerprintsB[key];
    if (fa === undefined || fb === undefined || fa !== fb) return refuse("definition_changed");
    if (ra.suppressed || rb.suppressed || ra.estimate === null || rb.estimate === null) return refuse("suppressed");
    if (ra.se === null || rb.se === null) return refuse("no_standard_error");
    const c = compareEstimates({ estimate: ra.estimate, se: ra.se }, { estimate: rb.estimate, se: rb.se });
    return { key, group, comparable: true, ...c };
  });
}
