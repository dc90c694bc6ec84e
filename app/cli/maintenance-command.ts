/**
 * Maintenance commands: recompute figures, delete a year's raw answers, SQLite backup/restore.
 */
import path from "node:path";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { backupSqlite, restoreSqlite } from "~/db/sqlite-backup.server";
import { cliAddress, recordAudit } from "~/models/audit.server";
import { deleteRawAnswers, recomputeEdition } from "~/models/maintenance.server";
import { listEditions } from "~/models/survey.server";
import { getEnv } from "~/utils/env.server";
import { required, requiredYear, UsageError } from "./errors";
import type { Command } from "./command";
import { createProgress } from "./progress";

function sqliteFile(): string {
  const config = getEnv().database;
  if (config.kind !== "sqlite" || config.filename === ":memory:") {
    throw new UsageError("backup and restore are for the SQLite database; use pg_dump and pg_restore for PostgreSQL");
  }
  return config.filename;
}

export const maintenanceCommands: Record<string, Command> = {
  recompute: {
    summary: "Rebuild the per-response measure values and cell statistics from stored answers.",
    usage: "recompute --series S [--year Y] [--update-definitions]",
    options: { series: { type: "string" }, year: { type: "string" }, "update-definitions": { type: "boolean" } },
    async run(values) {
      const seriesId = required(values, "series");
      const db = getDb();
      await migrateToLatest(db);
      const years = values.year !== undefined ? [requiredYear(values)] : (await listEditions({ db, seriesId })).map((e) => e.year);
      if (years.length === 0) throw new Error(`No editions of ${seriesId}`);
      for (const year of years) {
        const progress = createProgress(`Recomputing ${seriesId}-${year}`);
        const report = await recomputeEdition({
          db,
          seriesId,
          year,
          adoptCurrentDefinitions: Boolean(values["update-definitions"]),
          onProgress: (d, t) => progress.update(d, t),
        });
        const changed = report.definitionsChanged.length > 0 ? `; changed definitions: ${report.definitionsChanged.join(", ")}` : "";
        console.log(`${report.editionId}: ${report.responses} responses, measures version ${report.measuresVersion ?? "none"}${changed}`);
      }
    },
  },
  "delete-answers": {
    summary: "Delete a year's raw answers (free text included) but keep its published figures.",
    usage: "delete-answers --series S --year Y --confirm",
    options: { series: { type: "string" }, year: { type: "string" }, confirm: { type: "boolean" } },
    async run(values) {
      const seriesId = required(values, "series");
      const year = requiredYear(values);
      if (!values.confirm) throw new UsageError("This deletes every answer of the year for good: add --confirm");
      await migrateToLatest(getDb());
      const result = await deleteRawAnswers({ db: getDb(), seriesId, year });
      console.log(`Deleted ${result.deleted} raw answers of ${result.editionId}; its figures remain available.`);
    },
  },
  backup: {
    summary: "Online backup of the SQLite database to a new file (safe while the server runs).",
    usage: "backup --file backup.sqlite",
    options: { file: { type: "string" } },
    async run(values) {
      const target = path.resolve(required(values, "file"));
      const progress = createProgress("Backing up");
      const result = await backupSqlite({ source: sqliteFile(), target, onProgress: (d, t) => progress.update(d, t) });
      // A backup holds every answer, free text included: the trail says who took one, and where.
      await migrateToLatest(getDb());
      await recordAudit({ db: getDb(), event: "export-database", address: cliAddress(), detail: { target: path.basename(target), method: "cli" } });
      console.log(`Backed up ${result.pages} pages (${result.bytes} bytes) to ${target}; integrity check ok.`);
    },
  },
  restore: {
    summary: "Replace the SQLite database with a backup (stop the server first).",
    usage: "restore --file backup.sqlite --confirm",
    options: { file: { type: "string" }, confirm: { type: "boolean" } },
    async run(values) {
      const backupFile = path.resolve(required(values, "file"));
      if (!values.confirm) throw new UsageError("This replaces the whole database: stop the server and add --confirm");
      const result = await restoreSqlite({ backupFile, target: sqliteFile() });
      console.log(`Restored ${result.pages} pages from ${backupFile}.`);
    },
  },
};
