/**
 * Traffic tips aggregated for the police (issue 17, item 7; decision 029): by place (grouped by
 * normalisePlaceName) and problem, with the times of day and day types the tips named. Pure.
 */
import { normalisePlaceName } from "./place-name";

/** The trafiktips questionnaire's codes (surveys/trafiktips/questionnaire.json). */
export const TRAFFIC_PROBLEMS = ["speeding", "reckless_driving", "mopeds", "drink_driving", "other"] as const;
export const TIMES_OF_DAY = ["morning", "daytime", "afternoon", "evening", "night"] as const;
export const DAY_TYPES = ["weekday", "weekend", "all_week"] as const;

export interface TipAnswers {
  place?: unknown;
  area?: unknown;
  traffic_problem?: unknown;
  time_of_day?: unknown;
  day_type?: unknown;
}

export interface TipGroup {
  /** The normalised name (the group's key). */
  key: string;
  /** The spelling given most often (ties: the longest, so "Storgatan" before "Storg.", then alphabetical). */
  place: string;
  /** Every spelling given, most frequent first. */
  spellings: string[];
  areas: string[];
  problem: string;
  /** Tips naming this place and problem. */
  tips: number;
  /** How many of them named each time of day (a tip may name several) or day type; "" counts tips that gave none. */
  timeOfDay: Record<string, number>;
  dayType: Record<string, number>;
}

function codes(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

/**
 * One row per normalised place and problem, most tips first (then place, then problem in the
 * questionnaire's order). A tip naming two problems counts once under each. Tips with an empty
 * place or no problem are left out.
 */
export function aggregateTips(tips: TipAnswers[]): TipGroup[] {
  const spellingsByKey = new Map<string, Map<string, number>>();
  const groups = new Map<string, TipGroup>();
  for (const tip of tips) {
    const place = typeof tip.place === "string" ? tip.place.trim().replace(/\s+/g, " ") : "";
    const key = normalisePlaceName(place);
    if (!key) continue;
    const spellings = spellingsByKey.get(key) ?? new Map<string, number>();
    spellings.set(place, (spellings.get(place) ?? 0) + 1);
    spellingsByKey.set(key, spellings);
    const times = codes(tip.time_of_day);
    const day = typeof tip.day_type === "string" ? tip.day_type : "";
    for (const problem of new Set(codes(tip.traffic_problem))) {
      const id = `${key}\u0000${problem}`;
      let group = groups.get(id);
      if (!group) {
        group = { key, place: "", spellings: [], areas: [], problem, tips: 0, timeOfDay: {}, dayType: {} };
        groups.set(id, group);
      }
      group.tips++;
      if (typeof tip.area === "string" && tip.area && !group.areas.includes(tip.area)) group.areas.push(tip.area);
      for (const time of times.length > 0 ? new Set(times) : [""]) group.timeOfDay[time] = (group.timeOfDay[time] ?? 0) + 1;
      group.dayType[day] = (group.dayType[day] ?? 0) + 1;
    }
  }
  const problemOrder = (p: string) => {
    const i = (TRAFFIC_PROBLEMS as readonly string[]).indexOf(p);
    return i < 0 ? TRAFFIC_PROBLEMS.length : i;
  };
  const out = [...groups.values()].map((g) => {
    const spellings = [...spellingsByKey.get(g.key)!.entries()].sort(
      (a, b) => b[1] - a[1] || b[0].length - a[0].length || a[0].localeCompare(b[0], "sv"),
    );
    return { ...g, place: spellings[0][0], spellings: spellings.map(([s]) => s), areas: g.areas.sort() };
  });
  return out.sort((a, b) => b.tips - a.tips || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || problemOrder(a.problem) - problemOrder(b.problem));
}
