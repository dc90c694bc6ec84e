/** erfc, Φ and the two-sided p-value against 30-digit values (mpmath), tolerance stated per test. */
import { describe, expect, it } from "vitest";
import { erf, erfc, normalCdf, twoSidedP, Z95 } from "~/stats/normal";
import { relDiff } from "./helpers/close";

const rel = (a: number, e: number) => relDiff(a, e, 0);

describe("erfc", () => {
  // [x, erfc(x)] from mpmath at 40 digits.
  const known: [number, number][] = [
    [0, 1],
    [0.1, 0.8875370839817151],
    [0.5, 0.4795001221869535],
    [0.74, 0.2953219221452542],
    [0.76, 0.28246324719440913],
    [1, 0.15729920705028513],
    [1.5, 0.033894853524689274],
    [2, 0.004677734981047266],
    [2.5, 0.0004069520174449589],
    [3, 2.209049699858544e-5],
    [5, 1.5374597944280349e-12],
    [8, 1.1224297172982926e-29],
    [10, 2.088487583762545e-45],
    [20, 5.395865611607901e-176],
    [-1, 1.8427007929497148],
  ];
  it.each(known)("erfc(%s) to 2e-15 relative", (x, value) => {
    expect(rel(erfc(x), value)).toBeLessThan(2e-15);
  });

  it("has the right limits and symmetry", () => {
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(30)).toBe(0);
    expect(Number.isNaN(erfc(NaN))).toBe(true);
    for (const x of [0.2, 0.9, 1.7, 3.3]) {
      expect(erfc(-x)).toBeCloseTo(2 - erfc(x), 15);
      expect(erf(x)).toBeCloseTo(1 - erfc(x), 15);
      expect(erf(-x)).toBe(-erf(x));
    }
  });

  it("is continuous where the method changes (|x| = 0.75)", () => {
    const below = erfc(0.75 - 1e-12);
    const at = erfc(0.75);
    expect(rel(below, at)).toBeLessThan(1e-11);
  });
});

describe("normalCdf", () => {
  it("Φ(1.96) = 0.9750021048517795", () => {
    expect(rel(normalCdf(1.96), 0.9750021048517795)).toBeLessThan(1e-15);
  });
  it("Φ(Z95) = 0.975 (Z95 = qnorm(0.975))", () => {
    expect(Z95).toBe(1.959963984540054);
    expect(rel(normalCdf(Z95), 0.975)).toBeLessThan(1e-15);
  });
  it("keeps relative accuracy in the lower tail", () => {
    expect(rel(normalCdf(-8), 6.220960574271784e-16)).toBeLessThan(2e-15);
    expect(rel(normalCdf(-10), 7.619853024160525e-24)).toBeLessThan(2e-15);
    expect(normalCdf(0)).toBe(0.5);
  });
  it("two-sided p = 2(1 − Φ(|z|))", () => {
    expect(rel(twoSidedP(3), 0.002699796063260189)).toBeLessThan(2e-15);
    expect(rel(twoSidedP(-3), 0.002699796063260189)).toBeLessThan(2e-15);
    expect(twoSidedP(0)).toBe(1);
  });
});
