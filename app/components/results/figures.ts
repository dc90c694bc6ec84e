/**
 * How a results figure reads on a page, in the page's language: the one place where the API's
 * numbers are rounded for people (index and levels to one decimal, shares to one decimal of a
 * per cent), always through app/i18n/format.ts. Suppressed figures read "för få svar".
 */
import { useTranslation } from "~/i18n/react";
import { useFormat } from "~/i18n/format";
import type { Change, FigureRow } from "~/models/results-view.server";

export const DIGITS = 1;

export function useFigures() {
  const { t } = useTranslation();
  const format = useFormat();
  const number = (row: Pick<FigureRow, "kind">, value: number) =>
    row.kind === "share" ? format.percent(value, DIGITS) : format.number(value, DIGITS);
  /** Without the percent sign, for CSV cells (the column header says "%"). */
  const plain = (row: Pick<FigureRow, "kind">, value: number) =>
    row.kind === "share" ? format.number(value * 100, DIGITS) : format.number(value, DIGITS);
  const tooFew = t("results.tooFew");
  return {
    t,
    format,
    tooFew,
    measureName: (key: string) => t(`results.measure.${key}`),
    value: (row: FigureRow) => (row.estimate === null ? tooFew : number(row, row.estimate)),
    valueCsv: (row: FigureRow) => (row.estimate === null ? tooFew : plain(row, row.estimate)),
    interval: (row: FigureRow) =>
      row.ci === null ? "" : t("results.interval", { low: number(row, row.ci[0]), high: number(row, row.ci[1]) }),
    intervalCsv: (row: FigureRow) => (row.ci === null ? ["", ""] : [plain(row, row.ci[0]), plain(row, row.ci[1])]),
    n: (row: FigureRow) => (row.suppressed ? "" : format.number(row.n)),
    nCsv: (row: FigureRow) => (row.suppressed ? "" : String(row.n)),
    dontKnow: (row: FigureRow) => (row.dontKnowShare === null ? "" : format.percent(row.dontKnowShare, DIGITS)),
    lowPrecision: (row: FigureRow) => (row.lowPrecision ? t("results.lowPrecisionMark") : ""),
    change: (change: Change | null) => {
      if (!change) return t("results.change.noPrevious");
      const from = change.from ?? "";
      switch (change.kind) {
        case "increase":
          return t("results.change.increase", { from });
        case "decrease":
          return t("results.change.decrease", { from });
        case "noSignificantChange":
          return t("results.change.none", { from });
        case "notComparable":
          return t("results.change.notComparable", { from });
        default:
          return t("results.change.noComparison", { from });
      }
    },
    /** The bar/axis maximum and the value scale for a chart of these rows. */
    scale: (row: Pick<FigureRow, "kind">) => (row.kind === "share" ? { factor: 100, max: 100 } : row.kind === "level" ? { factor: 1, max: 6 } : { factor: 1, max: 100 }),
  };
}

export type Figures = ReturnType<typeof useFigures>;

/** A CSS class carrying the change's meaning as a pattern and arrow too, never colour alone. */
export function changeClass(change: Change | null): string {
  return change ? `change change-${change.kind}` : "change";
}
