/**
 * Each public page ships only the catalog sections its routes declare (decision 040), in real
 * Chromium against the production build: the survey, start and thank-you pages and the 404 page
 * in Swedish and Arabic carry a small catalog and show no raw key and no console error (the
 * browser's translator logs one for any text its catalog lacks); a client-side navigation to a
 * page whose texts the browser lacks loads that page anew, one it has does not.
 * Run `npm run build` first.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { flatten, readCatalog } from "../helpers/catalogs";
import { browserSuite } from "../helpers/browser-suite";
import { PHONE } from "../helpers/browser";

const SURVEY_PATH = "/enkat/trygghetsmatning-2025";
const suite = browserSuite({ failurePrefix: "catalog-sections" });

const keysOf = (language: string) => [...flatten(readCatalog(language)).keys()].map((k) => k.replace(/_(zero|one|two|few|many|other)$/, ""));

async function shippedCatalog(page: Page): Promise<{ scope: string | null; sections: string | null; bytes: number; keys: string[] }> {
  return page.evaluate(() => {
    const element = document.getElementById("i18n-catalog")!;
    const keys: string[] = [];
    const walk = (node: unknown, prefix: string) => {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        if (typeof v === "string") keys.push(`${prefix}${k}`);
        else walk(v, `${prefix}${k}.`);
      }
    };
    walk(JSON.parse(element.textContent ?? "{}"), "");
    return { scope: element.dataset.scope ?? null, sections: element.dataset.sections ?? null, bytes: element.textContent?.length ?? 0, keys };
  });
}

/** Catalog keys written on the page as text: a text its catalog lacked. */
async function rawKeysShown(page: Page, language: string): Promise<string[]> {
  const shown = await page.evaluate(() => `${document.title}\n${document.body.innerText}`);
  return keysOf(language).filter((key) => key.includes(".") && shown.includes(key));
}

describe.each(["sv", "ar"])("public pages in %s", (language) => {
  it("ship the sections their routes declare, and show every text", { timeout: 90_000 }, async () => {
    const watched = await suite.open(PHONE);
    const { page } = watched;
    const all = keysOf(language);
    for (const [path, needed] of [
      [SURVEY_PATH, ["survey", "surveyYear.code"]],
      ["/", ["start", "survey"]],
      [`${SURVEY_PATH}/tack`, ["survey.thankYou"]],
      ["/finns-inte", []],
    ] as const) {
      await page.goto(`${suite.server.url}${path}?lang=${language}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      const shipped = await shippedCatalog(page);
      expect(shipped.scope, path).toBe("sections");
      const sections = shipped.sections!.split(",");
      for (const s of ["layout", "common", "error", ...needed]) expect(sections, path).toContain(s);
      // No staff texts, and a small part of the catalog.
      expect(shipped.keys.filter((k) => /^(staff|dashboard|walk|promises\.(?!startLink))/.test(k)), path).toEqual([]);
      expect(shipped.keys.length, path).toBeLessThan(all.length / 4);
      expect(await rawKeysShown(page, language), path).toEqual([]);
    }
    // The 404 page's own status is the one error Chromium reports.
    expect(watched.errors.filter((e) => !/status of 404 .*\/finns-inte/.test(e))).toEqual([]);
  });
});

describe("a client-side navigation", () => {
  it("to a page whose texts the browser lacks loads it anew; to one it has, does not", { timeout: 90_000 }, async () => {
    const watched = await suite.open(PHONE);
    const { page } = watched;
    const sv = flatten(readCatalog("sv"));
    const mark = () => page.evaluate(() => ((window as unknown as { loadMark: number }).loadMark = 1));
    const marked = () => page.evaluate(() => (window as unknown as { loadMark?: number }).loadMark === 1);

    await page.goto(`${suite.server.url}${SURVEY_PATH}`);
    await page.getByRole("heading", { level: 1, name: "Trygghetsmätning" }).waitFor();
    await mark();
    // The survey page lacks the start page's texts: the header's link loads the start page.
    await page.getByRole("navigation").getByRole("link", { name: sv.get("layout.nav.surveys")! }).click();
    await page.getByRole("heading", { level: 1, name: sv.get("start.heading")! }).waitFor();
    await page.waitForFunction(() => document.getElementById("i18n-catalog")?.dataset.sections?.includes("start"));
    expect(await marked()).toBe(false);
    expect(await rawKeysShown(page, "sv")).toEqual([]);

    // The start page holds the survey page's texts: its link is a client-side navigation.
    await mark();
    await page.getByRole("link", { name: /Trygghetsmätning 2025/ }).click();
    await page.getByRole("heading", { level: 1, name: "Trygghetsmätning" }).waitFor();
    await page.locator(".sd-root-modern").waitFor();
    expect(await marked()).toBe(true);
    expect(await rawKeysShown(page, "sv")).toEqual([]);

    // A page that declares nothing (the results) gets all but the staff sections, anew.
    await page.evaluate(() => (window as unknown as { __remixRouter: { navigate(to: string): Promise<void> } }).__remixRouter.navigate("/resultat"));
    await page.waitForFunction(() => document.getElementById("i18n-catalog")?.dataset.scope === "public");
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await marked()).toBe(false);
    expect(await rawKeysShown(page, "sv")).toEqual([]);
    expect(watched.errors).toEqual([]);
  });
});
