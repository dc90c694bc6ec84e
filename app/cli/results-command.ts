/**
 * `cli results`: the same figures as GET /api/results/<series>, as JSON (or CSV) on stdout.
 */
import { getDb } from "~/db/db.server";
import { resultsOutput, ResultsError } from "~/models/results.server";
import { parseResultsParams } from "~/utils/results-params";
import type { Command } from "./command";
import { required, UsageError } from "./errors";
import { writeOut } from "./output";

export const resultsCommands: Record<string, Command> = {
  results: {
    summary: "Print a year's figures as JSON (or CSV), exactly as the results API answers.",
    usage: "results --series S --year Y [--by area|gender|age_group] [--weighted] [--compare-to Y0] [--format json|csv]",
    options: {
      series: { type: "string" },
      year: { type: "string" },
      by: { type: "string" },
      weighted: { type: "boolean" },
      "compare-to": { type: "string" },
      format: { type: "string" },
    },
    async run(values) {
      const seriesId = required(values, "series");
      const entries: [string, string][] = [];
      if (typeof values.year === "string") entries.push(["year", values.year]);
      if (typeof values.by === "string") entries.push(["by", values.by]);
      if (values.weighted) entries.push(["weighted", "true"]);
      if (typeof values["compare-to"] === "string") entries.push(["compareTo", values["compare-to"]]);
      if (typeof values.format === "string") entries.push(["format", values.format]);
      const parsed = parseResultsParams(entries);
      if (!parsed.ok) throw new UsageError(parsed.error.replace("compareTo", "--compare-to"));
      try {
        const output = await resultsOutput({ db: getDb(), seriesId, params: parsed.params });
        await writeOut(output.format === "json" ? `${JSON.stringify(output.doc, null, 2)}\n` : output.csv);
      } catch (error) {
        if (error instanceof ResultsError) throw new Error(error.message);
        throw error;
      }
    },
  },
};
