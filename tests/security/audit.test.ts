/**
 * The audit trail (decision 023): what it records through the real server (password sign-in,
 * failed sign-in, sign-out) and the command line (create-user, backup, purge-audit); that it never
 * holds a password, a session or form token, or a survey answer; its retention; and the admin
 * page with paging and a filter by event. Analysts and facilitators are refused the page by the
 * role walk in roles.test.ts (route-policy.ts).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { auditableEmail, listAuditEvents, purgeAuditEvents, recordAudit, type AuditDetail } from "~/models/audit.server";
import { getEnv } from "~/utils/env.server";
import { validAnswers } from "../helpers/answers";
import { startServer, type RunningServer } from "../helpers/app-server";
import { runCliCaptured } from "../helpers/cli";
import { createStaff, csrfOf, PASSWORDS, postForm } from "./helpers";

let server: RunningServer;
let emails: Awaited<ReturnType<typeof createStaff>>;
const FREE_TEXT = `Fritextmarkör ${randomUUID()}`;
/** A password typed into the e-mail field by mistake, as people do. */
const MISTYPED = `mitt-losenord-${randomUUID().slice(0, 8)}`;

/** A password sign-in as the browser makes it: the form's token and cookie, then the post. */
async function passwordSignIn(email: string, password: string): Promise<Response> {
  const form = await fetch(`${server.url}/logga-in?_data=routes%2Flogga-in`);
  const { formToken } = (await form.json()) as { formToken: string };
  const formCookie = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return postForm(
    `${server.url}/logga-in?index`,
    { email, password, redirectTo: "/personal", csrf: formToken },
    { Cookie: formCookie, Origin: server.url },
  );
}

async function signIn(email: string, password: string): Promise<string> {
  const res = await passwordSignIn(email, password);
  const session = res.headers.getSetCookie().find((c) => /^td_session=[^;]/.test(c));
  if (res.status !== 302 || !session) throw new Error(`Sign-in of ${email} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return session.split(";")[0];
}

async function allAuditText(): Promise<string> {
  const rows = await getDb().selectFrom("audit_event").selectAll().execute();
  return JSON.stringify(rows);
}

beforeAll(async () => {
  await migrateToLatest(getDb());
  server = await startServer({ SECURE_COOKIES: "off", RATE_LIMIT_SIGNIN: "off" });
  emails = await createStaff(getDb(), "audit");
});

afterAll(async () => {
  await server?.stop();
});

describe("recordAudit", () => {
  it("refuses detail keys that could carry a secret or an answer, and unknown events", async () => {
    const db = getDb();
    for (const key of ["password", "token", "csrf", "answers", "code", "suggestion"]) {
      await expect(
        recordAudit({ db, event: "sign-in", address: "test", detail: { [key]: "x" } as AuditDetail }),
        key,
      ).rejects.toThrow(/not allowed/);
    }
    await expect(recordAudit({ db, event: "password-shown" as never, address: "test" })).rejects.toThrow(/unknown event/);
    await expect(
      recordAudit({ db, event: "sign-in", address: "test", detail: { reason: { nested: "x" } as never } }),
    ).rejects.toThrow(/string, number, boolean or null/);
  });

  it("keeps a typed e-mail only when it is shaped like an address", () => {
    expect(auditableEmail(" Anna@Kommun.SE ")).toBe("anna@kommun.se");
    expect(auditableEmail(MISTYPED)).toBeNull();
    expect(auditableEmail("hunter2@")).toBeNull();
    expect(auditableEmail("")).toBeNull();
    expect(auditableEmail("an\u0000na@kommun.se")).toBeNull();
  });
});

describe("events through the server", () => {
  it("records sign-in, failed sign-in and sign-out with account and address, and never a password, token or answer", async () => {
    const before = new Date().toISOString();
    // A resident's answer with free text: it must never reach the trail.
    const answer = await fetch(`${server.url}/api/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: validAnswers({ suggestion: FREE_TEXT }) }),
    });
    expect(answer.status).toBe(201);

    const wrong = await passwordSignIn(emails.analyst, "fel-losenord-123456");
    expect(wrong.status).toBe(200);
    const mistyped = await passwordSignIn(MISTYPED, PASSWORDS.analyst);
    expect(mistyped.status).toBe(200);
    const cookie = await signIn(emails.analyst, PASSWORDS.analyst);
    const csrf = await csrfOf(server.url, cookie);
    const out = await postForm(`${server.url}/logga-ut`, { csrf }, { Cookie: cookie, Origin: server.url });
    expect(out.status).toBe(302);

    const rows = await getDb().selectFrom("audit_event").selectAll().where("at", ">=", before).orderBy("at").execute();
    const analystId = (await getDb().selectFrom("app_user").select("id").where("email", "=", emails.analyst).executeTakeFirstOrThrow()).id;
    const summary = rows.map((r) => ({ event: r.event, account: r.account_id, email: r.email, detail: r.detail && JSON.parse(r.detail) }));
    expect(summary).toEqual([
      { event: "sign-in-failed", account: null, email: emails.analyst, detail: { method: "password", reason: "invalid" } },
      { event: "sign-in-failed", account: null, email: null, detail: { method: "password", reason: "invalid" } },
      { event: "sign-in", account: analystId, email: emails.analyst, detail: { method: "password", role: "analyst" } },
      { event: "sign-out", account: analystId, email: emails.analyst, detail: null },
    ]);
    for (const r of rows) expect(r.address).toMatch(/127\.0\.0\.1/);

    const text = await allAuditText();
    const token = decodeURIComponent(cookie.split("=")[1]);
    for (const secret of [PASSWORDS.analyst, "fel-losenord-123456", MISTYPED, token, csrf, FREE_TEXT]) {
      expect(text.includes(secret), `the trail holds ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});

describe("events from the command line", () => {
  it("create-user and backup are recorded with the command line as the address", async () => {
    const email = `ny-${randomUUID().slice(0, 8)}@test.kommun.se`;
    const created = await runCliCaptured("create-user", "--email", email, "--role", "facilitator", "--password", "ett-langt-losenord-for-cli");
    expect(created.code, created.stderr).toBe(0);
    const row = await getDb().selectFrom("audit_event").selectAll().where("event", "=", "account-created").where("email", "=", email).executeTakeFirstOrThrow();
    expect(JSON.parse(row.detail!)).toEqual({ role: "facilitator", source: "cli" });
    expect(row.address).toMatch(/^cli \(/);
    expect(await allAuditText()).not.toContain("ett-langt-losenord-for-cli");

    const target = path.join(process.env.TD_TEST_DIR!, `backup-${randomUUID()}.sqlite`);
    const backup = await runCliCaptured("backup", "--file", target);
    const exports = await getDb().selectFrom("audit_event").selectAll().where("event", "=", "export-database").execute();
    if (getEnv().database.kind === "sqlite") {
      expect(backup.code, backup.stderr).toBe(0);
      expect(fs.existsSync(target)).toBe(true);
      expect(exports.map((e) => JSON.parse(e.detail!))).toEqual([{ target: path.basename(target), method: "cli" }]);
    } else {
      // PostgreSQL is backed up with pg_dump: the command refuses and nothing is recorded.
      expect(backup.code).toBe(2);
      expect(exports).toEqual([]);
    }
  });
});

describe("retention", () => {
  it("purge deletes events older than the period and keeps the rest; purge-audit does it from the command line", async () => {
    const db = getDb();
    const now = new Date();
    const old = new Date(now.getTime() - 400 * 86_400_000);
    const recent = new Date(now.getTime() - 10 * 86_400_000);
    await recordAudit({ db, event: "sign-out", address: "198.51.100.1", at: old });
    await recordAudit({ db, event: "sign-out", address: "198.51.100.2", at: recent });
    expect(await purgeAuditEvents({ db, days: 365, now })).toBe(1);
    const left = await db.selectFrom("audit_event").select("address").where("address", "like", "198.51.100.%").execute();
    expect(left.map((r) => r.address)).toEqual(["198.51.100.2"]);

    await recordAudit({ db, event: "sign-out", address: "198.51.100.3", at: old });
    const run = await runCliCaptured("purge-audit");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Deleted 1 audit events older than 365 days/);
    const purged = await getDb().selectFrom("audit_event").selectAll().where("event", "=", "audit-purged").execute();
    expect(purged.map((p) => JSON.parse(p.detail!))).toEqual([{ count: 1, days: 365 }]);
  });
});

describe("the admin page", () => {
  it("lists events newest first, 50 a page, filtered by event", async () => {
    const db = getDb();
    const base = Date.now() - 60_000;
    for (let i = 0; i < 120; i++) {
      await recordAudit({ db, event: "export-free-text", address: `192.0.2.${i % 250}`, detail: { series: "trygghetsmatning", rows: i }, at: new Date(base + i) });
    }
    const first = await listAuditEvents({ db, event: "export-free-text", page: 1 });
    expect(first.total).toBe(120);
    expect(first.pages).toBe(3);
    expect(first.rows[0].detail).toContain('"rows":119');
    const last = await listAuditEvents({ db, event: "export-free-text", page: 3 });
    expect(last.rows).toHaveLength(20);
    expect(last.rows.at(-1)!.detail).toContain('"rows":0');
    expect((await listAuditEvents({ db, event: "export-free-text", page: 99 })).page).toBe(3);

    const admin = await signIn(emails.admin, PASSWORDS.admin);
    const page = await fetch(`${server.url}/personal/logg?handelse=export-free-text&sida=2`, { headers: { Cookie: admin } });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control") ?? "").not.toMatch(/public/);
    const html = await page.text();
    expect(html).toContain("Logg över säkerhetshändelser");
    expect(html).toContain("120 händelser, sida 2 av 3.");
    expect(html).toContain("rows: 69");
    expect(html).not.toContain("rows: 70<");
    expect(html).not.toContain("Utloggning</td>");
    expect(html).toMatch(/href="\/personal\/logg\?handelse=export-free-text&amp;sida=3"/);
    const all = await fetch(`${server.url}/personal/logg`, { headers: { Cookie: admin } });
    expect(await all.text()).toContain("Inloggning</td>");
    // The page speaks the visitor's language (decision 012): Arabic, right to left.
    const arabic = await (await fetch(`${server.url}/personal/logg?lang=ar`, { headers: { Cookie: admin } })).text();
    expect(arabic).toMatch(/<html[^>]*dir="rtl"/);
    expect(arabic).toContain("سجل الأحداث الأمنية");
    expect(arabic).toContain("تسجيل دخول</td>");
  });

  it("is linked from the staff page for admins only", async () => {
    const admin = await signIn(emails.admin, PASSWORDS.admin);
    const analyst = await signIn(emails.analyst, PASSWORDS.analyst);
    expect(await (await fetch(`${server.url}/personal`, { headers: { Cookie: admin } })).text()).toContain('href="/personal/logg"');
    expect(await (await fetch(`${server.url}/personal`, { headers: { Cookie: analyst } })).text()).not.toContain('href="/personal/logg"');
    expect((await fetch(`${server.url}/personal/logg`, { headers: { Cookie: analyst } })).status).toBe(403);
  });
});
