/**
 * Server-side validation of answers against a published questionnaire.
 *
 * The SurveyJS definition is the one schema for the form: the browser renders it and the server
 * checks answers with the same definition: strict checks of every answer (exact value types,
 * listed values, text length, numeric ranges, unknown names), then survey-core for the rules
 * (required questions, visibility conditions, validators). One Model is cached per published
 * definition; it holds only the questions that carry rules and those their conditions read,
 * because survey-core's cost grows with every question it holds (see docs/decisions).
 */
import { AnswerRequiredError, ExpressionRunner, Helpers, Model, type Question } from "survey-core";
import type { Answers } from "~/stats/types";

/** Hard cap on any free-text answer, whatever the definition says. */
export const MAX_TEXT_LENGTH = 2000;

export interface FieldErrors {
  [question: string]: string[];
}

export type ValidationResult =
  | { ok: true; answers: Answers }
  | { ok: false; error: string; fields: FieldErrors };

type QuestionKind = "choice" | "multi" | "text" | "number" | "boolean";

export interface QuestionInfo {
  name: string;
  kind: QuestionKind;
  choices: Set<string | number>;
  noneValue?: string | number;
  maxLength: number;
  min?: number;
  max?: number;
}

/**
 * One rule-bearing question's rules, compiled once (decision 018): survey-core's expression
 * engine still evaluates the conditions, but no Model holds values or collects errors.
 */
interface CompiledRule {
  name: string;
  /** The question's `visible` property (false hides it whatever visibleIf says). */
  visible: boolean;
  visibleIf: Condition | null;
  readOnly: boolean;
  enableIf: Condition | null;
  isRequired: boolean;
  requiredIf: Condition | null;
  /** survey-core's required message for it, in the validation locale. */
  requiredMessage: string;
  /** Whether a blank string counts as an answer (survey-core trims unless allowSpaceAsAnswer). */
  allowSpaceAsAnswer: boolean;
}

export interface CompiledQuestionnaire {
  /** The model survey-core validates with: the rule-bearing part of the definition, or all of it. */
  model: Model;
  /** Every question of the definition, with what the strict checks need. */
  questions: Map<string, QuestionInfo>;
  /** Names of the questions present in `model` (all of them when it is the full definition). */
  ruled: Set<string>;
  /**
   * The rules compiled to plain checks, in the model's question order; null when the definition
   * uses something the compiled rules do not cover (then survey-core's Model judges).
   */
  rules: CompiledRules | null;
}

interface CompiledRules {
  list: CompiledRule[];
  /** Question name → position in `list`. */
  index: Map<string, number>;
}

const cache = new Map<string, CompiledQuestionnaire>();

function describe(question: Question): QuestionInfo {
  const q = question as Question & Record<string, any>;
  const type = q.getType();
  const info: QuestionInfo = { name: q.name, kind: "text", choices: new Set(), maxLength: MAX_TEXT_LENGTH };
  if (type === "checkbox" || type === "tagbox") {
    info.kind = "multi";
    for (const c of q.choices) info.choices.add(c.value);
    if (q.showNoneItem) {
      info.noneValue = q.noneItem?.value ?? "none";
      info.choices.add(info.noneValue as string | number);
    }
  } else if (type === "radiogroup" || type === "dropdown" || type === "imagepicker") {
    info.kind = "choice";
    for (const c of q.choices) info.choices.add(c.value);
  } else if (type === "rating") {
    info.kind = "choice";
    const values = q.visibleRateValues ?? q.rateValues ?? [];
    for (const c of values) info.choices.add(c.value);
  } else if (type === "boolean") {
    info.kind = "boolean";
  } else if (type === "text" && q.inputType === "number") {
    info.kind = "number";
    if (q.min !== undefined && q.min !== "") info.min = Number(q.min);
    if (q.max !== undefined && q.max !== "") info.max = Number(q.max);
  } else if (type === "text" || type === "comment") {
    info.kind = "text";
    const declared = Number(q.maxLength);
    if (Number.isFinite(declared) && declared > 0) info.maxLength = Math.min(declared, MAX_TEXT_LENGTH);
  } else {
    throw new Error(`Question type ${type} (${q.name}) is not supported by the server-side validation`);
  }
  return info;
}

/** Properties that make survey-core's verdict on a question depend on more than its own value. */
const RULE_PROPERTY = /If$|Expression$|^validators$|^isRequired$|^triggers$|^calculatedValues$/;
/** Containers whose children we can lift out only when they carry no rules of their own. */
const CONTAINERS = new Set(["panel"]);
const SUPPORTED_QUESTIONS = new Set(["radiogroup", "dropdown", "checkbox", "tagbox", "comment", "text", "boolean", "rating", "imagepicker"]);

interface JsonElement {
  type?: string;
  name?: string;
  elements?: JsonElement[];
  [key: string]: unknown;
}

function hasRules(element: Record<string, unknown>): boolean {
  return Object.keys(element).some((k) => RULE_PROPERTY.test(k));
}

/**
 * The part of a definition survey-core must see to judge a set of answers: the questions that
 * carry rules (required, conditions, validators) and the questions their expressions read.
 * Every other question is judged completely by the strict checks (type, listed value, length).
 * Returns null when the definition uses anything this reasoning does not cover (rules on pages
 * or panels, dynamic panels, matrices, survey-level triggers): then the full definition is used.
 */
export function ruleBearingDefinition(json: Record<string, unknown>): { json: object; names: Set<string> } | null {
  if (json.triggers || json.calculatedValues) return null;
  const questions: JsonElement[] = [];
  const walk = (elements: JsonElement[] | undefined): boolean => {
    for (const el of elements ?? []) {
      const type = String(el.type ?? "");
      if (CONTAINERS.has(type)) {
        if (hasRules(el)) return false;
        if (!walk(el.elements)) return false;
      } else if (SUPPORTED_QUESTIONS.has(type)) {
        questions.push(el);
      } else if (type !== "html" && type !== "image") {
        return false;
      }
    }
    return true;
  };
  for (const page of (json.pages as JsonElement[] | undefined) ?? [{ elements: json.elements as JsonElement[] }]) {
    if (hasRules(page) || !walk(page.elements)) return null;
  }
  const ruled = questions.filter((q) => hasRules(q));
  const referenced = new Set<string>();
  for (const q of ruled) {
    for (const [key, value] of Object.entries(q)) {
      if (!RULE_PROPERTY.test(key)) continue;
      for (const match of JSON.stringify(value).matchAll(/\{([^{}]+)\}/g)) referenced.add(match[1].split(/[.\[]/)[0].trim());
    }
  }
  const keep = questions.filter((q) => hasRules(q) || referenced.has(String(q.name)));
  const names = new Set(keep.map((q) => String(q.name)));
  return { json: { pages: [{ name: "rules", elements: keep }] }, names };
}

/**
 * Question properties the compiled rules reproduce exactly: everything else that could change
 * survey-core's verdict (validators, other/comment items, min/max selected choices, input masks,
 * input types other than text and number, item-level conditions, triggers) sends the definition
 * to survey-core's Model instead. Layout and text properties do not change a verdict.
 */
const COMPILABLE_PROPERTIES = new Set([
  "type", "name", "title", "description", "placeholder", "colCount", "rows", "autoGrow", "maxLength",
  "choices", "choicesFromAreaList", "showNoneItem", "noneText", "isRequired", "requiredErrorText",
  "visibleIf", "enableIf", "requiredIf", "visible", "readOnly", "inputType", "min", "max",
  "startWithNewLine", "titleLocation", "descriptionLocation", "hideNumber", "width", "minWidth", "maxWidth",
  "rateValues", "rateMin", "rateMax", "rateStep", "rateType", "minRateDescription", "maxRateDescription",
  "labelTrue", "labelFalse", "allowSpaceAsAnswer",
]);
const COMPILABLE_CHOICE_PROPERTIES = new Set(["value", "text"]);
const COMPILABLE_INPUT_TYPES = new Set([undefined, "text", "number"]);

function compilableQuestion(el: JsonElement): boolean {
  if (!Object.keys(el).every((k) => COMPILABLE_PROPERTIES.has(k))) return false;
  if (!COMPILABLE_INPUT_TYPES.has(el.inputType as string | undefined)) return false;
  const items = [...((el.choices as unknown[]) ?? []), ...((el.rateValues as unknown[]) ?? [])];
  return items.every(
    (c) => c === null || typeof c !== "object" || Object.keys(c as object).every((k) => COMPILABLE_CHOICE_PROPERTIES.has(k)),
  );
}

/** A compiled condition: survey-core's verdict on a set of answers. */
interface Condition {
  run(answers: Answers): unknown;
}

/** Verdicts remembered per condition (distinct combinations of the values it reads). */
const REMEMBERED_VERDICTS = 4096;

/** A value as part of a memo key: its type and JSON, so 1 and "1", [] and undefined differ. */
function valueKey(value: unknown): string {
  return value === undefined ? "u" : `${typeof value}:${JSON.stringify(value)}`;
}

function conditionRunner(expression: unknown, questions: Map<string, QuestionInfo>): Condition | null | undefined {
  if (!expression) return null;
  const runner = new ExpressionRunner(String(expression));
  // An asynchronous function (a custom one; survey-core registers none) cannot be judged here.
  if (!runner.canRun() || runner.isAsync) return undefined;
  const variables = runner.getVariables();
  // A condition that reads only whole answers by their exact names (no functions such as
  // today(), no paths into a value) gives the same verdict for the same values of those
  // answers: the verdict is remembered per combination (an import judges millions of rows).
  const folded = new Set([...questions.keys()].map((name) => name.toLowerCase()));
  const memoizable =
    !runner.hasFunction() && folded.size === questions.size && variables.every((name) => questions.has(name));
  if (!memoizable) return { run: (answers) => runner.runValues(answers) };
  const verdicts = new Map<string, unknown>();
  return {
    run(answers) {
      let key = "";
      for (const name of variables) key += `${valueKey(answers[name])}\u0000`;
      if (verdicts.has(key)) return verdicts.get(key);
      const verdict = runner.runValues(answers);
      if (verdicts.size < REMEMBERED_VERDICTS) verdicts.set(key, verdict);
      return verdict;
    },
  };
}

/**
 * The reduced model's rules as plain data plus survey-core expression runners, or null when a
 * question uses a property the compiled rules do not reproduce.
 */
function compileRules(
  model: Model,
  json: { pages: [{ elements: JsonElement[] }] },
  questions: Map<string, QuestionInfo>,
): CompiledRules | null {
  const elements = json.pages[0].elements;
  if (!elements.every(compilableQuestion)) return null;
  const rules: CompiledRule[] = [];
  for (const question of model.getAllQuestions(false)) {
    const q = question as Question & Record<string, any>;
    const visibleIf = conditionRunner(q.visibleIf, questions);
    const enableIf = conditionRunner(q.enableIf, questions);
    const requiredIf = conditionRunner(q.requiredIf, questions);
    if (visibleIf === undefined || enableIf === undefined || requiredIf === undefined) return null;
    rules.push({
      name: q.name,
      visible: q.visible !== false,
      visibleIf,
      readOnly: q.readOnly === true,
      enableIf,
      isRequired: q.isRequired === true,
      requiredIf,
      requiredMessage: new AnswerRequiredError(q.requiredErrorText, q).getText(),
      allowSpaceAsAnswer: q.allowSpaceAsAnswer === true,
    });
  }
  return { list: rules, index: new Map(rules.map((r, i) => [r.name, i])) };
}

/** Compiles (once per key) a questionnaire for validation. `key` is the definition hash. */
export function compileQuestionnaire(key: string, json: object | (() => object)): CompiledQuestionnaire {
  const hit = cache.get(key);
  if (hit) return hit;
  const definition = (typeof json === "function" ? json() : json) as Record<string, unknown>;
  const full = new Model(definition);
  const questions = new Map<string, QuestionInfo>();
  for (const q of full.getAllQuestions(false)) {
    // Answers are collected into plain objects keyed by question name (see validateAnswers).
    if (q.name === "__proto__") throw new Error("A question cannot be named __proto__");
    questions.set(q.name, describe(q));
  }
  const reduced = ruleBearingDefinition(definition);
  const model = reduced ? new Model(reduced.json) : full;
  model.locale = "en";
  const rules = reduced ? compileRules(model, reduced.json as { pages: [{ elements: JsonElement[] }] }, questions) : null;
  const compiled = { model, questions, ruled: reduced ? reduced.names : new Set(questions.keys()), rules };
  cache.set(key, compiled);
  return compiled;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** A value as it may be echoed in an error message: scalars only, and short. */
function shown(value: string | number): string {
  const text = JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

function checkValue(info: QuestionInfo, value: unknown): string | null {
  switch (info.kind) {
    case "choice":
      if (typeof value !== "string" && typeof value !== "number") return "Expected one of the listed values";
      return info.choices.has(value) ? null : `Not one of the listed values: ${shown(value)}`;
    case "multi": {
      if (!Array.isArray(value)) return "Expected a list of values";
      const seen = new Set<unknown>();
      for (const v of value) {
        if (typeof v !== "string" && typeof v !== "number") return "Expected a list of listed values";
        if (!info.choices.has(v)) return `Not one of the listed values: ${shown(v)}`;
        if (seen.has(v)) return `Value listed twice: ${shown(v)}`;
        seen.add(v);
      }
      if (info.noneValue !== undefined && seen.has(info.noneValue) && value.length > 1) {
        return `"${info.noneValue}" cannot be combined with other values`;
      }
      return null;
    }
    case "text":
      if (typeof value !== "string") return "Expected text";
      if (value.length > info.maxLength) return `Text longer than ${info.maxLength} characters`;
      if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) return "Text is not valid Unicode";
      return null;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return "Expected a number";
      if (info.min !== undefined && value < info.min) return `Less than ${info.min}`;
      if (info.max !== undefined && value > info.max) return `More than ${info.max}`;
      return null;
    case "boolean":
      return typeof value === "boolean" ? null : "Expected true or false";
  }
}

/** Who judges the rules: the compiled rules when the definition allows, or survey-core's Model. */
export type RuleEngine = "compiled" | "survey-core";

/**
 * Validates answers against a compiled questionnaire. Returns the answers with empty values
 * dropped, or every problem found keyed by question name. `engine` "survey-core" forces the
 * Model (the reference the compiled rules are tested against).
 */
export function validateAnswers(
  compiled: CompiledQuestionnaire,
  answers: unknown,
  engine: RuleEngine = "compiled",
): ValidationResult {
  if (answers === null || typeof answers !== "object" || Array.isArray(answers)) {
    return { ok: false, error: "answers must be an object", fields: {} };
  }
  // No prototype: an unknown key named __proto__ must not reach Object.prototype. `cleaned` only
  // gets the definition's question names, and compilation refuses a question named __proto__.
  let fields: FieldErrors | null = null;
  const cleaned: Answers = {};
  const { questions } = compiled;
  for (const name of Object.keys(answers)) {
    const value = (answers as Record<string, unknown>)[name];
    const info = questions.get(name);
    if (!info) {
      fields = addError(fields, name, "Unknown question");
      continue;
    }
    if (isEmpty(value)) continue;
    const problem = checkValue(info, value);
    if (problem) fields = addError(fields, name, problem);
    else cleaned[name] = value as Answers[string];
  }
  if (fields) return { ok: false, error: "Invalid answers", fields };

  const { model, ruled, rules } = compiled;
  if (rules && engine === "compiled") {
    fields = judgeCompiled(rules, cleaned);
  } else {
    const judged: Answers = {};
    for (const name of Object.keys(cleaned)) if (ruled.has(name)) judged[name] = cleaned[name];
    fields = judgeWithModel(model, judged);
  }
  if (fields) return { ok: false, error: "Invalid answers", fields };
  return { ok: true, answers: cleaned };
}

function addError(fields: FieldErrors | null, name: string, message: string): FieldErrors {
  const all: FieldErrors = fields ?? Object.create(null);
  (all[name] ??= []).push(message);
  return all;
}

/**
 * The compiled rules, in the order survey-core reports: answers to hidden questions (in answer
 * order), then required questions left empty (in question order). A hidden or read-only
 * question is not checked for being required, as in survey-core's checkForErrors. Conditions
 * read only rule-bearing questions (ruleBearingDefinition keeps every question they name), so
 * they see the values survey-core's reduced Model would hold.
 */
function judgeCompiled(rules: CompiledRules, answers: Answers): FieldErrors | null {
  let fields: FieldErrors | null = null;
  const { list, index } = rules;
  const visible: boolean[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const rule = list[i];
    visible[i] = rule.visibleIf ? rule.visibleIf.run(answers) === true : rule.visible;
  }
  for (const name of Object.keys(answers)) {
    const i = index.get(name);
    if (i !== undefined && !visible[i]) fields = addError(fields, name, "Question is not shown for these answers");
  }
  for (let i = 0; i < list.length; i++) {
    const rule = list[i];
    if (!visible[i]) continue;
    const readOnly = rule.enableIf ? rule.enableIf.run(answers) === false : rule.readOnly;
    if (readOnly) continue;
    const required = rule.requiredIf ? rule.requiredIf.run(answers) === true : rule.isRequired;
    if (!required) continue;
    let value: unknown = answers[rule.name];
    if (!rule.allowSpaceAsAnswer && typeof value === "string") value = value.trim();
    if (Helpers.isValueEmpty(value)) fields = addError(fields, rule.name, rule.requiredMessage);
  }
  return fields;
}

/** survey-core's Model judges: visibility rules, required questions, its own validators. */
function judgeWithModel(model: Model, judged: Answers): FieldErrors | null {
  let fields: FieldErrors | null = null;
  const add = (name: string, message: string) => (fields = addError(fields, name, message));
  // The model is shared, so everything from here to the end runs synchronously.
  // Assigning `data` replaces every value of the previous use (no clear() needed: it costs more
  // than the validation itself).
  model.data = judged;
  model.clearIncorrectValues(true);
  const kept = model.data as Record<string, unknown>;
  for (const name of Object.keys(judged)) {
    if (!(name in kept)) add(name, "Value not accepted by the questionnaire");
  }
  for (const name of Object.keys(judged)) {
    const question = model.getQuestionByName(name);
    if (question && (!question.isVisible || !question.isParentVisible)) add(name, "Question is not shown for these answers");
  }
  model.validate(true, false);
  for (const question of model.getAllQuestions(true)) {
    for (const e of question.errors) add(question.name, e.getText());
  }
  return fields;
}
