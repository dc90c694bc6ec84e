/**
 * The facilitator's kiosk PIN, kept on the tablet only as a salted PBKDF2-SHA-256 hash (WebCrypto,
 * 200,000 iterations), so it can be checked with no network (decision 027). After five wrong
 * tries each further try waits: 30 s, doubling, at most 15 minutes; the count survives a reload.
 */
const PREFIX = "td:kiosk-pin:";
const ITERATIONS = 200_000;
export const FREE_TRIES = 5;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;

interface StoredPin {
  salt: string;
  hash: string;
  iterations: number;
  failures: number;
  lockedUntil: number;
}

const toHex = (bytes: ArrayBuffer | Uint8Array) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
const fromHex = (hex: string): Uint8Array<ArrayBuffer> => new Uint8Array((hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return toHex(bits);
}

function read(code: string): StoredPin | null {
  try {
    const raw = window.localStorage.getItem(PREFIX + code);
    return raw ? (JSON.parse(raw) as StoredPin) : null;
  } catch {
    return null;
  }
}

function write(code: string, pin: StoredPin): void {
  window.localStorage.setItem(PREFIX + code, JSON.stringify(pin));
}

/** A PIN is 4 to 8 digits. */
export function isValidPin(pin: string): boolean {
  return /^\d{4,8}$/.test(pin);
}

export function hasPin(code: string): boolean {
  return read(code) !== null;
}

export async function setPin(code: string, pin: string): Promise<void> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  write(code, { salt: toHex(salt), hash: await derive(pin, salt, ITERATIONS), iterations: ITERATIONS, failures: 0, lockedUntil: 0 });
}

export function clearPin(code: string): void {
  window.localStorage.removeItem(PREFIX + code);
}

/** Milliseconds until the next try is allowed (0: now). */
export function waitBeforeTry(code: string, now = Date.now()): number {
  const stored = read(code);
  return stored ? Math.max(0, stored.lockedUntil - now) : 0;
}

export type PinCheck = { ok: true } | { ok: false; waitMs: number; failures: number };

/** Checks a PIN; a wrong one counts, and from the fifth on makes the next try wait. */
export async function checkPin(code: string, pin: string, now = Date.now()): Promise<PinCheck> {
  const stored = read(code);
  if (!stored) return { ok: true };
  if (stored.lockedUntil > now) return { ok: false, waitMs: stored.lockedUntil - now, failures: stored.failures };
  const given = await derive(pin, fromHex(stored.salt), stored.iterations);
  if (given === stored.hash) {
    write(code, { ...stored, failures: 0, lockedUntil: 0 });
    return { ok: true };
  }
  const failures = stored.failures + 1;
  const over = failures - FREE_TRIES;
  const waitMs = over >= 0 ? Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** over) : 0;
  write(code, { ...stored, failures, lockedUntil: now + waitMs });
  return { ok: false, waitMs, failures };
}
