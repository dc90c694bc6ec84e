// Frozen: never edit after it has run anywhere; add a new migration instead.
// Never import app code here. Types are chosen to mean the same on SQLite and PostgreSQL.
import type { Kysely } from "kysely";

// The audit trail (decision 023): who did what security-relevant thing, when and from where.
// No foreign key to app_user: the trail outlives a deleted account.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("audit_event")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("account_id", "text")
    .addColumn("email", "text")
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("detail", "text")
    .execute();
  await db.schema.createIndex("audit_event_at").on("audit_event").columns(["at"]).execute();
  await db.schema.createIndex("audit_event_event_at").on("audit_event").columns(["event", "at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_event").execute();
}
