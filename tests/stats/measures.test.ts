/** Scoring responses, "vet ej", fingerprints and validation of measure sets. */
import { describe, expect, it } from "vitest";
import {
  canonicalMeasureDefinition,
  fnv1a64,
  measureFingerprint,
  measureFingerprints,
  scoreResponse,
  validateMeasureSet,
} from "~/stats/measures";
import type { MeanMeasure, MeasureSet, ShareMeasure } from "~/stats/types";
import { defaultMeasureSet, QUESTION_NAMES } from "./helpers/default-measures";

const set = defaultMeasureSet();
const score = (answers: Record<string, unknown>, key: string) =>
  scoreResponse(set, answers as never).get(key) as { y: number | null; dontKnow: boolean };
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe("scoreResponse: safety_index", () => {
  it("averages the valid item scores (numbers or strings)", () => {
    const s = score({ safe_evening: 1, safe_centre: "2", worry_burglary: 3, worry_assault: "4", worry_fraud: 1 }, "safety_index");
    expect(s.y).toBeCloseTo((100 + 200 / 3 + 100 / 3 + 0 + 100) / 5, 12);
    expect(s.dontKnow).toBe(false);
  });
  it("scores 5 (does not go out for fear) as 0; 6 and 9 are not valid", () => {
    expect(score({ safe_evening: 5, safe_centre: 6, worry_burglary: 1, worry_assault: 1 }, "safety_index").y).toBeCloseTo(
      (0 + 100 + 100) / 3,
      12,
    );
  });
  it("needs at least 3 valid items; 2 valid + a 9 is 'vet ej'", () => {
    expect(score({ safe_evening: 1, safe_centre: 1, worry_burglary: 9 }, "safety_index")).toEqual({ y: null, dontKnow: true });
    expect(score({ safe_evening: 1, safe_centre: 6, worry_burglary: 9 }, "safety_index")).toEqual({ y: null, dontKnow: true });
    expect(score({ safe_evening: 1, safe_centre: 6 }, "safety_index")).toEqual({ y: null, dontKnow: false });
    expect(score({ safe_evening: 1, safe_centre: 1, worry_burglary: 1, worry_fraud: 9 }, "safety_index")).toEqual({
      y: 100,
      dontKnow: false,
    });
  });
  it("worry items have no 5", () => {
    expect(score({ worry_burglary: 5, worry_assault: 1, worry_fraud: 1 }, "safety_index").y).toBeNull();
  });
});

describe("scoreResponse: shares", () => {
  it("avoid_share: 3 or 4 of 1–4; 9 is 'vet ej'; unanswered is neither", () => {
    expect(score({ avoid_activity: 3 }, "avoid_share")).toEqual({ y: 1, dontKnow: false });
    expect(score({ avoid_activity: "4" }, "avoid_share")).toEqual({ y: 1, dontKnow: false });
    expect(score({ avoid_activity: 2 }, "avoid_share")).toEqual({ y: 0, dontKnow: false });
    expect(score({ avoid_activity: 9 }, "avoid_share")).toEqual({ y: null, dontKnow: true });
    expect(score({ avoid_activity: "" }, "avoid_share")).toEqual({ y: null, dontKnow: false });
    expect(score({}, "avoid_share")).toEqual({ y: null, dontKnow: false });
  });
  it("unsafe_evening_share: 3–5 of 1–5; 6 is not valid and not 'vet ej'", () => {
    expect(score({ safe_evening: 5 }, "unsafe_evening_share").y).toBe(1);
    expect(score({ safe_evening: 2 }, "unsafe_evening_share").y).toBe(0);
    expect(score({ safe_evening: 6 }, "unsafe_evening_share")).toEqual({ y: null, dontKnow: false });
    expect(score({ safe_evening: 9 }, "unsafe_evening_share")).toEqual({ y: null, dontKnow: true });
  });
  it("victim_share: any crime in the array; 'none' is 0; empty array is unanswered", () => {
    expect(score({ victim: ["theft", "fraud"] }, "victim_share").y).toBe(1);
    expect(score({ victim: ["none"] }, "victim_share").y).toBe(0);
    expect(score({ victim: [] }, "victim_share").y).toBeNull();
    expect(score({ victim: null }, "victim_share").y).toBeNull();
    expect(score({ victim: "violence" }, "victim_share").y).toBe(1);
  });
  it("police_confidence_share: 1 or 2 of 1–4", () => {
    expect(score({ police_cares: 1 }, "police_confidence_share").y).toBe(1);
    expect(score({ police_cares: 3 }, "police_confidence_share").y).toBe(0);
    expect(score({ police_cares: 9 }, "police_confidence_share").dontKnow).toBe(true);
  });
  it("scores every measure of the set", () => {
    expect([...scoreResponse(set, {}).keys()]).toEqual(set.measures.map((m) => m.key));
  });
});

describe("measureFingerprint", () => {
  const index = set.measures[0] as MeanMeasure;
  const avoid = set.measures[1] as ShareMeasure;

  it("does not change with names or formula texts", () => {
    const renamed = { ...clone(index), name: { sv: "Nytt namn", en: "New name" }, formula: { sv: "x", en: "y" } };
    expect(measureFingerprint(renamed)).toBe(measureFingerprint(index));
  });
  it("changes when a score changes", () => {
    const changed = clone(index);
    changed.items.safe_evening["2"] = 67;
    expect(measureFingerprint(changed)).not.toBe(measureFingerprint(index));
    const oneMore = clone(index);
    oneMore.items.safe_evening["6"] = 50;
    expect(measureFingerprint(oneMore)).not.toBe(measureFingerprint(index));
  });
  it("changes with minValid, valid or positive values, item and kind", () => {
    expect(measureFingerprint({ ...clone(index), minValid: 2 })).not.toBe(measureFingerprint(index));
    expect(measureFingerprint({ ...avoid, valid: [1, 2, 3] })).not.toBe(measureFingerprint(avoid));
    expect(measureFingerprint({ ...avoid, positive: [4] })).not.toBe(measureFingerprint(avoid));
    expect(measureFingerprint({ ...avoid, item: "avoid_route" })).not.toBe(measureFingerprint(avoid));
    expect(measureFingerprint({ ...avoid, valid: "answered" })).not.toBe(measureFingerprint(avoid));
  });
  it("ignores the order of values and numbers vs strings", () => {
    expect(measureFingerprint({ ...avoid, valid: ["4", "3", 2, 1], positive: ["4", 3] })).toBe(measureFingerprint(avoid));
  });
  it("is a stable short string (pinned: editions compare across years)", () => {
    expect(canonicalMeasureDefinition(avoid)).toBe(
      '{"kind":"share","item":"avoid_activity","valid":["1","2","3","4"],"positive":["3","4"]}',
    );
    expect(measureFingerprint(avoid)).toBe("v1:f46ea21d71a4e556");
    expect(measureFingerprint(index)).toBe("v1:bd2111927d992de3");
    expect(measureFingerprints(set)).toHaveProperty("safety_index", measureFingerprint(index));
  });
});

describe("fnv1a64", () => {
  it("matches the FNV-1a 64 test vectors", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });
});

describe("validateMeasureSet", () => {
  it("accepts the default set with the survey's question names", () => {
    expect(validateMeasureSet(set, QUESTION_NAMES)).toEqual([]);
  });
  it("names unknown items, empty value lists, bad scores and bad band tables", () => {
    const bad: MeasureSet = clone(set);
    (bad.measures[1] as ShareMeasure).item = "avoid_activty";
    (bad.measures[2] as ShareMeasure).valid = [];
    (bad.measures[3] as ShareMeasure).positive = [7];
    (bad.measures[0] as MeanMeasure).items.safe_centre["1"] = 120;
    (bad.measures[0] as MeanMeasure).minValid = 6;
    bad.measures.push(clone(bad.measures[4]));
    bad.problemIndex!.measures.push("problem_share.problem_unknown");
    bad.problemIndex!.bands = [
      { below: 10, level: 0 },
      { below: 5, level: 1 },
    ];
    const messages = validateMeasureSet(bad, QUESTION_NAMES).map((p) => `${p.path}: ${p.message}`);
    expect(messages).not.toContain("measures[2](unsafe_evening_share).positive: positive values not valid: 3, 4, 5");
    expect(messages).toEqual(
      expect.arrayContaining([
        'measures[1](avoid_share).item: unknown item "avoid_activty"',
        "measures[2](unsafe_evening_share).valid: valid must be \"answered\" or a non-empty list of values",
        "measures[3](problem_share.problem_littering).positive: positive values not valid: 7",
        "measures[0](safety_index).items.safe_centre.1: score 120 is outside the scale",
        "measures[0](safety_index).minValid: minValid must be an integer from 1 to 5",
        'measures[17](problem_share.problem_vandalism): duplicate key "problem_share.problem_vandalism"',
        'problemIndex.measures: unknown measure "problem_share.problem_unknown"',
        "problemIndex.bands[1].below: cut points must be finite and increasing",
        'problemIndex.bands[1]: the last band must be "otherwise" (below: null)',
      ]),
    );
  });
  it("flags missing texts and the reserved key '*'", () => {
    const bad = clone(set);
    bad.measures[1].key = "*";
    bad.measures[2].name = { sv: "", en: "x" };
    const messages = validateMeasureSet(bad).map((p) => `${p.path}: ${p.message}`);
    expect(messages).toContain('measures[1](*): key "*" is reserved');
    expect(messages).toContain("measures[2](unsafe_evening_share).name.sv: text is missing");
  });
});
