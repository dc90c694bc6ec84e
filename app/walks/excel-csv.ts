/**
 * Staff tables as CSV for Swedish Excel (the walks' actions, the traffic tips): the results
 * pages' format (excelCsv: UTF-8 with BOM, semicolons, CRLF), numbers with the page language's
 * decimal mark and no grouping, and text that Excel would run as a formula (=, +, -, @ first)
 * neutralised with a leading apostrophe, as app/utils/csv.ts does for the API's CSV.
 */
import { excelCsv } from "~/components/results/csv";
import { LANGUAGE_INFO, type Language } from "~/i18n/languages";

const FORMULA_START = /^[=+\-@\t\r]/;

export type ExcelValue = string | number | null | undefined;

export function excelCell(value: ExcelValue, language: Language): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    return new Intl.NumberFormat(LANGUAGE_INFO[language].intl, { useGrouping: false, maximumFractionDigits: 6 }).format(value).replace("\u2212", "-");
  }
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A whole table: header and rows, cells as excelCell writes them. */
export function staffExcelCsv(header: string[], rows: ExcelValue[][], language: Language): string {
  return excelCsv(header, rows.map((r) => r.map((v) => excelCell(v, language))));
}
