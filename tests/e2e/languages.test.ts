/**
 * The site in its six languages, in real headless Chromium against the production build
 * (decision 012): the survey answered to the thank-you page in Arabic by keyboard alone and in
 * Somali by touch on a phone, each stored once with its language; right to left in Arabic with
 * no Swedish interface text left; axe-core on the start page, the survey and the thank-you page
 * in every language; the language chosen by Accept-Language, the cookie and ?lang=, kept over
 * navigations; screenshots of Arabic and Somali on a 390 px phone. Run `npm run build` first.
 */
import fs from "node:fs";
import path from "node:path";
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { LANGUAGE_INFO, LANGUAGES, type Language } from "~/i18n/languages";
import { ROOT } from "../helpers/app-server";
import { browserSuite, SCREENS } from "../helpers/browser-suite";
import { flatten, readCatalog, type Catalog } from "../helpers/catalogs";
import { formatViolations, horizontalOverflow, PHONE, runAxe } from "../helpers/browser";

const SURVEY = "trygghetsmatning-2025";
const SURVEY_PATH = `/enkat/${SURVEY}`;
const DRAFT_KEY = `td:draft:${SURVEY}`;

type Texts = Record<string, string>;
interface Element {
  type: string;
  name: string;
  title?: Texts;
  placeholder?: Texts;
  description?: Texts;
  elements?: Element[];
  choices?: { value: string | number; text: Texts }[];
}
interface SurveyPageDef {
  name: string;
  title: Texts;
  description?: Texts;
  elements: Element[];
}

const readJson = <T,>(file: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as T;
const questionnaire = readJson<{ title: Texts; description: Texts; pages: SurveyPageDef[] }>("surveys/trygghetsmatning/questionnaire.json");
const pages = questionnaire.pages;
const areaNames = Object.fromEntries(readJson<{ areas: { code: string; name: Texts }[] }>("surveys/areas/kristianstad.json").areas.map((a) => [a.code, a.name]));
const catalogs = Object.fromEntries(LANGUAGES.map((l) => [l, readCatalog(l)])) as Record<Language, Catalog>;

function questionsOf(elements: Element[]): Element[] {
  return elements.flatMap((e) => (e.type === "panel" ? questionsOf(e.elements ?? []) : [e]));
}

/** A questionnaire text in a language (`default` is Swedish). */
function inLanguage(text: Texts | undefined, language: Language): string {
  if (!text) return "";
  return language === "sv" ? text.default ?? text.sv : text[language];
}


function catalogText(language: Language, key: string): string {
  const text = flatten(catalogs[language]).get(key);
  if (text === undefined) throw new Error(`No ${key} in ${language}`);
  return text;
}

/**
 * Swedish texts a page in `language` must not show: every Swedish catalog text and
 * questionnaire text whose translation differs (cut at placeholders, pieces of 6+ characters),
 * and SurveyJS's Swedish buttons.
 */
function swedishTexts(language: Language): string[] {
  const texts = new Set<string>(["Nästa", "Föregående", "Slutför", "Välj område", "Sida 1 av"]);
  const translated = flatten(catalogs[language]);
  for (const [key, sv] of flatten(catalogs.sv)) {
    if (translated.get(key) === sv) continue;
    for (const piece of sv.split(/\{\{[^}]*\}\}|<\/?\d+>/)) if (piece.trim().length >= 6) texts.add(piece.trim());
  }
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (typeof record.default === "string" && typeof record[language] === "string" && record[language] !== record.default) {
      const plain = (record.default as string).replace(/<[^>]+>/g, " ").trim();
      if (plain.length >= 6) texts.add(plain);
    }
    Object.values(record).forEach(walk);
  };
  walk(questionnaire);
  return [...texts];
}

async function expectNoSwedish(page: Page, language: Language, label: string) {
  // The site's name stays Swedish in every language (and holds the word "Trygghet").
  const shown = (await page.evaluate(() => `${document.title}\n${document.body.innerText}`)).split("Trygghetsdialog").join(" ");
  const left = swedishTexts(language).filter((text) => shown.includes(text));
  expect(left, `${label}: Swedish text left on the ${language} page`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

const suite = browserSuite();
const open = (options: BrowserContextOptions) => suite.open(options);

const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: "sv-SE" };
const PHONE_390 = { ...PHONE, viewport: { width: 390, height: 844 } };

function question(page: Page, name: string) {
  return page.locator(`.sd-question[data-name="${name}"]`);
}

async function waitForSurveyPage(page: Page, def: SurveyPageDef, language: Language) {
  await page.getByRole("heading", { level: 2, name: inLanguage(def.title, language), exact: true }).waitFor();
}

async function expectAccessible(page: Page, label: string) {
  const { violations } = await runAxe(page);
  expect(formatViolations(label, violations)).toBe(`${label}: no violations`);
}

async function storedRows(clientId: string) {
  return getDb().selectFrom("response").select(["client_id", "language", "area", "channel"]).where("client_id", "=", clientId).execute();
}

async function draftClientId(page: Page): Promise<string> {
  const raw = await page.evaluate((key) => window.localStorage.getItem(key), DRAFT_KEY);
  return (JSON.parse(raw ?? "{}") as { clientId: string }).clientId;
}

// ---------------------------------------------------------------------------------------------

describe("the survey in Arabic with the keyboard alone", () => {
  it("is answered right to left to the thank-you page and stored once as Arabic", { timeout: 180_000 }, async () => {
    const watched = await open(DESKTOP);
    const { page } = watched;
    // A letter's link: the survey straight in Arabic.
    await page.goto(`${suite.server.url}${SURVEY_PATH}?lang=ar`);
    await waitForSurveyPage(page, pages[0], "ar");
    expect(await page.locator("html").getAttribute("lang")).toBe("ar");
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await page.locator(".sd-root-modern").getAttribute("dir")).toBe("rtl");
    expect(await page.locator(".sd-root-modern").getAttribute("lang")).toBe("ar");
    // The form names the step before the questionnaire ("Sida 1 av 6: Om dig – …", tests/e2e/readability.test.ts).
    expect(await page.title()).toMatch(new RegExp(`: .+ – ${inLanguage(questionnaire.title, "ar")} – Trygghetsdialog$`));
    // The form is mirrored: the Next button's start edge is on the right, the first step of the
    // progress bar right of the last.
    const steps = page.locator(".sd-progress-buttons__list li");
    const first = (await steps.first().boundingBox())!;
    const last = (await steps.last().boundingBox())!;
    expect(first.x).toBeGreaterThan(last.x);
    await expectNoSwedish(page, "ar", "survey, first page");

    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const q = el?.closest(".sd-question") as HTMLElement | null;
        return {
          tag: el?.tagName.toLowerCase() ?? "",
          role: el?.getAttribute("role") ?? "",
          type: (el as HTMLInputElement | null)?.type ?? "",
          question: q?.dataset.name ?? "",
          className: typeof el?.className === "string" ? el.className : "",
          text: el?.textContent?.trim().slice(0, 40) ?? "",
        };
      });
    type Focus = Awaited<ReturnType<typeof focused>>;
    async function tabUntil(match: (f: Focus) => boolean, limit = 60) {
      const trail: string[] = [];
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press("Tab");
        const f = await focused();
        trail.push(`${f.tag}[${f.role || f.type}] ${f.question} ${f.className.slice(0, 40)} ${f.text}`);
        if (match(f)) return f;
      }
      throw new Error(`Tab never reached the expected control; focus went:\n${trail.join("\n")}`);
    }
    const isButton = (name: string) => (f: Focus) => f.className.includes(`sd-navigation__${name}-btn`);

    // The skip link comes first, in Arabic.
    await page.keyboard.press("Tab");
    expect((await focused()).text).toBe(catalogText("ar", "layout.skipToContent"));

    // Area: open the list with the arrow key, move to Åhus by its Arabic name, choose with Enter.
    await tabUntil((f) => f.question === "area" && f.role === "combobox");
    await page.keyboard.press("ArrowDown");
    await page.getByRole("listbox").waitFor();
    const activeOption = () =>
      page.evaluate(() => {
        const id = document.activeElement?.getAttribute("aria-activedescendant");
        return id ? (document.getElementById(id)?.textContent?.trim() ?? "") : "";
      });
    const options = await page.getByRole("option").count();
    for (let i = 0; i < options && (await activeOption()) !== areaNames.ahus.ar; i++) await page.keyboard.press("ArrowDown");
    expect(await activeOption()).toBe(areaNames.ahus.ar);
    await page.keyboard.press("Enter");
    await page.getByRole("listbox").waitFor({ state: "hidden" });
    // Gender: Tab into the group, Space picks the focused (first) choice.
    await tabUntil((f) => f.question === "gender" && f.type === "radio");
    await page.keyboard.press("Space");

    // Every further page: the first question's first choice, then Next (the last: Complete).
    for (let n = 1; n < pages.length; n++) {
      const next = await tabUntil(isButton("next"));
      expect(next.text).not.toBe("Nästa");
      await page.keyboard.press("Enter");
      await waitForSurveyPage(page, pages[n], "ar");
      await page.waitForFunction((title) => document.activeElement?.textContent?.trim() === title, inLanguage(pages[n].title, "ar"));
      const firstQuestion = questionsOf(pages[n].elements)[0];
      const f = await tabUntil((x) => x.question === firstQuestion.name && (x.type === "radio" || x.type === "checkbox"));
      await page.keyboard.press("Space");
      expect(f.question).toBe(firstQuestion.name);
    }
    await expectNoSwedish(page, "ar", "survey, last page");
    const clientId = await draftClientId(page);
    const complete = await tabUntil(isButton("complete"));
    expect(complete.text).not.toBe("Slutför");
    await page.keyboard.press("Enter");

    await page.waitForURL(`**${SURVEY_PATH}/tack`);
    await page.getByRole("heading", { level: 1, name: catalogText("ar", "survey.thankYou.heading") }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    await expectNoSwedish(page, "ar", "thank-you page");
    // The language lasts: the thank-you page loaded anew (the cookie ?lang=ar set) is Arabic too.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: catalogText("ar", "survey.thankYou.heading") }).waitFor();
    expect(await page.title()).toBe(`${catalogText("ar", "survey.thankYou.meta.title")} – Trygghetsdialog`);

    const rows = await storedRows(clientId);
    expect(rows).toEqual([{ client_id: clientId, language: "ar", area: "ahus", channel: "web" }]);
    expect(watched.errors).toEqual([]);
  });
});

describe("the survey in Somali by touch on a 360 px phone", () => {
  it("is answered from the start page to the thank-you page and stored once as Somali", { timeout: 180_000 }, async () => {
    const watched = await open(PHONE);
    const { page } = watched;
    await page.goto(`${suite.server.url}/?lang=so`);
    await page.getByRole("heading", { level: 1, name: catalogText("so", "start.heading") }).waitFor();
    // The safety survey (the traffic tips of 2025 are on the start page too).
    await page.locator(`a[href^="/enkat/trygghetsmatning-2025"]`).tap();
    await page.waitForURL(`**${SURVEY_PATH}`);
    await waitForSurveyPage(page, pages[0], "so");
    expect(await page.locator("html").getAttribute("lang")).toBe("so");
    expect(await page.locator("html").getAttribute("dir")).toBe("ltr");
    await expectNoSwedish(page, "so", "survey, first page");

    await question(page, "area").locator(".sd-dropdown").tap();
    // The phone's pop-up list speaks Somali too (its Cancel button once stayed English).
    const cancel = page.locator(".sv-popup__button--cancel").filter({ visible: true });
    await cancel.waitFor();
    expect(["Cancel", "Avbryt"]).not.toContain((await cancel.textContent())?.trim());
    const option = page.getByRole("option", { name: areaNames.tollarp.so, exact: true });
    await option.tap();
    await option.waitFor({ state: "hidden" });
    for (let n = 0; n < pages.length; n++) {
      if (n > 0) {
        await page.locator(".sd-navigation__next-btn").tap();
        await waitForSurveyPage(page, pages[n], "so");
      }
      const q = questionsOf(pages[n].elements).find((e) => e.type === "radiogroup" || e.type === "checkbox")!;
      const choice = q.choices![0];
      await question(page, q.name).getByText(inLanguage(choice.text, "so"), { exact: true }).tap();
      const role = q.type === "checkbox" ? "checkbox" : "radio";
      expect(await question(page, q.name).getByRole(role, { name: inLanguage(choice.text, "so"), exact: true }).isChecked()).toBe(true);
    }
    const overflow = await horizontalOverflow(page);
    expect(overflow.scrollWidth, overflow.offenders.join(", ")).toBeLessThanOrEqual(overflow.viewport);
    await expectNoSwedish(page, "so", "survey, last page");
    const clientId = await draftClientId(page);
    await page.locator(".sd-navigation__complete-btn").tap();
    await page.waitForURL(`**${SURVEY_PATH}/tack`);
    await page.getByRole("heading", { level: 1, name: catalogText("so", "survey.thankYou.heading") }).waitFor();
    await expectNoSwedish(page, "so", "thank-you page");

    expect(await storedRows(clientId)).toEqual([{ client_id: clientId, language: "so", area: "tollarp", channel: "web" }]);
    expect(watched.errors).toEqual([]);
  });
});

describe("every language", () => {
  it("has no axe-core violations on the start page, the survey and the thank-you page, with the right lang, dir and title", { timeout: 300_000 }, async () => {
    const watched = await open(PHONE);
    const { page } = watched;
    for (const language of LANGUAGES) {
      const dir = LANGUAGE_INFO[language].dir;
      await page.goto(`${suite.server.url}/?lang=${language}`);
      await page.getByRole("heading", { level: 1, name: catalogText(language, "start.heading") }).waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe(language);
      expect(await page.locator("html").getAttribute("dir")).toBe(dir);
      expect(await page.title()).toBe(catalogText(language, "start.meta.title"));
      await expectAccessible(page, `start page (${language})`);

      // The survey, reached without ?lang: the cookie carries the language.
      await page.goto(`${suite.server.url}${SURVEY_PATH}`);
      await waitForSurveyPage(page, pages[0], language);
      expect(await page.locator("html").getAttribute("lang")).toBe(language);
      expect(await page.locator("html").getAttribute("dir")).toBe(dir);
      await expectAccessible(page, `survey (${language})`);
      if (language !== "sv") await expectNoSwedish(page, language, `survey (${language})`);

      await page.goto(`${suite.server.url}${SURVEY_PATH}/tack`);
      await page.getByRole("heading", { level: 1, name: catalogText(language, "survey.thankYou.heading") }).waitFor();
      expect(await page.locator("html").getAttribute("dir")).toBe(dir);
      await expectAccessible(page, `thank-you page (${language})`);
    }
    expect(watched.errors).toEqual([]);
  });

  it("offers the other languages by their own names as links, and no submit button in the header", { timeout: 60_000 }, async () => {
    const { page } = await open(DESKTOP);
    for (const language of ["sv", "fa"] as const) {
      await page.goto(`${suite.server.url}/logga-in?lang=${language}`);
      const nav = page.getByRole("navigation", { name: catalogText(language, "layout.languages") });
      const links = await nav.getByRole("link").evaluateAll((els) =>
        els.map((a) => ({ text: a.textContent, lang: a.getAttribute("lang"), hreflang: a.getAttribute("hreflang"), href: a.getAttribute("href") })),
      );
      expect(links).toEqual(
        LANGUAGES.filter((l) => l !== language).map((l) => ({ text: LANGUAGE_INFO[l].nativeName, lang: l, hreflang: l, href: `/logga-in?lang=${l}` })),
      );
      expect(await page.locator("header form, header button, header input").count()).toBe(0);
      // The first submit button of the page is the sign-in form's own.
      expect(await page.locator("button[type=submit], input[type=submit]").first().textContent()).toBe(catalogText(language, "signIn.submit"));
    }
  });
});

describe("choosing the language", () => {
  it("follows the browser's Accept-Language on the first visit, Swedish when it has none of ours", { timeout: 60_000 }, async () => {
    for (const [locale, language] of [["fi-FI", "fi"], ["ar-SY", "ar"], ["de-DE", "sv"]] as const) {
      const { page } = await open({ ...DESKTOP, locale });
      await page.goto(`${suite.server.url}/`);
      expect(await page.locator("html").getAttribute("lang")).toBe(language);
      await page.getByRole("heading", { level: 1, name: catalogText(language, "start.heading") }).waitFor();
    }
  });

  it("keeps a ?lang= choice in a cookie over links, reloads and Accept-Language", { timeout: 90_000 }, async () => {
    const watched = await open({ ...DESKTOP, locale: "fi-FI" });
    const { page } = watched;
    await page.goto(`${suite.server.url}/?lang=en`);
    await page.getByRole("heading", { level: 1, name: catalogText("en", "start.heading") }).waitFor();
    const cookie = (await page.context().cookies()).find((c) => c.name === "lang");
    expect(cookie).toMatchObject({ value: "en", path: "/", httpOnly: true, sameSite: "Lax" });
    // The next click stays in English (it used to land in Swedish), and so does the page after.
    await page.locator(`a[href^="/enkat/trygghetsmatning-2025"]`).click();
    await waitForSurveyPage(page, pages[0], "en");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    // The form names the step before the questionnaire ("Sida 1 av 6: Om dig – …", tests/e2e/readability.test.ts).
    expect(await page.title()).toMatch(new RegExp(`: .+ – ${inLanguage(questionnaire.title, "en")} – Trygghetsdialog$`));
    await page.getByRole("link", { name: catalogText("en", "layout.nav.signIn") }).click();
    await page.getByRole("heading", { level: 1, name: catalogText("en", "signIn.heading") }).waitFor();
    expect(await page.title()).toBe(`${catalogText("en", "signIn.meta.title")} – Trygghetsdialog`);

    // Another language by its link: a new page load, the cookie follows.
    await page.getByRole("link", { name: "فارسی", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: catalogText("fa", "signIn.heading") }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    await page.goto(`${suite.server.url}/`);
    expect(await page.locator("html").getAttribute("lang")).toBe("fa");
    expect((await page.context().cookies()).find((c) => c.name === "lang")?.value).toBe("fa");
    expect(watched.errors).toEqual([]);
  });

  it("brings the thank-you page in the language the survey was opened in", { timeout: 90_000 }, async () => {
    const watched = await open(PHONE);
    const { page } = watched;
    await page.goto(`${suite.server.url}${SURVEY_PATH}?lang=en`);
    await waitForSurveyPage(page, pages[0], "en");
    await question(page, "area").locator(".sd-dropdown").click();
    await page.getByRole("option", { name: areaNames.degeberga.en, exact: true }).click();
    const clientId = await draftClientId(page);
    for (let n = 1; n < pages.length; n++) {
      await page.getByRole("button", { name: "Next", exact: true }).click();
      await waitForSurveyPage(page, pages[n], "en");
    }
    await page.getByRole("button", { name: "Complete", exact: true }).click();
    await page.waitForURL(`**${SURVEY_PATH}/tack`);
    await page.getByRole("heading", { level: 1, name: catalogText("en", "survey.thankYou.heading") }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await storedRows(clientId)).toEqual([{ client_id: clientId, language: "en", area: "degeberga", channel: "web" }]);
    expect(watched.errors).toEqual([]);
  });
});

describe("screenshots", () => {
  it("of the start page and the survey in Arabic and Somali on a 390 px phone, and the Arabic survey on a desktop", { timeout: 120_000 }, async () => {
    const { page } = await open(PHONE_390);
    for (const language of ["ar", "so"] as const) {
      await page.goto(`${suite.server.url}/?lang=${language}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      const start = await horizontalOverflow(page);
      expect(start.scrollWidth, start.offenders.join(", ")).toBeLessThanOrEqual(start.viewport);
      await page.screenshot({ path: `${SCREENS}/start-${language}-390.png`, fullPage: true });
      await page.goto(`${suite.server.url}${SURVEY_PATH}`);
      await waitForSurveyPage(page, pages[0], language);
      // The area list open, to see its names and numbers in the page's direction.
      await question(page, "area").locator(".sd-dropdown").click();
      await page.getByRole("listbox").waitFor();
      const survey = await horizontalOverflow(page);
      expect(survey.scrollWidth, survey.offenders.join(", ")).toBeLessThanOrEqual(survey.viewport);
      await page.screenshot({ path: `${SCREENS}/survey-${language}-390.png`, fullPage: true });
      await page.keyboard.press("Escape");
    }
    const desktop = await open(DESKTOP);
    await desktop.page.goto(`${suite.server.url}${SURVEY_PATH}?lang=ar`);
    await waitForSurveyPage(desktop.page, pages[0], "ar");
    await desktop.page.screenshot({ path: `${SCREENS}/survey-ar-desktop.png`, fullPage: true });
  });
});
