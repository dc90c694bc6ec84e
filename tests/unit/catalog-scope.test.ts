/**
 * Which part of the catalog a page ships (decisions 039, 040), and when the browser must load a
 * page anew because its catalog lacks the texts of the page navigated to.
 */
import { describe, expect, it } from "vitest";
import { BASE_SECTIONS, catalogScope, pickSections, scopeCovers } from "~/components/language-catalog";
import type { Catalog } from "~/i18n/translator";

const root = { id: "root" };
const survey = { id: "routes/enkat.$edition", handle: { catalog: ["survey", "surveyYear.code"] } };
const thanks = { id: "routes/enkat.$edition_.tack", handle: { catalog: ["survey.thankYou"] } };
const results = { id: "routes/resultat._index" };

describe("the catalog a page ships", () => {
  it("is the base and the declared sections on a public page whose routes all declare theirs", () => {
    expect(catalogScope("/enkat/x", false, [root, survey])).toEqual({ sections: [...BASE_SECTIONS, "survey", "surveyYear.code"].sort() });
  });

  it("is all but the staff sections when a route declares nothing, and all for staff and signed-in users", () => {
    expect(catalogScope("/resultat", false, [root, results])).toBe("public");
    expect(catalogScope("/enkat/x", true, [root, survey])).toBe("all");
    expect(catalogScope("/personal/loften", false, [root, survey])).toBe("all");
    expect(catalogScope("/logga-in", false, [root])).toBe("all");
  });

  it("takes the declared paths out of the catalog, nested, without touching it", () => {
    const catalog: Catalog = { a: { b: { c: "1" }, d: "2" }, e: "3", f: { g: "4" } };
    const before = JSON.stringify(catalog);
    expect(pickSections(catalog, ["a.b", "e", "a.b.c", "missing.path"])).toEqual({ a: { b: { c: "1" } }, e: "3" });
    expect(pickSections(catalog, ["a.b.c", "a"])).toEqual({ a: { b: { c: "1" }, d: "2" } });
    expect(JSON.stringify(catalog)).toBe(before);
  });
});

describe("a navigation needs a new page load", () => {
  const surveyScope = catalogScope("/enkat/x", false, [root, survey]);
  it("not when the held sections cover the next page's", () => {
    expect(scopeCovers(surveyScope, catalogScope("/enkat/x/tack", false, [root, thanks]))).toBe(true);
    expect(scopeCovers("public", surveyScope)).toBe(true);
    expect(scopeCovers("all", "public")).toBe(true);
  });

  it("when they do not: another section, an undeclared page, a staff page", () => {
    expect(scopeCovers({ sections: ["layout", "survey.thankYou"] }, surveyScope)).toBe(false);
    expect(scopeCovers(surveyScope, "public")).toBe(false);
    expect(scopeCovers("public", "all")).toBe(false);
    // "surveyYear.code" does not cover "surveyYear", nor "survey" "surveyYear".
    expect(scopeCovers(surveyScope, { sections: ["surveyYear"] })).toBe(false);
  });
});
