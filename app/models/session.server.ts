/**
 * Staff sessions, stored server-side (decision 021). The cookie holds a random token; the table
 * holds its sha256, and the sha256 of the session's CSRF token, which is derived from the cookie's
 * token (HMAC), so a copy of the database gives neither a session nor a form token.
 *
 * A session ends SESSION_IDLE_MINUTES after its last request (renewed on activity, written at
 * most once a minute) and at the latest SESSION_MAX_HOURS after sign-in. A session in the
 * 'second_factor' stage (right password, code not yet given) signs no one in and lasts ten
 * minutes or five wrong codes.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { SessionStage } from "~/db/schema";

export interface SessionTimeouts {
  idleMinutes: number;
  maxHours: number;
}

export const SECOND_FACTOR_MINUTES = 10;
export const MAX_CODE_FAILURES = 5;
/** last_seen_at is rewritten only when older than this: not one write per page view. */
const TOUCH_EVERY_MS = 60_000;

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The session's CSRF token: derived from the cookie's token, so only its holder can know it. */
export function csrfTokenFor(token: string): string {
  return createHmac("sha256", token).update("td-csrf-v1").digest("base64url").slice(0, 32);
}

export function csrfDigest(csrfToken: string): string {
  return digest(csrfToken);
}

/** "Firefox, Windows"-style summary of a User-Agent header; the raw header is never stored. */
export function summarizeUserAgent(ua: string | null | undefined): string {
  const text = ua ?? "";
  const browser =
    /Edg(e|A|iOS)?\//.test(text) ? "Edge"
    : /OPR\/|Opera/.test(text) ? "Opera"
    : /Firefox\/|FxiOS/.test(text) ? "Firefox"
    : /Chrome\/|CriOS|Chromium/.test(text) ? "Chrome"
    : /Safari\//.test(text) ? "Safari"
    : /curl\//.test(text) ? "curl"
    : "";
  const os =
    /Windows/.test(text) ? "Windows"
    : /iPhone|iPad|iPod/.test(text) ? "iOS"
    : /Mac OS X|Macintosh/.test(text) ? "macOS"
    : /Android/.test(text) ? "Android"
    : /CrOS/.test(text) ? "ChromeOS"
    : /Linux/.test(text) ? "Linux"
    : "";
  return [browser, os].filter(Boolean).join(", ");
}

/**
 * A new session for a user; returns the cookie's token. `stage: "second_factor"` makes the short
 * session between password and code. Expired sessions are cleared now and then on the way.
 */
export async function createSession({ db, userId, userAgent, timeouts, stage = "active", pendingTotpSecret = null, now = new Date() }: {
  db: Db;
  userId: string;
  userAgent?: string | null;
  timeouts: SessionTimeouts;
  stage?: SessionStage;
  pendingTotpSecret?: string | null;
  now?: Date;
}): Promise<{ token: string }> {
  const token = randomBytes(32).toString("base64url");
  const lifetimeMs = stage === "active" ? timeouts.maxHours * 3_600_000 : SECOND_FACTOR_MINUTES * 60_000;
  await db
    .insertInto("user_session")
    .values({
      id: digest(token),
      user_id: userId,
      csrf_token: csrfDigest(csrfTokenFor(token)),
      expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      user_agent: summarizeUserAgent(userAgent).slice(0, 100),
      stage,
      failed_codes: 0,
      pending_totp_secret: pendingTotpSecret,
    })
    .execute();
  if (Math.random() < 0.05) await deleteExpiredSessions({ db, timeouts, now });
  return { token };
}

function liveSessions(db: Db, timeouts: SessionTimeouts, now: Date) {
  return db
    .selectFrom("user_session")
    .innerJoin("app_user", "app_user.id", "user_session.user_id")
    .where("user_session.expires_at", ">", now.toISOString())
    .where("user_session.last_seen_at", ">", new Date(now.getTime() - timeouts.idleMinutes * 60_000).toISOString());
}

/**
 * The signed-in user of a cookie token: the session must be in `stage` (default: active), not
 * past its absolute end and not idle too long. Renews the idle clock. Undefined otherwise.
 */
export async function getSessionUser({ db, token, timeouts, stage = "active", now = new Date() }: {
  db: Db;
  token: string;
  timeouts: SessionTimeouts;
  stage?: SessionStage;
  now?: Date;
}) {
  const row = await liveSessions(db, timeouts, now)
    // An account from the OpenID provider shows the provider's e-mail (decision 022).
    .leftJoin("oidc_identity", "oidc_identity.user_id", "app_user.id")
    .select((eb) => [
      "user_session.id as session_id",
      "user_session.csrf_token as csrf_digest",
      "user_session.last_seen_at",
      "user_session.failed_codes",
      "user_session.pending_totp_secret",
      "app_user.id",
      eb.fn.coalesce("oidc_identity.email", "oidc_identity.name", "app_user.email").as("email"),
      "app_user.role",
      "app_user.totp_secret",
      "app_user.totp_last_step",
    ])
    .where("user_session.id", "=", digest(token))
    .where("user_session.stage", "=", stage)
    .executeTakeFirst();
  if (!row) return undefined;
  if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
    await db.updateTable("user_session").set({ last_seen_at: now.toISOString() }).where("id", "=", row.session_id).execute();
  }
  return row;
}

export async function deleteSession({ db, token }: { db: Db; token: string }): Promise<void> {
  await db.deleteFrom("user_session").where("id", "=", digest(token)).execute();
}

/** Ends every session of a user ("sign out everywhere", a password or role change). */
export async function deleteUserSessions({ db, userId, except }: { db: Db; userId: string; except?: string }): Promise<number> {
  let query = db.deleteFrom("user_session").where("user_id", "=", userId);
  if (except) query = query.where("id", "!=", except);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface SessionListing {
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string;
}

/** A user's live sessions, newest first; ids are never given out. */
export async function listUserSessions({ db, userId, currentSessionId, timeouts, now = new Date() }: {
  db: Db;
  userId: string;
  currentSessionId: string;
  timeouts: SessionTimeouts;
  now?: Date;
}): Promise<SessionListing[]> {
  const rows = await liveSessions(db, timeouts, now)
    .select(["user_session.id", "user_session.created_at", "user_session.last_seen_at", "user_session.expires_at", "user_session.user_agent"])
    .where("user_session.user_id", "=", userId)
    .where("user_session.stage", "=", "active")
    .orderBy("user_session.created_at", "desc")
    .execute();
  return rows.map((r) => ({
    current: r.id === currentSessionId,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    userAgent: r.user_agent,
  }));
}

/** Counts a wrong code on a second-factor session; ends it at MAX_CODE_FAILURES. True if it ended. */
export async function recordCodeFailure({ db, sessionId, failures }: { db: Db; sessionId: string; failures: number }): Promise<boolean> {
  if (failures + 1 >= MAX_CODE_FAILURES) {
    await db.deleteFrom("user_session").where("id", "=", sessionId).execute();
    return true;
  }
  await db.updateTable("user_session").set({ failed_codes: failures + 1 }).where("id", "=", sessionId).execute();
  return false;
}

/** Keeps a TOTP secret being enrolled on the session that shows it. */
export async function setPendingTotpSecret({ db, sessionId, secret }: { db: Db; sessionId: string; secret: string | null }): Promise<void> {
  await db.updateTable("user_session").set({ pending_totp_secret: secret }).where("id", "=", sessionId).execute();
}

export async function deleteExpiredSessions({ db, timeouts, now = new Date() }: { db: Db; timeouts: SessionTimeouts; now?: Date }): Promise<void> {
  await db
    .deleteFrom("user_session")
    .where((eb) =>
      eb.or([
        eb("expires_at", "<=", now.toISOString()),
        eb("last_seen_at", "<=", new Date(now.getTime() - timeouts.idleMinutes * 60_000).toISOString()),
      ]),
    )
    .execute();
}
