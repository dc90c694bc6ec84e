/**
 * `cli results`: the same figures as GET /api/results/<series>, as JSON (or CSV) on stdout.
 */
import { getDb } from "~/db/db.server";
import { getResults, ResultsError } from "~/models/results.server";
import { editionMeasures, getEditionByYear } from "~/models/survey.server";
import { resultsToCsv } from "~/utils/results-csv";
import { parseResultsParams } from "~/utils/results-params";
import type { Command } from "./main";
import { UsageError } from "./errors";

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
      const seriesId = values.series;
      if (typeof seriesId !== "string" || seriesId === "") throw new UsageError("--series is required");
      const entries: [string, string][] = [];
      if (typeof values.year === "string") entries.push(["year", values.year]);
      if (typeof values.by === "string") entries.push(["by", values.by]);
      if (values.weighted) entries.push(["weighted", "true"]);
      if (typeof values["compare-to"] === "string") entries.push(["compareTo", values["compare-to"]]);
      if (typeof values.format === "string") entries.push(["format", values.format]);
      const parsed = parseResultsParams(entries);
      if (!parsed.ok) throw new UsageError(parsed.error.replace("compareTo", "--compare-to"));
      const { year, by, weighted, compareTo, format } = parsed.params;
      const db = getDb();
      try {
        const doc = await getResults({ db, seriesId, year, by, weighted, compareTo });
        if (format === "csv") {
          const edition = await getEditionByYear({ db, seriesId, year });
          process.stdout.write(resultsToCsv(doc, edition ? editionMeasures(edition) : null));
        } else {
          process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        }
      } catch (error) {
        if (error instanceof ResultsError) throw new Error(error.message);
        throw error;
      }
    },
  },
};
