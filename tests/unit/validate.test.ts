/**
 * Server-side validation against the published questionnaire (survey-core plus strict checks).
 */
import { describe, expect, it } from "vitest";
import { loadSeries } from "~/surveys/files.server";
import { compileQuestionnaire, ruleBearingDefinition, validateAnswers } from "~/surveys/validate.server";
import { generateSurveyAnswers } from "~/surveys/synthetic";
import { validAnswers } from "../helpers/answers";

const definition = loadSeries("trygghetsmatning");
const compiled = compileQuestionnaire("test-trygghetsmatning", definition.questionnaire);

function check(answers: Record<string, unknown>) {
  return validateAnswers(compiled, answers);
}

describe("validateAnswers", () => {
  it("accepts a full valid answer and returns it unchanged", () => {
    const result = check(validAnswers());
    expect(result).toEqual({ ok: true, answers: validAnswers() });
  });

  it("accepts thousands of generated answers (the generator makes only valid ones)", () => {
    const areas = definition.areas!.areas.map((a) => a.code);
    for (const answers of generateSurveyAnswers({ areas, year: 2025, count: 2000, seed: 7 })) {
      const result = check(answers as Record<string, unknown>);
      if (!result.ok) throw new Error(JSON.stringify({ answers, result }));
    }
  });

  it("drops empty values instead of storing them", () => {
    const result = check({ area: "ahus", safe_evening: null, suggestion: "", victim: [] });
    expect(result).toEqual({ ok: true, answers: { area: "ahus" } });
  });

  it("requires the area (survey-core's required rule)", () => {
    const result = check(validAnswers({ area: undefined }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fields.area?.[0]).toMatch(/område|area|required/i);
  });

  it("refuses a hidden question's answer (reported without a crime)", () => {
    const result = check(validAnswers({ victim: ["none"], reported: 1 }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.fields)).toEqual(["reported"]);
  });

  it.each([
    ["unknown name", { shoe_size: 42 }, "shoe_size"],
    ["__proto__ key", JSON.parse('{"area":"ahus","__proto__":{"polluted":true}}'), "__proto__"],
    ["constructor key", { constructor: "x" }, "constructor"],
    ["value out of range", { worry_fraud: 5 }, "worry_fraud"],
    ["fractional value", { worry_fraud: 2.5 }, "worry_fraud"],
    ["numeric text", { worry_fraud: "2" }, "worry_fraud"],
    ["array for a single choice", { gender: ["woman"] }, "gender"],
    ["duplicate in a multi choice", { victim: ["theft", "theft"] }, "victim"],
    ["number in a multi choice", { victim: [1] }, "victim"],
    ["text for a multi choice", { victim: "theft" }, "victim"],
    ["object as text", { suggestion: { text: "x" } }, "suggestion"],
    ["too long text", { suggestion: "a".repeat(2001) }, "suggestion"],
    ["lone surrogate in text", { suggestion: "bad \ud800 text" }, "suggestion"],
  ])("refuses %s", (_label, extra, field) => {
    const result = check({ ...validAnswers(), ...extra });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fields[field]).toBeDefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts text of exactly 2,000 characters, å ä ö and script tags as plain text", () => {
    expect(check(validAnswers({ suggestion: "å".repeat(2000) })).ok).toBe(true);
    expect(check(validAnswers({ suggestion: "<script>alert(1)</script> ä ö" })).ok).toBe(true);
  });

  it("refuses a non-object", () => {
    for (const value of [null, [], "x", 3]) expect(check(value as never).ok).toBe(false);
  });

  it("judges the rules with a model holding only the rule-bearing questions and what they read", () => {
    const reduced = ruleBearingDefinition(definition.questionnaire);
    expect(reduced).not.toBeNull();
    expect([...reduced!.names].sort()).toEqual(["area", "reported", "victim"]);
    expect(compiled.questions.size).toBe(27);
    // A rule on a panel is outside what the reduction covers: the full definition is used.
    const withPanelRule = {
      pages: [{ elements: [{ type: "panel", name: "p", visibleIf: "{a} = 1", elements: [{ type: "text", name: "b" }] }, { type: "text", name: "a" }] }],
    };
    expect(ruleBearingDefinition(withPanelRule)).toBeNull();
    const full = compileQuestionnaire("panel-rule", withPanelRule);
    const hidden = validateAnswers(full, { a: "2", b: "answer" });
    expect(hidden.ok).toBe(false);
    if (!hidden.ok) expect(hidden.fields.b).toBeDefined();
    expect(validateAnswers(full, { a: "1", b: "answer" }).ok).toBe(true); // survey-core compares "1" = 1 loosely
  });
});
