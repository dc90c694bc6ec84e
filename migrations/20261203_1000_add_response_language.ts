// Frozen: never edit after it has run anywhere; add a new migration instead.
import type { Kysely } from "kysely";

// The language a response was answered in (sv, en, ar, fa, so, fi): who the survey reaches in
// which language. Null for responses stored before this migration, imports and example data.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("response").addColumn("language", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("response").dropColumn("language").execute();
}
