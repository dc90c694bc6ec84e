/**
 * /personal/tips.csv — the traffic tips by place and problem (the same area filter and the same
 * viewer rules as /personal/tips) as CSV for Swedish Excel.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { areaNames } from "~/models/results-view.server";
import { listTrafficTips, TIPS_SERIES } from "~/models/traffic-tips.server";
import { csvFile, requireRoleForFile } from "~/walks/csv-file.server";
import { aggregateTips } from "~/walks/tips";
import { tipLabels, tipsCsv } from "~/walks/tips-csv.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRoleForFile(request, ["facilitator"]);
  const { language, t } = await translatorFor(request);
  const areas = areaNames(TIPS_SERIES, language);
  const areaText = new URL(request.url).searchParams.get("omrade") ?? "";
  const area = areas.some((a) => a.code === areaText) ? areaText : null;
  const groups = aggregateTips(await listTrafficTips({ db: getDb(), viewer: user, area }));
  const areaName = (code: string) => areas.find((a) => a.code === code)?.name ?? code;
  return csvFile(tipsCsv(groups, { language, t: (key) => t(key), labels: tipLabels(language, t("walk.tips.unanswered")), areaName }), "trafiktips");
}
