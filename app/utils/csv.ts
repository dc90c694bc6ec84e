/**
 * RFC 4180 CSV: parsing (quoted fields with commas, quotes and line breaks; CRLF or LF) and
 * writing (every field quoted where needed; cells that a spreadsheet would run as a formula are
 * neutralised with a leading apostrophe).
 */

export interface CsvRecord {
  /** 1-based line number in the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * Parses CSV text into records. A leading UTF-8 BOM is ignored. Empty lines are skipped.
 * `separator` is "," (RFC 4180) or ";" (the Swedish Excel files the staff pages export).
 */
export function parseCsv(text: string, { separator = "," }: { separator?: "," | ";" } = {}): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      let value = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new CsvError(startLine, "a quoted field is not closed");
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === "\n") line++;
          value += ch;
          i++;
        }
        if (i < n && text[i] !== separator && text[i] !== "\n" && text[i] !== "\r") {
          throw new CsvError(line, "unexpected character after a closing quote");
        }
      } else {
        const start = i;
        while (i < n && text[i] !== separator && text[i] !== "\n" && text[i] !== "\r") {
          if (text[i] === '"') throw new CsvError(line, "a quote inside an unquoted field");
          i++;
        }
        value = text.slice(start, i);
      }
      fields.push(value);
      if (i < n && text[i] === separator) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") {
      i++;
      line++;
    }
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: startLine, fields });
  }
  return records;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Quotes one CSV cell; text that starts like a formula gets a leading apostrophe. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text) && !/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text)) {
    text = `'${text}`;
  }
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document (CRLF line ends) with a UTF-8 BOM so that Excel reads å, ä and ö right. */
export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Decodes a file's bytes as UTF-8, refusing anything else (a Latin-1 export would store garbage). */
export function decodeUtf8File(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name} is not UTF-8 text; save it as "CSV UTF-8" and try again`);
  }
}
