/**
 * Staff accounts behind the municipality's OpenID provider (decision 022). The key is the
 * provider's issuer and subject (`sub`), never the e-mail: an address can be reused or, at some
 * providers, edited by its owner, so matching on it could hand one person another's account.
 * Such an account has its own app_user row with the role of its latest sign-in and a password
 * hash that no password matches.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { Role } from "~/db/schema";

/** Not a scrypt hash: verifyPassword refuses every password for it. */
export const NO_PASSWORD = "!oidc";

/**
 * app_user.email must be unique and the provider's e-mail may belong to a password account
 * already, so the row's email is a key made from issuer and subject; it has no `@`, so nothing
 * typed into the password form as an address finds it. The provider's e-mail is shown instead.
 */
function accountKey(issuer: string, subject: string): string {
  return `oidc:${createHash("sha256").update(`${issuer}\n${subject}`).digest("hex").slice(0, 32)}`;
}

export interface OidcSignIn {
  userId: string;
  role: Role;
  /** The role the account had before this sign-in; null for a first sign-in. */
  previousRole: Role | null;
}

/**
 * Finds or creates the account of `issuer` + `subject` and gives it `role` (the role the
 * provider's groups give at this sign-in). When the role changes, the account's other sessions
 * end: they were opened under the old role.
 */
export async function upsertOidcAccount({
  db,
  issuer,
  subject,
  email,
  name,
  role,
  now = new Date(),
}: {
  db: Db;
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  role: Role;
  now?: Date;
}): Promise<OidcSignIn> {
  const at = now.toISOString();
  const existing = await findOidcAccount({ db, issuer, subject });
  if (existing) {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("oidc_identity").set({ email, name, last_sign_in_at: at }).where("user_id", "=", existing.userId).execute();
      if (existing.role !== role) {
        await trx.updateTable("app_user").set({ role }).where("id", "=", existing.userId).execute();
        await trx.deleteFrom("user_session").where("user_id", "=", existing.userId).execute();
      }
    });
    return { userId: existing.userId, role, previousRole: existing.role };
  }
  const userId = randomUUID();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("app_user")
        .values({
          id: userId,
          email: accountKey(issuer, subject),
          role,
          password_hash: NO_PASSWORD,
          created_at: at,
          is_demo: 0,
        })
        .execute();
      await trx
        .insertInto("oidc_identity")
        .values({ user_id: userId, issuer, subject, email, name, created_at: at, last_sign_in_at: at })
        .execute();
    });
  } catch (error) {
    // The same person's first sign-in in two tabs at once: the other one created the account.
    if (await findOidcAccount({ db, issuer, subject })) return upsertOidcAccount({ db, issuer, subject, email, name, role, now });
    throw error;
  }
  return { userId, role, previousRole: null };
}

/** The account of `issuer` + `subject`, or null when that person never signed in here. */
export async function findOidcAccount({ db, issuer, subject }: { db: Db; issuer: string; subject: string }) {
  const row = await db
    .selectFrom("oidc_identity")
    .innerJoin("app_user", "app_user.id", "oidc_identity.user_id")
    .select(["app_user.id", "app_user.role", "oidc_identity.email"])
    .where("oidc_identity.issuer", "=", issuer)
    .where("oidc_identity.subject", "=", subject)
    .executeTakeFirst();
  return row ? { userId: row.id, role: row.role, email: row.email } : null;
}

/**
 * A known person whom the provider no longer gives any mapped group: their open sessions end
 * (the access they were opened with is gone). Returns the account id, or null if unknown.
 */
export async function endOidcAccountSessions({ db, issuer, subject }: { db: Db; issuer: string; subject: string }): Promise<string | null> {
  const account = await findOidcAccount({ db, issuer, subject });
  if (!account) return null;
  await db.deleteFrom("user_session").where("user_id", "=", account.userId).execute();
  return account.userId;
}
