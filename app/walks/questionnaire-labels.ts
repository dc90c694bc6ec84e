/**
 * Question titles and choice texts of a SurveyJS definition in the page's language ("default" is
 * Swedish in our questionnaires), for staff pages that show codes as words. Pure.
 */
import type { Language } from "~/i18n/languages";

type Texts = string | Record<string, string> | undefined;

export function localText(text: Texts, language: Language): string {
  if (text === undefined) return "";
  if (typeof text === "string") return text;
  return text[language] ?? text.default ?? text.sv ?? Object.values(text)[0] ?? "";
}

export interface QuestionInfo {
  name: string;
  type: string;
  title: string;
  isRequired: boolean;
  maxLength: number | null;
  choices: { value: string | number; text: string }[];
}

/** Every question of the definition, in order, with its title and choices in `language`. */
export function questionsOf(definition: unknown, language: Language): QuestionInfo[] {
  const out: QuestionInfo[] = [];
  const walk = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const e of elements as Record<string, unknown>[]) {
      if (Array.isArray(e.elements)) walk(e.elements);
      if (e.type === "panel" || e.type === "html" || typeof e.name !== "string") continue;
      const choices = Array.isArray(e.choices)
        ? (e.choices as unknown[]).map((c) =>
            c !== null && typeof c === "object"
              ? { value: (c as { value: string | number }).value, text: localText((c as { text?: Texts }).text, language) || String((c as { value: unknown }).value) }
              : { value: c as string | number, text: String(c) },
          )
        : [];
      // SurveyJS's "none" choice (exclusive in a checkbox question) is part of the answers too.
      if (e.showNoneItem === true) choices.push({ value: "none", text: localText(e.noneText as Texts, language) || "none" });
      out.push({
        name: e.name,
        type: String(e.type),
        title: localText(e.title as Texts, language) || e.name,
        isRequired: e.isRequired === true,
        maxLength: typeof e.maxLength === "number" ? e.maxLength : null,
        choices,
      });
    }
  };
  for (const page of ((definition as { pages?: { elements?: unknown }[] })?.pages ?? [])) walk(page.elements);
  return out;
}

/** code → text of one question's choices. */
export function choiceLabels(definition: unknown, question: string, language: Language): Record<string, string> {
  const q = questionsOf(definition, language).find((x) => x.name === question);
  return Object.fromEntries((q?.choices ?? []).map((c) => [String(c.value), c.text]));
}
