/**
 * Staff accounts: the create-user command, sign-in through the real server, growing delays after
 * failures, sign-out, and role guards on the staff pages.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { verifyPassword } from "~/models/password.server";
import { attemptPasswordSignIn, createUser } from "~/models/user.server";
import { ROOT, startServer, type RunningServer } from "../helpers/app-server";
import { cookieOf as namedCookie, postForm, postSignIn, tokenOf } from "../security/helpers";

let server: RunningServer;

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", "app/cli/main.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

async function signIn(email: string, password: string) {
  return postSignIn(server.url, { email, password, redirectTo: "/personal" });
}

function cookieOf(response: Response): string {
  return namedCookie(response, "td_session");
}

beforeAll(async () => {
  await migrateToLatest(getDb());
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

describe("create-user", () => {
  it("creates an account with a generated password shown once, hashed with scrypt", async () => {
    const out = cli(["create-user", "--email", "Analys@Kommun.se", "--role", "analyst"]);
    expect(out.status, out.stderr).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(out.stdout)?.[1];
    expect(password).toBeDefined();
    const user = await getDb().selectFrom("app_user").selectAll().where("email", "=", "analys@kommun.se").executeTakeFirstOrThrow();
    expect(user.role).toBe("analyst");
    expect(user.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(user.password_hash).not.toContain(password!);
    expect((await verifyPassword(password!, user.password_hash)).ok).toBe(true);
    expect((await verifyPassword("wrong", user.password_hash)).ok).toBe(false);
  });

  it("refuses an unknown role, a duplicate and a short password", () => {
    expect(cli(["create-user", "--email", "x@kommun.se", "--role", "king"]).status).toBe(2);
    expect(cli(["create-user", "--email", "analys@kommun.se", "--role", "analyst"]).stderr).toMatch(/already exists/);
    expect(cli(["create-user", "--email", "y@kommun.se", "--role", "admin", "--password", "short"]).stderr).toMatch(/at least 12/);
  });
});

describe("sign-in", () => {
  beforeAll(async () => {
    await createUser({ db: getDb(), email: "dialog@kommun.se", role: "facilitator", password: "samtal-och-trygghet" });
    await createUser({ db: getDb(), email: "lock@kommun.se", role: "analyst", password: "ett-bra-losenord" });
  });

  it("signs in with the right password, sets an HttpOnly SameSite cookie, and opens the staff page", async () => {
    const res = await signIn("dialog@kommun.se", "samtal-och-trygghet");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/personal");
    // NODE_ENV=production and SECURE_COOKIES unset: Secure cookies, so the __Host- name.
    const setCookie = res.headers.getSetCookie().find((c) => /^(__Host-)?td_session=/.test(c)) ?? "";
    expect(setCookie).toMatch(/^__Host-td_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const page = await fetch(`${server.url}/personal`, { headers: { Cookie: cookieOf(res) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("dialog@kommun.se");
    // The session table keeps a hash, not the cookie's token.
    const token = tokenOf(cookieOf(res));
    const sessions = await getDb().selectFrom("user_session").select("id").execute();
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.map((s) => s.id)).not.toContain(token);
    expect(sessions.map((s) => s.id)).toContain(createHash("sha256").update(token).digest("hex"));
  });

  it("signs out: the cookie no longer opens the staff page", async () => {
    const res = await signIn("dialog@kommun.se", "samtal-och-trygghet");
    const cookie = cookieOf(res);
    // The sign-out form carries the session's CSRF token (the root loader's `csrf`).
    const root = await fetch(`${server.url}/?_data=root`, { headers: { Cookie: cookie } });
    const { csrf } = (await root.json()) as { csrf: string };
    const out = await postForm(`${server.url}/logga-ut`, { csrf }, { Cookie: cookie });
    expect(out.status).toBe(302);
    const page = await fetch(`${server.url}/personal`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toMatch(/^\/logga-in/);
  });

  it("says wrong e-mail or password in Swedish, the same for unknown accounts", async () => {
    const wrong = await signIn("dialog@kommun.se", "fel-losenord-123");
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain("Fel e-postadress eller lösenord.");
    const unknown = await signIn("ingen@kommun.se", "fel-losenord-123");
    expect(await unknown.text()).toContain("Fel e-postadress eller lösenord.");
  });

  it("after repeated failures the next attempt waits, even with the right password, and goes through later", async () => {
    for (let i = 0; i < 6; i++) expect((await signIn("lock@kommun.se", `fel-${i}-xxxxxxxx`)).status).toBe(200);
    const right = await signIn("lock@kommun.se", "ett-bra-losenord");
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(await right.text()).toMatch(/För många misslyckade försök\. Vänta \d+ s och försök igen\./);
    const later = new Date(Date.now() + 2 * 60_000);
    const result = await attemptPasswordSignIn({ db: getDb(), email: "lock@kommun.se", password: "ett-bra-losenord", clientKey: "192.0.2.9", now: later });
    expect(result.ok).toBe(true);
  });

  it("sends anonymous visitors of staff pages to the sign-in page", async () => {
    const page = await fetch(`${server.url}/personal`, { redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/logga-in?redirectTo=%2Fpersonal");
  });
});
