/**
 * 95 % confidence intervals (statistics.md, "Confidence interval").
 */
import { Z95 } from "./normal";

/** α of the 95 % intervals. */
export const ALPHA = 0.05;

/**
 * Wald interval est ± z·se (z = Z95), clipped to `scale` when given (the safety index to [0, 100]).
 * Reference: statistics.md; confint(svymean(...)) in R's survey package before clipping.
 */
export function waldInterval(est: number, se: number, scale?: [number, number]): [number, number] {
  let lo = est - Z95 * se;
  let hi = est + Z95 * se;
  if (scale) {
    lo = Math.min(Math.max(lo, scale[0]), scale[1]);
    hi = Math.min(Math.max(hi, scale[0]), scale[1]);
  }
  return [lo, hi];
}

/**
 * Logit interval for a share: expit(logit(ŷ) ± z·SE/(ŷ(1−ŷ))), the delta-method SE on the logit
 * scale (svyciprop(method = "logit") in R's survey package).
 * Only defined for 0 < ŷ < 1: where no or every respondent has the outcome, use
 * `clopperPearsonAllOrNone` (decided on the counts). Throws a RangeError otherwise.
 */
export function logitInterval(est: number, se: number): [number, number] {
  if (!(est > 0 && est < 1) || !Number.isFinite(se) || se < 0) {
    throw new RangeError(`logitInterval needs 0 < estimate < 1 and a finite se ≥ 0 (got ${est}, ${se})`);
  }
  const center = Math.log(est / (1 - est));
  const half = (Z95 * se) / (est * (1 - est));
  return [expit(center - half), expit(center + half)];
}

/** expit(t) = 1/(1 + e^{−t}), written so that neither tail overflows. */
function expit(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/**
 * Exact (Clopper–Pearson) interval for the all-or-none case, on unweighted counts:
 * x = 0 → [0, 1 − (α/2)^{1/n}], x = n → [(α/2)^{1/n}, 1] (the Beta quantiles have closed forms
 * there). Reference: Clopper & Pearson (1934); binom.test(x, n)$conf.int in R.
 * Throws a RangeError unless n ≥ 1 and x is 0 or n.
 */
export function clopperPearsonAllOrNone(x: number, n: number, alpha = ALPHA): [number, number] {
  if (!(n >= 1) || (x !== 0 && x !== n)) {
    throw new RangeError(`clopperPearsonAllOrNone needs n ≥ 1 and x = 0 or x = n (got x=${x}, n=${n})`);
  }
  const logHalfAlphaOverN = Math.log(alpha / 2) / n;
  // 1 − e^{t} as −expm1(t): exact also when n is large and the bound is close to 0.
  if (x === 0) return [0, -Math.expm1(logHalfAlphaOverN)];
  return [Math.exp(logHalfAlphaOverN), 1];
}
