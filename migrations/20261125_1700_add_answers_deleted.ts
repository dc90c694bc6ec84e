// Frozen: never edit after it has run anywhere; add a new migration instead.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // The date a year's raw answers were deleted (its figures are kept in cell_stat).
  await db.schema.alterTable("survey_edition").addColumn("answers_deleted_on", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("survey_edition").dropColumn("answers_deleted_on").execute();
}
