/**
 * Tolerances of the statistics tests. Relative, with a tiny absolute floor for values that are 0
 * in exact arithmetic (an R value of 0 vs our 1e-17 is the same figure).
 */
export function relDiff(actual: number, expected: number, absFloor = 1e-13): number {
  const d = Math.abs(actual - expected);
  if (d <= absFloor) return 0;
  return d / Math.abs(expected);
}

export function isClose(actual: number, expected: number, rel: number, absFloor = 1e-13): boolean {
  return Number.isFinite(actual) && relDiff(actual, expected, absFloor) <= rel;
}
