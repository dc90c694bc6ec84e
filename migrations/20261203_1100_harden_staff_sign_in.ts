// Frozen: never edit after it has run anywhere; add a new migration instead.
// Never import app code here. Types are chosen to mean the same on SQLite and PostgreSQL.
import type { Kysely } from "kysely";

// Staff sign-in hardening (decisions 020 and 021):
// - user_session gets an idle clock (last_seen_at), a user-agent summary for the list of one's
//   own sessions, a stage ('active', or 'second_factor' between the password and the code), a
//   count of wrong codes, and the secret of a second factor being enrolled. csrf_token now holds
//   a sha256, not the token: the sessions stored before this migration held plain tokens, so
//   they are ended (staff sign in again once).
// - app_user loses the hard lock (failed_attempts, locked_until) for sign_in_throttle, growing
//   delays per e-mail address tried (known or not) and per client address; it gains a TOTP
//   secret, the last time step used (no code twice) and when the password was last changed.
// - app_setting: site-wide settings an admin changes (a second factor required) and the key
//   that signs the sign-in form's token, shared by every server process through the database.
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("user_session").execute();
  await db.schema.alterTable("user_session").addColumn("last_seen_at", "text", (c) => c.notNull().defaultTo("")).execute();
  await db.schema.alterTable("user_session").addColumn("user_agent", "text", (c) => c.notNull().defaultTo("")).execute();
  await db.schema.alterTable("user_session").addColumn("stage", "text", (c) => c.notNull().defaultTo("active")).execute();
  await db.schema.alterTable("user_session").addColumn("failed_codes", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("user_session").addColumn("pending_totp_secret", "text").execute();
  await db.schema.createIndex("user_session_user").on("user_session").columns(["user_id"]).execute();

  await db.schema.alterTable("app_user").addColumn("totp_secret", "text").execute();
  await db.schema.alterTable("app_user").addColumn("totp_last_step", "integer").execute();
  await db.schema.alterTable("app_user").addColumn("password_changed_at", "text").execute();
  await db.schema.alterTable("app_user").dropColumn("failed_attempts").execute();
  await db.schema.alterTable("app_user").dropColumn("locked_until").execute();

  await db.schema
    .createTable("sign_in_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("blocked_until", "text", (c) => c.notNull())
    .addColumn("last_attempt_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("app_setting")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("app_setting").execute();
  await db.schema.dropTable("sign_in_throttle").execute();
  await db.schema.alterTable("app_user").addColumn("failed_attempts", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("app_user").addColumn("locked_until", "text").execute();
  for (const column of ["password_changed_at", "totp_last_step", "totp_secret"]) {
    await db.schema.alterTable("app_user").dropColumn(column).execute();
  }
  await db.schema.dropIndex("user_session_user").execute();
  for (const column of ["pending_totp_secret", "failed_codes", "stage", "user_agent", "last_seen_at"]) {
    await db.schema.alterTable("user_session").dropColumn(column).execute();
  }
  await db.deleteFrom("user_session").execute();
}
