/** Confidence intervals: Wald (clipped), logit, Clopper–Pearson at 0 and n (R: binom.test). */
import { describe, expect, it } from "vitest";
import { clopperPearsonAllOrNone, logitInterval, waldInterval } from "~/stats/intervals";
import { Z95 } from "~/stats/normal";
import { relDiff } from "./helpers/close";

describe("waldInterval", () => {
  it("is est ± z·se", () => {
    const [lo, hi] = waldInterval(62.2772828507795, 0.878442781036078);
    // fixtures/stats/expected.json, 2023 unweighted safety_index
    expect(relDiff(lo, 60.5555666374696)).toBeLessThan(1e-12);
    expect(relDiff(hi, 63.9989990640894)).toBeLessThan(1e-12);
  });
  it("clips to the scale", () => {
    expect(waldInterval(98, 2, [0, 100])).toEqual([98 - Z95 * 2, 100]);
    expect(waldInterval(1, 2, [0, 100])).toEqual([0, 1 + Z95 * 2]);
    expect(waldInterval(100, 0, [0, 100])).toEqual([100, 100]);
  });
});

describe("logitInterval", () => {
  it("is expit(logit(p) ± z·se/(p(1−p)))", () => {
    // expected.json, 2023 unweighted avoid_share
    const [lo, hi] = logitInterval(0.211627906976744, 0.0139361968743652);
    expect(relDiff(lo, 0.185600352654309)).toBeLessThan(1e-9);
    expect(relDiff(hi, 0.240228767767116)).toBeLessThan(1e-9);
  });
  it("stays inside (0, 1) and is asymmetric near the edges", () => {
    const [lo, hi] = logitInterval(0.02, 0.02);
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
    expect(0.02 - lo).toBeLessThan(hi - 0.02);
  });
  it("refuses 0 and 1 (those take Clopper–Pearson)", () => {
    expect(() => logitInterval(0, 0)).toThrow(RangeError);
    expect(() => logitInterval(1, 0)).toThrow(RangeError);
    expect(() => logitInterval(0.5, NaN)).toThrow(RangeError);
  });
});

describe("clopperPearsonAllOrNone", () => {
  // qbeta(0.975, 1, n) / qbeta(0.025, n, 1), i.e. binom.test(0, n) / binom.test(n, n) in R.
  it.each([
    [1, 0.975],
    [10, 0.30849710781876082],
    [20, 0.16843347098308534],
    [21, 0.16109761521907962],
  ])("x = 0, n = %s: [0, %s]", (n, upper) => {
    const [lo, hi] = clopperPearsonAllOrNone(0, n);
    expect(lo).toBe(0);
    expect(relDiff(hi, upper, 0)).toBeLessThan(1e-14);
  });
  it.each([
    [10, 0.69150289218123918],
    [20, 0.83156652901691466],
  ])("x = n = %s: [%s, 1]", (n, lower) => {
    const [lo, hi] = clopperPearsonAllOrNone(n, n);
    expect(hi).toBe(1);
    expect(relDiff(lo, lower, 0)).toBeLessThan(1e-14);
  });
  it("keeps relative accuracy for large n", () => {
    expect(relDiff(clopperPearsonAllOrNone(0, 1e6)[1], 3.688872650206489e-6, 0)).toBeLessThan(1e-13);
  });
  it("refuses anything but 0 or n", () => {
    expect(() => clopperPearsonAllOrNone(3, 10)).toThrow(RangeError);
    expect(() => clopperPearsonAllOrNone(0, 0)).toThrow(RangeError);
  });
});
