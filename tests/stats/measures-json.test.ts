/**
 * surveys/trygghetsmatning/measures.json (the published default) against statistics.md: it
 * validates, defines every measure exactly as the hand-written set in helpers/ (equal
 * fingerprints: items, valid and positive values, scores, minValid), and reproduces every row of
 * fixtures/stats/expected.json (tolerances as in fixture.test.ts).
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { measureFingerprints, validateMeasureSet } from "~/stats/measures";
import type { MeasureSet } from "~/stats/types";
import { defaultMeasureSet, QUESTION_NAMES } from "./helpers/default-measures";
import { makeFixtureRunner, resultMismatches } from "./helpers/fixture-check";
import { loadExpected } from "./helpers/fixtures";

const file = fileURLToPath(new URL("../../surveys/trygghetsmatning/measures.json", import.meta.url));
const set = JSON.parse(fs.readFileSync(file, "utf8")) as MeasureSet;

describe("surveys/trygghetsmatning/measures.json", () => {
  it("is a valid measure set over the survey's question codes", () => {
    expect(validateMeasureSet(set, QUESTION_NAMES)).toEqual([]);
  });

  it("defines the measures of statistics.md (same keys and fingerprints), and the promises' two more", () => {
    const fingerprints = measureFingerprints(set);
    const { safe_centre_share: centre, worry_fraud_share: fraud, ...specMeasures } = fingerprints;
    expect(specMeasures).toEqual(measureFingerprints(defaultMeasureSet()));
    // Issue 18 (decision 030): safe in the centre = 1–2 of 1–5; worried about fraud = 3–4 of 1–4.
    const added = measureFingerprints({
      version: "x",
      measures: [
        { key: "safe_centre_share", kind: "share", name: { sv: "", en: "" }, formula: { sv: "", en: "" }, item: "safe_centre", valid: [1, 2, 3, 4, 5], positive: [1, 2] },
        { key: "worry_fraud_share", kind: "share", name: { sv: "", en: "" }, formula: { sv: "", en: "" }, item: "worry_fraud", valid: [1, 2, 3, 4], positive: [3, 4] },
      ],
    });
    expect({ safe_centre_share: centre, worry_fraud_share: fraud }).toEqual(added);
  });

  it("has the default problem index", () => {
    const reference = defaultMeasureSet().problemIndex!;
    expect(set.problemIndex?.bands).toEqual(reference.bands);
    expect([...(set.problemIndex?.measures ?? [])].sort()).toEqual([...reference.measures].sort());
  });

  it("reproduces every row of expected.json", () => {
    const run = makeFixtureRunner(set);
    const problems = loadExpected().results.flatMap((entry) =>
      resultMismatches(run(entry.year, entry.weighted, entry.by), entry.measures, entry.weighted).map(
        (p) => `${entry.year} ${entry.weighted ? "weighted" : "unweighted"} by ${entry.by}: ${p}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});
