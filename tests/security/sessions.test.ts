/**
 * Staff sessions (decision 021): idle and absolute ends with a clock the test sets, a new session
 * id at every sign-in with the old one ended, role changes end sessions, the list of one's own
 * sessions and "sign out everywhere", CSRF tokens and session ids stored only as hashes, and
 * Cache-Control: no-store on every answer that carries staff data or a token.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { createSession, getSessionUser, listUserSessions, summarizeUserAgent } from "~/models/session.server";
import { createUser, getUserByEmail, setUserRole } from "~/models/user.server";
import { startServer, type RunningServer } from "../helpers/app-server";
import { cookieOf, createStaff, csrfOf, PASSWORDS, postForm, postSignIn, signIn, tokenOf } from "./helpers";

const timeouts = { idleMinutes: 30, maxHours: 12 };
const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

beforeAll(async () => {
  await migrateToLatest(getDb());
});

describe("session rules, with a clock the test sets", () => {
  it("ends a session after 30 idle minutes; activity renews it", async () => {
    const db = getDb();
    const user = await createUser({ db, email: "idle@test.kommun.se", role: "analyst", password: "idle-losenord-for-test" });
    const t0 = new Date("2026-12-03T08:00:00Z");
    const { token } = await createSession({ db, userId: user.id, timeouts, now: t0 });
    expect(await getSessionUser({ db, token, timeouts, now: minutes(t0, 29) })).toBeDefined();
    // Renewed at 29 minutes: still there 29 minutes later, gone 31 minutes after the last request.
    expect(await getSessionUser({ db, token, timeouts, now: minutes(t0, 58) })).toBeDefined();
    expect(await getSessionUser({ db, token, timeouts, now: minutes(t0, 58 + 31) })).toBeUndefined();
    // Configurable: the same session under a 120-minute idle limit is still alive.
    expect(await getSessionUser({ db, token, timeouts: { idleMinutes: 120, maxHours: 12 }, now: minutes(t0, 58 + 31) })).toBeDefined();
  });

  it("ends a session 12 hours after sign-in however active it is", async () => {
    const db = getDb();
    const user = await createUser({ db, email: "absolute@test.kommun.se", role: "analyst", password: "absolut-losenord-for-test" });
    const t0 = new Date("2026-12-03T06:00:00Z");
    const { token } = await createSession({ db, userId: user.id, timeouts, now: t0 });
    for (let m = 20; m < 12 * 60; m += 20) expect(await getSessionUser({ db, token, timeouts, now: minutes(t0, m) }), `${m} min`).toBeDefined();
    expect(await getSessionUser({ db, token, timeouts, now: minutes(t0, 12 * 60 + 1) })).toBeUndefined();
  });

  it("stores only hashes: the row id is not the token, the CSRF column not the form token", async () => {
    const db = getDb();
    const user = await getUserByEmail({ db, email: "idle@test.kommun.se" });
    const { token } = await createSession({ db, userId: user!.id, timeouts });
    const row = await db.selectFrom("user_session").selectAll().where("id", "=", createHash("sha256").update(token).digest("hex")).executeTakeFirstOrThrow();
    expect(row.id).not.toContain(token);
    expect(row.csrf_token).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a second-factor session signs no one in", async () => {
    const db = getDb();
    const user = await getUserByEmail({ db, email: "idle@test.kommun.se" });
    const { token } = await createSession({ db, userId: user!.id, timeouts, stage: "second_factor" });
    expect(await getSessionUser({ db, token, timeouts })).toBeUndefined();
    expect(await getSessionUser({ db, token, timeouts, stage: "second_factor" })).toBeDefined();
  });

  it("summarises a user agent without keeping it", () => {
    expect(summarizeUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0")).toBe("Firefox, Windows");
    expect(summarizeUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1")).toBe("Safari, iOS");
    expect(summarizeUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")).toBe("Edge, Windows");
    expect(summarizeUserAgent(null)).toBe("");
  });
});

describe("through the server", () => {
  let server: RunningServer;
  let emails: Awaited<ReturnType<typeof createStaff>>;

  beforeAll(async () => {
    server = await startServer({ SECURE_COOKIES: "off" });
    emails = await createStaff(getDb(), "sessions");
  });

  afterAll(async () => {
    await server?.stop();
  });

  const page = (path: string, cookie?: string) => fetch(`${server.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

  it("a sign-in from a signed-in browser gets a new session id, and the old one is ended", async () => {
    const first = await signIn(server.url, emails.analyst, PASSWORDS.analyst);
    const again = await postSignIn(server.url, { email: emails.analyst, password: PASSWORDS.analyst }, { Cookie: first });
    expect(again.status).toBe(302);
    const second = cookieOf(again, "td_session");
    expect(second).toMatch(/^td_session=./);
    expect(second).not.toBe(first);
    expect((await page("/personal", first)).status).toBe(302);
    expect((await page("/personal", second)).status).toBe(200);
  });

  it("an idle session sends its browser to the sign-in page", async () => {
    const cookie = await signIn(server.url, emails.facilitator, PASSWORDS.facilitator);
    expect((await page("/personal", cookie)).status).toBe(200);
    // 31 minutes of silence: the clock moved back on the row instead of waiting.
    const token = tokenOf(cookie);
    const id = createHash("sha256").update(token).digest("hex");
    await getDb().updateTable("user_session").set({ last_seen_at: minutes(new Date(), -31).toISOString() }).where("id", "=", id).execute();
    const res = await page("/personal", cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/logga-in/);
  });

  it("a role change ends the account's sessions; the next sign-in has the new role", async () => {
    const db = getDb();
    const email = "rollbyte@test.kommun.se";
    await createUser({ db, email, role: "facilitator", password: "rollbyte-losenord-test" });
    const cookie = await signIn(server.url, email, "rollbyte-losenord-test");
    expect((await page("/personal/sakerhet", cookie)).status).toBe(403);
    const user = await getUserByEmail({ db, email });
    await setUserRole({ db, userId: user!.id, role: "admin" });
    expect((await page("/personal", cookie)).status).toBe(302);
    const fresh = await signIn(server.url, email, "rollbyte-losenord-test");
    expect(fresh).not.toBe(cookie);
    expect((await page("/personal/sakerhet", fresh)).status).toBe(200);
  });

  it("lists one's own sessions (browser, times; never an id) and signs out everywhere", async () => {
    const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const one = cookieOf(await postSignIn(server.url, { email: emails.admin, password: PASSWORDS.admin }, { "User-Agent": chrome }), "td_session");
    const two = await signIn(server.url, emails.admin, PASSWORDS.admin);
    const other = await signIn(server.url, emails.analyst, PASSWORDS.analyst);
    const res = await page("/personal/sessioner", two);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Chrome, Windows");
    expect(html).toContain("(den här)");
    for (const cookie of [one, two]) {
      const token = tokenOf(cookie);
      expect(html).not.toContain(token);
      expect(html).not.toContain(createHash("sha256").update(token).digest("hex"));
    }
    const db = getDb();
    const admin = await getUserByEmail({ db, email: emails.admin });
    const listed = await listUserSessions({ db, userId: admin!.id, currentSessionId: "", timeouts });
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(listed[0]).sort()).toEqual(["createdAt", "current", "expiresAt", "lastSeenAt", "userAgent"]);
    // Without the form token: refused, nothing ended.
    expect((await postForm(`${server.url}/personal/sessioner`, {}, { Cookie: two })).status).toBe(403);
    expect((await page("/personal", one)).status).toBe(200);
    const out = await postForm(`${server.url}/personal/sessioner`, { csrf: await csrfOf(server.url, two) }, { Cookie: two });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/logga-in");
    expect((await page("/personal", one)).status).toBe(302);
    expect((await page("/personal", two)).status).toBe(302);
    // Another account's session is untouched.
    expect((await page("/personal", other)).status).toBe(200);
  });

  it("Cache-Control: no-store on staff pages, data requests, the root data with the CSRF token and the sign-in page; static files stay cacheable", async () => {
    const cookie = await signIn(server.url, emails.analyst, PASSWORDS.analyst);
    for (const [path, withCookie] of [
      ["/personal", true],
      ["/personal?_data=routes%2Fpersonal._index", true],
      ["/personal/sessioner", true],
      ["/personal/sessioner?_data=routes%2Fpersonal.sessioner", true],
      ["/?_data=root", true],
      ["/?_data=root", false],
      ["/", true],
      ["/logga-in", false],
      ["/logga-in?_data=routes%2Flogga-in", false],
      ["/personal", false],
    ] as const) {
      const res = await page(path, withCookie ? cookie : undefined);
      expect(res.headers.get("cache-control"), `${path}${withCookie ? " signed in" : ""} (${res.status})`).toBe("no-store");
      await res.arrayBuffer();
    }
    const css = await page("/styles/app.css", cookie);
    expect(css.headers.get("cache-control")).toMatch(/max-age=\d+/);
  });
});
