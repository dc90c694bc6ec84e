/**
 * SurveyJS's own texts in every questionnaire language: our Somali pack has exactly the keys of
 * survey-core's English strings, with the same placeholders, and `loadSurveyLocale` registers
 * the right pack with the real survey-core, so a form in Somali or Arabic shows its buttons and
 * error messages in that language.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Model, englishStrings, surveyLocalization } from "survey-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SURVEY_LANGUAGES, loadSurveyLocale } from "~/surveys/locales/index";
import { somaliSurveyStrings } from "~/surveys/locales/so";

const surveysDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "surveys");
const placeholders = (text: string) => [...text.matchAll(/\{[^{}]+\}/g)].map((m) => m[0]).sort();

describe("the Somali pack", () => {
  it("has every key of survey-core's English strings and no other", () => {
    const english = Object.keys(englishStrings).sort();
    expect(english.length).toBeGreaterThan(100);
    expect(english.filter((key) => !(key in somaliSurveyStrings))).toEqual([]);
    expect(Object.keys(somaliSurveyStrings).filter((key) => !(key in englishStrings))).toEqual([]);
  });

  it("keeps every placeholder, and no text is empty", () => {
    for (const [key, english] of Object.entries(englishStrings as Record<string, string>)) {
      const somali = somaliSurveyStrings[key];
      expect(somali?.trim(), key).toBeTruthy();
      expect(placeholders(somali), key).toEqual(placeholders(english));
    }
  });
});

describe("loadSurveyLocale", () => {
  const originalDefault = surveyLocalization.defaultLocale;
  beforeAll(() => {
    surveyLocalization.defaultLocale = "sv";
  });
  afterAll(() => {
    surveyLocalization.defaultLocale = originalDefault;
  });

  it("registers each questionnaire language's pack (English is built in)", async () => {
    for (const lng of SURVEY_LANGUAGES) {
      await loadSurveyLocale(lng);
      expect(surveyLocalization.locales[lng], lng).toBeDefined();
    }
    expect(surveyLocalization.locales.so).toBe(somaliSurveyStrings);
    expect(surveyLocalization.localeNames.so).toBe("Soomaali");
    expect(surveyLocalization.localeDirections.ar).toBe("rtl");
    expect(surveyLocalization.localeDirections.fa).toBe("rtl");
    expect(SURVEY_LANGUAGES).toEqual(JSON.parse(readFileSync(join(surveysDir, "trygghetsmatning/series.json"), "utf8")).languages);
  });

  it("has no right-to-left string written in visual order", async () => {
    for (const lng of ["ar", "fa"]) {
      await loadSurveyLocale(lng);
      for (const [key, text] of Object.entries(surveyLocalization.locales[lng] as Record<string, string>)) {
        expect(/^[.…]/.test(text), `${lng}.${key}: ${text}`).toBe(false);
        expect(/\{1\}.*\{0\}/.test(text) && key === "progressText", `${lng}.${key}: ${text}`).toBe(false);
      }
    }
    const model = new Model({ pages: [{ elements: [{ type: "comment", name: "a" }] }, { elements: [{ type: "comment", name: "b" }] }] });
    model.locale = "ar";
    expect(model.progressText).toBe("الصفحة 1 من 2");
  });

  it("resolves for a language without a pack and shares one load between callers", async () => {
    await expect(loadSurveyLocale("xx")).resolves.toBeUndefined();
    expect(loadSurveyLocale("fi")).toBe(loadSurveyLocale("fi"));
  });

  it("shows a Somali form's buttons, progress and required-answer message in Somali", async () => {
    await loadSurveyLocale("so");
    const model = new Model({
      showProgressBar: true,
      pages: [
        { elements: [{ type: "dropdown", name: "area", isRequired: true, title: { default: "Område", so: "Aagga" }, choices: ["a"] }] },
        { elements: [{ type: "comment", name: "c" }] },
      ],
    });
    model.locale = "so";
    expect(model.getQuestionByName("area").title).toBe("Aagga");
    expect(model.navigationBar.getActionById("sv-nav-next").title).toBe(somaliSurveyStrings.pageNextText);
    expect(model.progressText).toBe("Bogga 1 ee 2");
    expect(model.getQuestionByName("area").validate()).toBe(false);
    expect(model.getQuestionByName("area").errors[0].getText()).toBe(somaliSurveyStrings.requiredError);
    model.locale = "sv";
    expect(model.getQuestionByName("area").title).toBe("Område");
  });
});
