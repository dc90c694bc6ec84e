/**
 * SurveyJS's stylesheet without the components no questionnaire uses (scripts/prune-survey-css.mjs,
 * decision 041): what a selector needs, that every selector our forms can use is kept (states,
 * popups, right-to-left, breakpoints), that the left-out components' selectors are gone, that the
 * file the pages import is today's output, and that no questionnaire in surveys/ needs more.
 */
import fs from "node:fs";
import path from "node:path";
import postcss from "postcss";
import { describe, expect, it } from "vitest";
import {
  isUnusedClass,
  needsUnusedComponent,
  pruneSurveyCss,
  requiredClasses,
  SOURCE,
  SUPPORTED_TYPES,
  TARGET,
  UNSUPPORTED_SETTINGS,
} from "../../scripts/prune-survey-css.mjs";
import { ROOT } from "../helpers/app-server";

const input = fs.readFileSync(SOURCE, "utf8");
const output = pruneSurveyCss(input);

/** Every selector of every style rule (not keyframe steps), with the at-rules around it. */
function selectors(css: string): Map<string, string> {
  const out = new Map<string, string>();
  postcss.parse(css).walkRules((rule) => {
    const contexts: string[] = [];
    for (let p = rule.parent; p && p.type === "atrule"; p = p.parent) contexts.unshift(`@${(p as postcss.AtRule).name} ${(p as postcss.AtRule).params}`);
    if (contexts.some((c) => /keyframes/.test(c))) return;
    for (const s of rule.selectors) out.set(`${contexts.join(" ")} ${s}`.trim(), s);
  });
  return out;
}

const before = selectors(input);
const after = selectors(output);

describe("requiredClasses", () => {
  it.each([
    [".sd-item.sd-radio--checked .sd-item__decorator", ["sd-item", "sd-radio--checked", "sd-item__decorator"]],
    [".sd-item:not(.sd-rating__item) .x", ["sd-item", "x"]],
    [".sd-dropdown:where(:not(.sd-dropdown__input-field-component,.sd-tagbox)) .y", ["sd-dropdown", "y"]],
    [".sd-action:is(.a, .b)", ["sd-action"]],
    [".sv-title-actions:has(.sd-action-bar--empty) .t", ["sv-title-actions", "sd-action-bar--empty", "t"]],
    ['.sd-comment:has(.sd-comment__input[style*=".width"])', ["sd-comment", "sd-comment__input"]],
    ["[dir=rtl] .sd-item::before", ["sd-item"]],
    [".sd-item:nth-child(2n+1)>.sd-x", ["sd-item", "sd-x"]],
  ])("%s", (selector, classes) => {
    expect(requiredClasses(selector)).toEqual(classes);
  });

  it("counts a class as a component's by its block, not by prefix", () => {
    expect(isUnusedClass("sd-rating__item--selected")).toBe(true);
    expect(isUnusedClass("sd-image")).toBe(true);
    expect(isUnusedClass("sd-imagepicker__item")).toBe(true);
    expect(isUnusedClass("sd-item")).toBe(false);
    expect(isUnusedClass("sd-dropdown__input")).toBe(false);
    expect(isUnusedClass("svc-question__content")).toBe(true);
    expect(needsUnusedComponent(".sd-question--error .sd-slider__thumb")).toBe(true);
    expect(needsUnusedComponent(".sd-item:not(.sd-slider__thumb)")).toBe(false);
  });
});

describe("the pruned SurveyJS stylesheet", () => {
  it("keeps every selector that needs no left-out component, in its breakpoint, and drops every other", () => {
    expect(before.size).toBeGreaterThan(1500);
    let kept = 0;
    for (const [key, selector] of before) {
      if (needsUnusedComponent(selector)) expect(after.has(key), key).toBe(false);
      else {
        expect(after.has(key), key).toBe(true);
        kept++;
      }
    }
    expect(after.size).toBe(kept);
  });

  it("keeps the selectors of our question types and their states, popups, right-to-left and breakpoints", () => {
    const has = (pattern: RegExp) => [...after.keys()].filter((k) => pattern.test(k)).length;
    for (const cls of [
      "sd-dropdown", "sd-dropdown__input", "sd-selectlist__item--selected", "sd-selectlist__item--focused",
      "sd-radio--checked", "sd-checkbox--checked", "sd-item__decorator", "sd-radio--disabled", "sd-checkbox--disabled",
      "sd-comment__input", "sd-formbox__input", "sd-formbox--error", "sd-error__item", "sd-element__erbox--above-element",
      "sd-panel__title", "sd-page__title", "sd-progress-buttons__list-element--current", "sd-progress-buttons__list-element--passed",
      "sd-completedpage", "sd-body__navigation", "sd-action--primary", "sd-root-modern--mobile", "sd-selectbase--mobile",
      "sv-popup", "sv-popup--menu-phone", "sv-popup--menu-popup", "sv-popup__body-footer", "sv-list__item--selected",
      "sd-menu-item--selected", "sd-loading-indicator", "sd-question__required-text", "sd-comment__character-counter",
    ]) {
      expect(has(new RegExp(`\\.${cls}(?![\\w-])`)), cls).toBeGreaterThan(0);
    }
    expect(has(/:focus-visible|:focus/)).toBeGreaterThan(10);
    expect(has(/:hover/)).toBeGreaterThan(10);
    expect(has(/:disabled/)).toBeGreaterThan(3);
    expect(has(/rtl/)).toBeGreaterThan(5);
    for (const at of ["@media only screen and (max-width:1000px)", "@media only screen and (min-width:1000px)"]) {
      expect(has(new RegExp(`^${at.replace(/[()]/g, "\\$&")} `)), at).toBeGreaterThan(0);
    }
  });

  it("has nothing of rating, file, slider, ranking, image picker, tag box, matrices, dynamic panels, multiple text, signature or the Creator", () => {
    const left = [...after.values()].flatMap((s) => requiredClasses(s)).join(" ");
    for (const block of ["sd-rating", "sd-file", "sd-slider", "sv-ranking", "sd-imagepicker", "sd-tagbox", "sd-matrixdynamic", "sd-matrixdropdown", "sd-table", "sd-paneldynamic", "sd-multipletext", "sd-signaturepad", "sd-boolean", "svc-"]) {
      expect(left, block).not.toMatch(new RegExp(`(^| )${block}`));
    }
    // Their container queries and the keyframes they alone used went with them.
    expect(output).not.toMatch(/@container/);
    expect(output).not.toMatch(/@keyframes (file-page-|movePanel|svdragdrop)/);
    expect(output).toMatch(/@keyframes fadeIn\{/);
    expect(output.length).toBeLessThan(input.length * 0.6);
  });

  it("is the file the survey pages import, and the same bytes every time", () => {
    expect(pruneSurveyCss(input)).toBe(output);
    expect(fs.existsSync(TARGET), `${TARGET} is missing: run npm run build`).toBe(true);
    expect(fs.readFileSync(TARGET, "utf8"), "stale: run npm run build").toBe(output);
    for (const route of ["app/routes/enkat.$edition.tsx", "app/routes/d.$code.tsx", "app/routes/kiosk.$code.tsx"]) {
      const source = fs.readFileSync(path.join(ROOT, route), "utf8");
      expect(source, route).toContain('from "~/styles/survey-core.pruned.css"');
      expect(source, route).not.toMatch(/survey-core\/survey-core[^"]*\.css/);
    }
  });
});

interface SurveyElement {
  type?: string;
  elements?: SurveyElement[];
  templateElements?: SurveyElement[];
  [key: string]: unknown;
}

describe("every questionnaire in surveys/", () => {
  const files = fs
    .readdirSync(path.join(ROOT, "surveys"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(ROOT, "surveys", d.name, "questionnaire.json"))
    .filter((f) => fs.existsSync(f));

  it("uses only question types and settings the pruned stylesheet styles", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    const types = new Set<string>();
    for (const file of files) {
      const survey = JSON.parse(fs.readFileSync(file, "utf8")) as SurveyElement & { pages: SurveyElement[] };
      const walk = (elements: SurveyElement[] = []) => {
        for (const e of elements) {
          types.add(String(e.type));
          expect(SUPPORTED_TYPES, `${path.relative(ROOT, file)}: ${String(e.type)}`).toContain(e.type);
          // Other renderings of a supported type (a radio group as buttons, a dropdown as a tag box).
          expect(e.renderAs, `${path.relative(ROOT, file)}: renderAs`).toBeUndefined();
          walk(e.elements);
          walk(e.templateElements);
        }
      };
      for (const page of survey.pages) walk(page.elements);
      for (const [setting, allowed] of Object.entries(UNSUPPORTED_SETTINGS)) {
        if (survey[setting] === undefined) continue;
        const ok = Array.isArray(allowed) ? allowed.includes(survey[setting] as string) : survey[setting] === allowed;
        expect(ok, `${path.relative(ROOT, file)}: ${setting}`).toBe(true);
      }
    }
    // The check sees the types the questionnaires really use.
    expect([...types].sort()).toEqual(expect.arrayContaining(["checkbox", "comment", "dropdown", "panel", "radiogroup"]));
  });
});
