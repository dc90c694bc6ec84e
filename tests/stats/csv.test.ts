/**
 * The app's CSV module (app/utils/csv.ts), which the importers and the results export use: RFC
 * 4180 parsing with line numbers for error messages, formula-safe writing, and the round trip;
 * and that the statistics fixture reads through it as 900 responses a year.
 */
import { describe, expect, it } from "vitest";
import { CsvError, csvCell, decodeUtf8File, parseCsv, toCsv } from "~/utils/csv";
import { loadResponses } from "./helpers/fixtures";

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe("parseCsv", () => {
  it("handles quoted commas, doubled quotes, line breaks, CRLF and empty fields", () => {
    expect(fields('a,b,c\r\n"x, y","say ""hi""","line 1\nline 2"\r\n,,\n')).toEqual([
      ["a", "b", "c"],
      ["x, y", 'say "hi"', "line 1\nline 2"],
      ["", "", ""],
    ]);
  });

  it("gives each record the line it starts on, counting line breaks inside quotes, and skips empty lines", () => {
    const records = parseCsv('\uFEFFh1,h2\n"two\nlines",x\n\nlast,y');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[0].fields).toEqual(["h1", "h2"]);
    expect(records[2].fields).toEqual(["last", "y"]);
  });

  it("refuses an unterminated quote, a quote inside a bare field and text after a closing quote, naming the line", () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvError);
    expect(() => parseCsv('a\n"open')).toThrow(/^line 2: a quoted field is not closed/);
    expect(() => parseCsv('a\nab"c')).toThrow(/^line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('a\n\n"x"y')).toThrow(/^line 3: unexpected character after a closing quote/);
  });
});

describe("writing", () => {
  it("quotes only what needs it and neutralises cells a spreadsheet would run as a formula", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell("-12.5")).toBe("-12.5");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
    expect(csvCell(true)).toBe("true");
  });

  it("reads back what it wrote (BOM, CRLF, quotes, line breaks), formulas with their apostrophe", () => {
    const rows = [
      ["Åhus", 'a "quoted", text', 1.5],
      ["line\nbreak", "=1+1", null],
    ];
    const text = toCsv(["area", "note", "value"], rows);
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(fields(text)).toEqual([
      ["area", "note", "value"],
      ["Åhus", 'a "quoted", text', "1.5"],
      ["line\nbreak", "'=1+1", ""],
    ]);
  });

  it("decodes UTF-8 files and refuses Latin-1 with an instruction", () => {
    expect(decodeUtf8File(Buffer.from("område,ö", "utf8"), "a.csv")).toBe("område,ö");
    expect(() => decodeUtf8File(Buffer.from("omr\xe5de", "latin1"), "b.csv")).toThrow(/b\.csv is not UTF-8 text; save it as "CSV UTF-8"/);
  });
});

describe("the statistics fixture through the app's parser", () => {
  it("reads 900 responses a year, free text with a line break intact, victim split on |", () => {
    for (const year of [2023, 2024, 2025]) expect(loadResponses(year)).toHaveLength(900);
    const responses = loadResponses(2023);
    expect(responses.some((r) => String(r.answers.suggestion).includes('"Citat", komma, och radbrytning\nandra raden'))).toBe(true);
    expect(responses.every((r) => r.answers.victim === undefined || Array.isArray(r.answers.victim))).toBe(true);
  });
});
