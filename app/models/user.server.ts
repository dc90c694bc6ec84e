/**
 * Staff accounts (admin, analyst, facilitator). Residents never have accounts.
 * Passwords: app/models/password.server.ts (scrypt, policy); failed sign-ins slow down per
 * e-mail address tried and per client address: app/models/throttle.server.ts (decision 020).
 */
import { randomUUID } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { AppUser, Role } from "~/db/schema";
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from "./password.server";
import { accountKey, addressKey, clearThrottle, recordAttempt, secondsToWait } from "./throttle.server";

export { MIN_PASSWORD_LENGTH };
export const ROLES: Role[] = ["admin", "analyst", "facilitator"];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as string[]).includes(value);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser({
  db,
  email,
  role,
  password,
  isDemo = false,
}: {
  db: Db;
  email: string;
  role: Role;
  password: string;
  isDemo?: boolean;
}): Promise<AppUser> {
  const normalized = normalizeEmail(email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalized)) throw new Error(`Not an e-mail address: ${email}`);
  if (!isRole(role)) throw new Error(`Unknown role: ${role} (use ${ROLES.join(", ")})`);
  const problem = passwordProblem(password, { email: normalized });
  if (problem) throw new Error(POLICY_ERRORS[problem]);
  const existing = await getUserByEmail({ db, email: normalized });
  if (existing) throw new Error(`A user with e-mail ${normalized} already exists`);
  const now = new Date().toISOString();
  const user: AppUser = {
    id: randomUUID(),
    email: normalized,
    role,
    password_hash: await hashPassword(password),
    created_at: now,
    is_demo: isDemo ? 1 : 0,
    totp_secret: null,
    totp_last_step: null,
    password_changed_at: now,
  };
  await db.insertInto("app_user").values(user).execute();
  return user;
}

/** English texts of the password policy's refusals (the command line's and the logs'). */
export const POLICY_ERRORS = {
  "too-short": `The password must have at least ${MIN_PASSWORD_LENGTH} characters`,
  "too-long": "The password is too long",
  common: "The password is one of the most common passwords; choose another",
  "contains-name": "The password is mostly the e-mail name or the site's name; choose another",
  repetitive: "The password is one character or a short pattern repeated; choose another",
} as const;

export async function getUserByEmail({ db, email }: { db: Db; email: string }) {
  return db.selectFrom("app_user").selectAll().where("email", "=", normalizeEmail(email)).executeTakeFirst();
}

export async function getUserById({ db, id }: { db: Db; id: string }) {
  return db.selectFrom("app_user").selectAll().where("id", "=", id).executeTakeFirst();
}

export type SignInResult =
  | { ok: true; user: AppUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks an e-mail address and password from `clientKey` (rate-limit.ts's clientKey of the
 * request). Every attempt costs the same: one scrypt (against a dummy hash when no account has
 * the address), one throttle transaction. Answers: ok; "invalid" (no such account or a wrong
 * password: never told apart); "throttled" while the address tried or the client address is in a
 * delay, then the password is not looked at and nothing counts, for known and unknown addresses
 * alike. A hash made at a lower cost is replaced after a right password.
 */
export async function attemptPasswordSignIn({ db, email, password, clientKey, now = new Date() }: {
  db: Db;
  email: string;
  password: string;
  clientKey: string;
  now?: Date;
}): Promise<SignInResult> {
  const keys = [accountKey(email), addressKey(clientKey)];
  const wait = await secondsToWait({ db, keys, now });
  // Control characters (a NUL among them, which PostgreSQL refuses in text) are never in an address.
  const user = /[\u0000-\u001f\u007f]/.test(email) ? undefined : await getUserByEmail({ db, email });
  const check = await verifyPassword(password, user?.password_hash ?? null);
  if (wait > 0) {
    await recordAttempt({ db, keys, countFailure: false, now });
    return { ok: false, reason: "throttled", retryAfterSeconds: wait };
  }
  if (!user || !check.ok) {
    await recordAttempt({ db, keys, countFailure: true, now });
    return { ok: false, reason: "invalid" };
  }
  await clearThrottle({ db, key: keys[0] });
  if (check.needsRehash) {
    await db.updateTable("app_user").set({ password_hash: await hashPassword(password) }).where("id", "=", user.id).execute();
  }
  return { ok: true, user };
}

export type PasswordChangeResult = { ok: true } | { ok: false; reason: "wrong-current" | "same" | keyof typeof POLICY_ERRORS };

/**
 * Changes a signed-in user's password after checking the current one and the policy. The
 * caller ends the user's other sessions (a stolen session should not outlive the change).
 */
export async function changePassword({ db, userId, current, next, now = new Date() }: {
  db: Db;
  userId: string;
  current: string;
  next: string;
  now?: Date;
}): Promise<PasswordChangeResult> {
  const user = await getUserById({ db, id: userId });
  const check = await verifyPassword(current, user?.password_hash ?? null);
  if (!user || !check.ok) return { ok: false, reason: "wrong-current" };
  if (current === next) return { ok: false, reason: "same" };
  const problem = passwordProblem(next, { email: user.email });
  if (problem) return { ok: false, reason: problem };
  await db
    .updateTable("app_user")
    .set({ password_hash: await hashPassword(next), password_changed_at: now.toISOString() })
    .where("id", "=", userId)
    .execute();
  return { ok: true };
}

/**
 * Gives an account another role and ends all its sessions: the next sign-in starts a new session
 * (a new id) with the new role.
 */
export async function setUserRole({ db, userId, role }: { db: Db; userId: string; role: Role }): Promise<void> {
  if (!isRole(role)) throw new Error(`Unknown role: ${role}`);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("app_user").set({ role }).where("id", "=", userId).execute();
    await trx.deleteFrom("user_session").where("user_id", "=", userId).execute();
  });
}

/** Every account, for the admin's security page: address, role, whether a second factor is set. */
export async function listUsers({ db }: { db: Db }) {
  const rows = await db.selectFrom("app_user").select(["id", "email", "role", "totp_secret"]).orderBy("email").execute();
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, secondFactor: r.totp_secret !== null }));
}
