/** Order statistics for the benchmark's samples. */

/** The median: the middle value, or the mean of the two middle values. NaN for no samples. */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * The p-th percentile by the nearest-rank method (the smallest value with at least p % of the
 * samples at or below it): with 30 samples, p95 is the 29th smallest. NaN for no samples.
 */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1];
}
