/**
 * Runs the migrations in migrations/ with Kysely's Migrator. A failed migration throws with
 * its name and error, so the server does not start on a half-migrated database.
 */
import { Migrator, type Kysely, type MigrationProvider } from "kysely";
import { migrations } from "../../migrations/index";

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>, source: MigrationProvider = provider): Promise<string[]> {
  const migrator = new Migrator({ db, provider: source });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : "";
    const cause = error instanceof Error ? error.message : String(error ?? "unknown error");
    throw new Error(`Migration failed${name}: ${cause}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
