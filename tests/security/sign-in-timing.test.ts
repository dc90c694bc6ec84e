/**
 * Sign-in answers never tell which e-mail addresses have accounts (decision 020): an unknown
 * address, a wrong password and an account in a delay get the same answers after the same
 * history, and take the same time. Timing is measured on the model function the sign-in action
 * calls, against the test's real database: first that every path hashes exactly once at the
 * production scrypt cost (N=2^17, about half a second: on a shared two-core machine its noise
 * alone is tens of milliseconds), then the time of each path at N=2^12, many samples,
 * interleaved (so a busy moment hits every kind alike), compared by median with a tolerance in
 * milliseconds. A path that skipped the hash or did less database work would stand out by more.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { hashStats, SCRYPT_PARAMS, setHashCostForTests } from "~/models/password.server";
import { accountKey, recordAttempt } from "~/models/throttle.server";
import { attemptPasswordSignIn, createUser } from "~/models/user.server";

// The database's commits wait for the disk (synchronous=FULL, fsync): on a shared machine that
// wait varies by tens of milliseconds and would drown what is measured here. The code paths are
// the same without it: SQLite's NORMAL, PostgreSQL's synchronous_commit off, for this file only.
process.env.SQLITE_SYNCHRONOUS = "NORMAL";
if (/^postgres/.test(process.env.DATABASE_URL ?? "")) {
  const url = new URL(process.env.DATABASE_URL!);
  url.searchParams.set("options", "-c synchronous_commit=off");
  process.env.DATABASE_URL = url.toString();
}

const PASSWORD = "ett-langt-losenord-for-matning";
/** The medians may differ by this much; a skipped hash (N=2^12) would differ by tens of ms, under load more. */
const TOLERANCE_MS = 5;
const ROUNDS = 41;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

beforeAll(async () => {
  await migrateToLatest(getDb());
});

describe("sign-in without enumeration", () => {
  it("an unknown address and a known one get the same answers after the same failures", async () => {
    const db = getDb();
    await createUser({ db, email: "finns@test.kommun.se", role: "analyst", password: PASSWORD });
    const now = new Date("2026-12-03T10:00:00Z");
    const answers = async (email: string, clientKey: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 9; i++) {
        const at = new Date(now.getTime() + i * 1000);
        const result = await attemptPasswordSignIn({ db, email, password: `fel-${i}-losenord-xx`, clientKey, now: at });
        seen.push(result.ok ? "ok" : result.reason === "throttled" ? `throttled ${result.retryAfterSeconds}` : result.reason);
      }
      return seen;
    };
    const known = await answers("finns@test.kommun.se", "192.0.2.1");
    const unknown = await answers("finns-inte@test.kommun.se", "192.0.2.2");
    expect(unknown).toEqual(known);
    // Five free failures, then a delay (2 s after the sixth): attempts in it are refused uncounted.
    expect(known.slice(0, 5)).toEqual(Array(5).fill("invalid"));
    expect(known[5]).toBe("invalid");
    expect(known[6]).toMatch(/^throttled \d+$/);
    // During a delay even the right password is refused with the same answer.
    const during = await attemptPasswordSignIn({ db, email: "finns@test.kommun.se", password: PASSWORD, clientKey: "192.0.2.3", now: new Date(now.getTime() + 9000) });
    expect(during.ok).toBe(false);
    // After the delay the owner signs in, and the count starts over.
    const after = await attemptPasswordSignIn({ db, email: "finns@test.kommun.se", password: PASSWORD, clientKey: "192.0.2.3", now: new Date(now.getTime() + 120_000) });
    expect(after.ok).toBe(true);
    const row = await db.selectFrom("sign_in_throttle").selectAll().where("key", "=", accountKey("finns@test.kommun.se")).executeTakeFirst();
    expect(row).toBeUndefined();
  }, 120_000);

  it("every path hashes once, at the production cost", async () => {
    const db = getDb();
    await createUser({ db, email: "hash@test.kommun.se", role: "analyst", password: PASSWORD });
    for (let i = 0; i < 12; i++) await recordAttempt({ db, keys: [accountKey("hash-delayed@test.kommun.se")], countFailure: true, now: new Date(Date.now() + 3_600_000) });
    for (const [email, password] of [
      ["nobody@test.kommun.se", "fel-losenord-xyz-123"],
      ["hash@test.kommun.se", "fel-losenord-xyz-123"],
      ["hash-delayed@test.kommun.se", "fel-losenord-xyz-123"],
      ["hash@test.kommun.se", PASSWORD],
    ]) {
      const before = hashStats.count;
      await attemptPasswordSignIn({ db, email, password, clientKey: "198.18.0.1" });
      expect(hashStats.count - before, email).toBe(1);
      expect(hashStats.lastN, email).toBe(SCRYPT_PARAMS.N);
    }
  }, 120_000);

  it("an unknown address, a wrong password and an account in a delay take the same time (medians within a few ms)", async () => {
    setHashCostForTests(2 ** 12);
    const db = getDb();
    // Wrong passwords go to a pool of accounts, five each (the free failures): none ever reaches a delay.
    for (let i = 0; i <= Math.ceil((ROUNDS + 1) / 5); i++) await createUser({ db, email: `matt-${i}@test.kommun.se`, role: "analyst", password: PASSWORD });
    await createUser({ db, email: "spärrad@test.kommun.se", role: "analyst", password: PASSWORD });
    // Put the second account in a long delay: failures until the cap, all in the "future" of the
    // real clock so it stays in its delay for the whole test.
    for (let i = 0; i < 12; i++) await recordAttempt({ db, keys: [accountKey("spärrad@test.kommun.se")], countFailure: true, now: new Date(Date.now() + 3_600_000) });
    const kinds = {
      unknown: (i: number) => ({ email: `okand-${i}@test.kommun.se`, password: "fel-losenord-xyz-123" }),
      wrongPassword: (i: number) => ({ email: `matt-${Math.floor(i / 5)}@test.kommun.se`, password: "fel-losenord-xyz-123" }),
      delayed: () => ({ email: "spärrad@test.kommun.se", password: "fel-losenord-xyz-123" }),
    };
    const names = Object.keys(kinds) as (keyof typeof kinds)[];
    const times: Record<string, number[]> = { unknown: [], wrongPassword: [], delayed: [] };
    const reasons: Record<string, Set<string>> = { unknown: new Set(), wrongPassword: new Set(), delayed: new Set() };
    // One untimed round first: module loading, prepared statements, the first scrypt.
    for (const name of names) await attemptPasswordSignIn({ db, ...kinds[name](0), clientKey: `203.0.113.${names.indexOf(name)}` });
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round, so no kind always runs first or last.
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length];
        const started = performance.now();
        const result = await attemptPasswordSignIn({ db, ...kinds[name](round + 1), clientKey: `10.${round}.${k}.1` });
        times[name].push(performance.now() - started);
        reasons[name].add(result.ok ? "ok" : result.reason);
      }
    }
    expect([...reasons.unknown]).toEqual(["invalid"]);
    expect([...reasons.wrongPassword]).toEqual(["invalid"]);
    expect([...reasons.delayed]).toEqual(["throttled"]);
    const medians = Object.fromEntries(names.map((n) => [n, median(times[n])]));
    // Within a round the kinds ran back to back under the same load: the median of the per-round
    // differences cancels the machine's drift that the plain medians still carry.
    const pairs = [["unknown", "wrongPassword"], ["unknown", "delayed"], ["wrongPassword", "delayed"]] as const;
    const differences = pairs.map(([a, b]) => median(times[a].map((t, r) => t - times[b][r])));
    console.log(
      `sign-in medians (ms) over ${ROUNDS} interleaved rounds: ${names.map((n) => `${n} ${medians[n].toFixed(1)}`).join(", ")}; ` +
        `median differences: ${pairs.map(([a, b], i) => `${a}-${b} ${differences[i].toFixed(1)}`).join(", ")}`,
    );
    for (const [i, [a, b]] of pairs.entries()) expect(Math.abs(differences[i]), `${a} vs ${b}`).toBeLessThanOrEqual(TOLERANCE_MS);
    for (const a of names) for (const b of names) expect(Math.abs(medians[a] - medians[b]), `${a} vs ${b} (plain medians)`).toBeLessThanOrEqual(2 * TOLERANCE_MS);
    setHashCostForTests(SCRYPT_PARAMS.N);
  }, 300_000);
});
