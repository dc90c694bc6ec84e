/** export-responses: a year's answers as CSV (with the language each was given in). */
import fs from "node:fs";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { exportResponsesCsv } from "~/models/response-export.server";
import { required, requiredYear } from "./errors";
import type { Command } from "./main";

export const exportCommands: Record<string, Command> = {
  "export-responses": {
    summary: "Write a year's responses as CSV (import format, plus submitted_on, channel and language).",
    usage: "export-responses --series trygghetsmatning --year 2025 [--file responses.csv]",
    options: { series: { type: "string" }, year: { type: "string" }, file: { type: "string" } },
    async run(values) {
      const seriesId = required(values, "series");
      const year = requiredYear(values);
      await migrateToLatest(getDb());
      const { csv, rows } = await exportResponsesCsv({ db: getDb(), seriesId, year });
      const file = values.file as string | undefined;
      if (file) {
        fs.writeFileSync(file, csv);
        console.log(`Wrote ${rows} responses to ${file}`);
      } else {
        process.stdout.write(csv);
      }
    },
  },
};
