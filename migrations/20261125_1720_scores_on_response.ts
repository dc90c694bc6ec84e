// Frozen: never edit after it has run anywhere; add a new migration instead.
import type { Kysely } from "kysely";

// A response's measure values move from one response_value row per measure onto the response
// itself (scores_json): a submission then writes one row instead of eighteen, which was half of
// its database time. The figures never read them (they come from cell_stat); `cli recompute`
// fills scores_json for responses stored before this migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("response").addColumn("scores_json", "text").execute();
  await db.schema.dropTable("response_value").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("response_value")
    .addColumn("response_id", "text", (c) => c.notNull().references("response.id").onDelete("cascade"))
    .addColumn("edition_id", "text", (c) => c.notNull())
    .addColumn("measure_key", "text", (c) => c.notNull())
    .addColumn("y", "double precision")
    .addColumn("dont_know", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("response_value_pk", ["response_id", "measure_key"])
    .execute();
  await db.schema.alterTable("response").dropColumn("scores_json").execute();
}
