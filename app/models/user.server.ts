/**
 * Staff accounts (admin, analyst, facilitator). Residents never have accounts.
 * Passwords are hashed with scrypt (node:crypto); repeated failures lock the account for a while.
 */
import { randomBytes, randomUUID, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import type { Db } from "~/db/db.server";
import type { AppUser, Role } from "~/db/schema";

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const ROLES: Role[] = ["admin", "analyst", "facilitator"];
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;
export const MIN_PASSWORD_LENGTH = 12;

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as string[]).includes(value);
}

/** `scrypt$N$r$p$salt$hash` (base64 salt and hash). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password.normalize("NFC"), salt, SCRYPT.keylen, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(password.normalize("NFC"), Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
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
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  const existing = await getUserByEmail({ db, email: normalized });
  if (existing) throw new Error(`A user with e-mail ${normalized} already exists`);
  const user: AppUser = {
    id: randomUUID(),
    email: normalized,
    role,
    password_hash: await hashPassword(password),
    failed_attempts: 0,
    locked_until: null,
    created_at: new Date().toISOString(),
    is_demo: isDemo ? 1 : 0,
  };
  await db.insertInto("app_user").values(user).execute();
  return user;
}

export async function getUserByEmail({ db, email }: { db: Db; email: string }) {
  return db.selectFrom("app_user").selectAll().where("email", "=", normalizeEmail(email)).executeTakeFirst();
}

export async function getUserById({ db, id }: { db: Db; id: string }) {
  return db.selectFrom("app_user").selectAll().where("id", "=", id).executeTakeFirst();
}

export type LoginResult =
  | { ok: true; user: AppUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; until: string };

/**
 * Checks e-mail and password. After MAX_FAILED_ATTEMPTS failures in a row the account is locked
 * for LOCKOUT_MINUTES; an unknown e-mail costs the same hashing time as a known one.
 */
export async function verifyLogin({ db, email, password, now = new Date() }: {
  db: Db;
  email: string;
  password: string;
  now?: Date;
}): Promise<LoginResult> {
  // Control characters (a NUL among them, which PostgreSQL refuses in text) are never in an address.
  const user = /[\u0000-\u001f\u007f]/.test(email) ? undefined : await getUserByEmail({ db, email });
  if (!user) {
    await hashPassword(password);
    return { ok: false, reason: "invalid" };
  }
  if (user.locked_until && user.locked_until > now.toISOString()) {
    return { ok: false, reason: "locked", until: user.locked_until };
  }
  if (await verifyPassword(password, user.password_hash)) {
    await db.updateTable("app_user").set({ failed_attempts: 0, locked_until: null }).where("id", "=", user.id).execute();
    return { ok: true, user };
  }
  const failures = user.failed_attempts + 1;
  const lock = failures >= MAX_FAILED_ATTEMPTS;
  const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
  await db
    .updateTable("app_user")
    .set({ failed_attempts: lock ? 0 : failures, locked_until: lock ? until : null })
    .where("id", "=", user.id)
    .execute();
  return lock ? { ok: false, reason: "locked", until } : { ok: false, reason: "invalid" };
}
