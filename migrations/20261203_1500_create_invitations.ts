// Frozen: never edit after it has run anywhere; add a new migration instead.
// Never import app code here. Types are chosen to mean the same on SQLite and PostgreSQL.
import { PostgresAdapter, sql, type Kysely } from "kysely";

// The survey year (issue 19): an edition's access mode, the sample's invitation codes, and the
// codes' use. The use is its own table, keyed by the invitation's random id and (on SQLite)
// WITHOUT ROWID, so it keeps no insertion order; it holds the day and the channel only, and no
// column anywhere links a response to a code or a sample id (decision 035).
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable("survey_edition").addColumn("access", "text", (c) => c.notNull().defaultTo("open")).execute();

  await db.schema
    .createTable("invitation")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("edition_id", "text", (c) => c.notNull().references("survey_edition.id"))
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("sample_id", "text")
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("age_group", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("gender", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("language", "text")
    .addColumn("created_on", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("invitation_edition").on("invitation").columns(["edition_id"]).execute();

  const use = db.schema
    .createTable("invitation_use")
    .addColumn("invitation_id", "text", (c) => c.primaryKey())
    .addColumn("edition_id", "text", (c) => c.notNull())
    .addColumn("used_on", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull());
  await (postgres ? use : use.modifyEnd(sql`without rowid`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("invitation_use").execute();
  await db.schema.dropTable("invitation").execute();
  await db.schema.alterTable("survey_edition").dropColumn("access").execute();
}
