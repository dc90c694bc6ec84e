/**
 * A second factor: time-based one-time codes (TOTP, RFC 6238: SHA-1, 6 digits, 30 s), through
 * the otpauth library, so any authenticator app works. A code is accepted one step early or late
 * (clock drift) and never twice: the last accepted step is stored (ASVS 2.8.4).
 */
import * as OTPAuth from "otpauth";
import type { Db } from "~/db/db.server";

export const TOTP_ISSUER = "Trygghetsdialog";
const PERIOD = 30;

/** A new random secret (160 bits), base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, email: string) {
  return new OTPAuth.TOTP({ issuer: TOTP_ISSUER, label: email, algorithm: "SHA1", digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri({ secret, email }: { secret: string; email: string }): string {
  return totp(secret, email).toString();
}

/** The code for a time (tests, and nothing else: the server never shows a code). */
export function totpCode({ secret, now = new Date() }: { secret: string; now?: Date }): string {
  return totp(secret, "").generate({ timestamp: now.getTime() });
}

/**
 * The time step a code belongs to, if it is right for `now` (±1 step) and later than
 * `lastStep`; null otherwise. Spaces in the code are ignored.
 */
export function checkTotpCode({ secret, code, lastStep, now = new Date() }: {
  secret: string;
  code: string;
  lastStep: number | null;
  now?: Date;
}): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret, "").validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / PERIOD) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** Stores a confirmed secret (and the step of the code that confirmed it) on the account. */
export async function enableTotp({ db, userId, secret, step }: { db: Db; userId: string; secret: string; step: number }): Promise<void> {
  await db.updateTable("app_user").set({ totp_secret: secret, totp_last_step: step }).where("id", "=", userId).execute();
}

/** Marks a step used (after a right code at sign-in). */
export async function useTotpStep({ db, userId, step }: { db: Db; userId: string; step: number }): Promise<void> {
  await db.updateTable("app_user").set({ totp_last_step: step }).where("id", "=", userId).execute();
}

/** Removes an account's second factor (an admin, for a lost phone): it enrols again at next sign-in if required. */
export async function removeTotp({ db, userId }: { db: Db; userId: string }): Promise<void> {
  await db.updateTable("app_user").set({ totp_secret: null, totp_last_step: null }).where("id", "=", userId).execute();
}
