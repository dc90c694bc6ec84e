/**
 * The results table as CSV: one row per measure and group, decimal point, UTF-8 with BOM (Excel
 * opens å, ä and ö right), the comparison's columns beside each row when there is one.
 * Suppressed rows carry no figures.
 */
import type { MeasureSet, ResultsDocument } from "~/stats/types";
import { groupKey } from "~/stats/results";
import { toCsv } from "./csv";

export function resultsToCsv(doc: ResultsDocument, measureSet: MeasureSet | null): string {
  const names = new Map<string, string>();
  for (const m of measureSet?.measures ?? []) names.set(m.key, m.name.sv);
  if (measureSet?.problemIndex) names.set(measureSet.problemIndex.key, measureSet.problemIndex.name.sv);
  const comparison = new Map((doc.comparison?.measures ?? []).map((c) => [`${c.key}\u0000${groupKey(c.group)}`, c]));
  const header = [
    "series", "year", "weighted", "measure", "measure_name", "group_variable", "group_value", "n",
    "estimate", "se", "ci_low", "ci_high", "suppressed", "low_precision", "dont_know_n", "dont_know_share",
  ];
  if (doc.comparison) {
    header.push("compare_from", "diff", "diff_se", "diff_ci_low", "diff_ci_high", "p", "significant", "not_comparable_reason");
  }
  const rows = doc.measures.map((m) => {
    const [variable, value] = Object.entries(m.group)[0] ?? ["", ""];
    const row: (string | number | boolean | null)[] = [
      doc.series, doc.year, doc.weighted, m.key, names.get(m.key) ?? "", variable, value, m.n,
      m.estimate, m.se, m.ci?.[0] ?? null, m.ci?.[1] ?? null, m.suppressed, m.lowPrecision,
      m.dontKnow.n, m.dontKnow.share,
    ];
    if (doc.comparison) {
      const c = comparison.get(`${m.key}\u0000${groupKey(m.group)}`);
      row.push(doc.comparison.from);
      if (c && c.comparable) row.push(c.diff, c.se, c.ci[0], c.ci[1], c.p, c.significant, "");
      else row.push(null, null, null, null, null, null, c && !c.comparable ? c.reason : "missing");
    }
    return row;
  });
  return toCsv(header, rows);
}
