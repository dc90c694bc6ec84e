/**
 * A results table and its CSV download. The table is the source of what a chart beside it
 * draws: both take the same rows. Cells carry the text shown and the text written to the CSV
 * (the same figure, formatted once for each; no percent sign in the CSV so Excel reads numbers).
 */
import { useTranslation } from "~/i18n/react";
import { downloadFile, excelCsv } from "./csv";

export interface Cell {
  text: string;
  /** The CSV value; defaults to `text`. */
  csv?: string;
  numeric?: boolean;
  /** A row header (the group or measure name). */
  header?: boolean;
  className?: string;
  /** `key|group` of the API row the cell shows (tests compare it with the API). */
  figure?: string;
}

export interface Column {
  label: string;
  /** The CSV header; defaults to `label`. */
  csv?: string;
  numeric?: boolean;
}

export function DataTable({
  caption,
  columns,
  rows,
  filename,
  id,
}: {
  caption: string;
  columns: Column[];
  rows: Cell[][];
  filename: string;
  id?: string;
}) {
  const { t } = useTranslation();
  const download = () => {
    const csv = excelCsv(
      columns.map((c) => c.csv ?? c.label),
      rows.map((r) => r.map((c) => c.csv ?? c.text)),
    );
    downloadFile(filename, new Blob([csv], { type: "text/csv;charset=utf-8" }));
  };
  return (
    <div className="table-block">
      {/* Scrolls sideways on a narrow screen: a focusable, named region so the keyboard can scroll it. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table id={id} className="results-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th key={i} scope="col" className={c.numeric ? "num" : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => {
                  const cls = [c.numeric ? "num" : "", c.className ?? ""].join(" ").trim() || undefined;
                  return c.header ? (
                    <th key={j} scope="row" className={cls}>
                      {c.text}
                    </th>
                  ) : (
                    <td key={j} className={cls} data-figure={c.figure}>
                      {c.text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="secondary-button no-print" onClick={download} data-csv={filename}>
        {t("results.download.csv", { caption })}
      </button>
    </div>
  );
}
