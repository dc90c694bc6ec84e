/**
 * A deliberately plain per-respondent implementation of statistics.md's estimator, written as the
 * spec writes it (loops over u_i and r_i). Used by the tests to cross-check the cell-based
 * `estimateRatioMean`; not meant for production (it needs the raw responses).
 */

export type ReferenceRespondent = {
  /** Post-stratum key ("" for all when unweighted). */
  stratum: string;
  /** w_i (1 when unweighted). */
  weight: number;
  /** y_i, or null when not valid for the measure. */
  y: number | null;
  /** Belongs to the group asked for. */
  inGroup: boolean;
};

/**
 * ŷ = Σ_D w_i y_i / Σ_D w_i; u_i = w_i 1[i∈D](y_i − ŷ)/Σ_D w_j; r_i = u_i − mean of u in i's
 * post-stratum; SE = sqrt(n/(n−1) Σ_i r_i²), n = respondents.length (the whole design).
 * D = valid (y not null) and in the group. Reference: statistics.md, "Estimator".
 */
export function referenceRatioMean(respondents: ReferenceRespondent[]): {
  n: number;
  estimate: number | null;
  se: number | null;
} {
  const inDomain = (r: ReferenceRespondent) => r.inGroup && r.y !== null;
  let n = 0;
  let sumW = 0;
  let sumWY = 0;
  for (const r of respondents) {
    if (!inDomain(r)) continue;
    n += 1;
    sumW += r.weight;
    sumWY += r.weight * (r.y as number);
  }
  if (n === 0) return { n, estimate: null, se: null };
  const estimate = sumWY / sumW;
  const u = respondents.map((r) => (inDomain(r) ? (r.weight * ((r.y as number) - estimate)) / sumW : 0));
  const stratumTotals = new Map<string, { sum: number; count: number }>();
  respondents.forEach((r, i) => {
    const t = stratumTotals.get(r.stratum) ?? { sum: 0, count: 0 };
    t.sum += u[i];
    t.count += 1;
    stratumTotals.set(r.stratum, t);
  });
  let sumR2 = 0;
  respondents.forEach((r, i) => {
    const t = stratumTotals.get(r.stratum) as { sum: number; count: number };
    const ri = u[i] - t.sum / t.count;
    sumR2 += ri * ri;
  });
  const total = respondents.length;
  if (total < 2) return { n, estimate, se: null };
  return { n, estimate, se: Math.sqrt((total / (total - 1)) * sumR2) };
}
