/**
 * The resident's path through the 2025 safety survey in real headless Chromium, against the
 * production build on its own port and this file's own database: start page → survey → thank-you
 * page → one row in `response`. Also the language switch, keyboard-only answering, a resent
 * answer stored once, the offline outbox, axe-core (WCAG 2.0/2.1 A and AA) on every page, and no
 * console errors anywhere. Run `npx remix build` first (npm test does).
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { validAnswers } from "../helpers/answers";
import { ROOT } from "../helpers/app-server";
import { browserSuite, SCREENS } from "../helpers/browser-suite";
import { formatViolations, horizontalOverflow, PHONE, runAxe, type WatchedPage } from "../helpers/browser";

const SURVEY = "trygghetsmatning-2025";
const SURVEY_PATH = `/enkat/${SURVEY}`;
const DRAFT_KEY = `td:draft:${SURVEY}`;
const OUTBOX_KEY = "td:outbox";

// ---------------------------------------------------------------------------------------------
// The questionnaire as published: which page each question is on and the Swedish text of each
// choice, so the test clicks what a resident reads rather than hard-coding the form twice.

interface Element {
  type: string;
  name: string;
  title?: { default: string; en?: string };
  elements?: Element[];
  choices?: { value: string | number; text: { default: string; en?: string } }[];
}
interface SurveyPageDef {
  name: string;
  title: { default: string; en: string };
  elements: Element[];
}
const questionnaire = JSON.parse(
  fs.readFileSync(path.join(ROOT, "surveys/trygghetsmatning/questionnaire.json"), "utf8"),
) as { pages: SurveyPageDef[] };
const pages = questionnaire.pages;

function questionsOf(elements: Element[]): Element[] {
  return elements.flatMap((e) => (e.type === "panel" ? questionsOf(e.elements ?? []) : [e]));
}

function choiceText(question: Element, value: unknown): string {
  const choice = question.choices?.find((c) => c.value === value);
  if (!choice) throw new Error(`No choice ${String(value)} in ${question.name}`);
  return choice.text.default;
}

/** Area codes to the names in the list (the area question's choices are filled in at publish). */
const areaNames = Object.fromEntries(
  (
    JSON.parse(fs.readFileSync(path.join(ROOT, "surveys/areas/kristianstad.json"), "utf8")) as {
      areas: { code: string; name: { sv: string; en: string } }[];
    }
  ).areas.map((a) => [a.code, a.name]),
);

// ---------------------------------------------------------------------------------------------

const suite = browserSuite();
const openPhone = () => suite.open(PHONE);
const openDesktop = () => suite.open({ viewport: { width: 1280, height: 900 }, locale: "sv-SE" });

function question(page: Page, name: string) {
  return page.locator(`.sd-question[data-name="${name}"]`);
}

/** Waits until the survey shows the page with this heading (SurveyJS page titles are h2 here). */
async function waitForSurveyPage(page: Page, title: string) {
  await page.getByRole("heading", { level: 2, name: title, exact: true }).waitFor();
}

async function chooseArea(page: Page, code: string) {
  await question(page, "area").locator(".sd-dropdown").click();
  const option = page.getByRole("option", { name: areaNames[code].sv, exact: true });
  await option.click();
  await option.waitFor({ state: "hidden" });
}

/** Answers the questions of one survey page from `answers`, clicking the visible labels. */
async function answerPage(page: Page, def: SurveyPageDef, answers: Record<string, unknown>) {
  for (const q of questionsOf(def.elements)) {
    const value = answers[q.name];
    if (value === undefined) continue;
    const box = question(page, q.name);
    if (q.name === "area") {
      await chooseArea(page, String(value));
    } else if (q.type === "radiogroup") {
      await box.getByText(choiceText(q, value), { exact: true }).click();
      expect(await box.getByRole("radio", { name: choiceText(q, value), exact: true }).isChecked()).toBe(true);
    } else if (q.type === "checkbox") {
      for (const v of value as unknown[]) {
        await box.getByText(choiceText(q, v), { exact: true }).click();
        expect(await box.getByRole("checkbox", { name: choiceText(q, v), exact: true }).isChecked()).toBe(true);
      }
    } else if (q.type === "comment") {
      await box.locator("textarea").pressSequentially(String(value));
      await box.locator("textarea").blur();
    } else {
      throw new Error(`The test does not know how to answer a ${q.type} question (${q.name})`);
    }
  }
}

async function next(page: Page, to: SurveyPageDef) {
  await page.getByRole("button", { name: "Nästa", exact: true }).click();
  await waitForSurveyPage(page, to.title.default);
}

async function readStorage<T>(page: Page, key: string): Promise<T | null> {
  const raw = await page.evaluate((k) => window.localStorage.getItem(k), key);
  return raw === null ? null : (JSON.parse(raw) as T);
}

async function expectAccessible(page: Page, label: string) {
  const { violations, incomplete } = await runAxe(page);
  // The readable list is the assertion's subject so a failure prints rule, element and why.
  expect(formatViolations(label, violations)).toBe(`${label}: no violations`);
  // Contrast axe cannot decide is contrast nobody checked (SurveyJS's backdrop layer once hid
  // the whole form from it): that counts as a failure too. Only elements with no text of their
  // own are let through: the area list's empty, read-only input under the chosen area's name
  // (the name itself is checked) has no contrast to decide.
  const undecided: typeof incomplete = [];
  for (const rule of incomplete.filter((v) => v.id === "color-contrast")) {
    const nodes = [];
    for (const node of rule.nodes) {
      const text = await page.evaluate((selector) => {
        const el = document.querySelector(selector) as HTMLInputElement | null;
        return el ? `${el.value ?? ""}${el.placeholder ?? ""}${el.textContent ?? ""}`.trim() : "(missing)";
      }, node.target.join(" "));
      if (text !== "") nodes.push(node);
    }
    if (nodes.length > 0) undecided.push({ ...rule, nodes });
  }
  expect(formatViolations(`${label} (contrast axe could not decide)`, undecided)).toBe(
    `${label} (contrast axe could not decide): no violations`,
  );
}

async function expectNoHorizontalScroll(page: Page, label: string) {
  const overflow = await horizontalOverflow(page);
  expect(overflow.scrollWidth, `${label} is wider than the screen: ${overflow.offenders.join(", ")}`).toBeLessThanOrEqual(
    overflow.viewport,
  );
}

function expectNoConsoleErrors(watched: WatchedPage, allowed: (line: string) => boolean = () => false) {
  expect(watched.errors.filter((line) => !allowed(line))).toEqual([]);
}

/**
 * Chromium itself logs "Failed to load resource: net::ERR_…" for a request the test aborts on
 * purpose (page.route(...).abort()); the app logs nothing. Only that line, for that URL, is
 * allowed, in the two tests that cut the connection.
 */
function isAbortedSubmissionLog(line: string): boolean {
  return /^console\.error: Failed to load resource: net::ERR_[A-Z_]+ \(http:\/\/127\.0\.0\.1:\d+\/api\/responses:/.test(line);
}

async function countResponses(where: { clientId?: string } = {}): Promise<number> {
  let q = getDb()
    .selectFrom("response")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("edition_id", "=", SURVEY);
  if (where.clientId) q = q.where("client_id", "=", where.clientId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Puts a finished draft on the last page into this origin's storage, as if typed in earlier. */
async function seedFinishedDraft(page: Page, clientId: string, answers: Record<string, unknown>) {
  await page.goto(`${suite.server.url}/`);
  await page.evaluate(
    ([key, draft]) => window.localStorage.setItem(key, draft),
    [DRAFT_KEY, JSON.stringify({ clientId, data: answers, pageNo: pages.length - 1 })] as const,
  );
  await page.goto(`${suite.server.url}${SURVEY_PATH}`);
  await waitForSurveyPage(page, pages[pages.length - 1].title.default);
}

// ---------------------------------------------------------------------------------------------

describe("the safety survey in a phone browser", () => {
  it("is answered from the start page to the thank-you page and stored once, surviving a reload", { timeout: 120_000 }, async () => {
    const watched = await openPhone();
    const { page } = watched;
    const answers = validAnswers();
    const before = await countResponses();

    // Start page.
    await page.goto(`${suite.server.url}/`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await expectAccessible(page, "start page");
    await expectNoHorizontalScroll(page, "start page");
    await page.screenshot({ path: `${SCREENS}/start.png`, fullPage: true });

    // Follow the link to the open survey.
    await page.getByRole("link", { name: /Trygghetsmätning 2025/ }).click();
    await page.waitForURL(`**${SURVEY_PATH}`);
    await waitForSurveyPage(page, pages[0].title.default);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Trygghetsmätning");
    expect(await page.locator(".sd-root-modern").getAttribute("lang")).toBe("sv");
    await expectAccessible(page, "survey, first page");
    await expectNoHorizontalScroll(page, "survey, first page");
    await page.screenshot({ path: `${SCREENS}/survey.png`, fullPage: true });

    // The area is required: going on without it says what to do, and is itself accessible.
    await page.getByRole("button", { name: "Nästa", exact: true }).click();
    await question(page, "area").getByText("Välj ett område. Utan område kan svaren inte redovisas.").waitFor();
    expect(await question(page, "area").getByRole("combobox").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page, "survey, first page with the required-answer error");

    // Pages 1 and 2, then the first question of page 3.
    await answerPage(page, pages[0], answers);
    await next(page, pages[1]);
    await answerPage(page, pages[1], answers);
    await next(page, pages[2]);
    await answerPage(page, pages[2], { safe_evening: answers.safe_evening });

    // Reload in the middle: the draft in localStorage brings back the page and the answers.
    const draftBefore = await readStorage<{ clientId: string; data: Record<string, unknown>; pageNo: number }>(page, DRAFT_KEY);
    expect(draftBefore?.pageNo).toBe(2);
    await page.reload();
    await waitForSurveyPage(page, pages[2].title.default);
    const safeEvening = questionsOf(pages[2].elements).find((q) => q.name === "safe_evening")!;
    expect(
      await question(page, "safe_evening").getByRole("radio", { name: choiceText(safeEvening, answers.safe_evening), exact: true }).isChecked(),
    ).toBe(true);
    const draftAfter = await readStorage<typeof draftBefore>(page, DRAFT_KEY);
    expect(draftAfter).toEqual(draftBefore);
    // The earlier pages' answers are back in the form too: look at page 1 and come back.
    await page.getByRole("button", { name: "Föregående", exact: true }).click();
    await waitForSurveyPage(page, pages[1].title.default);
    await page.getByRole("button", { name: "Föregående", exact: true }).click();
    await waitForSurveyPage(page, pages[0].title.default);
    await question(page, "area").getByText(areaNames[answers.area as string].sv, { exact: true }).waitFor();
    expect(await question(page, "gender").getByRole("radio", { name: "Kvinna", exact: true }).isChecked()).toBe(true);
    await next(page, pages[1]);
    await next(page, pages[2]);

    // The rest of the survey.
    await answerPage(page, pages[2], answers);
    await next(page, pages[3]);
    await answerPage(page, pages[3], answers);
    await next(page, pages[4]);
    // "Did you report it?" only appears once a crime is ticked.
    expect(await question(page, "reported").count()).toBe(0);
    await answerPage(page, pages[4], answers);
    await question(page, "reported").waitFor();
    await expectAccessible(page, "survey, victimisation page");
    await next(page, pages[5]);
    await answerPage(page, pages[5], answers);
    await expectAccessible(page, "survey, last page");
    await expectNoHorizontalScroll(page, "survey, last page");
    await page.screenshot({ path: `${SCREENS}/survey-last-page.png`, fullPage: true });

    const clientId = (await readStorage<{ clientId: string }>(page, DRAFT_KEY))!.clientId;
    await page.getByRole("button", { name: "Slutför", exact: true }).click();
    await page.waitForURL(`**${SURVEY_PATH}/tack`);
    await page.getByRole("heading", { level: 1, name: "Tack för ditt svar!" }).waitFor();
    // Focus starts at the new page's content, not on the vanished Finish button.
    await page.waitForFunction(() => document.activeElement?.id === "main");
    await expectAccessible(page, "thank-you page");
    await expectNoHorizontalScroll(page, "thank-you page");
    await page.screenshot({ path: `${SCREENS}/thank-you.png`, fullPage: true });

    // Exactly one new response, with what was chosen; nothing left behind in the browser.
    expect(await countResponses()).toBe(before + 1);
    const rows = await getDb().selectFrom("response").selectAll().where("client_id", "=", clientId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].edition_id).toBe(SURVEY);
    expect(rows[0].channel).toBe("web");
    expect(rows[0].area).toBe("ahus");
    expect(JSON.parse(rows[0].answers_json)).toEqual(answers);
    expect(await readStorage(page, DRAFT_KEY)).toBeNull();
    expect(await readStorage(page, OUTBOX_KEY)).toEqual([]);

    expectNoConsoleErrors(watched);
  });

  it("switches to English and back, keeping the answer already given", { timeout: 60_000 }, async () => {
    const watched = await openPhone();
    const { page } = watched;
    await page.goto(`${suite.server.url}${SURVEY_PATH}`);
    await waitForSurveyPage(page, pages[0].title.default);
    await chooseArea(page, "ahus");

    // The language links load the same page in the other language; the draft keeps the answer.
    await page.getByRole("navigation", { name: "Välj språk" }).getByRole("link", { name: "English", exact: true }).click();
    await question(page, "area").getByText("Which area do you live in?", { exact: true }).waitFor();
    await waitForSurveyPage(page, pages[0].title.en);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Safety survey");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator(".sd-root-modern").getAttribute("lang")).toBe("en");
    expect(await question(page, "gender").getByText("Prefer not to say", { exact: true }).count()).toBe(1);
    await page.getByRole("button", { name: "Next", exact: true }).waitFor();
    await question(page, "area").getByText(areaNames.ahus.en, { exact: true }).waitFor();
    await expectAccessible(page, "survey in English");
    await expectNoHorizontalScroll(page, "survey in English");

    await page.getByRole("navigation", { name: "Choose language" }).getByRole("link", { name: "Svenska", exact: true }).click();
    await question(page, "area").getByText("I vilket område bor du?", { exact: true }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("sv");
    expect(await page.locator(".sd-root-modern").getAttribute("lang")).toBe("sv");

    expectNoConsoleErrors(watched);
  });

  it("moves nothing for someone who asked the system for reduced motion", { timeout: 60_000 }, async () => {
    // First the default: SurveyJS animates, so the check below can tell the two apart.
    const animated = await openPhone();
    await animated.page.goto(`${suite.server.url}${SURVEY_PATH}`);
    await waitForSurveyPage(animated.page, pages[0].title.default);
    expect(await animated.page.locator(".sd-root-modern--animation-disabled").count()).toBe(0);

    const watched = await suite.open({ ...PHONE, reducedMotion: "reduce" });
    const { page } = watched;
    await page.goto(`${suite.server.url}${SURVEY_PATH}`);
    await waitForSurveyPage(page, pages[0].title.default);
    expect(await page.locator(".sd-root-modern--animation-disabled").count()).toBe(1);
    await chooseArea(page, "ahus");
    for (const to of pages.slice(1, 5)) await next(page, to);
    // A question shown by a rule appears at once: no fade is running when it is there.
    const victim = questionsOf(pages[4].elements).find((q) => q.name === "victim")!;
    await question(page, "victim").getByText(choiceText(victim, "theft"), { exact: true }).click();
    await question(page, "reported").waitFor();
    const running = await page.evaluate(() =>
      document
        .getAnimations()
        .filter((a) => a.playState === "running")
        .map((a) => {
          const target = (a.effect as KeyframeEffect | null)?.target;
          const what = a instanceof CSSTransition ? a.transitionProperty : a instanceof CSSAnimation ? a.animationName : "script";
          return `${what} on .${target?.className ?? "?"}`;
        }),
    );
    expect(running).toEqual([]);
    expectNoConsoleErrors(watched);
  });

  it("still shows the slow-loading note to someone who asked for reduced motion", { timeout: 60_000 }, async () => {
    const watched = await suite.open({ ...PHONE, reducedMotion: "reduce" });
    const { page } = watched;
    // The form's script never arrives: the page stays in its loading state.
    await page.route("**/survey-runner.client-*.js", () => {});
    await page.goto(`${suite.server.url}${SURVEY_PATH}`, { waitUntil: "domcontentloaded" });
    const note = page.locator(".load-slow");
    await note.waitFor({ state: "attached" });
    // The note is revealed by a delayed CSS animation (a timer, not motion); it must survive the
    // reduced-motion rules, or it would never appear.
    const style = await note.evaluate((el) => {
      const s = getComputedStyle(el);
      return `${s.animationName} after ${s.animationDelay}, now ${s.visibility}`;
    });
    expect(style).toBe("reveal after 12s, now hidden");
  });

  it("stores an answer sent twice with the same clientId only once", { timeout: 60_000 }, async () => {
    const watched = await openPhone();
    const { page } = watched;
    const clientId = randomUUID();
    const answers = validAnswers({ area: "tollarp", suggestion: "Sänk farten på Storgatan" });

    // The first answer reaches the server, but the reply is lost on the way back.
    await page.route("**/api/responses", async (route) => {
      await route.fetch();
      await route.abort("connectionreset");
    });
    await seedFinishedDraft(page, clientId, answers);
    await page.getByRole("button", { name: "Slutför", exact: true }).click();
    await page.getByRole("alert").getByText(/sparat på den här enheten/).waitFor();
    expect(await countResponses({ clientId })).toBe(1);
    expect((await readStorage<{ clientId: string }[]>(page, OUTBOX_KEY))?.map((i) => i.clientId)).toEqual([clientId]);

    // The page sends it again from its outbox: the server recognises it, the page moves on.
    await page.unroute("**/api/responses");
    await page.getByRole("button", { name: "Försök igen nu" }).click();
    await page.waitForURL(`**${SURVEY_PATH}/tack`);
    expect(await countResponses({ clientId })).toBe(1);
    expect(await readStorage(page, OUTBOX_KEY)).toEqual([]);

    // The same through the page's fetch: 201 first, 200 with the same id after, one row.
    const again = randomUUID();
    const results = await page.evaluate(
      async ([survey, id, body]) => {
        const post = () =>
          fetch("/api/responses", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ survey, clientId: id, answers: JSON.parse(body) }),
          }).then(async (r) => ({ status: r.status, id: ((await r.json()) as { id: string }).id }));
        const first = await post();
        const second = await post();
        return [first, second];
      },
      [SURVEY, again, JSON.stringify(answers)] as const,
    );
    expect(results.map((r) => r.status)).toEqual([201, 200]);
    expect(results[1].id).toBe(results[0].id);
    expect(await countResponses({ clientId: again })).toBe(1);

    expectNoConsoleErrors(watched, isAbortedSubmissionLog);
  });

  it("keeps a finished answer on the device while offline and stores it once when retried", { timeout: 60_000 }, async () => {
    const watched = await openPhone();
    const { page } = watched;
    const clientId = randomUUID();
    const answers = validAnswers({ area: "degeberga", victim: ["none"], reported: undefined });
    delete answers.reported;

    await page.route("**/api/responses", (route) => route.abort("internetdisconnected"));
    await seedFinishedDraft(page, clientId, answers);
    await page.getByRole("button", { name: "Slutför", exact: true }).click();

    const notice = page.getByRole("alert");
    await notice.getByText(/Det är sparat på den här enheten/).waitFor();
    await expectAccessible(page, "survey, answer waiting in the outbox");
    await expectNoHorizontalScroll(page, "survey, answer waiting in the outbox");
    await page.screenshot({ path: `${SCREENS}/survey-offline.png`, fullPage: true });
    const outbox = await readStorage<{ clientId: string; survey: string; answers: unknown }[]>(page, OUTBOX_KEY);
    expect(outbox).toHaveLength(1);
    expect(outbox![0]).toMatchObject({ clientId, survey: SURVEY, answers });
    expect(await countResponses({ clientId })).toBe(0);

    await page.unroute("**/api/responses");
    await page.getByRole("button", { name: "Försök igen nu" }).click();
    await page.waitForURL(`**${SURVEY_PATH}/tack`);
    await page.getByRole("heading", { level: 1, name: "Tack för ditt svar!" }).waitFor();
    expect(await countResponses({ clientId })).toBe(1);
    const row = await getDb().selectFrom("response").selectAll().where("client_id", "=", clientId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.answers_json)).toEqual(answers);
    expect(await readStorage(page, OUTBOX_KEY)).toEqual([]);
    // The finished answer does not come back as a draft for the next person on this device.
    expect(await readStorage(page, DRAFT_KEY)).toBeNull();

    expectNoConsoleErrors(watched, isAbortedSubmissionLog);
  });

  it("sends an answer left waiting on the device when the site is opened again", { timeout: 60_000 }, async () => {
    const watched = await openPhone();
    const { page } = watched;
    const clientId = randomUUID();
    const answers = validAnswers({ area: "fjalkinge", victim: ["none"], reported: undefined });
    delete answers.reported;
    await page.route("**/api/responses", (route) => route.abort("internetdisconnected"));
    await seedFinishedDraft(page, clientId, answers);
    await page.getByRole("button", { name: "Slutför", exact: true }).click();
    await page.getByRole("alert").getByText(/Det är sparat på den här enheten/).waitFor();
    expect(await countResponses({ clientId })).toBe(0);

    // The visitor leaves; later, with the network back, opens the start page on the same device.
    await page.unroute("**/api/responses");
    await page.goto(`${suite.server.url}/`);
    await expect.poll(() => countResponses({ clientId }), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => readStorage(page, OUTBOX_KEY)).toEqual([]);
    expectNoConsoleErrors(watched, isAbortedSubmissionLog);
  });
});

describe("the survey with the keyboard only", () => {
  it("answers the first page with Tab, Space, arrow keys and Enter", { timeout: 60_000 }, async () => {
    const watched = await openDesktop();
    const { page } = watched;
    await page.goto(`${suite.server.url}${SURVEY_PATH}`);
    await waitForSurveyPage(page, pages[0].title.default);
    await expectAccessible(page, "survey, first page, desktop width");

    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const q = el?.closest(".sd-question") as HTMLElement | null;
        return {
          tag: el?.tagName.toLowerCase() ?? "",
          role: el?.getAttribute("role") ?? "",
          type: (el as HTMLInputElement | null)?.type ?? "",
          question: q?.dataset.name ?? "",
          text: el?.textContent?.trim().slice(0, 40) ?? "",
        };
      });
    const trail: string[] = [];
    async function tabUntil(match: (f: Awaited<ReturnType<typeof focused>>) => boolean, limit = 30) {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press("Tab");
        const f = await focused();
        trail.push(`${f.tag}[${f.role || f.type}] ${f.question} ${f.text}`);
        if (match(f)) return;
      }
      throw new Error(`Tab never reached the expected control; focus went:\n${trail.join("\n")}`);
    }

    // The skip link comes first and leads into the main content.
    await page.keyboard.press("Tab");
    expect((await focused()).text).toBe("Hoppa till innehållet");

    // Area: open the list with the arrow key, move to Åhus, choose it with Enter.
    await tabUntil((f) => f.question === "area" && f.role === "combobox");
    await page.keyboard.press("ArrowDown");
    await page.getByRole("listbox").waitFor();
    const options = await page.getByRole("option").allTextContents();
    const target = options.indexOf(areaNames.ahus.sv);
    expect(target).toBeGreaterThanOrEqual(0);
    const activeOption = async () =>
      page.evaluate(() => {
        const input = document.activeElement;
        const id = input?.getAttribute("aria-activedescendant");
        return id ? (document.getElementById(id)?.textContent?.trim() ?? "") : "";
      });
    for (let i = 0; i < options.length && (await activeOption()) !== areaNames.ahus.sv; i++) {
      await page.keyboard.press("ArrowDown");
    }
    expect(await activeOption()).toBe(areaNames.ahus.sv);
    await page.keyboard.press("Enter");
    await page.getByRole("listbox").waitFor({ state: "hidden" });

    // Gender: Tab into the group, Space picks the focused choice.
    await tabUntil((f) => f.question === "gender" && f.type === "radio");
    await page.keyboard.press("Space");
    // Age: Tab into the group, Space picks the first, the arrow key moves to (and picks) the next.
    await tabUntil((f) => f.question === "age_group" && f.type === "radio");
    await page.keyboard.press("Space");
    await page.keyboard.press("ArrowDown");
    await page.screenshot({ path: `${SCREENS}/keyboard-focus.png` });

    // On to the next page with Enter on the Next button.
    await tabUntil((f) => f.tag === "button" && f.text === "Nästa");
    await page.keyboard.press("Enter");
    await waitForSurveyPage(page, pages[1].title.default);
    // Focus moves to the new page's title, and Tab goes on to its first question's first choice.
    await page.waitForFunction((title) => document.activeElement?.textContent?.trim() === title, pages[1].title.default);
    expect((await focused()).tag).toBe("h2");
    await page.keyboard.press("Tab");
    expect(await focused()).toMatchObject({ question: "problem_littering", type: "radio" });
    await page.keyboard.press("Space");

    const draft = await readStorage<{ data: Record<string, unknown> }>(page, DRAFT_KEY);
    expect(draft?.data).toEqual({ area: "ahus", gender: "woman", age_group: "25-44", problem_littering: 1 });
    await expectAccessible(page, "survey, second page, desktop width");

    expectNoConsoleErrors(watched);
  });
});

describe("the staff sign-in page", () => {
  it("is accessible, also with an error shown, and fits a phone screen", { timeout: 60_000 }, async () => {
    const watched = await openPhone();
    const { page } = watched;
    await page.goto(`${suite.server.url}/logga-in`);
    await page.getByRole("heading", { level: 1, name: "Logga in för personal" }).waitFor();
    await expectAccessible(page, "sign-in page");
    await expectNoHorizontalScroll(page, "sign-in page");
    await page.screenshot({ path: `${SCREENS}/sign-in.png`, fullPage: true });

    await page.getByLabel("E-postadress").fill("nobody@example.org");
    await page.getByLabel("Lösenord").fill("not-the-password");
    await page.getByRole("button", { name: "Logga in", exact: true }).click();
    await page.getByRole("alert").getByText("Fel e-postadress eller lösenord.").waitFor();
    await expectAccessible(page, "sign-in page with an error");

    expectNoConsoleErrors(watched);
  });
});
