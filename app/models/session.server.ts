/**
 * Staff sessions, stored server-side. The cookie holds a random token; the table holds its
 * sha256, so a copy of the database does not give anyone a session.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "~/db/db.server";

export const SESSION_DAYS = 7;

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession({ db, userId }: { db: Db; userId: string }) {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const now = new Date();
  await db
    .insertInto("user_session")
    .values({
      id: digest(token),
      user_id: userId,
      csrf_token: csrfToken,
      expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
      created_at: now.toISOString(),
    })
    .execute();
  return { token, csrfToken };
}

/** The session and its user for a cookie token, or undefined when unknown or expired. */
export async function getSessionUser({ db, token }: { db: Db; token: string }) {
  return db
    .selectFrom("user_session")
    .innerJoin("app_user", "app_user.id", "user_session.user_id")
    // An account from the OpenID provider shows the provider's e-mail (decision 022).
    .leftJoin("oidc_identity", "oidc_identity.user_id", "app_user.id")
    .select((eb) => [
      "user_session.id as session_id",
      "user_session.csrf_token",
      "app_user.id",
      eb.fn.coalesce("oidc_identity.email", "oidc_identity.name", "app_user.email").as("email"),
      "app_user.role",
    ])
    .where("user_session.id", "=", digest(token))
    .where("user_session.expires_at", ">", new Date().toISOString())
    .executeTakeFirst();
}

export async function deleteSession({ db, token }: { db: Db; token: string }): Promise<void> {
  await db.deleteFrom("user_session").where("id", "=", digest(token)).execute();
}
