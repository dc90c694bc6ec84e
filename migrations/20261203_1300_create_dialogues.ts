// Frozen: never edit after it has run anywhere; add a new migration instead.
// Never import app code here. Types are chosen to mean the same on SQLite and PostgreSQL.
import type { Kysely } from "kysely";

// Dialogue sessions (citizen dialogues, site visits, safety walks, traffic-tip collections) and
// the safety walks' stops and actions (issue 17). A stop is what the walk saw; an action is what
// someone should do about it, with a status whose every change is kept in walk_action_event.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dialogue_session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("edition_id", "text", (c) => c.notNull().references("survey_edition.id"))
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("held_on", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("facilitator_id", "text", (c) => c.notNull().references("app_user.id"))
    .addColumn("opened_at", "text")
    .addColumn("closed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("dialogue_session_facilitator").on("dialogue_session").columns(["facilitator_id"]).execute();
  await db.schema.createIndex("response_session").on("response").columns(["session_id"]).execute();

  await db.schema
    .createTable("walk_stop")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull().references("dialogue_session.id"))
    .addColumn("client_id", "text", (c) => c.notNull().unique())
    .addColumn("place_name", "text", (c) => c.notNull())
    .addColumn("latitude", "double precision")
    .addColumn("longitude", "double precision")
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("observation", "text", (c) => c.notNull())
    .addColumn("recorded_on", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("walk_stop_session").on("walk_stop").columns(["session_id"]).execute();

  await db.schema
    .createTable("walk_action")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("stop_id", "text", (c) => c.notNull().references("walk_stop.id"))
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("proposal", "text", (c) => c.notNull())
    .addColumn("responsible", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("status_on", "text", (c) => c.notNull())
    .addColumn("status_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("walk_action_area_status").on("walk_action").columns(["area", "status"]).execute();

  await db.schema
    .createTable("walk_action_event")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("action_id", "text", (c) => c.notNull().references("walk_action.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("status_on", "text", (c) => c.notNull())
    .addColumn("changed_by", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("walk_action_event_action").on("walk_action_event").columns(["action_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("walk_action_event").execute();
  await db.schema.dropTable("walk_action").execute();
  await db.schema.dropTable("walk_stop").execute();
  await db.schema.dropIndex("response_session").execute();
  await db.schema.dropTable("dialogue_session").execute();
}
