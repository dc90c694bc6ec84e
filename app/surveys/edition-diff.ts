/**
 * What changed between two editions of a series: questions and choices added, removed or reworded
 * (their Swedish text, the source), and measure definitions changed. A changed measure breaks the
 * year-over-year comparison of that measure (statistics.md: a comparison needs the same
 * definition), so it is flagged `breaking`. Pure: takes the two definitions as JSON.
 */
export interface QuestionChange {
  kind: "added" | "removed" | "reworded";
  question: string;
  /** The Swedish text now (added, reworded) or before (removed). */
  text: string;
  before?: string;
}

export interface ChoiceChange {
  kind: "added" | "removed" | "reworded";
  question: string;
  value: string;
  text: string;
  before?: string;
}

export interface MeasureChange {
  kind: "added" | "removed" | "changed";
  measure: string;
  /** True for every removed or changed measure: its figures cannot be compared with last year's. */
  breaking: boolean;
}

export interface EditionDiff {
  questions: QuestionChange[];
  choices: ChoiceChange[];
  measures: MeasureChange[];
  /** Any change that breaks a comparison with the earlier edition. */
  breaking: boolean;
  /** Nothing differs (translations aside). */
  same: boolean;
}

interface Question {
  text: string;
  choices: Map<string, string>;
}

function swedish(text: unknown): string {
  if (typeof text === "string") return text;
  if (text && typeof text === "object") {
    const t = text as Record<string, unknown>;
    return String(t.default ?? t.sv ?? "");
  }
  return "";
}

/** Every named question of a SurveyJS definition (panels and pages walked), by name. */
export function questionsOf(definition: unknown): Map<string, Question> {
  const out = new Map<string, Question>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const element = node as Record<string, unknown>;
    const type = element.type;
    if (typeof element.name === "string" && typeof type === "string" && type !== "panel" && type !== "html") {
      const choices = new Map<string, string>();
      const list = [...(Array.isArray(element.choices) ? element.choices : []), ...(Array.isArray(element.rateValues) ? element.rateValues : [])];
      for (const c of list) {
        if (c && typeof c === "object") choices.set(String((c as Record<string, unknown>).value), swedish((c as Record<string, unknown>).text));
        else choices.set(String(c), String(c));
      }
      for (const key of ["rows", "columns"]) {
        if (Array.isArray(element[key])) {
          for (const c of element[key] as unknown[]) {
            const value = c && typeof c === "object" ? String((c as Record<string, unknown>).value) : String(c);
            choices.set(`${key}:${value}`, c && typeof c === "object" ? swedish((c as Record<string, unknown>).text) : String(c));
          }
        }
      }
      out.set(element.name, { text: swedish(element.title) || element.name, choices });
    }
    if (Array.isArray(element.pages)) walk(element.pages);
    if (Array.isArray(element.elements)) walk(element.elements);
  };
  walk(definition);
  return out;
}

interface MeasureLike {
  measures?: { key: string }[];
}

function measuresByKey(set: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of (set as MeasureLike | null)?.measures ?? []) {
    // The definition without its display texts: a renamed measure is the same measure.
    const { name: _name, formula: _formula, ...rest } = m as Record<string, unknown>;
    out.set(m.key, JSON.stringify(rest));
  }
  return out;
}

/** The changes from `before` (last year's edition) to `after` (the one about to be published). */
export function diffEditions(
  before: { questionnaire: unknown; measures: unknown },
  after: { questionnaire: unknown; measures: unknown },
): EditionDiff {
  const questions: QuestionChange[] = [];
  const choices: ChoiceChange[] = [];
  const old = questionsOf(before.questionnaire);
  const now = questionsOf(after.questionnaire);
  for (const [name, q] of now) {
    const was = old.get(name);
    if (!was) {
      questions.push({ kind: "added", question: name, text: q.text });
      continue;
    }
    if (was.text !== q.text) questions.push({ kind: "reworded", question: name, text: q.text, before: was.text });
    for (const [value, text] of q.choices) {
      const prior = was.choices.get(value);
      if (prior === undefined) choices.push({ kind: "added", question: name, value, text });
      else if (prior !== text) choices.push({ kind: "reworded", question: name, value, text, before: prior });
    }
    for (const [value, text] of was.choices) {
      if (!q.choices.has(value)) choices.push({ kind: "removed", question: name, value, text });
    }
  }
  for (const [name, q] of old) if (!now.has(name)) questions.push({ kind: "removed", question: name, text: q.text });

  const measures: MeasureChange[] = [];
  const oldM = measuresByKey(before.measures);
  const newM = measuresByKey(after.measures);
  for (const [key, def] of newM) {
    const was = oldM.get(key);
    if (was === undefined) measures.push({ kind: "added", measure: key, breaking: false });
    else if (was !== def) measures.push({ kind: "changed", measure: key, breaking: true });
  }
  for (const key of oldM.keys()) if (!newM.has(key)) measures.push({ kind: "removed", measure: key, breaking: true });

  return {
    questions,
    choices,
    measures,
    breaking: measures.some((m) => m.breaking),
    same: questions.length === 0 && choices.length === 0 && measures.length === 0,
  };
}
