/**
 * Response rates of an edition that had a sample (issue 19): invited = codes made, answered =
 * codes used (web or paper), from invitation and invitation_use only, so the rates count exactly
 * the codes (a response without a code, on an edition open to all, is not part of the sample).
 */
import type { Db } from "~/db/db.server";

export interface RateRow {
  /** The group's code ('' = not given in the sample). */
  key: string;
  invited: number;
  answered: number;
  /** answered / invited, a fraction; null when nobody was invited. */
  rate: number | null;
}

export interface DayRow {
  day: string;
  web: number;
  paper: number;
  /** Tablets and anything else. */
  other: number;
  /** Codes used up to and including the day. */
  cumulative: number;
  cumulativeRate: number | null;
}

export interface ResponseRates {
  editionId: string;
  total: RateRow;
  byArea: RateRow[];
  /** Empty when the sample gave no age groups (or genders). */
  byAgeGroup: RateRow[];
  byGender: RateRow[];
  byChannel: { web: number; paper: number; other: number };
  byDay: DayRow[];
}

function rate(answered: number, invited: number): number | null {
  return invited > 0 ? answered / invited : null;
}

/** The edition's response rates, or null when it has no invitation codes. */
export async function responseRates({ db, editionId }: { db: Db; editionId: string }): Promise<ResponseRates | null> {
  const cells = await db
    .selectFrom("invitation")
    .leftJoin("invitation_use", "invitation_use.invitation_id", "invitation.id")
    .select((eb) => [
      "invitation.area",
      "invitation.age_group",
      "invitation.gender",
      eb.fn.countAll<number>().as("invited"),
      eb.fn.count<number>("invitation_use.invitation_id").as("answered"),
    ])
    .where("invitation.edition_id", "=", editionId)
    .groupBy(["invitation.area", "invitation.age_group", "invitation.gender"])
    .execute();
  if (cells.length === 0) return null;
  const group = (pick: (c: (typeof cells)[number]) => string) => {
    const map = new Map<string, RateRow>();
    for (const c of cells) {
      const key = pick(c);
      const row = map.get(key) ?? { key, invited: 0, answered: 0, rate: null };
      row.invited += Number(c.invited);
      row.answered += Number(c.answered);
      map.set(key, row);
    }
    const rows = [...map.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const r of rows) r.rate = rate(r.answered, r.invited);
    return rows;
  };
  const [total] = group(() => "");
  const onlyGiven = (rows: RateRow[]) => (rows.every((r) => r.key === "") ? [] : rows);

  const days = await db
    .selectFrom("invitation_use")
    .select((eb) => ["used_on", "channel", eb.fn.countAll<number>().as("n")])
    .where("edition_id", "=", editionId)
    .groupBy(["used_on", "channel"])
    .orderBy("used_on")
    .execute();
  const byDay: DayRow[] = [];
  const byChannel = { web: 0, paper: 0, other: 0 };
  let cumulative = 0;
  for (const d of days) {
    let row = byDay.at(-1);
    if (!row || row.day !== d.used_on) {
      row = { day: d.used_on, web: 0, paper: 0, other: 0, cumulative, cumulativeRate: null };
      byDay.push(row);
    }
    const slot = d.channel === "web" ? "web" : d.channel === "paper" ? "paper" : "other";
    row[slot] += Number(d.n);
    byChannel[slot] += Number(d.n);
    cumulative += Number(d.n);
    row.cumulative = cumulative;
    row.cumulativeRate = rate(cumulative, total.invited);
  }
  return {
    editionId,
    total,
    byArea: group((c) => c.area),
    byAgeGroup: onlyGiven(group((c) => c.age_group)),
    byGender: onlyGiven(group((c) => c.gender)),
    byChannel,
    byDay,
  };
}
