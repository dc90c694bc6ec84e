/**
 * The traffic tips' choice texts in the page's language (from the trafiktips questionnaire) and
 * the tips table as CSV for Swedish Excel: one row per place and problem, one column per time of
 * day and day type with its count.
 */
import type { Language } from "~/i18n/languages";
import { TIPS_SERIES } from "~/models/traffic-tips.server";
import { loadSeries } from "~/surveys/files.server";
import { staffExcelCsv } from "./excel-csv";
import { choiceLabels } from "./questionnaire-labels";
import { DAY_TYPES, TIMES_OF_DAY, type TipGroup } from "./tips";

export type TipLabels = Record<"problem" | "timeOfDay" | "dayType", Record<string, string>>;

/** code → text for problems, times of day and day types; "" (none given) as `unanswered`. */
export function tipLabels(language: Language, unanswered: string): TipLabels {
  const questionnaire = loadSeries(TIPS_SERIES).questionnaire;
  return {
    problem: choiceLabels(questionnaire, "traffic_problem", language),
    timeOfDay: { ...choiceLabels(questionnaire, "time_of_day", language), "": unanswered },
    dayType: { ...choiceLabels(questionnaire, "day_type", language), "": unanswered },
  };
}

export function tipsCsv(
  groups: TipGroup[],
  { language, t, labels, areaName }: { language: Language; t: (key: string) => string; labels: TipLabels; areaName: (code: string) => string },
): string {
  const times = [...TIMES_OF_DAY, ""];
  const days = [...DAY_TYPES, ""];
  const header = [
    t("walk.tips.place"), t("walk.tips.spellings"), t("walk.actions.area"), t("walk.tips.problem"), t("walk.tips.tips"),
    ...times.map((c) => `${t("walk.tips.timeOfDay")}: ${labels.timeOfDay[c] ?? c}`),
    ...days.map((c) => `${t("walk.tips.dayType")}: ${labels.dayType[c] ?? c}`),
  ];
  const rows = groups.map((g) => [
    g.place, g.spellings.join(" | "), g.areas.map(areaName).join(", "), labels.problem[g.problem] ?? g.problem, g.tips,
    ...times.map((c) => g.timeOfDay[c] ?? 0),
    ...days.map((c) => g.dayType[c] ?? 0),
  ]);
  return staffExcelCsv(header, rows, language);
}
