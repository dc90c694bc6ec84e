/**
 * Turns a CSV row (safety-survey.md: one column per question code, empty cell = unanswered,
 * multi-choice codes joined by `|`) into an answers object typed as the questionnaire expects.
 * Values that cannot be typed are passed through as text, so validation reports them.
 */
import type { CompiledQuestionnaire, QuestionInfo } from "./validate.server";
import type { AnswerValue, Answers } from "~/stats/types";

export function answersFromCsv(compiled: CompiledQuestionnaire, header: string[], fields: string[]): {
  answers: Answers;
  unknownColumns: string[];
} {
  const answers: Answers = {};
  const unknownColumns: string[] = [];
  header.forEach((name, index) => {
    const cell = fields[index] ?? "";
    const info = compiled.questions.get(name);
    if (!info) {
      unknownColumns.push(name);
      return;
    }
    if (cell === "") return;
    answers[name] = typedCell(info, cell);
  });
  return { answers, unknownColumns };
}

/** Distinct cells remembered per column: a coded column has a handful, free text is not kept. */
const REMEMBERED_CELLS = 256;

/**
 * answersFromCsv for many rows of one header: each column's question is looked up once, and a
 * coded column's typed value is worked out once per distinct cell (an import reads millions of
 * cells and a coded column has a handful of values). Same results as answersFromCsv
 * (tests/integration/import-equivalence.test.ts compares them).
 */
export function csvAnswerReader(
  compiled: CompiledQuestionnaire,
  header: string[],
): (fields: string[]) => { answers: Answers; unknownColumns: string[] } {
  const unknownColumns = header.filter((name) => !compiled.questions.has(name));
  const columns = header.flatMap((name, index) => {
    const info = compiled.questions.get(name);
    if (!info) return [];
    // Text is kept as given; the other kinds map a cell to the same value every time.
    const seen = info.kind === "text" ? null : new Map<string, AnswerValue>();
    return [{ name, index, info, seen }];
  });
  return (fields) => {
    const answers: Answers = {};
    for (const { name, index, info, seen } of columns) {
      const cell = fields[index] ?? "";
      if (cell === "") continue;
      if (!seen) {
        answers[name] = typedCell(info, cell);
        continue;
      }
      let value = seen.get(cell);
      if (value === undefined) {
        value = typedCell(info, cell);
        if (seen.size < REMEMBERED_CELLS) seen.set(cell, value);
      }
      // A list is copied: every answer set owns its values.
      answers[name] = Array.isArray(value) ? (value.slice() as AnswerValue) : value;
    }
    return { answers, unknownColumns: unknownColumns.slice() };
  };
}

function typedCell(info: QuestionInfo, cell: string): AnswerValue {
  switch (info.kind) {
    case "choice": {
      const numeric = /^-?\d+(\.\d+)?$/.test(cell) && info.choices.has(Number(cell));
      return numeric ? Number(cell) : cell;
    }
    case "multi":
      return cell.split("|").map((v) => (/^-?\d+$/.test(v) && info.choices.has(Number(v)) ? Number(v) : v)) as string[];
    case "number":
      return /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
    case "boolean":
      return cell === "true" || cell === "1" ? true : cell === "false" || cell === "0" ? false : cell;
    default:
      return cell;
  }
}
