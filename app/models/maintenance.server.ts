/**
 * Maintenance of stored answers and figures: rebuilding the per-response measure values and the
 * cell statistics from the stored answers (after a measure definition changes), and deleting a
 * year's raw answers while keeping its figures.
 */

import type { Db } from "~/db/db.server";
import { addToCells, applyCellDeltas, scoreAnswers, type CellDelta } from "~/models/response.server";
import { editionMeasures, getEditionByYear } from "~/models/survey.server";
import { measureFingerprints } from "~/stats/measures";
import type { Answers, MeasureSet } from "~/stats/types";
import { loadSeries } from "~/surveys/files.server";

export interface RecomputeReport {
  editionId: string;
  responses: number;
  definitionsChanged: string[];
  measuresVersion: string | null;
}

/**
 * Rebuilds the per-response measure values (scores_json) and `cell_stat` of one edition from its
 * stored answers. With
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
    await trx.deleteFrom("cell_stat").where("edition_id", "=", edition.id).execute();
    const deltas = new Map<string, CellDelta>();
    const pageSize = 2000;
    let done = 0;
    let after = "";
    for (;;) {
      const page = await trx
        .selectFrom("response")
        .select(["id", "edition_id", "area", "gender", "age_group", "answers_json"])
        .where("edition_id", "=", edition.id)
        .where("id", ">", after)
        .orderBy("id")
        .limit(pageSize)
        .execute();
      if (page.length === 0) break;
      for (const r of page) {
        const scores = scoreAnswers(measures, JSON.parse(r.answers_json) as Answers);
        addToCells(deltas, r, scores);
        await trx.updateTable("response").set({ scores_json: JSON.stringify(scores) }).where("id", "=", r.id).execute();
      }
      after = page[page.length - 1].id;
      done += page.length;
      onProgress?.(done, total);
    }
    await applyCellDeltas(trx, deltas);
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
    const deleted = await trx.deleteFrom("response").where("edition_id", "=", edition.id).executeTakeFirst();
    await trx
      .updateTable("survey_edition")
      .set({ answers_deleted_on: new Date().toISOString().slice(0, 10), status: "closed" })
      .where("id", "=", edition.id)
      .execute();
    return { editionId: edition.id, deleted: Number(deleted.numDeletedRows) };
  });
}
