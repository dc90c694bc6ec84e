/** The test helper's RFC 4180 parser, and that the fixture reads as 900 responses a year. */
import { describe, expect, it } from "vitest";
import { parseCsv } from "./helpers/csv";
import { loadResponses } from "./helpers/fixtures";

describe("parseCsv (test helper)", () => {
  it("handles quoted commas, doubled quotes, line breaks, CRLF and empty fields", () => {
    expect(parseCsv('a,b,c\r\n"x, y","say ""hi""","line 1\nline 2"\r\n,,\n')).toEqual([
      ["a", "b", "c"],
      ["x, y", 'say "hi"', "line 1\nline 2"],
      ["", "", ""],
    ]);
  });
  it("refuses an unterminated quote", () => {
    expect(() => parseCsv('a\n"open')).toThrow(/unterminated/);
  });
  it("reads 900 responses a year, free text with a line break intact, victim split on |", () => {
    for (const year of [2023, 2024, 2025]) expect(loadResponses(year)).toHaveLength(900);
    const responses = loadResponses(2023);
    expect(responses.some((r) => String(r.answers.suggestion).includes('"Citat", komma, och radbrytning\nandra raden'))).toBe(true);
    expect(responses.every((r) => r.answers.victim === undefined || Array.isArray(r.answers.victim))).toBe(true);
  });
});
