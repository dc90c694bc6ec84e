/**
 * Maintenance of stored answers and figures: rebuilding the per-response measure values and the
 * cell statistics from the stored answers (after a measure definition changes), and deleting a
 * year's raw answers while keeping its figures.
 */
import { sql, type Transaction } from "kysely";
import type { Database } from "~/db/schema";
import type { Db } from "~/db/db.server";
import { ALL_RESPONDENTS, measureValues } from "~/models/response.server";
import { editionMeasures, getEditionByYear } from "~/models/survey.server";
import { measureFingerprints } from "~/stats/measures";
import type { Answers, MeasureSet } from "~/stats/types";
import { loadSeries } from "~/surveys/files.server";

/** Deletes an edition's per-response measure values (through the primary key, via its responses). */
async function deleteValuesOf(trx: Transaction<Database>, editionId: string): Promise<void> {
  await trx
    .deleteFrom("response_value")
    .where("response_id", "in", trx.selectFrom("response").select("id").where("edition_id", "=", editionId))
    .execute();
}

export interface RecomputeReport {
  editionId: string;
  responses: number;
  definitionsChanged: string[];
  measuresVersion: string | null;
}

/**
 * Rebuilds `response_value` and `cell_stat` of one edition from its stored answers. With
 * `adoptCurrentDefinitions` the edition first takes the series' current measures.json (a new
 * version: comparisons with years on the old definitions are then refused for the changed
 * measures). Refuses when the raw answers were deleted.
 */
export async function recomputeEdition({
  db,
  seriesId,
  year,
  adoptCurrentDefinitions = false,
  onProgress,
}: {
  db: Db;
  seriesId: string;
  year: number;
  adoptCurrentDefinitions?: boolean;
  onProgress?: (done: number, total: number) => void;
}): Promise<RecomputeReport> {
  const edition = await getEditionByYear({ db, seriesId, year });
  if (!edition) throw new Error(`No ${seriesId} survey for ${year}`);
  if (edition.answers_deleted_on) {
    throw new Error(`The raw answers of ${edition.id} were deleted on ${edition.answers_deleted_on}; its figures cannot be recomputed`);
  }
  let measures: MeasureSet | null = editionMeasures(edition);
  const definitionsChanged: string[] = [];
  if (adoptCurrentDefinitions) {
    const current = loadSeries(seriesId).measures;
    const before = measures ? measureFingerprints(measures) : {};
    const after = current ? measureFingerprints(current) : {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[key] !== after[key]) definitionsChanged.push(key);
    }
    measures = current;
  }
  const total = Number(
    (await db.selectFrom("response").select((eb) => eb.fn.countAll<number>().as("n")).where("edition_id", "=", edition.id).executeTakeFirstOrThrow()).n,
  );
  await db.transaction().execute(async (trx) => {
    if (adoptCurrentDefinitions) {
      await trx
        .updateTable("survey_edition")
        .set({ measures_json: measures ? JSON.stringify(measures) : null, measures_version: measures?.version ?? null })
        .where("id", "=", edition.id)
        .execute();
    }
    await deleteValuesOf(trx, edition.id);
    await trx.deleteFrom("cell_stat").where("edition_id", "=", edition.id).execute();
    const pageSize = 5000;
    let done = 0;
    let after = "";
    for (;;) {
      const page = await trx
        .selectFrom("response")
        .select(["id", "answers_json"])
        .where("edition_id", "=", edition.id)
        .where("id", ">", after)
        .orderBy("id")
        .limit(pageSize)
        .execute();
      if (page.length === 0) break;
      const values = page.flatMap((r) => measureValues(r.id, edition.id, measures, JSON.parse(r.answers_json) as Answers));
      for (let i = 0; i < values.length; i += 5000) {
        await trx.insertInto("response_value").values(values.slice(i, i + 5000)).execute();
      }
      after = page[page.length - 1].id;
      done += page.length;
      onProgress?.(done, total);
    }
    // The cell statistics are an aggregation of the values just written (and a count per cell).
    await sql`
      INSERT INTO cell_stat (edition_id, measure_key, area, gender, age_group, n, sum_y, sum_y2, n_dont_know)
      SELECT r.edition_id, ${ALL_RESPONDENTS}, r.area, r.gender, r.age_group, COUNT(*), 0, 0, 0
      FROM response r WHERE r.edition_id = ${edition.id}
      GROUP BY r.edition_id, r.area, r.gender, r.age_group`.execute(trx);
    await sql`
      INSERT INTO cell_stat (edition_id, measure_key, area, gender, age_group, n, sum_y, sum_y2, n_dont_know)
      SELECT v.edition_id, v.measure_key, r.area, r.gender, r.age_group,
             COUNT(v.y), COALESCE(SUM(v.y), 0), COALESCE(SUM(v.y * v.y), 0), SUM(v.dont_know)
      FROM response r JOIN response_value v ON v.response_id = r.id
      WHERE r.edition_id = ${edition.id}
      GROUP BY v.edition_id, v.measure_key, r.area, r.gender, r.age_group`.execute(trx);
  });
  return { editionId: edition.id, responses: total, definitionsChanged, measuresVersion: measures?.version ?? null };
}

/**
 * Deletes a year's raw answers (and their per-response values) but keeps the cell statistics
 * and population table, so the year's published figures remain available.
 */
export async function deleteRawAnswers({ db, seriesId, year }: { db: Db; seriesId: string; year: number }) {
  const edition = await getEditionByYear({ db, seriesId, year });
  if (!edition) throw new Error(`No ${seriesId} survey for ${year}`);
  return db.transaction().execute(async (trx) => {
    await deleteValuesOf(trx, edition.id);
    const deleted = await trx.deleteFrom("response").where("edition_id", "=", edition.id).executeTakeFirst();
    await trx
      .updateTable("survey_edition")
      .set({ answers_deleted_on: new Date().toISOString().slice(0, 10), status: "closed" })
      .where("id", "=", edition.id)
      .execute();
    return { editionId: edition.id, deleted: Number(deleted.numDeletedRows) };
  });
}
