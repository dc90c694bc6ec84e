/**
 * purge-audit: deletes audit events older than AUDIT_RETENTION_DAYS (the server also does it at
 * start and once a day).
 */
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { cliAddress, purgeAuditEvents, recordAudit } from "~/models/audit.server";
import { getEnv } from "~/utils/env.server";
import type { Command } from "./command";

export const auditCommands: Record<string, Command> = {
  "purge-audit": {
    summary: "Delete audit events older than AUDIT_RETENTION_DAYS (default 365).",
    usage: "purge-audit",
    options: {},
    async run() {
      const db = getDb();
      await migrateToLatest(db);
      const days = getEnv().auditRetentionDays;
      const count = await purgeAuditEvents({ db, days });
      await recordAudit({ db, event: "audit-purged", address: cliAddress(), detail: { count, days } });
      console.log(`Deleted ${count} audit events older than ${days} days.`);
    },
  },
};
