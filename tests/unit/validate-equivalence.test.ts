/**
 * The compiled rules (decision 018) give exactly survey-core's verdict: a property test over a
 * large seeded corpus of valid, nearly valid and tampered answers, for every shipped
 * questionnaire and for a definition that uses every rule the compiled path claims to cover.
 * "Exactly" means the same result object, with the same field order and message order.
 */
import { describe, expect, it } from "vitest";
import { loadSeries } from "~/surveys/files.server";
import { createRandom } from "~/surveys/synthetic";
import { compileQuestionnaire, MAX_TEXT_LENGTH, validateAnswers, type CompiledQuestionnaire } from "~/surveys/validate.server";

type Json = Record<string, any>;

/** Every rule the compiled path covers, chained and combined. */
const RULES_DEFINITION: Json = {
  pages: [
    {
      name: "p1",
      elements: [
        { type: "dropdown", name: "area", isRequired: true, choices: ["n", "s", "e", "w"], requiredErrorText: { default: "Välj", en: "Pick one" } },
        { type: "radiogroup", name: "kind", isRequired: true, choices: [1, 2, 3, 9] },
        { type: "radiogroup", name: "detail", visibleIf: "{kind} = 1 or {kind} = 2", isRequired: true, choices: ["a", "b"] },
        { type: "radiogroup", name: "deeper", visibleIf: "{detail} = 'b'", choices: ["x", "y"] },
        { type: "checkbox", name: "many", showNoneItem: true, choices: ["p", "q", "r"] },
        { type: "text", name: "why", requiredIf: "{many} contains 'p'", maxLength: 50 },
        { type: "text", name: "count", inputType: "number", min: 0, max: 20, enableIf: "{kind} <> 9", isRequired: true },
        { type: "boolean", name: "agree", visibleIf: "{count} > 3" },
        { type: "comment", name: "note", readOnly: true, isRequired: true },
        { type: "text", name: "blank_ok", isRequired: true, allowSpaceAsAnswer: true, visibleIf: "{agree} = true" },
        { type: "rating", name: "score", rateMin: 1, rateMax: 5, visibleIf: "{why} notempty and {area} anyof ['n', 's']" },
        { type: "tagbox", name: "tags", choices: ["t1", "t2", "t3"], visibleIf: "iif({kind} = 3, true, false)" },
        { type: "radiogroup", name: "never", visible: false, choices: ["z"] },
        { type: "comment", name: "free", maxLength: 200 },
      ],
    },
    {
      name: "p2",
      elements: [
        {
          type: "panel",
          name: "group",
          elements: [
            { type: "radiogroup", name: "inner", choices: [1, 2], visibleIf: "{many.length} >= 2" },
            { type: "radiogroup", name: "plain", choices: [1, 2] },
          ],
        },
      ],
    },
  ],
};

const QUESTIONNAIRES: [string, Json][] = [
  ...["trygghetsmatning", "medborgardialog", "trafiktips", "trygghetsvandring"].map(
    (id) => [id, loadSeries(id).questionnaire] as [string, Json],
  ),
  ["rules", RULES_DEFINITION],
];

interface QuestionShape {
  name: string;
  type: string;
  values: (string | number)[];
  none?: string;
  min?: number;
  max?: number;
  maxLength?: number;
  inputType?: string;
  /** Shown only under a condition (or never): answered less often, so that valid sets occur. */
  conditional: boolean;
}

function shapes(json: Json): QuestionShape[] {
  const out: QuestionShape[] = [];
  const walk = (elements: Json[] = []) => {
    for (const el of elements) {
      if (el.type === "panel") walk(el.elements);
      else if (el.type === "html") continue;
      else {
        const values = (el.choices ?? []).map((c: any) => (c !== null && typeof c === "object" ? c.value : c));
        if (el.type === "rating") for (let v = el.rateMin ?? 1; v <= (el.rateMax ?? 5); v++) values.push(v);
        out.push({
          name: el.name,
          type: el.type,
          values,
          none: el.showNoneItem ? "none" : undefined,
          min: el.min,
          max: el.max,
          maxLength: el.maxLength,
          inputType: el.inputType,
          conditional: Boolean(el.visibleIf) || el.visible === false,
        });
      }
    }
  };
  for (const page of json.pages) walk(page.elements);
  return out;
}

/**
 * One answer set: each question answered validly, left out, emptied or tampered with at random;
 * sometimes unknown keys. Mostly valid values, so that the rules (not the strict checks) decide.
 */
function answerSet(random: () => number, questions: QuestionShape[]): Json {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const answers: Json = {};
  const tamper = random() < 0.25;
  for (const q of questions) {
    const r = random();
    if (r < 0.2 || (q.conditional && random() < 0.75)) continue;
    if (r < 0.27) {
      answers[q.name] = pick([null, "", [], "   ", undefined]);
      continue;
    }
    if (tamper && random() < 0.15) {
      answers[q.name] = pick<unknown>([
        "not-a-choice",
        12345,
        2.5,
        -1,
        true,
        { nested: 1 },
        ["x", "x"],
        "y".repeat(MAX_TEXT_LENGTH + 1),
        "z".repeat((q.maxLength ?? 100) + 1),
        q.values.length > 0 ? String(q.values[0]) : 7,
        q.values.length > 0 ? [q.values[0]] : "text",
        q.values.length > 1 ? [q.values[0], q.values[0]] : [],
        q.none && q.values.length > 0 ? [q.none, q.values[0]] : null,
        (q.max ?? 10) + 1,
        (q.min ?? 0) - 1,
        "\ud800",
      ]);
      continue;
    }
    switch (q.type) {
      case "checkbox":
      case "tagbox": {
        if (q.none && random() < 0.2) answers[q.name] = [q.none];
        else answers[q.name] = q.values.filter(() => random() < 0.4);
        break;
      }
      case "boolean":
        answers[q.name] = random() < 0.5;
        break;
      case "text":
      case "comment":
        if (q.inputType === "number") answers[q.name] = Math.floor(random() * ((q.max ?? 20) + 2)) - (random() < 0.1 ? 1 : 0);
        else answers[q.name] = pick(["Ja", " mellanslag ", "Bättre belysning", "  ", "x".repeat(q.maxLength ?? 10)]);
        break;
      default:
        answers[q.name] = pick(q.values);
    }
  }
  if (tamper && random() < 0.3) answers[pick(["shoe_size", "__proto__", "constructor", "toString", "Area"])] = pick([1, "x", {}]);
  return answers;
}

describe("compiled rules = survey-core's verdict", () => {
  it.each(QUESTIONNAIRES)("%s: the compiled rules are used", (id, json) => {
    const compiled = compileQuestionnaire(`equivalence-${id}`, json);
    expect(compiled.rules).not.toBeNull();
    expect(compiled.rules!.list.length).toBe(compiled.ruled.size);
  });

  it.each(QUESTIONNAIRES)("%s: same result on 2,000 generated answer sets", (id, json) => {
    const compiled: CompiledQuestionnaire = compileQuestionnaire(`equivalence-${id}`, json);
    const questions = shapes(json);
    const random = createRandom(20261203 ^ id.length * 7919);
    const tally = { ok: 0, strict: 0, rules: 0 };
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const answers = answerSet(random, questions);
      const fast = validateAnswers(compiled, answers);
      const reference = validateAnswers(compiled, answers, "survey-core");
      // JSON text: the same keys in the same order, the same messages in the same order.
      if (JSON.stringify(fast) !== JSON.stringify(reference)) {
        throw new Error(`Verdicts differ for ${JSON.stringify(answers)}:\ncompiled ${JSON.stringify(fast)}\nsurvey-core ${JSON.stringify(reference)}`);
      }
      if (fast.ok) tally.ok++;
      else if (/Not one|Expected|longer|Unknown|Less|More|twice|combined|Unicode/.test(JSON.stringify(fast.fields))) tally.strict++;
      else {
        tally.rules++;
        for (const [name, messages] of Object.entries(fast.fields)) seen.add(`${name}: ${messages.join(", ")}`);
      }
    }
    // The corpus exercises all three outcomes, rules most of all.
    expect(tally.ok).toBeGreaterThan(100);
    expect(tally.strict).toBeGreaterThan(200);
    expect(tally.rules).toBeGreaterThan(200);
    if (id === "rules") {
      // Each compiled rule decided some verdicts: visibleIf chains (also in a panel),
      // requiredIf, enableIf (count is required only while enabled), a custom required text. (A
      // question with only visible: false carries no rule: neither engine judges it.)
      for (const verdict of ["deeper: Question is not shown for these answers",
        "inner: Question is not shown for these answers", "why: Response required.", "count: Response required.",
        "blank_ok: Response required.", "area: Välj"]) {
        expect(seen).toContain(verdict);
      }
    }
  }, 300_000); // survey-core's side of the comparison is slow, and slower on a loaded machine

  it("falls back to survey-core for rules it does not compile", () => {
    const withValidators = {
      elements: [{ type: "text", name: "email", validators: [{ type: "email" }] }],
    };
    const withOther = {
      elements: [{ type: "radiogroup", name: "pick", isRequired: true, showOtherItem: true, choices: [1, 2] }],
    };
    expect(compileQuestionnaire("fallback-validators", withValidators).rules).toBeNull();
    expect(compileQuestionnaire("fallback-other", withOther).rules).toBeNull();
  });
});
