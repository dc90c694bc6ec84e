/**
 * The server's language rules (decision 012): ?lang=, then the cookie, then Accept-Language,
 * then Swedish; the cookie a ?lang= sets; fixed t functions with plurals; Intl formatting in the
 * page's language; the submission's language field.
 */
import { describe, expect, it } from "vitest";
import { formatDate, formatNumber, formatPercent } from "~/i18n/format";
import { getFixedT, languageCookieFor, languageFromCookie, languageFromRequest } from "~/i18n/i18n.server";
import { LANGUAGE_INFO, LANGUAGES, languageDir, pickText } from "~/i18n/languages";
import { parseSubmission } from "~/surveys/submission";

function request(path: string, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${path}`, { headers });
}

describe("the request's language", () => {
  it("is Swedish with nothing to go on, or only languages the site does not have", async () => {
    expect(await languageFromRequest(request("/"))).toBe("sv");
    expect(await languageFromRequest(request("/", { "Accept-Language": "de-DE,de;q=0.9,fr;q=0.8" }))).toBe("sv");
  });

  it("follows Accept-Language, by quality, region tags included", async () => {
    expect(await languageFromRequest(request("/", { "Accept-Language": "en-US,en;q=0.9" }))).toBe("en");
    expect(await languageFromRequest(request("/", { "Accept-Language": "fa-IR" }))).toBe("fa");
    expect(await languageFromRequest(request("/", { "Accept-Language": "de;q=0.9,so;q=0.8,ar;q=0.7" }))).toBe("so");
    expect(await languageFromRequest(request("/", { "Accept-Language": "fi-FI,fi;q=0.9,sv;q=0.8" }))).toBe("fi");
    expect(await languageFromRequest(request("/", { "Accept-Language": "ar-SY" }))).toBe("ar");
    // The best-rated language the site has, not only the browser's first one.
    expect(await languageFromRequest(request("/", { "Accept-Language": "tr,ar;q=0.8" }))).toBe("ar");
    expect(await languageFromRequest(request("/", { "Accept-Language": "sv-SE,en;q=0.5" }))).toBe("sv");
    expect(await languageFromRequest(request("/", { "Accept-Language": "en-GB;q=0.4,so-SO;q=0.9" }))).toBe("so");
  });

  it("takes the cookie over Accept-Language", async () => {
    expect(await languageFromRequest(request("/", { Cookie: "td_session=x; lang=ar", "Accept-Language": "en" }))).toBe("ar");
    // A value that is not one of ours is ignored.
    expect(await languageFromRequest(request("/", { Cookie: "lang=de", "Accept-Language": "fi" }))).toBe("fi");
  });

  it("takes ?lang= over the cookie and the header, and sets the cookie only for a language of ours", async () => {
    const r = request("/enkat/x?lang=so", { Cookie: "lang=ar", "Accept-Language": "en" });
    expect(await languageFromRequest(r)).toBe("so");
    expect(await languageCookieFor(r)).toBe("lang=so; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    expect(languageFromCookie("lang=so")).toBe("so");
    expect(await languageCookieFor(request("/?lang=xx"))).toBeNull();
    expect(await languageFromRequest(request("/?lang=xx", { Cookie: "lang=fi" }))).toBe("fi");
    expect(await languageCookieFor(request("/"))).toBeNull();
  });
});

describe("texts and formats in the page's language", () => {
  it("gives a fixed t per language, with each language's plural forms", () => {
    expect(getFixedT("sv")("refusal.tooManySignIns", { count: 1 })).toContain("Vänta 1 sekund och");
    expect(getFixedT("sv")("refusal.tooManySignIns", { count: 5 })).toContain("Vänta 5 sekunder och");
    expect(getFixedT("fi")("refusal.tooManySignIns", { count: 5 })).toContain("Odota 5 sekuntia");
    expect(getFixedT("ar")("refusal.tooManySignIns", { count: 2 })).toContain("ثانيتين");
    expect(getFixedT("ar")("refusal.tooManySignIns", { count: 3 })).toContain("3 ثوانٍ");
    expect(getFixedT("en")("layout.titleSuffix", { title: "X" })).toBe("X – Trygghetsdialog");
  });

  it("formats numbers, percentages and dates the Swedish way in Swedish", () => {
    expect(formatNumber("sv", 71.234, 1)).toBe("71,2");
    expect(formatPercent("sv", 0.318, 1)).toBe("31,8\u00a0%");
    expect(formatDate("sv", "2026-12-03")).toBe("3 december 2026");
    expect(formatNumber("sv", 12345)).toBe("12\u00a0345");
  });

  it("formats in the other languages with Latin digits and the Gregorian calendar", () => {
    expect(formatNumber("en", 71.234, 1)).toBe("71.2");
    expect(formatDate("en", "2026-12-03")).toBe("3 December 2026");
    expect(formatDate("fi", "2026-12-03")).toBe("3. joulukuuta 2026");
    expect(formatDate("fa", "2026-12-03")).toMatch(/^3 \S+ 2026$/);
    expect(formatDate("ar", "2026-12-03")).toMatch(/^3 \S+ 2026$/);
    expect(formatNumber("ar", 71.2, 1)).toMatch(/^71.2$/);
    expect(formatPercent("fa", 0.318, 1)).toContain("31");
  });

  it("knows each language's own name and direction", () => {
    expect(LANGUAGES.map((l) => LANGUAGE_INFO[l].nativeName)).toEqual(["Svenska", "English", "العربية", "فارسی", "Soomaali", "Suomi"]);
    expect(LANGUAGES.filter((l) => languageDir(l) === "rtl")).toEqual(["ar", "fa"]);
    expect(pickText({ sv: "Trygghetsmätning", ar: "قياس الأمان" }, "ar")).toBe("قياس الأمان");
    expect(pickText({ sv: "Trygghetsmätning" }, "so")).toBe("Trygghetsmätning");
  });
});

describe("a submission's language", () => {
  const base = { survey: "trygghetsmatning-2025", clientId: "6f1c2a54-1d2e-4c1b-9a4e-0c1d2e3f4a5b", answers: {} };

  it("is one of the six, or absent", () => {
    for (const language of LANGUAGES) {
      const result = parseSubmission({ ...base, language });
      expect(result.ok && result.value.language).toBe(language);
    }
    const absent = parseSubmission(base);
    expect(absent.ok && absent.value.language).toBeNull();
  });

  it("is refused when it is anything else", () => {
    for (const language of ["de", "SV", "sv-SE", 1, "", {}]) {
      const result = parseSubmission({ ...base, language });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.fields.language).toEqual(["Expected one of sv, en, ar, fa, so, fi"]);
    }
  });
});
