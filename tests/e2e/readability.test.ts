/**
 * The survey for people who see or read differently, in real headless Chromium against the
 * production build: a Windows contrast theme (forced colours), the browser's text size at 200 %
 * (a 32 px default font, set as the user's own preference in a browser profile), the focus ring
 * on the area box, the page stepper's contrast and visible step, the page title naming the step,
 * and the names of the area list and its arrow button. Run `npm run build` first (npm test does).
 *
 * Pixels are read from real screenshots: Chromium itself decodes the PNG on a blank page.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { chromium, type Locator, type Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/app-server";
import { browserSuite, SCREENS } from "../helpers/browser-suite";
import { CHROMIUM_PATH, formatViolations, horizontalOverflow, PHONE, runAxe, waitForAnimations, type WatchedPage } from "../helpers/browser";

const SURVEY = "trygghetsmatning-2025";
const SURVEY_PATH = `/enkat/${SURVEY}`;
const DRAFT_KEY = `td:draft:${SURVEY}`;

interface PageDef {
  name: string;
  title: { default: string; en: string };
}
const questionnaire = JSON.parse(fs.readFileSync(path.join(ROOT, "surveys/trygghetsmatning/questionnaire.json"), "utf8")) as {
  title: { default: string; en: string };
  pages: PageDef[];
  // The area question is the first page's first element.
};
const pages = questionnaire.pages;
const AREA_TITLE = { sv: "I vilket område bor du?", en: "Which area do you live in?" };

const suite = browserSuite({ failurePrefix: "failed-readability" });
/** A blank page (no Content-Security-Policy) where Chromium decodes screenshots for the tests. */
let decoder: Page;

beforeAll(async () => {
  decoder = await (await suite.browser.newContext()).newPage();
});

async function openDesktop(options: { forcedColors?: boolean } = {}): Promise<WatchedPage> {
  return suite.open({
    viewport: { width: 1280, height: 900 },
    locale: "sv-SE",
    forcedColors: options.forcedColors ? "active" : "none",
  });
}

/**
 * Chromium with the user's default font size set in its profile (Settings → Appearance → Font
 * size), the way a person who needs larger text sets it: the root font size follows, zoom does
 * not change. Each profile is its own browser process.
 */
async function openWithFontSize(size: number, device: "desktop" | "phone"): Promise<WatchedPage> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "td-profile-"));
  fs.mkdirSync(path.join(profile, "Default"));
  fs.writeFileSync(path.join(profile, "Default", "Preferences"), JSON.stringify({ webkit: { webprefs: { default_font_size: size } } }));
  const persistent = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    ...(device === "phone" ? { ...PHONE, viewport: { width: 390, height: 844 } } : { viewport: { width: 1280, height: 900 }, locale: "sv-SE" }),
  });
  // Closing the context ends that browser; the profile goes with it.
  const close = persistent.close.bind(persistent);
  persistent.close = async (...args) => {
    await close(...args);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  const watched = await suite.openIn(persistent);
  for (const blank of persistent.pages()) if (blank !== watched.page) await blank.close();
  return watched;
}

function question(page: Page, name: string) {
  return page.locator(`.sd-question[data-name="${name}"]`);
}

/** Opens the survey on page `pageNo` (0: the first) with `data` already answered, as a draft would. */
async function openSurvey(page: Page, pageNo = 0, data: Record<string, unknown> = {}) {
  await page.goto(`${suite.server.url}/`);
  await page.evaluate(
    ([key, draft]) => window.localStorage.setItem(key, draft),
    [DRAFT_KEY, JSON.stringify({ clientId: randomUUID(), data, pageNo })] as const,
  );
  await page.goto(`${suite.server.url}${SURVEY_PATH}`);
  await page.getByRole("heading", { level: 2, name: pages[pageNo].title.default, exact: true }).waitFor();
  await waitForAnimations(page);
}

// ---------------------------------------------------------------------------------------------
// Pixels

interface Rgb {
  r: number;
  g: number;
  b: number;
}
interface Shot {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: number[];
  /** The clip's origin in page pixels (CSS px × device scale 1). */
  x: number;
  y: number;
}

/** A screenshot of the element's box grown by `margin` CSS pixels on every side, decoded. */
async function shoot(page: Page, target: Locator, margin: number): Promise<Shot> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error("The element to photograph is not on screen");
  // Whole pixels, so that the shot's pixels line up with the page's.
  const x = Math.max(0, Math.floor(box.x - margin));
  const y = Math.max(0, Math.floor(box.y - margin));
  const clip = { x, y, width: Math.ceil(box.x + box.width + margin) - x, height: Math.ceil(box.y + box.height + margin) - y };
  const png = await page.screenshot({ clip });
  const decoded = await decoder.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(bitmap, 0, 0);
    return { width: bitmap.width, height: bitmap.height, data: Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data) };
  }, png.toString("base64"));
  return { ...decoded, x: clip.x, y: clip.y };
}

function pixel(shot: Shot, x: number, y: number): Rgb {
  const i = (Math.round(y) * shot.width + Math.round(x)) * 4;
  return { r: shot.data[i], g: shot.data[i + 1], b: shot.data[i + 2] };
}

function distance(a: Rgb, b: Rgb): number {
  return Math.abs(a.r - b.r) + Math.abs(a.g - b.g) + Math.abs(a.b - b.b);
}

type Box = { x: number; y: number; width: number; height: number };

/**
 * How much of the element's outline is drawn: walking along its four edges (leaving out `corner`
 * px at each end, blank where corners are rounded), the share of positions where some pixel at a
 * depth of `from`–`to` px outside the box (negative: inside it) differs clearly from the backdrop,
 * the colour at the clip's corner. A border is ink just inside the box; a focus ring just outside.
 */
function outlineCoverage(shot: Shot, box: Box, from: number, to: number, corner = 0): number {
  const backdrop = pixel(shot, 0, 0);
  const left = Math.round(box.x - shot.x);
  const top = Math.round(box.y - shot.y);
  const right = Math.round(box.x + box.width - shot.x) - 1;
  const bottom = Math.round(box.y + box.height - shot.y) - 1;
  const inked = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < shot.width && y < shot.height && distance(pixel(shot, x, y), backdrop) > 150;
  let covered = 0;
  let positions = 0;
  for (let x = left + corner; x <= right - corner; x++) {
    for (const edge of [top, bottom]) {
      positions++;
      for (let d = from; d <= to; d++) {
        if (inked(x, edge === top ? top - d : bottom + d)) {
          covered++;
          break;
        }
      }
    }
  }
  for (let y = top + corner; y <= bottom - corner; y++) {
    for (const edge of [left, right]) {
      positions++;
      for (let d = from; d <= to; d++) {
        if (inked(edge === left ? left - d : right + d, y)) {
          covered++;
          break;
        }
      }
    }
  }
  return covered / positions;
}

/** The share of the pixels inside the element's box that differ clearly from the backdrop. */
function inkInside(shot: Shot, box: Box): number {
  const backdrop = pixel(shot, 0, 0);
  let ink = 0;
  let all = 0;
  for (let y = Math.ceil(box.y - shot.y); y < Math.floor(box.y + box.height - shot.y); y++) {
    for (let x = Math.ceil(box.x - shot.x); x < Math.floor(box.x + box.width - shot.x); x++) {
      all++;
      if (distance(pixel(shot, x, y), backdrop) > 150) ink++;
    }
  }
  return ink / all;
}

/** How much of the element's outline is drawn at `from`–`to` px from its box (see outlineCoverage). */
async function outline(page: Page, target: Locator, from: number, to: number, corner = 0): Promise<number> {
  const shot = await shoot(page, target, 10);
  return outlineCoverage(shot, (await target.boundingBox())!, from, to, corner);
}

// ---------------------------------------------------------------------------------------------
// Colours from computed styles

/** Parses a computed colour (rgb(), rgba() or color(srgb …)) into 0–255 channels and alpha. */
function parseColour(value: string): Rgb & { a: number } {
  const rgb = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(value);
  if (rgb) return { r: +rgb[1], g: +rgb[2], b: +rgb[3], a: rgb[4] === undefined ? 1 : +rgb[4] };
  const srgb = /^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)$/.exec(value);
  if (srgb) return { r: +srgb[1] * 255, g: +srgb[2] * 255, b: +srgb[3] * 255, a: srgb[4] === undefined ? 1 : +srgb[4] };
  throw new Error(`Cannot read the colour ${value}`);
}

/** WCAG 2.1 relative luminance. */
function luminance({ r, g, b }: Rgb): number {
  const [R, G, B] = [r, g, b].map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * R + 0.7152 * G + 0.0722 * B;
}

/** WCAG 2.1 contrast ratio. */
function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** A colour laid over the backdrop (alpha blending). */
function over(top: Rgb & { a: number }, backdrop: Rgb): Rgb {
  return { r: top.r * top.a + backdrop.r * (1 - top.a), g: top.g * top.a + backdrop.g * (1 - top.a), b: top.b * top.a + backdrop.b * (1 - top.a) };
}

/** The colours a step of the stepper is seen against, read from the computed styles. */
async function stepColours(page: Page, index: number) {
  const raw = await page.evaluate((i) => {
    const button = document.querySelector(`.sd-progress-buttons__button[data-page-index="${i}"]`) as HTMLElement;
    const dot = button.querySelector(".sd-progress-buttons__dot");
    // The backgrounds under the button, from the nearest ancestor outwards.
    const backdrops: string[] = [];
    for (let el = button.parentElement; el; el = el.parentElement) backdrops.push(getComputedStyle(el).backgroundColor);
    const style = getComputedStyle(button);
    return {
      border: style.borderTopColor,
      borderWidth: style.borderTopWidth,
      fill: style.backgroundColor,
      dot: dot ? getComputedStyle(dot).backgroundColor : null,
      backdrops,
    };
  }, index);
  let page_: Rgb = { r: 255, g: 255, b: 255 };
  for (const colour of [...raw.backdrops].reverse()) page_ = over(parseColour(colour), page_);
  const fill = over(parseColour(raw.fill), page_);
  return {
    page: page_,
    fill,
    border: over(parseColour(raw.border), page_),
    borderWidth: raw.borderWidth,
    dot: raw.dot === null ? null : over(parseColour(raw.dot), fill),
  };
}

// ---------------------------------------------------------------------------------------------

describe("the survey under a Windows contrast theme (forced colours)", () => {
  it("draws the outlines of unanswered choices, the area box and the buttons", { timeout: 90_000 }, async () => {
    const { page, errors } = await openDesktop({ forcedColors: true });
    expect(await page.evaluate(() => matchMedia("(forced-colors: active)").matches)).toBe(true);
    await openSurvey(page);
    await page.screenshot({ path: `${SCREENS}/forced-colours-desktop.png`, fullPage: true });

    // An unanswered radio button (a circle: its sides touch the box only near their middles).
    const radio = question(page, "gender").locator(".sd-radio__decorator").first();
    expect(await outline(page, radio, -3, 0, 6), "drawn share of the radio button's outline").toBeGreaterThan(0.9);
    // The area box and the Next button.
    const areaBox = question(page, "area").locator(".sd-formbox");
    expect(await outline(page, areaBox, -2, 0, 12), "drawn share of the area box's border").toBeGreaterThan(0.9);
    const next = page.getByRole("button", { name: "Nästa", exact: true });
    expect(await outline(page, next, -2, 0, 12), "drawn share of the Next button's border").toBeGreaterThan(0.9);

    // An unanswered checkbox, on the victimisation page.
    await openSurvey(page, 4, { area: "ahus" });
    const boxes = question(page, "victim").locator(".sd-checkbox__decorator");
    expect(await outline(page, boxes.first(), -2, 0, 4), "drawn share of the checkbox's outline").toBeGreaterThan(0.9);
    // The first page was answered: its step in the stepper shows a tick, not an empty box.
    const visited = page.locator(".sd-progress-buttons__list li").first();
    expect(await visited.getAttribute("class")).toMatch(/passed/);
    const visitedStep = visited.locator(".sd-progress-buttons__button");
    const tick = inkInside(await shoot(page, visitedStep, 10), (await visitedStep.boundingBox())!);
    expect(tick, "ink inside the visited step (its tick)").toBeGreaterThan(0.05);
    // A ticked one is told apart from an unticked one: its box is filled.
    await question(page, "victim").locator(".sd-item__control-label").first().click();
    expect(await question(page, "victim").getByRole("checkbox").first().isChecked()).toBe(true);
    await waitForAnimations(page);
    const ticked = inkInside(await shoot(page, boxes.first(), 10), (await boxes.first().boundingBox())!);
    const unticked = inkInside(await shoot(page, boxes.nth(1), 10), (await boxes.nth(1).boundingBox())!);
    expect(ticked, `ink inside a ticked box (${ticked}) against an unticked one (${unticked})`).toBeGreaterThan(unticked + 0.3);
    expect(errors).toEqual([]);
  });

  it("shows a focus ring on a checkbox, the Next button and the area box", { timeout: 90_000 }, async () => {
    const { page, errors } = await openDesktop({ forcedColors: true });
    await openSurvey(page, 4, { area: "ahus" });
    const victim = question(page, "victim");
    const checkbox = victim.locator(".sd-checkbox__decorator").first();
    expect(await outline(page, checkbox, 2, 6, 4), "ring around the unfocused checkbox").toBe(0);
    // Focus by keyboard (:focus-visible): Tab back into the first checkbox.
    await victim.locator(".sd-item__control").first().focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe("checkbox");
    expect(await outline(page, checkbox, 2, 6, 4), "drawn share of the ring around the focused checkbox").toBeGreaterThan(0.9);
    await page.screenshot({ path: `${SCREENS}/forced-colours-checkbox-focus.png` });

    await openSurvey(page);
    const next = page.getByRole("button", { name: "Nästa", exact: true });
    expect(await outline(page, next, 2, 6, 12), "ring around the unfocused Next button").toBe(0);
    await question(page, "age_group").locator(".sd-item__control").last().focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Nästa");
    expect(await outline(page, next, 2, 6, 12), "drawn share of the ring around the focused Next button").toBeGreaterThan(0.9);

    // The area box, where focus is sent after a missing answer.
    const areaBox = question(page, "area").locator(".sd-formbox");
    expect(await outline(page, areaBox, 2, 6, 12), "ring around the unfocused area box").toBe(0);
    await page.keyboard.press("Enter");
    await question(page, "area").getByText("Välj ett område. Utan område kan svaren inte redovisas.").waitFor();
    await question(page, "area").getByRole("combobox").and(page.locator(":focus")).waitFor();
    await waitForAnimations(page);
    expect(await outline(page, areaBox, 2, 6, 12), "drawn share of the ring around the focused area box").toBeGreaterThan(0.9);
    await page.screenshot({ path: `${SCREENS}/forced-colours-area-focus.png`, fullPage: true });

    // In the open list, the option the arrow keys are on is outlined.
    await page.keyboard.press("ArrowDown");
    await page.getByRole("listbox").waitFor();
    await page.keyboard.press("ArrowDown");
    const activeId = await page.waitForFunction(() => document.activeElement?.getAttribute("aria-activedescendant") || null);
    const option = page.locator(`[id="${await activeId.jsonValue()}"]`);
    await waitForAnimations(page);
    expect(await outline(page, option, -2, 0, 8), "drawn share of the outline of the option the arrow keys are on").toBeGreaterThan(0.9);
    const other = page.getByRole("option").and(page.locator(`:not([id="${await activeId.jsonValue()}"])`)).last();
    expect(await outline(page, other, -2, 0, 8), "outline of another option").toBeLessThan(0.2);
    expect(errors).toEqual([]);
  });
});

describe("the survey's focus ring on the area box", () => {
  it("is the same dark ring as on the radio buttons, also after a missing answer", { timeout: 60_000 }, async () => {
    const { page } = await openDesktop();
    await openSurvey(page);
    // The ring of a radio button focused by keyboard: its colour 4 px outside the box.
    const radio = question(page, "gender").locator(".sd-radio__decorator").first();
    await question(page, "gender").locator(".sd-item__control").first().focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    await waitForAnimations(page);
    const radioShot = await shoot(page, radio, 10);
    const radioBox = (await radio.boundingBox())!;
    const ringColour = pixel(radioShot, radioBox.x - radioShot.x - 4, radioBox.y - radioShot.y + radioBox.height / 2);
    expect(luminance(ringColour), "the radio button's ring is dark").toBeLessThan(0.05);

    const areaBox = question(page, "area").locator(".sd-formbox");
    const ringAt = async () => {
      const shot = await shoot(page, areaBox, 10);
      const box = (await areaBox.boundingBox())!;
      return pixel(shot, box.x - shot.x - 4, box.y - shot.y + box.height / 2);
    };
    const unfocused = await ringAt();
    expect(luminance(unfocused), "no ring around the unfocused area box").toBeGreaterThan(0.5);
    // Tab into the area box, then Next without an area: focus is sent back to it.
    await question(page, "area").getByRole("combobox").focus();
    await waitForAnimations(page);
    expect(distance(await ringAt(), ringColour), "the area box's ring, as the radio button's").toBeLessThan(40);
    await page.getByRole("button", { name: "Nästa", exact: true }).click();
    await question(page, "area").getByText("Välj ett område. Utan område kan svaren inte redovisas.").waitFor();
    await question(page, "area").getByRole("combobox").and(page.locator(":focus")).waitFor();
    await waitForAnimations(page);
    expect(distance(await ringAt(), ringColour), "the ring around the area box in error").toBeLessThan(40);
    await page.screenshot({ path: `${SCREENS}/area-focus-after-error.png` });
  });
});

describe("the survey at the browser's text size 200 % (32 px default font)", () => {
  const selectors = {
    "question title": ".sd-question[data-name='gender'] .sd-question__title",
    answer: ".sd-question[data-name='gender'] .sd-item__control-label",
    "Next button": ".sd-navigation__next-btn .sd-action__title",
    "area box": ".sd-question[data-name='area'] .sd-dropdown__filter-string-input",
    "step text": ".td-progress-text",
  };
  async function measure(page: Page) {
    return page.evaluate((sel) => {
      const out: Record<string, number> = {};
      for (const [label, selector] of Object.entries(sel)) {
        const el = document.querySelector(selector);
        out[label] = el ? parseFloat(getComputedStyle(el).fontSize) : NaN;
      }
      const radio = document.querySelector(".sd-question[data-name='gender'] .sd-radio__decorator");
      out["radio button (width)"] = radio ? radio.getBoundingClientRect().width : NaN;
      return out;
    }, selectors);
  }

  it("doubles the questions, answers and buttons along with the site's own text", { timeout: 120_000 }, async () => {
    const normal = await openWithFontSize(16, "desktop");
    await openSurvey(normal.page);
    const at16 = await measure(normal.page);

    const large = await openWithFontSize(32, "desktop");
    await openSurvey(large.page);
    const at32 = await measure(large.page);
    expect(await large.page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("32px");
    for (const [label, size] of Object.entries(at16)) {
      expect(size, `${label} at the 16 px default`).toBeGreaterThan(0);
      expect(at32[label], `${label}: ${size} px at 16 px, ${at32[label]} px at 32 px`).toBeGreaterThanOrEqual(2 * size - 0.5);
    }
    const { violations } = await runAxe(large.page);
    expect(formatViolations("survey at 200 % text", violations)).toBe("survey at 200 % text: no violations");
    await large.page.screenshot({ path: `${SCREENS}/text-200-desktop.png`, fullPage: true });
    expect(large.errors).toEqual([]);
  });

  it("fits a 390 px phone without sideways scrolling or cut-off text", { timeout: 90_000 }, async () => {
    const { page, errors } = await openWithFontSize(32, "phone");
    await openSurvey(page);
    const overflow = await horizontalOverflow(page);
    expect(overflow.offenders, "elements sticking out past the screen's edge").toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.viewport);
    // The survey's title and all six steps are within the screen.
    const title = await page.getByRole("heading", { level: 1 }).boundingBox();
    expect(title!.x).toBeGreaterThanOrEqual(0);
    expect(await page.getByRole("tab").count()).toBe(pages.length);
    for (const tab of await page.getByRole("tab").all()) {
      const box = (await tab.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: `${SCREENS}/text-200-phone.png`, fullPage: true });
    await page.emulateMedia({ forcedColors: "active" });
    await page.screenshot({ path: `${SCREENS}/text-200-phone-forced-colours.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});

describe("the survey's page stepper", () => {
  it("draws unvisited steps at 3:1 against the page and shows which page of how many", { timeout: 60_000 }, async () => {
    const { page, errors } = await openDesktop();
    await openSurvey(page);
    // Step 2 (index 1) is not visited yet.
    expect(await page.locator(".sd-progress-buttons__list li").nth(1).getAttribute("class")).not.toMatch(/passed|current/);
    const step = await stepColours(page, 1);
    expect(parseFloat(step.borderWidth)).toBeGreaterThanOrEqual(1);
    expect(contrast(step.border, step.page), "unvisited step's border against the page").toBeGreaterThanOrEqual(3);
    expect(contrast(step.border, step.fill), "unvisited step's border against its own fill").toBeGreaterThanOrEqual(3);
    expect(step.dot, "unvisited step's dot").not.toBeNull();
    expect(contrast(step.dot!, step.fill), "unvisited step's dot against the step").toBeGreaterThanOrEqual(3);

    // Sighted people see where they are, not only screen-reader users.
    const where = page.locator(".td-progress-text");
    expect(await where.isVisible()).toBe(true);
    expect((await where.textContent())?.trim()).toBe(`Sida 1 av ${pages.length}`);
    expect(errors).toEqual([]);
  });
});

describe("the survey page's title", () => {
  it("names the page shown and its number, in the page's language", { timeout: 60_000 }, async () => {
    const { page, errors } = await openDesktop();
    await openSurvey(page);
    const n = pages.length;
    await expect.poll(() => page.title()).toBe(`Sida 1 av ${n}: ${pages[0].title.default} – ${questionnaire.title.default} – Trygghetsdialog`);

    await question(page, "area").locator(".sd-dropdown").click();
    await page.getByRole("option", { name: "Åhus", exact: true }).click();
    await page.getByRole("button", { name: "Nästa", exact: true }).click();
    await page.getByRole("heading", { level: 2, name: pages[1].title.default, exact: true }).waitFor();
    await expect.poll(() => page.title()).toBe(`Sida 2 av ${n}: ${pages[1].title.default} – ${questionnaire.title.default} – Trygghetsdialog`);
    expect((await page.locator(".td-progress-text").textContent())?.trim()).toBe(`Sida 2 av ${n}`);

    await page.getByRole("link", { name: "English", exact: true }).click();
    await page.getByRole("heading", { level: 2, name: pages[1].title.en, exact: true }).waitFor();
    await expect.poll(() => page.title()).toBe(`Page 2 of ${n}: ${pages[1].title.en} – ${questionnaire.title.en} – Trygghetsdialog`);
    expect((await page.locator(".td-progress-text").textContent())?.trim()).toBe(`Page 2 of ${n}`);
    expect(errors).toEqual([]);
  });
});

describe("the area list's names", () => {
  it("names the arrow button by what it does and the list after its question, in both languages", { timeout: 60_000 }, async () => {
    const { page, errors } = await openDesktop();
    await openSurvey(page);
    const area = question(page, "area");

    for (const [locale, buttonName] of [
      ["sv", "Visa alternativen"],
      ["en", "Show the options"],
    ] as const) {
      if (locale === "en") {
        await page.getByRole("link", { name: "English", exact: true }).click();
        await page.getByRole("heading", { level: 2, name: pages[0].title.en, exact: true }).waitFor();
      }
      // What a screen reader is given: the accessibility tree of the area question.
      await area.getByRole("button", { name: buttonName, exact: true }).waitFor({ state: "attached" });
      const tree = JSON.stringify(await page.accessibility.snapshot({ root: (await area.elementHandle()) ?? undefined, interestingOnly: false }));
      expect(tree).toContain(`"name":"${buttonName}"`);
      expect(tree).not.toContain("Utvald");

      await area.locator(".sd-dropdown").click();
      const list = page.getByRole("listbox", { name: AREA_TITLE[locale], exact: true });
      await list.waitFor();
      const snapshot = await page.accessibility.snapshot({ root: (await list.elementHandle()) ?? undefined });
      expect(snapshot?.role).toBe("listbox");
      expect(snapshot?.name).toBe(AREA_TITLE[locale]);
      await page.keyboard.press("Escape");
      await list.waitFor({ state: "hidden" });
    }
    expect(errors).toEqual([]);
  });
});
