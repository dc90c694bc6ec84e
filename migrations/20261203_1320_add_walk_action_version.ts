// Frozen: never edit after it has run anywhere; add a new migration instead.
import type { Kysely } from "kysely";

// A version number on each walk action, raised by every status change: a change names the version
// it was made from, so two people changing the same action at once cannot overwrite each other
// silently (the second is told; decision 028).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("walk_action").addColumn("version", "integer", (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("walk_action").dropColumn("version").execute();
}
