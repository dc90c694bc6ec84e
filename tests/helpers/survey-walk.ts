/**
 * A walk through the 2025 safety survey that shows every state its stylesheet has to cover: each
 * page empty and answered, the first page's validation errors, the area list opened, the last
 * page, the thank-you page. Works in any interface language (it clicks by value and by SurveyJS's
 * classes, not by text). `onState` is called at each state once animations have ended (a test
 * takes screenshots or reads the page there). Also records every class name the page ever
 * carried, transient ones included (a MutationObserver from the first script on).
 */
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { validAnswers } from "./answers";
import { ROOT } from "./app-server";
import { waitForAnimations } from "./browser";

interface QuestionnaireElement {
  type: string;
  name: string;
  elements?: QuestionnaireElement[];
}

const questionnaire = JSON.parse(fs.readFileSync(path.join(ROOT, "surveys/trygghetsmatning/questionnaire.json"), "utf8")) as {
  pages: { elements: QuestionnaireElement[] }[];
};

function questionsOf(elements: QuestionnaireElement[]): QuestionnaireElement[] {
  return elements.flatMap((e) => (e.type === "panel" ? questionsOf(e.elements ?? []) : [e]));
}

/** Records class names from before the page's first script; read them with seenClasses(). */
export async function recordClasses(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen = new Set<string>();
    const icons = new Set<string>();
    (window as unknown as { __classes: Set<string>; __icons: Set<string> }).__classes = seen;
    (window as unknown as { __icons: Set<string> }).__icons = icons;
    // Classes, and the icons an SVG <use> points at (SurveyJS's `#icon-…` symbols).
    const note = (el: Element) => {
      el.classList?.forEach((c) => seen.add(c));
      if (el.localName === "use") {
        const href = el.getAttribute("href") ?? el.getAttributeNS("http://www.w3.org/1999/xlink", "href");
        if (href) icons.add(href);
      }
    };
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "attributes") note(r.target as Element);
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          note(n as Element);
          (n as Element).querySelectorAll("[class], use").forEach(note);
        }
      }
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["class", "href"] });
  });
}

export async function seenClasses(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = (window as unknown as { __classes: Set<string> }).__classes;
    document.querySelectorAll("[class]").forEach((el) => el.classList.forEach((c) => seen.add(c)));
    return [...seen].sort();
  });
}

/** The icons (`#icon-…`) SVG <use> elements pointed at since recordClasses. */
export async function seenIcons(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const icons = (window as unknown as { __icons: Set<string> }).__icons;
    document.querySelectorAll("use").forEach((el) => {
      const href = el.getAttribute("href") ?? el.getAttributeNS("http://www.w3.org/1999/xlink", "href");
      if (href) icons.add(href);
    });
    return [...icons].sort();
  });
}

function question(page: Page, name: string) {
  return page.locator(`.sd-question[data-name="${name}"]`);
}

async function settle(page: Page) {
  await waitForAnimations(page);
  // A frame after the last animation, for layout that follows it.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))));
}

/**
 * Walks `/enkat/trygghetsmatning-2025` (with `query`, e.g. "?lang=ar") to its thank-you page.
 * States: p1-empty, p1-errors, p1-list-open, then pN-empty and pN-answered for each page, and
 * thank-you.
 */
export async function walkSurvey(page: Page, baseUrl: string, { query = "", onState }: { query?: string; onState: (label: string) => Promise<void> }): Promise<void> {
  const answers = validAnswers();
  const state = async (label: string) => {
    await settle(page);
    await onState(label);
  };
  await page.goto(`${baseUrl}/enkat/trygghetsmatning-2025${query}`);
  await question(page, "area").waitFor();
  await state("p1-empty");
  await page.locator(".sd-navigation__next-btn").click();
  await question(page, "area").locator(".sd-question__erbox").first().waitFor();
  await state("p1-errors");
  await question(page, "area").locator(".sd-dropdown").click();
  const option = page.getByRole("option").nth(1);
  await option.waitFor();
  await state("p1-list-open");
  await option.click();
  await option.waitFor({ state: "hidden" });

  const pages = questionnaire.pages;
  for (const [i, def] of pages.entries()) {
    const n = i + 1;
    if (i > 0) await state(`p${n}-empty`);
    for (const q of questionsOf(def.elements)) {
      const value = answers[q.name];
      const box = question(page, q.name);
      if (value === undefined || q.name === "area" || (await box.count()) === 0) continue;
      if (q.type === "radiogroup" || q.type === "checkbox") {
        for (const v of Array.isArray(value) ? value : [value]) {
          await box.locator(`label:has(input[value="${String(v)}"])`).click();
        }
      } else if (q.type === "comment") {
        await box.locator("textarea").fill(String(value));
        await box.locator("textarea").blur();
      } else {
        throw new Error(`The walk does not know how to answer a ${q.type} question (${q.name})`);
      }
    }
    await state(`p${n}-answered`);
    if (n < pages.length) {
      await page.locator(".sd-navigation__next-btn").click();
      await question(page, questionsOf(pages[n].elements)[0].name).waitFor();
    } else {
      await page.locator(".sd-navigation__complete-btn").click();
      await page.waitForURL(/\/tack/);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await state("thank-you");
    }
  }
}
