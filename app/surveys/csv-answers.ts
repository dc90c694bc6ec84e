/**
 * Turns a CSV row (safety-survey.md: one column per question code, empty cell = unanswered,
 * multi-choice codes joined by `|`) into an answers object typed as the questionnaire expects.
 * Values that cannot be typed are passed through as text, so validation reports them.
 */
import type { CompiledQuestionnaire } from "./validate.server";
import type { Answers } from "~/stats/types";

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
    switch (info.kind) {
      case "choice": {
        const numeric = /^-?\d+(\.\d+)?$/.test(cell) && info.choices.has(Number(cell));
        answers[name] = numeric ? Number(cell) : cell;
        break;
      }
      case "multi":
        answers[name] = cell.split("|").map((v) => (/^-?\d+$/.test(v) && info.choices.has(Number(v)) ? Number(v) : v)) as string[];
        break;
      case "number":
        answers[name] = /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
        break;
      case "boolean":
        answers[name] = cell === "true" || cell === "1" ? true : cell === "false" || cell === "0" ? false : cell;
        break;
      default:
        answers[name] = cell;
    }
  });
  return { answers, unknownColumns };
}
