/**
 * Tables as CSV for Swedish Excel (decision 024): UTF-8 with a byte-order mark (so å, ä, ö open
 * right), semicolons between fields and the page language's decimal mark (comma in Swedish), CRLF
 * line ends, fields quoted when they hold a separator, quote or line break. The API's own CSV
 * (app/utils/results-csv.ts) stays RFC 4180 with points; this is the page's table as shown.
 */
export function excelCsv(header: string[], rows: string[][]): string {
  const field = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `\uFEFF${[header, ...rows].map((r) => r.map(field).join(";")).join("\r\n")}\r\n`;
}

/** Offers a text or blob as a file download in the browser. */
export function downloadFile(filename: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
