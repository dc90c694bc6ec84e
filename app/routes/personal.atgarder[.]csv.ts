/**
 * /personal/atgarder.csv — the actions list (the same filters as /personal/atgarder) as CSV for
 * Swedish Excel: UTF-8 with BOM, semicolons, decimal comma (app/walks/actions-csv.ts). A
 * facilitator gets their own sessions' actions, an admin all.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { areaNames } from "~/models/results-view.server";
import { listActions } from "~/models/walk.server";
import { parseActionFilters } from "~/walks/action-filters";
import { actionsCsv } from "~/walks/actions-csv";
import { csvFile, requireRoleForFile } from "~/walks/csv-file.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRoleForFile(request, ["facilitator"]);
  const { language, t } = await translatorFor(request);
  const areas = areaNames("trygghetsmatning", language);
  const filters = parseActionFilters(new URL(request.url).searchParams, areas.map((a) => a.code));
  const actions = await listActions({ db: getDb(), viewer: user, ...filters });
  const areaName = (code: string) => areas.find((a) => a.code === code)?.name ?? code;
  return csvFile(actionsCsv(actions, { language, t: (key) => t(key), areaName }), "atgarder");
}
