/**
 * Password hashing and the password policy.
 *
 * scrypt at N=2^17, r=8, p=1 (OWASP Password Storage Cheat Sheet's minimum for scrypt). The cost
 * travels in the stored string (`scrypt$N$r$p$salt$hash`), so a hash made at a lower cost still
 * verifies and is replaced at the next successful sign-in (needsRehash). One hash takes 128 MiB
 * and about half a second of a core: hashes run one at a time per process (a queue), so a burst of
 * sign-ins waits rather than taking 128 MiB each.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { COMMON_PASSWORDS } from "./common-passwords.server";

export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1, keylen: 32 } as const;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
/** Node refuses scrypt above 32 MiB by default; N=2^17, r=8 needs 128 MiB (128·N·r bytes). */
const MAX_MEMORY = 256 * 1024 * 1024;
/** The largest N accepted from a stored hash: a tampered row must not make us allocate gigabytes. */
const MAX_STORED_N = 2 ** 20;

let queue: Promise<unknown> = Promise.resolve();

/**
 * How many hashes ran, and at which N the last one did: the timing test checks with it that
 * every sign-in path hashes exactly once at the production cost.
 */
export const hashStats = { count: 0, lastN: 0 };

/**
 * The cost new hashes and the dummy hash use: SCRYPT_PARAMS, except in a test that lowers it to
 * measure timing differences that a half-second hash on a shared machine would drown.
 */
let costN: number = SCRYPT_PARAMS.N;
export function setHashCostForTests(N: number): void {
  if (process.env.NODE_ENV === "production") throw new Error("setHashCostForTests is for tests");
  costN = N;
  dummyHash = undefined;
}

function scrypt(password: string, salt: Buffer, keylen: number, N: number, r: number, p: number): Promise<Buffer> {
  const run = () =>
    new Promise<Buffer>((resolve, reject) => {
      hashStats.count++;
      hashStats.lastN = N;
      scryptCallback(password.normalize("NFC"), salt, keylen, { N, r, p, maxmem: MAX_MEMORY }, (error, key) =>
        error ? reject(error) : resolve(key),
      );
    });
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** `scrypt$N$r$p$salt$hash` (base64 salt and hash) at the current cost. */
export async function hashPassword(password: string): Promise<string> {
  const { r, p, keylen } = SCRYPT_PARAMS;
  const N = costN;
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, keylen, N, r, p);
  return ["scrypt", N, r, p, salt.toString("base64"), hash.toString("base64")].join("$");
}

/**
 * A stored-looking hash that no password matches (its hash bytes are random, not derived), at
 * the current cost: verifying against it takes as long as verifying a real account, so an
 * unknown e-mail address answers in the same time as a known one.
 */
let dummyHash: string | undefined;
function getDummyHash(): string {
  dummyHash ??= ["scrypt", costN, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p, randomBytes(16).toString("base64"), randomBytes(32).toString("base64")].join("$");
  return dummyHash;
}

export interface PasswordCheck {
  ok: boolean;
  /** The hash was made at a lower cost than today's: store a new one. */
  needsRehash: boolean;
}

/** Checks a password against a stored hash (null: against the dummy hash, always false). */
export async function verifyPassword(password: string, stored: string | null): Promise<PasswordCheck> {
  const [scheme, n, r, p, salt, hash] = (stored ?? getDummyHash()).split("$");
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  const valid = scheme === "scrypt" && salt && hash && Number.isInteger(N) && N > 1 && N <= MAX_STORED_N && (N & (N - 1)) === 0
    && Number.isInteger(R) && R >= 1 && R <= 32 && Number.isInteger(P) && P >= 1 && P <= 4;
  if (!valid) {
    await verifyPassword(password, null); // the same time as a real check
    return { ok: false, needsRehash: false };
  }
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, N, R, P);
  const ok = stored !== null && actual.length === expected.length && timingSafeEqual(actual, expected);
  const needsRehash = N < costN || R < SCRYPT_PARAMS.r || expected.length < SCRYPT_PARAMS.keylen;
  return { ok, needsRehash: ok && needsRehash };
}

const COMMON = new Set(COMMON_PASSWORDS);

export type PasswordProblem = "too-short" | "too-long" | "common" | "contains-name" | "repetitive";

/**
 * What is wrong with a new password, or null: at least MIN_PASSWORD_LENGTH characters (any
 * characters, spaces too: ASVS 2.1), not in the list of common passwords (also once trailing
 * digits and punctuation are taken off: "password2026!" is "password"), not the account's own
 * e-mail name or the site's name, not one character or a short pattern repeated.
 */
export function passwordProblem(password: string, { email }: { email?: string } = {}): PasswordProblem | null {
  const chars = [...password.normalize("NFC")];
  if (chars.length < MIN_PASSWORD_LENGTH) return "too-short";
  if (chars.length > MAX_PASSWORD_LENGTH) return "too-long";
  const lower = password.normalize("NFC").toLowerCase();
  const stripped = lower.replace(/[\d\W_]+$/u, "");
  const spaceless = lower.replace(/\s+/g, "");
  if (COMMON.has(lower) || COMMON.has(spaceless) || (stripped.length >= 4 && COMMON.has(stripped))) return "common";
  const local = email?.split("@")[0]?.toLowerCase() ?? "";
  const words = ["trygghetsdialog", "trygghet", "kristianstad", ...(local.length >= 4 ? [local] : [])];
  if (words.some((w) => spaceless.includes(w) && spaceless.length - w.length < 8)) return "contains-name";
  if (/^(.{1,4})\1+.{0,3}$/su.test(lower)) return "repetitive";
  return null;
}
