/**
 * The parameters of a results request, shared by GET /api/results/<series> and `cli results`,
 * so both accept and refuse exactly the same things.
 */
import type { GroupBy } from "~/stats/types";

export interface ResultsParams {
  year: number;
  by: GroupBy;
  weighted: boolean;
  compareTo: number | null;
  format: "json" | "csv";
}

const KNOWN = new Set(["year", "by", "weighted", "compareTo", "format"]);
const BY = new Set(["area", "gender", "age_group"]);

function parseYear(value: string, name: string): number | string {
  if (!/^\d{4}$/.test(value)) return `${name} must be a year such as 2025`;
  return Number(value);
}

/** Parses and checks the parameters; unknown ones are refused by name. */
export function parseResultsParams(
  entries: Iterable<[string, string]>,
): { ok: true; params: ResultsParams } | { ok: false; error: string } {
  const values = new Map<string, string>();
  for (const [key, value] of entries) {
    if (!KNOWN.has(key)) return { ok: false, error: `Unknown parameter: ${key} (use ${[...KNOWN].join(", ")})` };
    if (values.has(key)) return { ok: false, error: `Parameter given twice: ${key}` };
    values.set(key, value);
  }
  const yearText = values.get("year");
  if (yearText === undefined) return { ok: false, error: "year is required" };
  const year = parseYear(yearText, "year");
  if (typeof year === "string") return { ok: false, error: year };
  const byText = values.get("by") ?? "";
  if (byText !== "" && !BY.has(byText)) return { ok: false, error: "by must be area, gender or age_group" };
  const weightedText = values.get("weighted") ?? "false";
  if (!/^(true|false|1|0)$/.test(weightedText)) return { ok: false, error: "weighted must be true or false" };
  let compareTo: number | null = null;
  const compareText = values.get("compareTo");
  if (compareText !== undefined && compareText !== "") {
    const parsed = parseYear(compareText, "compareTo");
    if (typeof parsed === "string") return { ok: false, error: parsed };
    if (parsed === year) return { ok: false, error: "compareTo must be another year than year" };
    compareTo = parsed;
  }
  const format = values.get("format") ?? "json";
  if (format !== "json" && format !== "csv") return { ok: false, error: "format must be json or csv" };
  return {
    ok: true,
    params: {
      year,
      by: byText === "" ? null : (byText as GroupBy),
      weighted: weightedText === "true" || weightedText === "1",
      compareTo,
      format,
    },
  };
}
