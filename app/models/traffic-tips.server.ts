/**
 * The traffic tips (answers of the trafiktips series, from any channel: /d/<code>, the kiosk, the
 * public start page) a viewer may see (decision 029): an admin all; a facilitator those given in
 * their own sessions and those given outside any session (the public page belongs to nobody),
 * never those of another facilitator's session.
 */
import type { Db } from "~/db/db.server";
import type { WalkViewer } from "~/models/walk.server";
import type { TipAnswers } from "~/walks/tips";

export const TIPS_SERIES = "trafiktips";

/** The stored answers of every traffic tip the viewer may see, optionally of one area. */
export async function listTrafficTips({ db, viewer, area = null }: { db: Db; viewer: WalkViewer; area?: string | null }): Promise<TipAnswers[]> {
  let query = db
    .selectFrom("response")
    .innerJoin("survey_edition", "survey_edition.id", "response.edition_id")
    .leftJoin("dialogue_session", "dialogue_session.id", "response.session_id")
    .select("response.answers_json")
    .where("survey_edition.series_id", "=", TIPS_SERIES);
  if (viewer.role !== "admin") {
    query = query.where((eb) => eb.or([eb("response.session_id", "is", null), eb("dialogue_session.facilitator_id", "=", viewer.id)]));
  }
  if (area) query = query.where("response.area", "=", area);
  const rows = await query.execute();
  return rows.map((r) => JSON.parse(r.answers_json) as TipAnswers);
}
