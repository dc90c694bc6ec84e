/**
 * The facilitators' walk and paper-entry pages in real Chromium:
 * - a walk stop recorded with the network cut (Chromium's offline emulation) waits on the tablet
 *   and arrives with its action once the network is back; one recorded online carries the
 *   tablet's coordinates; screenshots of the walk page at 1024×768 and of the actions list
 *   (looked at by hand, kept in $TD_TEST_DIR), axe on both;
 * - a paper questionnaire typed in with the keyboard alone (digits, Enter, Ctrl+Enter), a second
 *   one, then the undo of the last, each checked in the database.
 * Run `npm run build` first.
 */
import { createInvitations, formatCode, isInvitationUsed, listInvitations } from "~/models/invitation.server";
import path from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { publishEdition } from "~/models/survey.server";
import { createUser } from "~/models/user.server";
import { startServer, type RunningServer } from "../helpers/app-server";
import { formatViolations, launchBrowser, openWatchedPage, runAxe, type WatchedPage } from "../helpers/browser";
import { signIn } from "../security/helpers";
import { createTestSession } from "../helpers/walks";

const PASSWORD = "ett-langt-losenord-for-test";
const TABLET = { viewport: { width: 1024, height: 768 }, locale: "sv-SE", hasTouch: true };
const shots = process.env.TD_TEST_DIR!;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const watched: WatchedPage[] = [];
const users: Record<string, string> = {};
let walkId: string;

beforeAll(async () => {
  server = await startServer({ SECURE_COOKIES: "off" });
  const db = getDb();
  for (const [name, role] of [["anna", "facilitator"], ["ada", "analyst"]] as const) {
    users[name] = (await createUser({ db, email: `${name}@test.kommun.se`, role, password: PASSWORD })).id;
  }
  walkId = await createTestSession(db, { facilitatorId: users.anna, place: "Kvällsvandring på Näsby", area: "kristianstad-ovriga" });
  await publishEdition({ db, seriesId: "trygghetsmatning", year: 2025, status: "open" });
  browser = await launchBrowser();
});

afterEach(async () => {
  for (const w of watched.splice(0)) {
    // Chromium logs the failed fetch of a stop sent while offline; nothing else may be logged.
    expect(w.errors.filter((e) => !/Failed to load resource: net::ERR_INTERNET_DISCONNECTED/.test(e)), "console errors").toEqual([]);
  }
  for (const c of contexts.splice(0)) await c.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(who: string, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext({ ...TABLET, ...options });
  contexts.push(context);
  const cookie = await signIn(server.url, `${who}@test.kommun.se`, PASSWORD);
  const [name, value] = cookie.split("=");
  await context.addCookies([{ name, value, url: server.url }]);
  const w = await openWatchedPage(context);
  watched.push(w);
  return { context, page: w.page };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const stopsOf = () =>
  getDb()
    .selectFrom("walk_stop")
    .innerJoin("walk_action", "walk_action.stop_id", "walk_stop.id")
    .select(["walk_stop.place_name", "walk_stop.latitude", "walk_stop.longitude", "walk_stop.category", "walk_action.responsible", "walk_action.status", "walk_action.proposal", "walk_action.area"])
    .where("walk_stop.session_id", "=", walkId)
    .orderBy("walk_stop.created_at")
    .execute();

describe("a safety walk on the tablet", () => {
  it("records a stop with the network cut, sends it when the network is back, and one online with the tablet's position", async () => {
    const { context, page } = await signedIn("anna", { permissions: ["geolocation"], geolocation: { latitude: 56.0465, longitude: 14.1525 } });
    await page.goto(`${server.url}/personal/dialoger/${walkId}/vandring`);
    await page.waitForSelector("form.walk-form[data-ready=true]");

    await context.setOffline(true);
    await page.fill("#walk-place", "Gångtunneln under Blekingevägen");
    await page.selectOption("#walk-category", "lighting");
    await page.fill("#walk-observation", "Tre av fyra lampor trasiga; tunneln mörk efter 17.");
    await page.fill("#walk-proposal", "Byt armaturerna och lägg till en lampa vid norra mynningen.");
    await page.check("input[name=responsible][value=kommunen]");
    await page.click("form.walk-form button[type=submit]");
    await page.getByText("Inget nät just nu").waitFor();
    await page.getByText("Stopp som väntar på att skickas: 1.").waitFor();
    expect(await stopsOf()).toEqual([]);

    await context.setOffline(false);
    await waitFor(async () => ((await stopsOf()).length === 1 ? true : undefined), "the queued stop to arrive");
    expect(await stopsOf()).toEqual([
      {
        place_name: "Gångtunneln under Blekingevägen",
        latitude: null,
        longitude: null,
        category: "lighting",
        responsible: "kommunen",
        status: "foreslagen",
        proposal: "Byt armaturerna och lägg till en lampa vid norra mynningen.",
        area: "kristianstad-ovriga",
      },
    ]);
    await page.getByRole("cell", { name: "Tre av fyra lampor trasiga; tunneln mörk efter 17." }).waitFor();
    expect(await page.getByText("Stopp som väntar på att skickas").count()).toBe(0);

    // Online, with the position the tablet gives.
    await page.fill("#walk-place", "Lekplatsen vid Näsby torg");
    await page.click("text=Hämta position från surfplattan");
    await page.getByText("Position: 56,0465").waitFor();
    await page.selectOption("#walk-category", "problem_drug_dealing");
    await page.fill("#walk-observation", "Langning vid buskagen på kvällarna enligt boende.");
    await page.fill("#walk-proposal", "Ökad polisnärvaro fredag–lördag kväll.");
    await page.check("input[name=responsible][value=polisen]");
    await page.click("form.walk-form button[type=submit]");
    await page.getByText("Stoppet är sparat.").waitFor();
    const stops = await stopsOf();
    expect(stops).toHaveLength(2);
    expect(stops[1]).toMatchObject({ place_name: "Lekplatsen vid Näsby torg", category: "problem_drug_dealing", responsible: "polisen" });
    expect(Number(stops[1].latitude)).toBeCloseTo(56.0465, 4);
    expect(Number(stops[1].longitude)).toBeCloseTo(14.1525, 4);

    await page.getByRole("cell", { name: "Langning vid buskagen på kvällarna enligt boende." }).waitFor();
    await page.screenshot({ path: path.join(shots, "walk-1024x768.png") });
    await page.screenshot({ path: path.join(shots, "walk-1024x768-full.png"), fullPage: true });
    const axe = await runAxe(page);
    expect(axe.violations, formatViolations("walk page", axe.violations)).toEqual([]);

    await page.goto(`${server.url}/personal/atgarder`);
    await page.getByText("Åtgärder: 2").waitFor();
    await page.screenshot({ path: path.join(shots, "actions.png"), fullPage: true });
    const axeActions = await runAxe(page);
    expect(axeActions.violations, formatViolations("actions page", axeActions.violations)).toEqual([]);
    const row = page.locator("tr", { hasText: "Lekplatsen vid Näsby torg" });
    await row.locator("select[name=status]").selectOption("beslutad");
    await row.getByRole("button", { name: "Ändra" }).click();
    await page.getByText("Statusen är ändrad.").waitFor();
    expect((await stopsOf())[1].status).toBe("beslutad");
  });
});

describe("paper questionnaires", () => {
  it("are typed in with the keyboard alone, counted, and the last one undone", async () => {
    const { page } = await signedIn("ada");
    await page.goto(`${server.url}/personal/inmatning?enkat=trygghetsmatning-2025`);
    await page.waitForSelector("form.paper-form");
    const paper = () => getDb().selectFrom("response").select(["id", "answers_json"]).where("channel", "=", "paper").execute();

    // The first question has the focus; typed letters pick the area, accents aside.
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "q_area");
    await page.keyboard.type("ahus");
    await page.keyboard.press("Enter");
    // gender 2 = man, age 3 = 45-64, then the scales by their codes (a digit moves on by itself).
    for (const key of "23" + "213423191211" + "23" + "213" + "21") await page.keyboard.press(key);
    // victim: 2 ticks the second choice (theft); Enter moves on.
    await page.keyboard.press("2");
    await page.keyboard.press("Enter");
    for (const key of "223") await page.keyboard.press(key);
    await page.keyboard.type("Mer belysning i parken");
    await page.keyboard.press("Control+Enter");
    await page.getByText("Inmatade formulär den här gången: 1").waitFor();
    const first = await paper();
    expect(first).toHaveLength(1);
    expect(JSON.parse(first[0].answers_json)).toEqual({
      area: "ahus", gender: "man", age_group: "45-64",
      problem_littering: 2, problem_vandalism: 1, problem_poor_lighting: 3, problem_speeding: 4, problem_reckless_driving: 2,
      problem_mopeds: 3, problem_intoxicated: 1, problem_drug_dealing: 9, problem_drug_use: 1, problem_youth_groups: 2,
      problem_fights: 1, problem_harassment: 1, safe_evening: 2, safe_centre: 3, worry_burglary: 2, worry_assault: 1,
      worry_fraud: 3, avoid_activity: 2, avoid_route: 1, victim: ["theft"], reported: 2, police_cares: 2, municipality_cares: 3,
      suggestion: "Mer belysning i parken",
    });

    // A fresh form with the focus on its first question: a second form with the area alone (typed letters pick it).
    await page.waitForSelector("form.paper-form button[type=submit]:not([disabled])");
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "q_area" && (document.activeElement as HTMLSelectElement).value === "");
    await page.keyboard.type("tol");
    // The paper letter's invitation code (issue 19): typed in, it is used up as a web answer's is.
    await createInvitations({ db: getDb(), editionId: "trygghetsmatning-2025", people: [{ sampleId: "paper-1", area: "tollarp", ageGroup: "", gender: "", language: null }] });
    const invitation = (await listInvitations({ db: getDb(), editionId: "trygghetsmatning-2025" })).find((i) => i.sample_id === "paper-1")!;
    await page.fill("#paper-code", formatCode(invitation.code).toLowerCase());
    await page.keyboard.press("Control+Enter");
    await page.getByText("Inmatade formulär den här gången: 2").waitFor();
    expect(await paper()).toHaveLength(2);
    expect(await isInvitationUsed({ db: getDb(), invitationId: invitation.id })).toBe(true);

    // Undo: one Shift+Tab from the first question reaches the undo button (enabled once the save has settled).
    await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "q_area");
    await page.waitForSelector("button:has-text('Ångra det senaste formuläret'):not([disabled])");
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Ångra det senaste formuläret");
    await page.keyboard.press("Enter");
    await page.getByText("Det senaste formuläret är borttaget.").waitFor();
    await page.getByText("Inmatade formulär den här gången: 1").waitFor();
    const left = await paper();
    expect(left.map((r) => r.id)).toEqual([first[0].id]);
    // The undone form's code is free again for the corrected form.
    expect(await isInvitationUsed({ db: getDb(), invitationId: invitation.id })).toBe(false);
    await page.screenshot({ path: path.join(shots, "paper-entry.png") });
  });
});
