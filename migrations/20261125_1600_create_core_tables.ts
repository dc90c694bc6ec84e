// Frozen: never edit after it has run anywhere; add a new migration instead.
// Never import app code here. Types are chosen to mean the same on SQLite and PostgreSQL.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("survey_series")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title_sv", "text", (c) => c.notNull())
    .addColumn("title_en", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("survey_edition")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("series_id", "text", (c) => c.notNull().references("survey_series.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("opens_on", "text")
    .addColumn("closes_on", "text")
    .addColumn("questionnaire_json", "text", (c) => c.notNull())
    .addColumn("measures_json", "text")
    .addColumn("measures_version", "text")
    .addColumn("definition_hash", "text", (c) => c.notNull())
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint("survey_edition_series_year", ["series_id", "year"])
    .execute();

  await db.schema
    .createTable("response")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("edition_id", "text", (c) => c.notNull().references("survey_edition.id"))
    .addColumn("client_id", "text", (c) => c.notNull().unique())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("session_id", "text")
    .addColumn("area", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("gender", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("age_group", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("answers_json", "text", (c) => c.notNull())
    .addColumn("submitted_on", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("response_edition").on("response").columns(["edition_id"]).execute();

  await db.schema
    .createTable("response_value")
    .addColumn("response_id", "text", (c) => c.notNull().references("response.id").onDelete("cascade"))
    .addColumn("edition_id", "text", (c) => c.notNull())
    .addColumn("measure_key", "text", (c) => c.notNull())
    .addColumn("y", "double precision")
    .addColumn("dont_know", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("response_value_pk", ["response_id", "measure_key"])
    .execute();
  await db.schema
    .createIndex("response_value_edition")
    .on("response_value")
    .columns(["edition_id", "measure_key"])
    .execute();

  await db.schema
    .createTable("cell_stat")
    .addColumn("edition_id", "text", (c) => c.notNull().references("survey_edition.id"))
    .addColumn("measure_key", "text", (c) => c.notNull())
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("gender", "text", (c) => c.notNull())
    .addColumn("age_group", "text", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addColumn("sum_y", "double precision", (c) => c.notNull())
    .addColumn("sum_y2", "double precision", (c) => c.notNull())
    .addColumn("n_dont_know", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("cell_stat_pk", ["edition_id", "measure_key", "area", "gender", "age_group"])
    .execute();

  await db.schema
    .createTable("population_table")
    .addColumn("edition_id", "text", (c) => c.primaryKey().references("survey_edition.id"))
    .addColumn("variables", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("imported_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("population_cell")
    .addColumn("edition_id", "text", (c) => c.notNull().references("survey_edition.id"))
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("gender", "text", (c) => c.notNull())
    .addColumn("age_group", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("population_cell_pk", ["edition_id", "area", "gender", "age_group"])
    .execute();

  await db.schema
    .createTable("app_user")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("failed_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("user_session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "user_session",
    "app_user",
    "population_cell",
    "population_table",
    "cell_stat",
    "response_value",
    "response",
    "survey_edition",
    "survey_series",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
