// Frozen: never edit after it has run anywhere; add a new migration instead.
// Never import app code here. Types are chosen to mean the same on SQLite and PostgreSQL.
import type { Kysely } from "kysely";

// A staff account signed in through the municipality's OpenID provider is keyed by the provider
// (issuer) and its subject, never by e-mail (decision 022). Its app_user row holds the role of
// the latest sign-in and no usable password; the e-mail here is the provider's, for display.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("oidc_identity")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("app_user.id").onDelete("cascade"))
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("name", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_sign_in_at", "text", (c) => c.notNull())
    .addUniqueConstraint("oidc_identity_issuer_subject", ["issuer", "subject"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("oidc_identity").execute();
}
