/**
 * The pruned SurveyJS stylesheet (decision 041) against the form as Chromium renders it: the 2025
 * safety survey walked in Swedish and Arabic, on a phone and a desktop, with validation errors,
 * the area list opened and the thank-you page, every class name the page ever carried recorded.
 * No element of a left-out component appears, and every selector of SurveyJS's full stylesheet
 * that could match those classes is still in the pruned one.
 */
import fs from "node:fs";
import postcss from "postcss";
import { describe, expect, it } from "vitest";
import { isUnusedClass, requiredClasses, SOURCE, TARGET } from "../../scripts/prune-survey-css.mjs";
import { browserSuite } from "../helpers/browser-suite";
import { PHONE } from "../helpers/browser";
import { isUnusedIcon } from "../../scripts/trim-survey-icons.mjs";
import { recordClasses, seenClasses, seenIcons, walkSurvey } from "../helpers/survey-walk";

const suite = browserSuite({ failurePrefix: "survey-styles" });

function styleSelectors(css: string): string[] {
  const out: string[] = [];
  postcss.parse(css).walkRules((rule) => {
    if (rule.parent?.type === "atrule" && /keyframes/i.test((rule.parent as postcss.AtRule).name)) return;
    out.push(...rule.selectors);
  });
  return out;
}

const seen = new Set<string>();
const icons = new Set<string>();

describe("the pruned SurveyJS stylesheet in Chromium", () => {
  it.each([
    ["Swedish on a phone", PHONE, ""],
    ["Arabic on a phone", { ...PHONE, locale: "ar" }, "?lang=ar"],
    ["Swedish on a desktop", { viewport: { width: 1280, height: 900 }, locale: "sv-SE" }, ""],
  ])("%s: the walk from the first page to the thank-you page", { timeout: 120_000 }, async (_, options, query) => {
    const { page, errors } = await suite.open(options);
    await recordClasses(page.context());
    const states: string[] = [];
    await walkSurvey(page, suite.server.url, { query, onState: async (label) => void states.push(label) });
    expect(states).toContain("p1-errors");
    expect(states).toContain("p1-list-open");
    expect(states.at(-1)).toBe("thank-you");
    for (const c of await seenClasses(page)) seen.add(c);
    for (const icon of await seenIcons(page)) icons.add(icon);
    expect(errors).toEqual([]);
  });

  it("drew only icons the trimmed icon set keeps (decision 043)", () => {
    // The dropdown's chevron and clear button, the checkbox's and radio button's marks at least.
    expect([...icons]).toEqual(expect.arrayContaining(["#icon-chevrondown-24x24", "#icon-cancel-24x24", "#icon-check-16x16", "#icon-radio-16x16"]));
    for (const href of icons) {
      expect(href, href).toMatch(/^#icon-/);
      expect(isUnusedIcon(href.replace(/^#icon-/, "")), href).toBe(false);
    }
  });

  it("drew no left-out component and lost no selector that could match what it drew", () => {
    expect(seen.size).toBeGreaterThan(150);
    for (const c of ["sd-dropdown", "sd-radio--checked", "sd-checkbox--checked", "sd-question--error", "sv-popup", "sd-comment__input", "sd-progress-buttons"]) {
      expect(seen, c).toContain(c);
    }
    expect([...seen].filter(isUnusedClass)).toEqual([]);
    const pruned = new Set(styleSelectors(fs.readFileSync(TARGET, "utf8")));
    const couldMatch = styleSelectors(fs.readFileSync(SOURCE, "utf8")).filter((s) => {
      const classes = requiredClasses(s);
      return classes.length > 0 && classes.every((c) => seen.has(c));
    });
    expect(couldMatch.length).toBeGreaterThan(250);
    expect(couldMatch.filter((s) => !pruned.has(s))).toEqual([]);
  });
});
