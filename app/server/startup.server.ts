/**
 * What happens before the server listens: migrate, publish the editions the series files plan,
 * give published editions the files' new translations (decision 014), and load example data on
 * a fresh database (unless DEMO_DATA=off).
 */
import type { Db } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { DEMO_USERS, hasDemoData, isFreshDatabase, loadDemoData } from "~/models/demo.server";
import { publishPlannedEditions, syncEditionTranslations, type TranslationSync } from "~/models/survey.server";
import { purgeAuditEvents } from "~/models/audit.server";

export interface StartupReport {
  migrations: string[];
  editions: string[];
  translations: TranslationSync;
  /** Audit events older than the retention period, deleted now. */
  auditPurged: number;
  demoLoaded: boolean;
  demoPresent: boolean;
}

export async function prepareDatabase({
  db,
  demoData,
  auditRetentionDays = 365,
}: {
  db: Db;
  demoData: boolean;
  auditRetentionDays?: number;
}): Promise<StartupReport> {
  const migrations = await migrateToLatest(db);
  const auditPurged = await purgeAuditEvents({ db, days: auditRetentionDays });
  const fresh = await isFreshDatabase({ db });
  const editions = await publishPlannedEditions({ db });
  let demoLoaded = false;
  if (fresh && demoData) {
    await loadDemoData({ db });
    demoLoaded = true;
  }
  const translations = await syncEditionTranslations({ db });
  return { migrations, editions, translations, auditPurged, demoLoaded, demoPresent: demoData && (await hasDemoData({ db })) };
}

/** The lines printed at start about example data (only while it is loaded). */
export function demoNotice(): string[] {
  return [
    "Example data is loaded (synthetic answers, marked as such on every page).",
    "Example staff sign-ins:",
    ...DEMO_USERS.map((u) => `  ${u.role.padEnd(12)} ${u.email}  password: ${u.password}`),
    "Remove it with: npm run cli -- demo --remove   (or start with DEMO_DATA=off on a new database)",
  ];
}
