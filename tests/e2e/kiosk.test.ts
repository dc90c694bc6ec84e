/**
 * The kiosk in real headless Chromium on a 1024×768 tablet, against the production build
 * (service worker included) and this file's own database: opened online, the network cut with
 * Chromium's offline emulation, answers queued in IndexedDB, the page reloaded offline (served by
 * the service worker), the network back, and then exactly the answers given stored, each POSTed
 * once, also with two tabs of the kiosk open. The idle time clears a half-filled form; the kiosk
 * is not left without the PIN. Screenshots of the kiosk and the facilitator's view go to
 * /tmp/screens. Run `npm run build` first (npm test does).
 */
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { createSession, type DialogueSession } from "~/models/dialogue-session.server";
import { publishPlannedEditions } from "~/models/survey.server";
import { createUser } from "~/models/user.server";
import { postJson, startServer, type RunningServer } from "../helpers/app-server";
import { launchBrowser, openWatchedPage, type WatchedPage } from "../helpers/browser";
import { signIn } from "../security/helpers";

const SCREENS = "/tmp/screens";
const PIN = "2468";
const TABLET = { viewport: { width: 1024, height: 768 }, hasTouch: true, locale: "sv-SE" };
const PASSWORD = "samtalsledare-losen-42";
const AREAS = ["ahus", "tollarp", "degeberga", "fjalkinge", "kristianstad-centrum", "ahus"];
const AREA_NAMES: Record<string, string> = Object.fromEntries(
  (JSON.parse(fs.readFileSync("surveys/areas/kristianstad.json", "utf8")) as { areas: { code: string; name: { sv: string } }[] }).areas.map((a) => [a.code, a.name.sv]),
);

let server: RunningServer;
let browser: Browser;
let facilitatorId: string;
const open: BrowserContext[] = [];
const watched: WatchedPage[] = [];

beforeAll(async () => {
  const db = getDb();
  await migrateToLatest(db);
  await publishPlannedEditions({ db });
  facilitatorId = (await createUser({ db, email: "kiosk-ledare@kommun.se", role: "facilitator", password: PASSWORD })).id;
  browser = await launchBrowser();
  server = await startServer({ SECURE_COOKIES: "off" });
  fs.mkdirSync(SCREENS, { recursive: true });
});

afterEach(async ({ task }) => {
  if (task.result?.state === "fail") {
    for (const [i, w] of watched.entries()) {
      await w.page.screenshot({ path: `${SCREENS}/kiosk-failed-${i}.png` }).catch(() => undefined);
      console.log(`page ${i} errors:\n${w.errors.join("\n")}`);
    }
  }
  for (const c of open.splice(0)) await c.close();
  watched.splice(0);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function newSession(place: string): Promise<DialogueSession> {
  return createSession({ db: getDb(), kind: "medborgardialog", editionId: "medborgardialog-2025", place, area: "kristianstad-centrum", heldOn: "2025-11-20", facilitatorId });
}

async function storedFor(sessionId: string) {
  return getDb().selectFrom("response").select(["client_id", "channel", "area", "session_id"]).where("session_id", "=", sessionId).execute();
}

/** A tablet: one browser context whose successful POSTs to /api/responses are counted per clientId. */
async function tablet() {
  const context = await browser.newContext(TABLET);
  open.push(context);
  const posts = new Map<string, number>();
  context.on("requestfinished", (request) => {
    if (request.method() !== "POST" || !request.url().endsWith("/api/responses")) return;
    const clientId = (request.postDataJSON() as { clientId: string }).clientId;
    posts.set(clientId, (posts.get(clientId) ?? 0) + 1);
  });
  return { context, posts };
}

async function openKiosk(context: BrowserContext, code: string, query = ""): Promise<Page> {
  const w = await openWatchedPage(context);
  watched.push(w);
  const { page } = w;
  await page.goto(`${server.url}/kiosk/${code}${query}`);
  const setup = page.getByLabel("PIN-koden igen");
  const form = page.locator('.sd-question[data-name="area"]');
  await Promise.race([setup.waitFor(), form.waitFor()]);
  if (await setup.isVisible()) {
    await page.getByLabel("PIN-kod", { exact: true }).fill(PIN);
    await setup.fill(PIN);
    await page.getByRole("button", { name: "Starta kiosken" }).click();
  }
  await form.waitFor();
  return page;
}

async function waitOfflineReady(page: Page) {
  await page.locator('.kiosk-status[data-offline-ready="true"]').waitFor({ timeout: 30_000 });
}

async function chooseArea(page: Page, code: string) {
  await page.locator('.sd-question[data-name="area"] .sd-dropdown').click();
  const option = page.getByRole("option", { name: AREA_NAMES[code], exact: true });
  await option.click();
  await option.waitFor({ state: "hidden" });
}

/** One resident: the area (the one required question), a gender, through to "Slutför", then the next person. */
async function answerOnce(page: Page, area: string) {
  await chooseArea(page, area);
  await page.locator('.sd-question[data-name="gender"]').getByText("Kvinna", { exact: true }).click();
  for (let i = 0; i < 5 && !(await page.getByRole("button", { name: "Slutför", exact: true }).isVisible()); i++) {
    await page.getByRole("button", { name: "Nästa", exact: true }).click();
  }
  await page.getByRole("button", { name: "Slutför", exact: true }).click();
  await page.getByRole("button", { name: "Nästa person" }).click();
  await page.locator('.sd-question[data-name="area"]').waitFor();
}

async function waitFor(check: () => Promise<boolean>, ms = 45_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("timed out");
}

describe("the kiosk offline", () => {
  it("keeps five answers given offline through a reload served by the service worker, and stores each exactly once when the network is back", async () => {
    const session = await newSession("Stadsbiblioteket");
    const { context, posts } = await tablet();
    const page = await openKiosk(context, session.code);
    await waitOfflineReady(page);

    await context.setOffline(true);
    for (const area of AREAS.slice(0, 5)) await answerOnce(page, area);
    await expect.poll(() => page.getByTestId("kiosk-waiting").textContent()).toContain("5");
    expect(await storedFor(session.id)).toHaveLength(0);
    await page.screenshot({ path: `${SCREENS}/kiosk-1024x768-offline.png` });

    // Reloaded with no network: the service worker serves the page, the queue is still there.
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await page.locator('.sd-question[data-name="area"]').waitFor();
    await expect.poll(() => page.getByTestId("kiosk-waiting").textContent()).toContain("5");
    expect(await storedFor(session.id)).toHaveLength(0);

    await context.setOffline(false);
    await waitFor(async () => (await storedFor(session.id)).length >= 5);
    await expect.poll(() => page.getByTestId("kiosk-waiting").textContent(), { timeout: 15_000 }).toContain("0");
    const rows = await storedFor(session.id);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.client_id)).size).toBe(5);
    expect(rows.every((r) => r.channel === "tablet")).toBe(true);
    expect(rows.map((r) => r.area).sort()).toEqual(AREAS.slice(0, 5).sort());
    for (const row of rows) expect(posts.get(row.client_id), row.client_id).toBe(1);
    expect([...posts.values()].reduce((a, b) => a + b, 0)).toBe(5);
    await page.screenshot({ path: `${SCREENS}/kiosk-1024x768.png` });
    expect(watched.flatMap((w) => w.errors).filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e))).toEqual([]);
  }, 180_000);

  it("with two tabs of the kiosk open, sends every answer once and loses none", async () => {
    const session = await newSession("Fritidsgården");
    const { context, posts } = await tablet();
    const first = await openKiosk(context, session.code);
    await waitOfflineReady(first);
    const second = await openKiosk(context, session.code);

    await context.setOffline(true);
    // The tab in front answers (a tab behind has its animation frames paused by Chromium).
    await first.bringToFront();
    for (const area of AREAS.slice(0, 3)) await answerOnce(first, area);
    await second.bringToFront();
    for (const area of AREAS.slice(3, 6)) await answerOnce(second, area);
    await expect.poll(() => second.getByTestId("kiosk-waiting").textContent()).toContain("6");

    await context.setOffline(false);
    await waitFor(async () => (await storedFor(session.id)).length >= 6);
    // Both tabs keep trying every few seconds: give them time to send anything twice.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const rows = await storedFor(session.id);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.client_id)).size).toBe(6);
    for (const row of rows) expect(posts.get(row.client_id), row.client_id).toBe(1);
    expect([...posts.values()].reduce((a, b) => a + b, 0)).toBe(6);
  }, 180_000);
});

describe("the next resident sees nothing of the last", () => {
  it("the idle time warns, counts down and clears a half-filled form; no draft is kept", async () => {
    const session = await newSession("Torget");
    const { context } = await tablet();
    const page = await openKiosk(context, session.code, "?idle=3&warn=3");
    await chooseArea(page, "tollarp");
    await page.locator('.sd-question[data-name="gender"]').getByText("Man", { exact: true }).click();
    const warning = page.getByRole("alertdialog", { name: "Är du kvar?" });
    await warning.waitFor({ timeout: 15_000 });
    await warning.waitFor({ state: "hidden", timeout: 15_000 });
    const area = page.locator('.sd-question[data-name="area"]');
    await area.waitFor();
    const shown = await area.getByText(AREA_NAMES.tollarp, { exact: true }).evaluateAll((els) => els.some((e) => e.checkVisibility()));
    expect(shown).toBe(false);
    expect(await page.getByRole("radio", { name: "Man", exact: true }).isChecked()).toBe(false);
    const stored = await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith("td:draft")));
    expect(stored).toEqual([]);
    expect(await storedFor(session.id)).toHaveLength(0);
    // Every text box refuses the browser's autofill.
    const autocomplete = await page.locator(".sd-root-modern input, .sd-root-modern textarea").evaluateAll((els) => els.map((e) => e.getAttribute("autocomplete")));
    expect(autocomplete.every((a) => a === "off")).toBe(true);
  });

  it("Back does not leave the kiosk, and leaving needs the PIN, slowed after five wrong tries", async () => {
    const session = await newSession("Skolan");
    const { context } = await tablet();
    const page = await openKiosk(context, session.code);
    await page.goBack().catch(() => undefined);
    expect(new URL(page.url()).pathname).toBe(`/kiosk/${session.code}`);
    await page.locator('.sd-question[data-name="area"]').waitFor();

    await page.getByRole("button", { name: "Avsluta kiosk" }).click();
    const dialog = page.getByRole("dialog", { name: "Lämna kioskläget" });
    const failures = () =>
      page.evaluate(() => {
        const raw = Object.entries(window.localStorage).find(([k]) => k.startsWith("td:kiosk-pin:"))?.[1];
        return raw ? (JSON.parse(raw) as { failures: number }).failures : -1;
      });
    const leave = async (pin: string) => {
      await dialog.getByLabel("PIN-kod").fill(pin);
      await dialog.getByRole("button", { name: "Lämna", exact: true }).click();
    };
    await leave("1111");
    await dialog.getByText("Fel PIN-kod.").waitFor();
    await leave(PIN);
    await page.getByRole("heading", { name: "Kioskläget är avslutat" }).waitFor();

    // Opened again: a new PIN; five wrong tries, and then even the right one must wait.
    await page.getByRole("link", { name: "Starta kiosken igen" }).click();
    await page.getByLabel("PIN-koden igen").waitFor();
    await page.getByLabel("PIN-kod", { exact: true }).fill("9753");
    await page.getByLabel("PIN-koden igen").fill("9753");
    await page.getByRole("button", { name: "Starta kiosken" }).click();
    await page.getByRole("button", { name: "Avsluta kiosk" }).click();
    for (let i = 1; i <= 5; i++) {
      await leave(`000${i}`);
      await expect.poll(failures).toBe(i);
      await dialog.getByRole("button", { name: "Lämna", exact: true }).and(page.locator(":enabled")).waitFor();
    }
    await dialog.getByText(/För många felaktiga försök/).waitFor();
    await leave("9753");
    await dialog.getByText(/För många felaktiga försök. Vänta \d+ sekunder/).waitFor();
    expect(await page.getByRole("heading", { name: "Kioskläget är avslutat" }).count()).toBe(0);
    // A reload does not reset the count, nor does it leave kiosk mode.
    await page.reload();
    await page.locator('.sd-question[data-name="area"]').waitFor();
    await page.getByRole("button", { name: "Avsluta kiosk" }).click();
    await leave("9753");
    await dialog.getByText(/För många felaktiga försök/).waitFor();
    const stored = await page.evaluate(() => Object.entries(window.localStorage).filter(([k]) => k.startsWith("td:kiosk-pin:")).map(([, v]) => v));
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toContain("9753");
    expect(JSON.parse(stored[0])).toMatchObject({ iterations: 200000, failures: 5 });
  }, 120_000);
});

describe("the facilitator's view", () => {
  it("shows the code, the QR code, the tally and, from ten answers, the self-selected summary", async () => {
    const session = await newSession("Näsby bibliotek");
    for (let i = 0; i < 12; i++) {
      const res = await postJson(`${server.url}/api/responses`, {
        survey: "medborgardialog-2025",
        clientId: randomUUID(),
        channel: "tablet",
        sessionId: session.id,
        answers: { area: "ahus", gender: i % 2 ? "woman" : "man", safe_evening: (i % 5) + 1, priority: `Hemlig fritext ${i}` },
      });
      expect(res.status, res.text).toBe(201);
    }
    const cookie = await signIn(server.url, "kiosk-ledare@kommun.se", PASSWORD);
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale: "sv-SE" });
    open.push(context);
    const [name, value] = cookie.split("=");
    await context.addCookies([{ name, value, url: server.url }]);
    const w = await openWatchedPage(context);
    watched.push(w);
    await w.page.goto(`${server.url}/personal/dialoger/${session.id}`);
    await w.page.getByRole("heading", { name: "Näsby bibliotek" }).waitFor();
    expect(await w.page.getByText(session.code, { exact: true }).count()).toBeGreaterThan(0);
    expect(await w.page.getByText("Antal svar: 12").count()).toBe(1);
    await w.page.getByText(/Självvalda svar/).waitFor();
    const qr = w.page.getByRole("img", { name: /QR-kod till .*\/d\// });
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const html = await w.page.content();
    expect(html).not.toContain("Hemlig fritext");
    await w.page.screenshot({ path: `${SCREENS}/facilitator-session.png`, fullPage: true });
    await w.page.goto(`${server.url}/personal/dialoger`);
    await w.page.getByRole("link", { name: "Näsby bibliotek" }).waitFor();
    await w.page.screenshot({ path: `${SCREENS}/facilitator-list.png`, fullPage: true });
    // A new session from the form: its page, with a code, follows.
    await w.page.getByLabel("Plats").fill("Öppet hus på polisstationen");
    await w.page.getByLabel("Område").selectOption("tollarp");
    await w.page.getByRole("button", { name: "Skapa dialog" }).click();
    await w.page.getByRole("heading", { name: "Öppet hus på polisstationen" }).waitFor();
    const created = await getDb().selectFrom("dialogue_session").selectAll().where("place", "=", "Öppet hus på polisstationen").executeTakeFirstOrThrow();
    expect(created).toMatchObject({ facilitator_id: facilitatorId, area: "tollarp", kind: "medborgardialog", edition_id: "medborgardialog-2025", status: "open" });
    expect(new URL(w.page.url()).pathname).toBe(`/personal/dialoger/${created.id}`);
    expect(w.errors).toEqual([]);
  });

  it("/d/<code> opens the questionnaire on a phone; an unknown code and a closed session say so", async () => {
    const session = await newSession("Marknaden");
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "sv-SE" });
    open.push(context);
    const w = await openWatchedPage(context);
    watched.push(w);
    await w.page.goto(`${server.url}/d/${session.code.toLowerCase()}`);
    await chooseArea(w.page, "ahus");
    for (let i = 0; i < 5 && !(await w.page.getByRole("button", { name: "Slutför", exact: true }).isVisible()); i++) {
      await w.page.getByRole("button", { name: "Nästa", exact: true }).click();
    }
    await w.page.getByRole("button", { name: "Slutför", exact: true }).click();
    await w.page.getByRole("heading", { name: "Tack för dina svar!" }).or(w.page.getByRole("heading", { name: /Tack/ })).first().waitFor();
    await waitFor(async () => (await storedFor(session.id)).length === 1);
    expect((await storedFor(session.id))[0].channel).toBe("web");

    const unknown = await w.page.goto(`${server.url}/d/AAAAAA`);
    expect(unknown?.status()).toBe(404);
    await w.page.getByRole("heading", { name: "Koden finns inte" }).waitFor();
    await getDb().updateTable("dialogue_session").set({ status: "closed" }).where("id", "=", session.id).execute();
    const closed = await w.page.goto(`${server.url}/d/${session.code}?lang=en`);
    expect(closed?.status()).toBe(410);
    await w.page.getByRole("heading", { name: "The dialogue has ended" }).waitFor();
  });
});

describe("answers the server refuses", () => {
  it("are kept aside and shown when the session was closed meanwhile, and never sent again", async () => {
    const session = await newSession("Idrottshallen");
    const { context, posts } = await tablet();
    const page = await openKiosk(context, session.code);
    await waitOfflineReady(page);
    await context.setOffline(true);
    for (const area of AREAS.slice(0, 2)) await answerOnce(page, area);
    await getDb().updateTable("dialogue_session").set({ status: "closed" }).where("id", "=", session.id).execute();
    await context.setOffline(false);
    await page.getByText("avvisade av servern: 2").waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId("kiosk-waiting").textContent()).toContain(": 0");
    // More than one retry period later, nothing was sent again.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    expect([...posts.values()]).toEqual([1, 1]);
    expect(await storedFor(session.id)).toHaveLength(0);
  }, 120_000);
});
