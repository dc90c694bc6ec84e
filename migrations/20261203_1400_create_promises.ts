// Frozen: never edit after it has run anywhere; add a new migration instead.
// Never import app code here. Types are chosen to mean the same on SQLite and PostgreSQL.
import type { Kysely } from "kysely";

// The citizen promises' loop (issue 18): a year's promises and their indicators, the activities
// both parties log (every earlier version kept), the coordinators' assessment, the promises'
// status changes (the public Atom feed) and the signing that freezes a year.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("promise_year")
    .addColumn("year", "integer", (c) => c.primaryKey())
    .addColumn("signed_on", "text")
    .addColumn("signatory_roles", "text")
    .addColumn("signed_by", "text")
    .addColumn("signed_at", "text")
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("promise")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("year", "integer", (c) => c.notNull().references("promise_year.year"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("carried_by", "text", (c) => c.notNull())
    .addColumn("valid_from", "text", (c) => c.notNull())
    .addColumn("valid_to", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("drafted_from", "text")
    .addColumn("motivation_json", "text")
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("promise_year_position").on("promise").columns(["year", "position"]).execute();

  await db.schema
    .createTable("promise_indicator")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("promise_id", "text", (c) => c.notNull().references("promise.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("series_id", "text")
    .addColumn("measure_key", "text")
    .addColumn("group_by", "text")
    .addColumn("group_value", "text")
    .addColumn("activity_kind", "text")
    .addColumn("target", "integer")
    .execute();
  await db.schema.createIndex("promise_indicator_promise").on("promise_indicator").columns(["promise_id"]).execute();

  await db.schema
    .createTable("promise_event")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("promise_id", "text", (c) => c.notNull().references("promise.id").onDelete("cascade"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("promise_event_year").on("promise_event").columns(["year", "at"]).execute();

  await db.schema
    .createTable("promise_assessment")
    .addColumn("promise_id", "text", (c) => c.primaryKey().references("promise.id").onDelete("cascade"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("promise_activity")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("promise_id", "text", (c) => c.references("promise.id").onDelete("set null"))
    .addColumn("done_on", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("party", "text", (c) => c.notNull())
    .addColumn("vehicles_checked", "integer")
    .addColumn("tip_sites", "integer")
    .addColumn("participants", "integer")
    .addColumn("logged_by", "text", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("promise_activity_year").on("promise_activity").columns(["year", "done_on"]).execute();

  await db.schema
    .createTable("promise_activity_version")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("activity_id", "text", (c) => c.notNull().references("promise_activity.id").onDelete("cascade"))
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("snapshot_json", "text", (c) => c.notNull())
    .addColumn("replaced_at", "text", (c) => c.notNull())
    .addColumn("replaced_by", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("promise_activity_version_activity").on("promise_activity_version").columns(["activity_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("promise_activity_version").execute();
  await db.schema.dropTable("promise_activity").execute();
  await db.schema.dropTable("promise_assessment").execute();
  await db.schema.dropTable("promise_event").execute();
  await db.schema.dropTable("promise_indicator").execute();
  await db.schema.dropTable("promise").execute();
  await db.schema.dropTable("promise_year").execute();
}
