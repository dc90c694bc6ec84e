/**
 * Year-over-year comparison of two independent estimates (statistics.md, "Year-over-year comparison").
 */
import { twoSidedP, Z95 } from "./normal";

export type EstimateComparison = {
  diff: number;
  se: number;
  ci: [number, number];
  /** null when SE_diff is 0 (no test possible). */
  p: number | null;
  /** p < 0.05; null when p is null. */
  significant: boolean | null;
};

/**
 * Difference b − a of two independent estimates (a = the earlier year):
 * diff = ŷ_b − ŷ_a, SE_diff = sqrt(SE_a² + SE_b²), z = diff/SE_diff, p = 2·(1 − Φ(|z|)),
 * ci = diff ± Z95·SE_diff, significant = p < 0.05. When SE_diff is 0 (e.g. 0 % in both years)
 * there is no test: p and significant are null (R gives NaN). Reference: statistics.md.
 */
export function compareEstimates(
  a: { estimate: number; se: number },
  b: { estimate: number; se: number },
): EstimateComparison {
  const diff = b.estimate - a.estimate;
  const se = Math.hypot(a.se, b.se);
  const ci: [number, number] = [diff - Z95 * se, diff + Z95 * se];
  if (!(se > 0)) return { diff, se, ci, p: null, significant: null };
  const p = twoSidedP(diff / se);
  return { diff, se, ci, p, significant: p < 0.05 };
}
