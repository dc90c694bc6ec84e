/**
 * A year's stored answers as CSV for analysts: one row per response, in the import format of
 * safety-survey.md (a column per question code, multi-choice codes joined by `|`, empty =
 * unanswered) after `submitted_on`, `channel` and `language`. Nothing else about the sender is
 * stored (decision 005), so nothing else is exported; rows come in random-id order, which says
 * nothing about the order of arrival.
 */
import type { Db } from "~/db/db.server";
import { editionId, editionQuestionnaire, getEdition } from "~/models/survey.server";
import { toCsv } from "~/utils/csv";

export const EXPORT_FIXED_COLUMNS = ["submitted_on", "channel", "language"] as const;

export async function exportResponsesCsv({ db, seriesId, year }: { db: Db; seriesId: string; year: number }): Promise<{ csv: string; rows: number }> {
  const id = editionId(seriesId, year);
  const edition = await getEdition({ db, id });
  if (!edition) throw new Error(`No edition ${id}`);
  if (edition.answers_deleted_on) throw new Error(`The raw answers of ${id} were deleted on ${edition.answers_deleted_on}`);
  const questions = [...editionQuestionnaire(edition).questions.keys()];
  const responses = await db
    .selectFrom("response")
    .select(["id", "submitted_on", "channel", "language", "answers_json"])
    .where("edition_id", "=", id)
    .orderBy("id")
    .execute();
  const rows = responses.map((r) => {
    const answers = JSON.parse(r.answers_json) as Record<string, unknown>;
    const cells = questions.map((q) => {
      const value = answers[q];
      if (value === undefined || value === null) return "";
      return Array.isArray(value) ? value.join("|") : (value as string | number | boolean);
    });
    return [r.submitted_on, r.channel, r.language ?? "", ...cells];
  });
  return { csv: toCsv([...EXPORT_FIXED_COLUMNS, ...questions], rows), rows: rows.length };
}
