/**
 * The survey year in real Chromium (issue 19), with the server's clock set (TD_TODAY) instead of
 * waiting: an admin publishes the 2026 edition code-only from /personal/utgavor, uploads a sample
 * of 200 and downloads the codes; a resident opens a code link on a 390 px phone, answers, and
 * the code is used; the same link again is refused; the response rates page counts the answer;
 * after the closing day the survey is closed. No console errors anywhere.
 */
import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { createUser } from "~/models/user.server";
import { parseCsv } from "~/utils/csv";
import { startServer, type RunningServer } from "../helpers/app-server";
import { launchBrowser, openWatchedPage, type WatchedPage } from "../helpers/browser";

const EDITION = "trygghetsmatning-2026";
const SCREENS = "/tmp/screens";
const ADMIN = { email: "admin-year@test.kommun.se", password: "utgavor-losenord-for-test" };
const AREAS = ["kristianstad-centrum", "ahus", "tollarp", "degeberga"];

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const watched: WatchedPage[] = [];

beforeAll(async () => {
  await migrateToLatest(getDb());
  await createUser({ db: getDb(), email: ADMIN.email, role: "admin", password: ADMIN.password });
  browser = await launchBrowser();
  server = await startServer({ TD_TODAY: "2026-03-10" });
  fs.mkdirSync(SCREENS, { recursive: true });
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

async function open(options: Parameters<Browser["newContext"]>[0]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "sv-SE", ...options });
  contexts.push(context);
  const w = await openWatchedPage(context);
  watched.push(w);
  return { context, page: w.page };
}

/** A download as the signed-in page fetches it (its cookies), BOM kept. */
async function fetchText(page: Page, path: string): Promise<string> {
  const bytes = await page.evaluate(async (p) => {
    const res = await fetch(p);
    if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
    return [...new Uint8Array(await res.arrayBuffer())];
  }, path);
  return Buffer.from(bytes).toString("utf8");
}

let codes: { sample_id: string; area: string; code: string; link: string }[] = [];
let adminPage: Page;

describe("the survey year in Chromium", () => {
  it("an admin publishes the edition code-only and makes codes for a sample of 200", async () => {
    ({ page: adminPage } = await open({ viewport: { width: 1280, height: 900 } }));
    const page = adminPage;
    await page.goto(`${server.url}/logga-in`);
    await page.fill("#email", ADMIN.email);
    await page.fill("#password", ADMIN.password);
    await page.getByRole("button", { name: "Logga in", exact: true }).click();
    await page.waitForURL("**/personal");
    await page.getByRole("link", { name: "Utgåvor, inbjudningskoder och svarsfrekvens" }).click();
    await page.waitForURL("**/personal/utgavor");
    await page.locator('input[name="year"]').fill("2026");
    await page.locator('input[name="opens"]').fill("2026-03-01");
    await page.locator('input[name="closes"]').fill("2026-04-15");
    await page.getByRole("radio", { name: "Endast med kod" }).check();
    await page.getByRole("button", { name: "Publicera", exact: true }).click();
    await page.getByText(`${EDITION} är publicerad.`).waitFor();
    const row = page.locator("tr", { has: page.getByRole("rowheader", { name: "2026" }) });
    expect(await row.innerText()).toContain("Endast med kod");

    await row.getByRole("link", { name: "Koder" }).click();
    await page.waitForURL(`**/personal/utgavor/${EDITION}`);
    const lines = ["sample_id,area,age_group,gender"];
    for (let i = 0; i < 200; i++) lines.push(`S${String(i).padStart(3, "0")},${AREAS[i % 4]},${i % 2 ? "25-44" : "65-85"},${i % 3 ? "woman" : "man"}`);
    const form = page.locator("form", { has: page.locator('input[name="sample"]') });
    await form.locator('input[name="sample"]').setInputFiles({ name: "urval.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });
    await form.getByRole("button", { name: "Gör koder" }).click();
    await page.getByText("Nya koder: 200.").waitFor();
    await page.screenshot({ path: `${SCREENS}/survey-year-codes.png`, fullPage: true });

    const text = await fetchText(page, `/personal/utgavor/${EDITION}/koder`);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records = parseCsv(text);
    expect(records[0].fields).toEqual(["sample_id", "area", "code", "link"]);
    codes = records.slice(1).map((r) => ({ sample_id: r.fields[0], area: r.fields[1], code: r.fields[2], link: r.fields[3] }));
    expect(codes).toHaveLength(200);
    expect(new Set(codes.map((c) => c.code)).size).toBe(200);
    for (const c of codes) {
      expect(c.code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
      expect(c.link).toBe(`${server.url.replace("127.0.0.1", new URL(c.link).hostname)}/enkat/${EDITION}?kod=${c.code}`);
    }

    await page.goto(`${server.url}/personal/utgavor/${EDITION}/brev`);
    expect(await page.locator("article.letter").count()).toBe(100);
    expect(await page.locator("article.letter img").first().getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
    await page.screenshot({ path: `${SCREENS}/survey-year-letters.png` });
  });

  it("a resident opens the code link on a 390 px phone, answers, and the code is used; the same code again is refused", async () => {
    const chosen = codes.find((c) => c.area === "tollarp")!;
    const { page } = await open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await page.goto(chosen.link.replace(/^https?:\/\/[^/]+/, server.url));
    await page.getByRole("heading", { level: 2, name: "Om dig", exact: true }).waitFor();
    await page.locator('.sd-question[data-name="area"] .sd-dropdown').click();
    const option = page.getByRole("option", { name: "Åhus", exact: true });
    await option.click();
    await option.waitFor({ state: "hidden" });
    for (const title of ["Problem i ditt område", "Trygghet", "Oro för brott", "Utsatthet för brott", "Polisen och kommunen"]) {
      await page.getByRole("button", { name: "Nästa", exact: true }).click();
      await page.getByRole("heading", { level: 2, name: title, exact: true }).waitFor();
    }
    await page.screenshot({ path: `${SCREENS}/survey-year-phone.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole("button", { name: "Slutför", exact: true }).click();
    await page.waitForURL(`**/enkat/${EDITION}/tack`);

    const db = getDb();
    const responses = await db.selectFrom("response").selectAll().where("edition_id", "=", EDITION).execute();
    expect(responses).toHaveLength(1);
    expect(responses[0].area).toBe("tollarp"); // the code's area is the stratum
    expect(responses[0].submitted_on).toBe("2026-03-10");
    const invitation = await db.selectFrom("invitation").select("id").where("sample_id", "=", chosen.sample_id).executeTakeFirstOrThrow();
    const use = await db.selectFrom("invitation_use").selectAll().where("invitation_id", "=", invitation.id).executeTakeFirstOrThrow();
    expect(use).toMatchObject({ used_on: "2026-03-10", channel: "web" });

    // The same code again, typed in the start page's field.
    await page.goto(`${server.url}/`);
    await page.getByLabel("Kod från brevet").fill(chosen.code.toLowerCase());
    await page.getByRole("button", { name: "Öppna enkäten" }).click();
    await page.getByText("Koden har redan använts för att svara.").waitFor();
    await page.screenshot({ path: `${SCREENS}/survey-year-used.png`, fullPage: true });
  });

  it("the response rates page counts the answer against the sample", async () => {
    await adminPage.goto(`${server.url}/personal/svarsfrekvens?utgava=${EDITION}`);
    await adminPage.getByText("1 av 200 inbjudna har svarat").waitFor();
    const tollarp = adminPage.locator("tr", { has: adminPage.getByRole("rowheader", { name: "Tollarp" }) });
    expect((await tollarp.innerText()).replace(/\s+/g, " ")).toMatch(/Tollarp 50 1 2,0\s?%/);
    await adminPage.locator("canvas[data-alt]").waitFor();
    await adminPage.screenshot({ path: `${SCREENS}/survey-year-rates.png`, fullPage: true });
    const unused = await fetchText(adminPage, `/personal/utgavor/${EDITION}/koder?oanvanda=1`);
    expect(parseCsv(unused)).toHaveLength(200); // header + 199

    // The rate beside the year's figures on the dashboard, in all and per area (a public area page states its own once it has enough answers: tests/survey-year/results-rates.test.ts).
    await adminPage.goto(`${server.url}/personal/resultat?ar=2026`);
    await adminPage.locator("#response-rate").waitFor();
    const rateTable = adminPage.locator("#dashboard-response-rate");
    const dashboardTollarp = rateTable.locator("tr", { has: adminPage.getByRole("rowheader", { name: "Tollarp" }) });
    expect((await dashboardTollarp.innerText()).replace(/\s+/g, " ")).toMatch(/Tollarp 50 1 2,0\s?%/);
    expect(await adminPage.locator("section[aria-labelledby=response-rate]").innerText()).toContain("1 av 200");
    await adminPage.locator("section[aria-labelledby=response-rate]").screenshot({ path: `${SCREENS}/survey-year-dashboard-rates.png` });
  });

  it("refuses the survey after its closing day (the clock set, not waited for)", async () => {
    const later = await startServer({ TD_TODAY: "2026-04-16" });
    try {
      const { page } = await open({ viewport: { width: 390, height: 844 }, isMobile: true });
      await page.goto(`${later.url}/enkat/${EDITION}?kod=${codes[1].code}`);
      await page.getByText("Den här enkäten är stängd").waitFor();
    } finally {
      await later.stop();
    }
  });

  it("logged no console error on any page", () => {
    expect(watched.flatMap((w) => w.errors)).toEqual([]);
  });
});
