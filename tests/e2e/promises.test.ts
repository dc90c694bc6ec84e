/**
 * The citizen promises through the real server and real Chromium, on the example data (the
 * 2025 promises, signed; the 2025 survey open with no answers yet, so its figures are suppressed):
 * who may log, edit and sign; the public report (no staff names, no free text, "för få svar", axe,
 * phone, Arabic, desktop); its Atom feed parsed with a feed parser; its A4 PDF rendered page by
 * page to PNG; the problem picture (axe, its PDF).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { parseAtomFeed } from "feedsmith";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "~/models/demo.server";
import { DEMO_PROMISES } from "~/models/promise-demo.server";
import { startServer, type RunningServer } from "../helpers/app-server";
import { formatViolations, horizontalOverflow, launchBrowser, openWatchedPage, runAxe } from "../helpers/browser";
import { csrfOf, postForm, signIn } from "../security/helpers";

let server: RunningServer;
let browser: Browser;
const out = path.join(process.env.TD_TEST_DIR!, "promises-shots");
const user = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(process.env.TD_TEST_DIR!, `promises-e2e-${randomUUID()}.sqlite`);
  server = await startServer({ DEMO_DATA: undefined, DATABASE_URL: process.env.TEST_DATABASE_URL ? process.env.DATABASE_URL : file, SECURE_COOKIES: "off" });
  for (const role of ["admin", "analyst", "facilitator"]) cookies[role] = await signIn(server.url, user(role).email, user(role).password);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function staffPost(role: string, fields: Record<string, string>, year = 2025) {
  const csrf = await csrfOf(server.url, cookies[role]);
  return postForm(`${server.url}/personal/loften?ar=${year}&_data=routes%2Fpersonal.loften`, { csrf, ...fields }, { Cookie: cookies[role] });
}

async function firstPromise() {
  const res = await fetch(`${server.url}/personal/loften?ar=2025&_data=routes%2Fpersonal.loften`, { headers: { Cookie: cookies.analyst } });
  const data = (await res.json()) as { fu: { promises: { promise: { id: string; revision: number; text: string } }[] } };
  return data.fu.promises[0].promise;
}

async function context(role: string | null, options: Parameters<Browser["newContext"]>[0] = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 }, ...options });
  if (role) {
    const [name, value] = cookies[role].split(";")[0].split("=");
    await ctx.addCookies([{ name, value, url: server.url }]);
  }
  return ctx;
}

describe("roles", () => {
  it("a facilitator logs an activity (with the period warning) but may not edit a promise; only an admin signs", async () => {
    const logged = await staffPost("facilitator", {
      intent: "log-activity",
      doneOn: "2025-01-20",
      kind: "platsbesok",
      place: "Gamla torg",
      area: "kristianstad-centrum",
      party: "kommunen",
      promiseId: (await firstPromise()).id,
    });
    expect(logged.status).toBe(200);
    expect(await logged.json()).toMatchObject({ ok: true, warnings: ["outside_period"] });
    const p = await firstPromise();
    const edit = await staffPost("facilitator", { intent: "update-promise", id: p.id, revision: String(p.revision), text: "Ändrad", carriedBy: "bada", validFrom: "2025-02-07", validTo: "2025-12-31", status: "genomfort" });
    expect(edit.status).toBe(403);
    // The 2025 example promises are signed: even an analyst's edit is refused as frozen.
    const frozen = await staffPost("analyst", { intent: "update-promise", id: p.id, revision: String(p.revision), text: "Ändrad text", carriedBy: "bada", validFrom: "2025-02-07", validTo: "2025-12-31", status: "genomfort" });
    expect(frozen.status).toBe(409);
    expect(await frozen.json()).toMatchObject({ ok: false, error: "frozen" });
    // 2026: an analyst writes a promise; an analyst may not sign; an admin may.
    const created = await staffPost("analyst", { intent: "create-promise", text: "Fler trygghetsvandringar i Åhus.", carriedBy: "bada", validFrom: "2026-01-01", validTo: "2026-12-31", status: "planerat" }, 2026);
    expect(created.status).toBe(200);
    expect((await staffPost("analyst", { intent: "sign", signedOn: "2026-02-01", role1: "Lokalpolisområdeschef", role2: "Kommunstyrelsens ordförande" }, 2026)).status).toBe(403);
    expect((await staffPost("facilitator", { intent: "create-promise", text: "Inte tillåtet.", carriedBy: "bada", validFrom: "2026-01-01", validTo: "2026-12-31", status: "planerat" }, 2026)).status).toBe(403);
    const signed = await staffPost("admin", { intent: "sign", signedOn: "2026-02-01", role1: "Lokalpolisområdeschef", role2: "Kommunstyrelsens ordförande" }, 2026);
    expect(await signed.json()).toMatchObject({ ok: true, done: "signed" });
    const after = await fetch(`${server.url}/personal/loften?ar=2026&_data=routes%2Fpersonal.loften`, { headers: { Cookie: cookies.analyst } });
    expect(((await after.json()) as { fu: { promiseYear: { signedOn: string } } }).fu.promiseYear.signedOn).toBe("2026-02-01");
    // Residents see only the public report: the staff page sends them to sign in.
    const anonymous = await fetch(`${server.url}/personal/loften?ar=2025`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/logga-in/);
  }, 60_000);
});

describe("the public report", () => {
  it("shows the promises without staff names or free text, suppressed figures as för få svar; axe passes at phone, Arabic and desktop", async () => {
    const html = await (await fetch(`${server.url}/medborgarloften/2025`)).text();
    for (const p of DEMO_PROMISES) expect(html).toContain(p.text.slice(0, 60).replace(/&/g, "&amp;"));
    for (const u of DEMO_USERS) expect(html).not.toContain(u.email);
    expect(html).not.toContain("Infartsväg (exempel)");
    expect(html).not.toContain("Gamla torg");
    expect(html).toContain("för få svar");
    expect(html).toContain("Chef Lokalpolisområde Kristianstad");
    const start = await (await fetch(server.url)).text();
    expect(start).toMatch(/href="\/medborgarloften\/20\d\d"/);

    const shots: [string, Parameters<Browser["newContext"]>[0], string][] = [
      ["phone-390", { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, "sv"],
      ["arabic", { viewport: { width: 1280, height: 900 }, locale: "ar" }, "ar"],
      ["desktop", { viewport: { width: 1280, height: 900 } }, "sv"],
    ];
    for (const [name, options, lang] of shots) {
      const ctx = await context(null, options);
      const { page, errors } = await openWatchedPage(ctx);
      await page.goto(`${server.url}/medborgarloften/2025?lang=${lang}`);
      if (lang === "ar") expect(await page.getAttribute("html", "dir")).toBe("rtl");
      const axe = await runAxe(page);
      expect(axe.violations, formatViolations(`public report ${name}`, axe.violations)).toEqual([]);
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, overflow.offenders.join(", ")).toBeLessThanOrEqual(overflow.viewport);
      await page.screenshot({ path: path.join(out, `report-${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await ctx.close();
    }
  }, 120_000);

  it("publishes the status changes as an Atom feed that a feed parser reads", async () => {
    const res = await fetch(`${server.url}/medborgarloften/2025/feed.xml`);
    expect(res.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const feed = parseAtomFeed(await res.text());
    expect(feed.title?.value).toBe("Medborgarlöften 2025: ändringar");
    expect(feed.entries).toHaveLength(DEMO_PROMISES.length);
    expect(feed.entries!.map((e) => e.title?.value).sort()).toEqual(DEMO_PROMISES.map((_, i) => `Löfte ${i + 1}: Pågår`).sort());
    for (const e of feed.entries!) {
      expect(e.id).toMatch(/^urn:trygghetsdialog:promise-event:/);
      expect(Number.isNaN(Date.parse(e.updated!))).toBe(false);
    }
    expect((await fetch(`${server.url}/medborgarloften/1999/feed.xml`)).status).toBe(404);
  });

  it("downloads an A4 PDF, rendered page by page", async () => {
    const res = await fetch(`${server.url}/medborgarloften/2025/rapport.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const file = path.join(out, "report.pdf");
    fs.writeFileSync(file, pdf);
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThan(1);
    // A4 is 595 × 842 points.
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    execFileSync("pdftoppm", ["-png", "-r", "50", file, path.join(out, "report-page")]);
    const pngs = fs.readdirSync(out).filter((f) => f.startsWith("report-page") && f.endsWith(".png"));
    expect(pngs).toHaveLength(pages);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).toContain("Medborgarlöften 2025");
    expect(text).not.toContain("Ladda ner rapporten som PDF");
    expect(text).not.toContain("Logga in");
  }, 120_000);
});

describe("the problem picture", () => {
  it("ranks the problems, passes axe and downloads as a PDF (analysts; not facilitators)", async () => {
    const ctx = await context("analyst");
    const { page, errors } = await openWatchedPage(ctx);
    await page.goto(`${server.url}/personal/problembild/2024`);
    expect(await page.locator("#problem-ranking tbody tr").count()).toBe(12);
    const axe = await runAxe(page);
    expect(axe.violations, formatViolations("problem picture", axe.violations)).toEqual([]);
    await page.screenshot({ path: path.join(out, "problem-picture.png"), fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();
    const pdf = await fetch(`${server.url}/personal/problembild/2024/pdf`, { headers: { Cookie: cookies.analyst } });
    if (pdf.status !== 200) fs.writeFileSync(path.join(out, "server-output.txt"), server.output());
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    const forbidden = await fetch(`${server.url}/personal/problembild/2024/pdf`, { headers: { Cookie: cookies.facilitator } });
    expect(forbidden.status).toBe(403);
  }, 120_000);
});
