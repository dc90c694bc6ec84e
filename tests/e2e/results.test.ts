/**
 * The results pages in real Chromium on the example data (three closed years) plus a few 2025
 * answers in which Tollarp stays under minCount: every figure a table shows equals the results
 * API's for the same year, group and weighting, formatted once in Swedish; the suppressed area
 * shows no number on the page, in its CSV or in a chart's text alternative; anonymous visitors
 * and facilitators are refused the dashboard and the free text; the public page's CSV parses
 * back to the API's figures; axe-core finds nothing on any of these pages.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatters } from "~/i18n/format";
import { DEMO_USERS } from "~/models/demo.server";
import { validAnswers } from "../helpers/answers";
import { startServer, type RunningServer } from "../helpers/app-server";
import { formatViolations, launchBrowser, openWatchedPage, runAxe } from "../helpers/browser";
import { signIn } from "../security/helpers";

interface ApiRow {
  key: string;
  group: Record<string, string>;
  n: number;
  estimate: number | null;
  ci: [number, number] | null;
  suppressed: boolean;
}
interface ApiDoc {
  year: number;
  weighted: boolean;
  measures: ApiRow[];
}

const sv = formatters("sv");
const MARKER = `<b>Fler lampor</b> & "ljus" ${randomUUID()}`;
let server: RunningServer;
let browser: Browser;
const user = (role: string) => DEMO_USERS.find((u) => u.role === role)!;

beforeAll(async () => {
  const file = path.join(process.env.TD_TEST_DIR!, `results-e2e-${randomUUID()}.sqlite`);
  server = await startServer({ DEMO_DATA: undefined, DATABASE_URL: process.env.TEST_DATABASE_URL ? process.env.DATABASE_URL : file, SECURE_COOKIES: "off", RATE_LIMIT_SUBMISSIONS: "off" });
  const submit = (answers: Record<string, unknown>) =>
    fetch(`${server.url}/api/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ survey: "trygghetsmatning-2025", clientId: randomUUID(), answers }),
    });
  expect((await submit(validAnswers({ suggestion: MARKER }))).status).toBe(201);
  for (let i = 0; i < 12; i++) expect((await submit(validAnswers({ safe_evening: 1 + (i % 4) }))).status).toBe(201);
  for (let i = 0; i < 3; i++) expect((await submit(validAnswers({ area: "tollarp" }))).status).toBe(201);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function api(query: string): Promise<ApiDoc> {
  const res = await fetch(`${server.url}/api/results/trygghetsmatning?${query}`);
  expect(res.status, query).toBe(200);
  return (await res.json()) as ApiDoc;
}

/** The API's estimate as the page must show it (shares as percentages, one decimal). */
function shown(row: ApiRow): string {
  if (row.estimate === null) return "för få svar";
  return row.key === "safety_index" || row.key === "problem_index" ? sv.number(row.estimate, 1) : sv.percent(row.estimate, 1);
}

async function context(role?: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  if (role) {
    const cookie = await signIn(server.url, user(role).email, user(role).password);
    const [name, value] = cookie.split(";")[0].split("=");
    await ctx.addCookies([{ name, value, url: server.url }]);
  }
  return ctx;
}

/** Every table cell tied to an API row: `key|group` (or `key||year` in the trend tables) and its text. */
async function figureCells(page: Page): Promise<{ figure: string; text: string }[]> {
  return page.$$eval("[data-figure]", (cells) => cells.map((c) => ({ figure: c.getAttribute("data-figure") ?? "", text: (c.textContent ?? "").trim() })));
}

function checkCells(cells: { figure: string; text: string }[], docs: Record<string, ApiDoc>, trend: Record<string, ApiDoc> = {}): number {
  let checked = 0;
  for (const { figure, text } of cells) {
    const [key, group, year] = figure.split("|");
    let row: ApiRow | undefined;
    if (year) row = trend[year].measures.find((m) => m.key === key && Object.keys(m.group).length === 0);
    else {
      for (const doc of Object.values(docs)) {
        row ??= doc.measures.find((m) => m.key === key && (group === "" ? Object.keys(m.group).length === 0 : Object.values(m.group)[0] === group));
      }
    }
    expect(row, figure).toBeDefined();
    expect(text.startsWith(shown(row!)), `${figure}: page "${text}", API ${row!.estimate}`).toBe(true);
    if (row!.suppressed) expect(text, figure).not.toMatch(/\d/);
    checked++;
  }
  return checked;
}

/** A text without the digits that are labels, not figures: years, "minst 10 svar", "95 %", "0–6". */
function withoutLabels(text: string): string {
  return text.replace(/20\d\d|minst 10 svar|färre än 10 svar|95 %|0–6|beräknade [^)]*\)/g, "");
}

function parseSemicolonCsv(text: string): string[][] {
  expect(text.charCodeAt(0), "UTF-8 byte-order mark").toBe(0xfeff);
  return text
    .slice(1)
    .split("\r\n")
    .filter((l) => l !== "")
    .map((l) => l.split(";").map((f) => (f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f)));
}

async function downloadCsv(page: Page, filename: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(`button[data-csv="${filename}"]`)]);
  const file = await download.path();
  return fs.readFileSync(file!, "utf8");
}

async function expectNoAxeViolations(page: Page, label: string) {
  const { violations } = await runAxe(page);
  expect(violations, formatViolations(label, violations)).toEqual([]);
}

describe("the analysts' dashboard", () => {
  it("shows exactly the API's figures for the year, group and weighting, and passes axe", async () => {
    const ctx = await context("analyst");
    const { page, errors } = await openWatchedPage(ctx);
    for (const weighted of [true, false]) {
      const res = await page.goto(`${server.url}/personal/resultat?ar=2024&viktad=${weighted ? 1 : 0}`);
      expect(res?.status()).toBe(200);
      await page.waitForSelector("button[data-png]:not([disabled])");
      const w = `weighted=${weighted}`;
      const docs = {
        all: await api(`year=2024&${w}`),
        area: await api(`year=2024&by=area&${w}`),
        gender: await api(`year=2024&by=gender&${w}`),
        age: await api(`year=2024&by=age_group&${w}`),
      };
      expect(docs.all.weighted).toBe(weighted);
      const trend: Record<string, ApiDoc> = {};
      for (const y of [2022, 2023, 2024, 2025]) trend[y] = await api(`year=${y}&${w}`);
      const checked = checkCells(await figureCells(page), docs, trend);
      expect(checked).toBeGreaterThan(100);
      await expect(page.locator("#weighting-note").textContent()).resolves.toMatch(weighted ? /viktade/ : /oviktade/);
      // Change wording: only the three words of statistics.md.
      const changes = await page.$$eval("#dashboard-headline td.change", (cells) => cells.map((c) => c.textContent ?? ""));
      for (const c of changes) expect(c).toMatch(/^(Ökning|Minskning|Ingen säkerställd förändring|Kan inte jämföras|Ingen jämförelse)/);
      // Definitions one click away.
      await page.click("details.definition summary");
      await expect(page.locator("details.definition[open] p").first().isVisible()).resolves.toBe(true);
    }
    await expectNoAxeViolations(page, "dashboard 2024 unweighted");
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);

  it("shows no number for a suppressed area: not in the table, its CSV or the chart's text alternative", async () => {
    const ctx = await context("analyst");
    const { page } = await openWatchedPage(ctx);
    await page.goto(`${server.url}/personal/resultat?ar=2025&viktad=0`);
    await page.waitForSelector("button[data-png]:not([disabled])");
    const row = await page.locator("#dashboard-by-area tr", { hasText: "Tollarp" }).textContent();
    expect(row).toContain("för få svar");
    expect(row!.replace("Tollarp", "")).not.toMatch(/\d/);
    const alt = (await page.locator("canvas[data-alt*='Tollarp']").first().getAttribute("aria-label")) ?? "";
    expect(alt).toMatch(/Tollarp[^;]*för få svar/);
    expect(/Tollarp[^;]*/.exec(alt)![0]).not.toMatch(/\d/);
    const csv = parseSemicolonCsv(await downloadCsv(page, "trygghetsmatning-2025-per-area.csv"));
    const tollarp = csv.find((r) => r[0] === "Tollarp")!;
    expect(tollarp.join(";")).not.toMatch(/\d/);
    const [png] = await Promise.all([page.waitForEvent("download"), page.click('button[data-png="trygghetsmatning-2025-per-area.png"]')]);
    const bytes = fs.readFileSync((await png.path())!);
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    await ctx.close();
  }, 120_000);

  it("refuses anonymous visitors (sign-in page) and facilitators (403), for the dashboard and the free text", async () => {
    for (const url of ["/personal/resultat", "/personal/fritext"]) {
      const anonymous = await fetch(`${server.url}${url}`, { redirect: "manual" });
      expect(anonymous.status, url).toBe(302);
      expect(anonymous.headers.get("location"), url).toMatch(/^\/logga-in\?redirectTo=/);
      const ctx = await context("facilitator");
      const { page } = await openWatchedPage(ctx);
      const res = await page.goto(`${server.url}${url}`);
      expect(res?.status(), url).toBe(403);
      expect(await page.content()).not.toContain(MARKER.slice(-36));
      await ctx.close();
    }
  }, 60_000);
});

describe("free-text answers", () => {
  it("shows the year's answers escaped, searchable, to an analyst; axe passes", async () => {
    const ctx = await context("analyst");
    const { page, errors } = await openWatchedPage(ctx);
    await page.goto(`${server.url}/personal/fritext?ar=2025&sok=${encodeURIComponent("fler lampor")}`);
    const texts = await page.$$eval(".free-text", (els) => els.map((e) => e.textContent));
    expect(texts).toEqual([MARKER]);
    expect(await page.locator(".free-text b").count()).toBe(0);
    await expectNoAxeViolations(page, "free text");
    await page.goto(`${server.url}/personal/fritext?ar=2024`);
    expect(await page.locator(".free-text").count()).toBeGreaterThan(0);
    expect(await page.locator("nav.pager").count()).toBe(1);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 60_000);
});

describe("the public results pages", () => {
  it("show the API's figures (weighted) for the municipality, and the CSV parses back to them", async () => {
    const ctx = await context();
    const { page, errors } = await openWatchedPage(ctx);
    const start = await page.goto(`${server.url}/`);
    expect(start?.status()).toBe(200);
    // The latest year with enough answers is the open 2025 survey.
    await page.click("a[href='/resultat']");
    await page.waitForURL(/\/resultat\/2025$/);
    await page.goto(`${server.url}/resultat/2024`);
    await page.waitForSelector("button[data-png]:not([disabled])");
    const docs = { all: await api("year=2024&weighted=true&compareTo=2023"), area: await api("year=2024&by=area&weighted=true") };
    expect(checkCells(await figureCells(page), docs)).toBeGreaterThan(20);
    expect(await page.locator("h1").textContent()).toContain("2024");
    const csv = parseSemicolonCsv(await downloadCsv(page, "trygghetsmatning-2024-nyckeltal.csv"));
    expect(csv[0][0]).toBe("Mått");
    for (const line of csv.slice(1)) {
      const key = { Trygghetsindex: "safety_index", "Otrygga ute sent en kväll": "unsafe_evening_share", "Avstått från aktiviteter": "avoid_share", "Utsatta för brott": "victim_share", "Instämmer: polisen bryr sig": "police_confidence_share" }[line[0]];
      const row = docs.all.measures.find((m) => m.key === key && Object.keys(m.group).length === 0)!;
      expect(row, line[0]).toBeDefined();
      const value = Number(line[1].replace(",", "."));
      const expected = key === "safety_index" ? row.estimate! : row.estimate! * 100;
      expect(Math.abs(value - expected), line.join(";")).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(line[1]).toBe(key === "safety_index" ? sv.number(row.estimate!, 1) : sv.number(row.estimate! * 100, 1));
      expect(Number(line[3])).toBe(row.n);
    }
    await expectNoAxeViolations(page, "public 2024");
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);

  it("an area with too few answers shows no number anywhere; its page passes axe", async () => {
    const ctx = await context();
    const { page, errors } = await openWatchedPage(ctx);
    const res = await page.goto(`${server.url}/resultat/2025/tollarp`);
    expect(res?.status()).toBe(200);
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).toContain("För få svar från Tollarp");
    const body = withoutLabels(main);
    expect(body, "digits on the suppressed area's page").not.toMatch(/\d/);
    const alts = await page.$$eval("canvas", (cs) => cs.map((c) => c.getAttribute("aria-label") ?? ""));
    for (const alt of alts) expect(alt).not.toMatch(/\d/);
    const csv = parseSemicolonCsv(await downloadCsv(page, "trygghetsmatning-2025-tollarp-nyckeltal.csv"));
    for (const line of csv.slice(1)) expect(withoutLabels(line.join(";")), "CSV of the suppressed area").not.toMatch(/\d/);
    await expectNoAxeViolations(page, "public 2025 Tollarp");
    // The municipality's 2025 page lists Tollarp without a figure.
    await page.goto(`${server.url}/resultat/2025`);
    const tollarp = await page.locator("#area-table tr", { hasText: "Tollarp" }).textContent();
    expect(tollarp!.replace("Tollarp", "")).not.toMatch(/\d/);
    await expectNoAxeViolations(page, "public 2025");
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);

  it("answer with ETag and Cache-Control, and 304 when the client has them", async () => {
    const url = `${server.url}/api/results/trygghetsmatning?year=2024&by=area`;
    const first = await fetch(url);
    expect(first.headers.get("cache-control")).toBe("public, max-age=3600");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    expect((await fetch(url, { headers: { "If-None-Match": etag } })).status).toBe(304);
    const open = await fetch(`${server.url}/api/results/trygghetsmatning?year=2025`);
    expect(open.headers.get("cache-control")).toBe("public, max-age=30");
    // The page: kept HTML gets a fresh CSP nonce each time.
    const pages = [];
    for (let i = 0; i < 3; i++) pages.push(await fetch(`${server.url}/resultat/2024`));
    const nonces = await Promise.all(pages.map(async (p) => /nonce="([^"]+)"/.exec(await p.text())?.[1]));
    expect(new Set(nonces).size).toBe(3);
    for (const [i, p] of pages.entries()) expect(p.headers.get("content-security-policy")).toContain(`'nonce-${nonces[i]}'`);
    expect(pages[2].headers.get("x-page-cache")).toBe("hit");
    expect((await fetch(`${server.url}/resultat/2024`, { headers: { "If-None-Match": pages[2].headers.get("etag")! } })).status).toBe(304);
  }, 60_000);
});
