/**
 * Server-side validation of answers against a published questionnaire.
 *
 * The SurveyJS definition is the one schema for the form: the browser renders it and the server
 * checks answers with the same definition through survey-core (required questions, visibility
 * rules, listed choices), plus strict checks survey-core does not make (exact value types, text
 * length, numeric ranges, unknown names). One compiled Model is cached per published definition.
 */
import { Model, surveyLocalization, type Question } from "survey-core";
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

interface QuestionInfo {
  name: string;
  kind: QuestionKind;
  choices: Set<string | number>;
  noneValue?: string | number;
  maxLength: number;
  min?: number;
  max?: number;
}

export interface CompiledQuestionnaire {
  model: Model;
  questions: Map<string, QuestionInfo>;
}

// The questionnaires' unmarked ("default") texts are Swedish; messages here are asked for in English.
surveyLocalization.defaultLocale = "sv";

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

/** Compiles (once per key) a questionnaire for validation. `key` is the definition hash. */
export function compileQuestionnaire(key: string, json: object | (() => object)): CompiledQuestionnaire {
  const hit = cache.get(key);
  if (hit) return hit;
  const model = new Model(typeof json === "function" ? json() : json);
  model.locale = "en";
  const questions = new Map<string, QuestionInfo>();
  for (const q of model.getAllQuestions(false)) questions.set(q.name, describe(q));
  const compiled = { model, questions };
  cache.set(key, compiled);
  return compiled;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function checkValue(info: QuestionInfo, value: unknown): string | null {
  switch (info.kind) {
    case "choice":
      if (typeof value !== "string" && typeof value !== "number") return "Expected one of the listed values";
      return info.choices.has(value) ? null : `Not one of the listed values: ${JSON.stringify(value)}`;
    case "multi": {
      if (!Array.isArray(value)) return "Expected a list of values";
      const seen = new Set<unknown>();
      for (const v of value) {
        if ((typeof v !== "string" && typeof v !== "number") || !info.choices.has(v)) {
          return `Not one of the listed values: ${JSON.stringify(v)}`;
        }
        if (seen.has(v)) return `Value listed twice: ${JSON.stringify(v)}`;
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
      if (!value.isWellFormed()) return "Text is not valid Unicode";
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

/**
 * Validates answers against a compiled questionnaire. Returns the answers with empty values
 * dropped, or every problem found keyed by question name.
 */
export function validateAnswers(compiled: CompiledQuestionnaire, answers: unknown): ValidationResult {
  if (answers === null || typeof answers !== "object" || Array.isArray(answers)) {
    return { ok: false, error: "answers must be an object", fields: {} };
  }
  const fields: FieldErrors = {};
  const add = (name: string, message: string) => (fields[name] ??= []).push(message);
  const cleaned: Answers = {};
  for (const name of Object.keys(answers)) {
    const value = (answers as Record<string, unknown>)[name];
    const info = compiled.questions.get(name);
    if (!info) {
      add(name, "Unknown question");
      continue;
    }
    if (isEmpty(value)) continue;
    const problem = checkValue(info, value);
    if (problem) add(name, problem);
    else cleaned[name] = value as Answers[string];
  }
  if (Object.keys(fields).length > 0) return { ok: false, error: "Invalid answers", fields };

  // survey-core: visibility rules, required questions, its own validators. The model is shared,
  // so everything from here to the end runs synchronously.
  const { model } = compiled;
  model.clear(true, true);
  model.data = cleaned;
  model.clearIncorrectValues(true);
  const kept = model.data as Record<string, unknown>;
  for (const name of Object.keys(cleaned)) {
    if (!(name in kept)) add(name, "Value not accepted by the questionnaire");
  }
  for (const name of Object.keys(cleaned)) {
    const question = model.getQuestionByName(name);
    if (question && !question.isVisible) add(name, "Question is not shown for these answers");
  }
  model.validate(true, false);
  for (const question of model.getAllQuestions(true)) {
    for (const e of question.errors) add(question.name, e.getText());
  }
  model.clear(true, true);
  if (Object.keys(fields).length > 0) return { ok: false, error: "Invalid answers", fields };
  return { ok: true, answers: cleaned };
}
