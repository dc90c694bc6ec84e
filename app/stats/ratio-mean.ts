/**
 * The one estimator of statistics.md ("Estimator"), computed from sufficient statistics per
 * (post-stratum ∩ domain) instead of per respondent, so that the database can aggregate.
 */

/** Sums of one post-stratum h restricted to the domain D (valid for the measure and in the group). */
export type StratumDomainSums = {
  /** Post-stratum key (one stratum, e.g. "", when unweighted). */
  stratum: string;
  /** w_h = N_h / n_h, the same for every respondent of h (1 when unweighted). */
  weight: number;
  /** n_h: ALL respondents of the design in h, in the domain or not. */
  stratumSize: number;
  /** |h ∩ D|, Σ_{h∩D} y, Σ_{h∩D} y². Several entries of one stratum are added up. */
  n: number;
  sumY: number;
  sumY2: number;
};

export type RatioMeanEstimate = {
  /** |D|, unweighted. */
  n: number;
  /** Σ_D w. */
  sumWeights: number;
  /** null when the domain is empty. */
  estimate: number | null;
  /** null when the domain is empty or the design has fewer than 2 respondents. */
  se: number | null;
};

/**
 * Ratio mean over a domain with its linearised standard error, from per-stratum sums:
 *
 *   W = Σ_h w_h c_h,  ŷ = Σ_h w_h S1_h / W,  with c_h, S1_h, S2_h = |h∩D|, Σ_{h∩D} y, Σ_{h∩D} y²;
 *   SE² = n/(n−1) · Σ_h (w_h/W)² · [ S2_h − 2ŷ S1_h + ŷ² c_h − (S1_h − ŷ c_h)² / n_h ]
 *       = n/(n−1) · Σ_h (w_h/W)² · [ M2_h + (m_h − ŷ)² c_h (n_h − c_h)/n_h ],
 *   m_h = S1_h/c_h, M2_h = S2_h − S1_h²/c_h (the second form is the one computed: no cancellation),
 *
 * n = all respondents of the design (`nDesign`). This is exactly statistics.md's
 * SE = sqrt(n/(n−1) Σ_i r_i²) with u_i = w_i 1[i∈D](y_i − ŷ)/W and r_i = u_i − ū_h: within h,
 * Σ_{i∈h} u_i² = (w_h/W)² Σ_{h∩D} (y−ŷ)² and n_h ū_h² = (w_h/W)² (S1_h − ŷ c_h)² / n_h, and
 * Σ_{i∈h} r_i² = Σ_{i∈h} u_i² − n_h ū_h². Unweighted: one stratum, w = 1, n_h = n.
 * Reference: svymean(~y, subset(design, D)) / svyby in R's survey package (Lumley 2010, §2.3,
 * §7.4; with-replacement Taylor linearisation, residuals within post-strata).
 */
export function estimateRatioMean({
  sums,
  nDesign,
}: {
  sums: StratumDomainSums[];
  nDesign: number;
}): RatioMeanEstimate {
  const byStratum = new Map<string, StratumDomainSums>();
  for (const s of sums) {
    const seen = byStratum.get(s.stratum);
    if (!seen) {
      byStratum.set(s.stratum, { ...s });
    } else {
      if (seen.weight !== s.weight || seen.stratumSize !== s.stratumSize) {
        throw new Error(`Stratum ${s.stratum} is given with two different weights or sizes`);
      }
      seen.n += s.n;
      seen.sumY += s.sumY;
      seen.sumY2 += s.sumY2;
    }
  }
  let n = 0;
  let sumWeights = 0;
  let weightedSum = 0;
  for (const s of byStratum.values()) {
    n += s.n;
    sumWeights += s.weight * s.n;
    weightedSum += s.weight * s.sumY;
  }
  if (n === 0 || !(sumWeights > 0)) return { n, sumWeights, estimate: null, se: null };
  const estimate = weightedSum / sumWeights;
  if (!(nDesign >= 2)) return { n, sumWeights, estimate, se: null };
  let sumR2 = 0;
  for (const s of byStratum.values()) {
    if (s.n === 0) continue;
    if (!(s.stratumSize >= s.n)) {
      throw new Error(`Stratum ${s.stratum} has ${s.n} domain respondents but only ${s.stratumSize} in all`);
    }
    // Σ_{i∈h} r_i² / (w_h/W)² = Σ_{h∩D}(y−ŷ)² − (Σ_{h∩D}(y−ŷ))²/n_h, rewritten with the
    // stratum-domain mean m = S1_h/c_h as M2 + (m−ŷ)² c_h (n_h − c_h)/n_h, M2 = Σ_{h∩D}(y−m)²:
    // no cancellation between large terms, and exactly 0 where every y is equal or c_h = n_h = 1.
    const m = s.sumY / s.n;
    let m2 = s.sumY2 - (s.sumY * s.sumY) / s.n;
    // M2 from sums keeps rounding noise of order c·ε·S2; below that it is 0 (equal values).
    if (m2 <= 4 * s.n * Number.EPSILON * Math.abs(s.sumY2)) m2 = 0;
    const within = m2 + (m - estimate) * (m - estimate) * s.n * ((s.stratumSize - s.n) / s.stratumSize);
    const scale = s.weight / sumWeights;
    sumR2 += scale * scale * within;
  }
  return { n, sumWeights, estimate, se: Math.sqrt((nDesign / (nDesign - 1)) * sumR2) };
}
