/** Post-stratification weights w_h = N_h / n_h, and the cells that make weighting impossible. */
import { describe, expect, it } from "vitest";
import { postStratify, stratumKey } from "~/stats/weighting";

const variables = ["area", "age_group"];
const key = (area: string, age_group: string) => stratumKey({ area, age_group }, variables);

describe("postStratify", () => {
  it("gives w_h = N_h / n_h, summing population rows over other columns", () => {
    const result = postStratify({
      variables,
      population: [
        { area: "a", age_group: "16-24", gender: "woman", count: 60 },
        { area: "a", age_group: "16-24", gender: "man", count: 40 },
        { area: "b", age_group: "16-24", count: 30 },
      ],
      stratumCounts: new Map([
        [key("a", "16-24"), 8],
        [key("b", "16-24"), 3],
      ]),
    });
    expect(result).toEqual({
      ok: true,
      weights: new Map([
        [key("a", "16-24"), 12.5],
        [key("b", "16-24"), 10],
      ]),
    });
  });

  it("refuses a population cell without respondents, naming it", () => {
    const result = postStratify({
      variables,
      population: [
        { area: "ahus", age_group: "16-24", count: 100 },
        { area: "ahus", age_group: "25-44", count: 100 },
      ],
      stratumCounts: new Map([[key("ahus", "25-44"), 5]]),
    });
    expect(result).toMatchObject({ ok: false, reason: "empty_cell", missingCells: ["area=ahus, age_group=16-24"] });
  });

  it("refuses respondents in a cell the table lacks (or gives 0), naming it", () => {
    const result = postStratify({
      variables,
      population: [
        { area: "ahus", age_group: "25-44", count: 100 },
        { area: "tollarp", age_group: "25-44", count: 0 },
      ],
      stratumCounts: new Map([
        [key("ahus", "25-44"), 5],
        [key("everod", "65-85"), 2],
        [key("tollarp", "25-44"), 1],
      ]),
    });
    expect(result).toMatchObject({
      ok: false,
      reason: "no_population",
      missingCells: ["area=everod, age_group=65-85", "area=tollarp, age_group=25-44"],
    });
  });

  it("ignores a population cell of 0 without respondents", () => {
    const result = postStratify({
      variables,
      population: [
        { area: "a", age_group: "x", count: 10 },
        { area: "b", age_group: "x", count: 0 },
      ],
      stratumCounts: new Map([[key("a", "x"), 2]]),
    });
    expect(result.ok).toBe(true);
  });

  it("refuses an empty table", () => {
    expect(postStratify({ variables, population: [], stratumCounts: new Map([[key("a", "x"), 2]]) })).toMatchObject({
      ok: false,
      reason: "no_population",
      missingCells: ["area=a, age_group=x"],
    });
  });

  it("throws on a count that is not a number ≥ 0", () => {
    expect(() =>
      postStratify({ variables, population: [{ area: "a", age_group: "x", count: -1 }], stratumCounts: new Map() }),
    ).toThrow(RangeError);
  });
});
