/**
 * The walks' actions as CSV for Swedish Excel (staffExcelCsv): one row per action with its stop,
 * in the page's language (headings, categories, statuses and responsible parties through the
 * catalogs; coordinates with the language's decimal mark).
 */
import type { Language } from "~/i18n/languages";
import type { ActionRow } from "~/models/walk.server";
import { staffExcelCsv } from "./excel-csv";

export function actionsCsv(
  rows: ActionRow[],
  { language, t, areaName }: { language: Language; t: (key: string) => string; areaName: (code: string) => string },
): string {
  const columns = [
    "area", "responsible", "status", "statusOn", "statusBy", "place", "latitude", "longitude",
    "category", "observation", "proposal", "recordedOn", "session",
  ];
  return staffExcelCsv(
    columns.map((c) => t(`walk.csv.${c}`)),
    rows.map((r) => [
      areaName(r.area),
      t(`walk.responsible.${r.responsible}`),
      t(`walk.status.${r.status}`),
      r.statusOn,
      r.statusBy,
      r.placeName,
      r.latitude,
      r.longitude,
      t(`walk.category.${r.category}`),
      r.observation,
      r.proposal,
      r.recordedOn,
      r.sessionPlace,
    ]),
    language,
  );
}
