// Frozen: never edit after it has run anywhere; add a new migration instead.
import type { Kysely } from "kysely";

// Every submission writes one response_value row per measure; a second index on them cost a
// fifth of a submission's database time and served only maintenance deletes, which now go
// through the primary key (response_id, measure_key) via the response table.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("response_value_edition").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("response_value_edition").on("response_value").columns(["edition_id", "measure_key"]).execute();
}
