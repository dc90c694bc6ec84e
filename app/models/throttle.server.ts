/**
 * Growing delays after failed sign-ins (decision 020), in place of a hard lock that anyone could
 * trigger to keep a colleague out.
 *
 * Two keys count failures: the e-mail address tried (`account:…`, whether or not an account has
 * it, so the answers never tell which addresses exist) and the client address (`address:…`).
 * After a key's free failures every further failure doubles its delay, up to a cap: an account
 * takes at most one guess a minute (ASVS 2.2.1 asks for fewer than 100 an hour) and its owner,
 * with the right password, waits at most a minute; an address that sprays many accounts waits up
 * to a quarter of an hour. Attempts during a delay are refused without counting. A successful
 * sign-in clears its account's key; an address's count lapses after an hour without failures.
 * Rows live in the database, so every server process shares them.
 */
import type { Db } from "~/db/db.server";

export interface ThrottleRule {
  /** Failures in a row before any delay. */
  free: number;
  /** The first delay; each further failure doubles it. */
  baseSeconds: number;
  capSeconds: number;
  /** A key with no failure for this long starts from zero again. */
  forgetAfterSeconds: number;
}

export const ACCOUNT_RULE: ThrottleRule = { free: 5, baseSeconds: 2, capSeconds: 60, forgetAfterSeconds: 24 * 3600 };
export const ADDRESS_RULE: ThrottleRule = { free: 50, baseSeconds: 2, capSeconds: 15 * 60, forgetAfterSeconds: 3600 };

/** The delay after `failures` failures in a row under `rule`, in seconds (0: none). */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.capSeconds, rule.baseSeconds * 2 ** Math.min(30, failures - rule.free - 1));
}

export function accountKey(email: string): string {
  return `account:${email.replace(/[\u0000-\u001f\u007f]/g, "").trim().toLowerCase().slice(0, 320)}`;
}

export function addressKey(clientKey: string): string {
  return `address:${clientKey.slice(0, 100)}`;
}

function ruleOf(key: string): ThrottleRule {
  return key.startsWith("address:") ? ADDRESS_RULE : ACCOUNT_RULE;
}

/** Seconds until the keys allow another attempt (the longest of their delays), 0 if they do now. */
export async function secondsToWait({ db, keys, now = new Date() }: { db: Db; keys: string[]; now?: Date }): Promise<number> {
  const rows = await db.selectFrom("sign_in_throttle").selectAll().where("key", "in", keys).execute();
  let wait = 0;
  for (const row of rows) wait = Math.max(wait, Math.ceil((Date.parse(row.blocked_until) - now.getTime()) / 1000));
  return wait;
}

/**
 * Counts a failure on each key (one transaction) and sets its next allowed time. With
 * `countFailure: false` (an attempt refused during a delay) the rows are only touched: the same
 * writes in the same transaction, so a refused attempt costs the same time as a counted one.
 */
export async function recordAttempt({ db, keys, countFailure, now = new Date() }: {
  db: Db;
  keys: string[];
  countFailure: boolean;
  now?: Date;
}): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom("sign_in_throttle").selectAll().where("key", "in", keys).execute();
    for (const key of keys) {
      const rule = ruleOf(key);
      const row = rows.find((r) => r.key === key);
      const stale = !row || now.getTime() - Date.parse(row.last_attempt_at) > rule.forgetAfterSeconds * 1000;
      const before = stale ? 0 : row.failures;
      const failures = countFailure ? before + 1 : before;
      const blockedUntil = countFailure
        ? new Date(now.getTime() + delayAfter(failures, rule) * 1000).toISOString()
        : (row?.blocked_until ?? at);
      await trx
        .insertInto("sign_in_throttle")
        .values({ key, failures, blocked_until: blockedUntil, last_attempt_at: at })
        .onConflict((oc) => oc.column("key").doUpdateSet({ failures, blocked_until: blockedUntil, last_attempt_at: at }))
        .execute();
    }
  });
  // Now and then, forget keys that have been quiet for a day (an address spray leaves many).
  if (Math.random() < 0.02) await forgetStale({ db, now });
}

export async function forgetStale({ db, now = new Date() }: { db: Db; now?: Date }): Promise<void> {
  const before = new Date(now.getTime() - ACCOUNT_RULE.forgetAfterSeconds * 1000).toISOString();
  await db.deleteFrom("sign_in_throttle").where("last_attempt_at", "<", before).execute();
}

/** Clears a key (a successful sign-in clears its account's; an admin may clear any). */
export async function clearThrottle({ db, key }: { db: Db; key: string }): Promise<void> {
  await db.deleteFrom("sign_in_throttle").where("key", "=", key).execute();
}

export async function clearAllThrottles({ db }: { db: Db }): Promise<void> {
  await db.deleteFrom("sign_in_throttle").execute();
}

export interface ThrottleRow {
  key: string;
  kind: "account" | "address";
  /** The e-mail address or client address, without the prefix. */
  subject: string;
  failures: number;
  blockedUntil: string;
  lastAttemptAt: string;
  /** Seconds of delay left now (0: free to try). */
  waitSeconds: number;
}

/** Keys with failures counted, the most recently tried first (for the admin's page). */
export async function listThrottles({ db, now = new Date(), limit = 200 }: { db: Db; now?: Date; limit?: number }): Promise<ThrottleRow[]> {
  await forgetStale({ db, now });
  const rows = await db
    .selectFrom("sign_in_throttle")
    .selectAll()
    .where("failures", ">", 0)
    .orderBy("last_attempt_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const kind = r.key.startsWith("address:") ? "address" : "account";
    return {
      key: r.key,
      kind,
      subject: r.key.slice(kind.length + 1),
      failures: r.failures,
      blockedUntil: r.blocked_until,
      lastAttemptAt: r.last_attempt_at,
      waitSeconds: Math.max(0, Math.ceil((Date.parse(r.blocked_until) - now.getTime()) / 1000)),
    };
  });
}
