/**
 * Survey series and their yearly editions. An edition stores the questionnaire and measure set
 * it was published with; later edits in surveys/ never change what its answers meant. The one
 * exception is translations: a definition that differs from the published one only by added or
 * corrected translations replaces it (decision 014).
 */
import { createHash } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { EditionStatus, SurveyEdition } from "~/db/schema";
import { pickText, type Language } from "~/i18n/languages";
import type { MeasureSet } from "~/stats/types";
import { listSeriesIds, loadSeries, type SeriesDefinition } from "~/surveys/files.server";
import { onlyTranslationsDiffer } from "~/surveys/translations";
import { compileQuestionnaire, type CompiledQuestionnaire } from "~/surveys/validate.server";
import { today } from "~/utils/clock.server";

export function editionId(seriesId: string, year: number): string {
  return `${seriesId}-${year}`;
}


/** Inserts the series row for a surveys/ folder if missing (titles come from series.json). */
export async function ensureSeries({ db, definition }: { db: Db; definition: SeriesDefinition }): Promise<void> {
  const { series } = definition;
  await db
    .insertInto("survey_series")
    .values({
      id: series.id,
      kind: series.kind,
      title_sv: series.title.sv,
      title_en: series.title.en,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/**
 * Publishes an edition from the series' current files: stores the questionnaire and measures.
 * Returns the existing edition untouched if it was published before.
 */
export async function publishEdition({
  db,
  seriesId,
  year,
  status,
  opensOn = null,
  closesOn = null,
  isDemo = false,
  definition = loadSeries(seriesId),
}: {
  db: Db;
  seriesId: string;
  year: number;
  status: EditionStatus;
  opensOn?: string | null;
  closesOn?: string | null;
  isDemo?: boolean;
  definition?: SeriesDefinition;
}): Promise<SurveyEdition> {
  const id = editionId(seriesId, year);
  const existing = await getEdition({ db, id });
  if (existing) return existing;
  await ensureSeries({ db, definition });
  const questionnaireJson = JSON.stringify(definition.questionnaire);
  await db
    .insertInto("survey_edition")
    .values({
      id,
      series_id: seriesId,
      year,
      status,
      opens_on: opensOn,
      closes_on: closesOn,
      questionnaire_json: questionnaireJson,
      measures_json: definition.measures ? JSON.stringify(definition.measures) : null,
      measures_version: definition.measures?.version ?? null,
      definition_hash: definitionHash(questionnaireJson),
      published_at: new Date().toISOString(),
      is_demo: isDemo ? 1 : 0,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  const stored = await getEdition({ db, id });
  if (!stored) throw new Error(`Edition ${id} was not stored`);
  return stored;
}

/** Publishes the editions that series.json files plan (status and dates) if they are missing. */
export async function publishPlannedEditions({ db }: { db: Db }): Promise<string[]> {
  const created: string[] = [];
  for (const seriesId of listSeriesIds()) {
    const definition = loadSeries(seriesId);
    await ensureSeries({ db, definition });
    for (const plan of definition.series.editions ?? []) {
      const id = editionId(seriesId, plan.year);
      if (await getEdition({ db, id })) continue;
      await publishEdition({
        db,
        seriesId,
        year: plan.year,
        status: plan.status,
        opensOn: plan.opensOn ?? null,
        closesOn: plan.closesOn ?? null,
        definition,
      });
      created.push(id);
    }
  }
  return created;
}

function definitionHash(questionnaireJson: string): string {
  return createHash("sha256").update(questionnaireJson).digest("hex");
}

export interface TranslationSync {
  /** Editions whose stored questionnaire took the files' new or corrected translations. */
  updated: string[];
  /** Planned editions whose files differ from the published questionnaire in more than translations. */
  kept: string[];
}

/**
 * Brings the translations of published editions up to date with surveys/: an edition whose
 * stored questionnaire differs from the series' current one only in translations (same codes,
 * values, rules and Swedish source; languages added or corrected, none removed) gets the current
 * questionnaire. Any other difference leaves the edition as published; for an edition the
 * series.json plans, that is reported in `kept` so the start-up can say so. Safe to run from
 * several processes at once: an edition is only rewritten from the definition it was read with.
 */
export async function syncEditionTranslations({ db }: { db: Db }): Promise<TranslationSync> {
  const result: TranslationSync = { updated: [], kept: [] };
  for (const seriesId of listSeriesIds()) {
    const definition = loadSeries(seriesId);
    const currentJson = JSON.stringify(definition.questionnaire);
    const planned = new Set((definition.series.editions ?? []).map((e) => editionId(seriesId, e.year)));
    for (const edition of await listEditions({ db, seriesId })) {
      if (edition.questionnaire_json === currentJson) continue;
      if (!onlyTranslationsDiffer(JSON.parse(edition.questionnaire_json), definition.questionnaire)) {
        if (planned.has(edition.id)) result.kept.push(edition.id);
        continue;
      }
      await db
        .updateTable("survey_edition")
        .set({ questionnaire_json: currentJson, definition_hash: definitionHash(currentJson) })
        .where("id", "=", edition.id)
        .where("definition_hash", "=", edition.definition_hash)
        .execute();
      recentEditions.delete(edition.id);
      result.updated.push(edition.id);
    }
  }
  return result;
}

export async function getEdition({ db, id }: { db: Db; id: string }): Promise<SurveyEdition | undefined> {
  return db.selectFrom("survey_edition").selectAll().where("id", "=", id).executeTakeFirst();
}

const recentEditions = new Map<string, { edition: SurveyEdition; until: number }>();

/**
 * An edition as of at most `maxAgeMs` ago, for the submission path (one database read saved per
 * answer). Only found editions are kept, so a newly published edition is seen at once; a status
 * change (closing) takes effect within `maxAgeMs`.
 */
export async function getRecentEdition({ db, id, maxAgeMs = 5000 }: { db: Db; id: string; maxAgeMs?: number }) {
  const now = Date.now();
  const hit = recentEditions.get(id);
  if (hit && hit.until > now) return hit.edition;
  const edition = await getEdition({ db, id });
  if (edition) recentEditions.set(id, { edition, until: now + maxAgeMs });
  else recentEditions.delete(id);
  return edition;
}

export async function getEditionByYear({ db, seriesId, year }: { db: Db; seriesId: string; year: number }) {
  return getEdition({ db, id: editionId(seriesId, year) });
}

/**
 * Where an edition stands on a day: not yet published for answers (draft), published but before
 * its opening day, open, past its closing day, or closed by hand.
 */
export type EditionPhase = "draft" | "before" | "open" | "after" | "closed";

export function editionPhase(edition: Pick<SurveyEdition, "status" | "opens_on" | "closes_on">, on = today()): EditionPhase {
  if (edition.status === "draft") return "draft";
  if (edition.status === "closed") return "closed";
  if (edition.opens_on && on < edition.opens_on) return "before";
  if (edition.closes_on && on > edition.closes_on) return "after";
  return "open";
}

/** Whether residents can answer the edition today: status open and within its dates. */
export function isEditionOpen(edition: Pick<SurveyEdition, "status" | "opens_on" | "closes_on">, on = today()): boolean {
  return editionPhase(edition, on) === "open";
}

const seriesTitles = new Map<string, Partial<Record<string, string>> | null>();

/**
 * A series' title in `language`, from surveys/<series>/series.json (its `title` object, read
 * once), in Swedish where that language is missing; `fallback` (the title stored in the
 * database) when the series has no folder any more.
 */
export function seriesTitle({ seriesId, language, fallback }: { seriesId: string; language: Language; fallback: string }): string {
  if (!seriesTitles.has(seriesId)) {
    let title: Partial<Record<string, string>> | null = null;
    try {
      title = loadSeries(seriesId).series.title;
    } catch {
      title = null;
    }
    seriesTitles.set(seriesId, title);
  }
  return pickText(seriesTitles.get(seriesId) ?? undefined, language) || fallback;
}

/** Editions residents can answer now, newest year first. */
export async function listOpenEditions({ db }: { db: Db }) {
  const rows = await db
    .selectFrom("survey_edition")
    .innerJoin("survey_series", "survey_series.id", "survey_edition.series_id")
    .select([
      "survey_edition.id",
      "survey_edition.series_id",
      "survey_edition.year",
      "survey_edition.status",
      "survey_edition.opens_on",
      "survey_edition.closes_on",
      "survey_edition.questionnaire_json",
      "survey_edition.measures_json",
      "survey_edition.measures_version",
      "survey_edition.definition_hash",
      "survey_edition.published_at",
      "survey_edition.is_demo",
      "survey_edition.access",
      "survey_series.kind",
      "survey_series.title_sv",
      "survey_series.title_en",
    ])
    .where("survey_edition.status", "=", "open")
    .orderBy("survey_edition.year", "desc")
    .orderBy("survey_edition.id")
    .execute();
  return rows.filter((r) => isEditionOpen(r));
}

/** Editions published with dates that open later than today (the start page says when), soonest first. */
export async function listUpcomingEditions({ db }: { db: Db }) {
  const on = today();
  const rows = await db
    .selectFrom("survey_edition")
    .select(["id", "series_id", "year", "status", "opens_on", "closes_on", "access"])
    .where("status", "=", "open")
    .where("opens_on", ">", on)
    .orderBy("opens_on")
    .execute();
  return rows;
}

export async function listEditions({ db, seriesId }: { db: Db; seriesId: string }) {
  return db
    .selectFrom("survey_edition")
    .selectAll()
    .where("series_id", "=", seriesId)
    .orderBy("year")
    .execute();
}

const measureCache = new Map<string, MeasureSet | null>();

/** The measure set an edition was published with (cached per definition). */
export function editionMeasures(edition: Pick<SurveyEdition, "id" | "measures_json">): MeasureSet | null {
  const key = `${edition.id}:${edition.measures_json?.length ?? 0}`;
  if (!measureCache.has(key)) {
    measureCache.set(key, edition.measures_json ? (JSON.parse(edition.measures_json) as MeasureSet) : null);
  }
  return measureCache.get(key) ?? null;
}

/** The edition's questionnaire compiled for validation (one cached Model per definition). */
export function editionQuestionnaire(
  edition: Pick<SurveyEdition, "definition_hash" | "questionnaire_json">,
): CompiledQuestionnaire {
  return compileQuestionnaire(edition.definition_hash, () => JSON.parse(edition.questionnaire_json));
}
