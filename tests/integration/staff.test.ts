/**
 * Staff accounts: the create-user command, sign-in through the real server, lockout, sign-out,
 * and role guards on the staff pages.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { createUser, MAX_FAILED_ATTEMPTS, verifyLogin, verifyPassword } from "~/models/user.server";
import { ROOT, startServer, type RunningServer } from "../helpers/app-server";

let server: RunningServer;

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", "app/cli/main.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

async function signIn(email: string, password: string) {
  const form = new URLSearchParams({ email, password, redirectTo: "/personal" });
  return fetch(`${server.url}/logga-in?index`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

function cookieOf(response: Response): string {
  return (response.headers.get("set-cookie") ?? "").split(";")[0];
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
    expect(user.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(user.password_hash).not.toContain(password!);
    expect(await verifyPassword(password!, user.password_hash)).toBe(true);
    expect(await verifyPassword("wrong", user.password_hash)).toBe(false);
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
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/td_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const page = await fetch(`${server.url}/personal`, { headers: { Cookie: cookieOf(res) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("dialog@kommun.se");
    // The session table keeps a hash, not the cookie's token.
    const token = decodeURIComponent(cookieOf(res).split("=")[1]);
    const sessions = await getDb().selectFrom("user_session").select("id").execute();
    expect(sessions.map((s) => s.id)).not.toContain(token);
  });

  it("signs out: the cookie no longer opens the staff page", async () => {
    const res = await signIn("dialog@kommun.se", "samtal-och-trygghet");
    const cookie = cookieOf(res);
    // The sign-out form carries the session's CSRF token (the root loader's `csrf`).
    const root = await fetch(`${server.url}/?_data=root`, { headers: { Cookie: cookie } });
    const { csrf } = (await root.json()) as { csrf: string };
    const out = await fetch(`${server.url}/logga-ut`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf }),
      redirect: "manual",
    });
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

  it("locks the account after repeated failures, even for the right password, and unlocks later", async () => {
    for (let i = 0; i < MAX_FAILED_ATTEMPTS - 1; i++) await signIn("lock@kommun.se", `fel-${i}-xxxxxxxx`);
    const locking = await signIn("lock@kommun.se", "fel-igen-xxxxxxxx");
    expect(await locking.text()).toContain("tillfälligt låst");
    const right = await signIn("lock@kommun.se", "ett-bra-losenord");
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("tillfälligt låst");
    const later = new Date(Date.now() + 16 * 60_000);
    const result = await verifyLogin({ db: getDb(), email: "lock@kommun.se", password: "ett-bra-losenord", now: later });
    expect(result.ok).toBe(true);
  });

  it("sends anonymous visitors of staff pages to the sign-in page", async () => {
    const page = await fetch(`${server.url}/personal`, { redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/logga-in?redirectTo=%2Fpersonal");
  });
});
