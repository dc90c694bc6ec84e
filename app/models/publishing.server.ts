/**
 * Publishing a survey year (issue 19, decision 034): an edition made from a series' current
 * definition in surveys/, with its opening and closing days and who may answer (open to all,
 * code-only, or both). Publishing is an explicit action (the admin page /personal/utgavor and
 * `cli publish`); the start-up still publishes the editions series.json plans, unchanged.
 *
 * An edition with answers (or a used code) keeps its questionnaire, measures and access mode: a
 * correction is a new edition. Its dates may still move (a field period extended by a week
 * changes no answer's meaning).
 */
import type { Db } from "~/db/db.server";
import type { EditionAccess, SurveyEdition } from "~/db/schema";
import { diffEditions, type EditionDiff } from "~/surveys/edition-diff";
import { loadSeries, type SeriesDefinition } from "~/surveys/files.server";
import { onlyTranslationsDiffer } from "~/surveys/translations";
import { editionId, getEdition, listEditions, publishEdition } from "~/models/survey.server";
import { createHash } from "node:crypto";
import { ACCESS_MODES, isAccessMode } from "~/surveys/access";

export { ACCESS_MODES, isAccessMode };

/** A refusal a person can act on (shown on the admin page, printed by the CLI). */
export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PublishError";
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(day: string): boolean {
  return DAY.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

export interface PublishInput {
  db: Db;
  seriesId: string;
  year: number;
  opensOn: string;
  closesOn: string;
  access?: EditionAccess;
  definition?: SeriesDefinition;
}

export interface PublishOutcome {
  edition: SurveyEdition;
  action: "created" | "updated" | "dates-changed" | "unchanged";
}

/** Whether anything was answered for the edition: responses, or a code marked used. */
export async function editionHasAnswers({ db, id }: { db: Db; id: string }): Promise<boolean> {
  const response = await db.selectFrom("response").select("id").where("edition_id", "=", id).limit(1).executeTakeFirst();
  if (response) return true;
  const use = await db.selectFrom("invitation_use").select("invitation_id").where("edition_id", "=", id).limit(1).executeTakeFirst();
  return Boolean(use);
}

/**
 * Publishes (or re-publishes, while it has no answers) the edition `<series>-<year>` from the
 * series' files with the given dates and access mode; status becomes open. Throws PublishError
 * for bad dates and for a content change to an edition that has answers.
 */
export async function publishYear({
  db,
  seriesId,
  year,
  opensOn,
  closesOn,
  access = "open",
  definition = loadSeries(seriesId),
}: PublishInput): Promise<PublishOutcome> {
  if (!validDay(opensOn)) throw new PublishError(`The opening day must be a date such as ${year}-03-01`);
  if (!validDay(closesOn)) throw new PublishError(`The closing day must be a date such as ${year}-04-15`);
  if (closesOn < opensOn) throw new PublishError("The closing day is before the opening day");
  if (!isAccessMode(access)) throw new PublishError(`Access must be one of ${ACCESS_MODES.join(", ")}`);
  const id = editionId(seriesId, year);
  const existing = await getEdition({ db, id });
  if (!existing) {
    await publishEdition({ db, seriesId, year, status: "open", opensOn, closesOn, definition });
    await db.updateTable("survey_edition").set({ access }).where("id", "=", id).execute();
    return { edition: (await getEdition({ db, id }))!, action: "created" };
  }
  const questionnaireJson = JSON.stringify(definition.questionnaire);
  const measuresJson = definition.measures ? JSON.stringify(definition.measures) : null;
  const contentSame =
    (existing.questionnaire_json === questionnaireJson ||
      onlyTranslationsDiffer(JSON.parse(existing.questionnaire_json), definition.questionnaire)) &&
    existing.measures_json === measuresJson;
  const datesSame = existing.opens_on === opensOn && existing.closes_on === closesOn && existing.status === "open";
  if (contentSame && existing.access === access && datesSame) return { edition: existing, action: "unchanged" };
  if (!contentSame || existing.access !== access) {
    if (await editionHasAnswers({ db, id })) {
      throw new PublishError(
        `${id} has answers: its questionnaire, measures and access can no longer change. Publish the correction as a new edition.`,
      );
    }
    await db
      .updateTable("survey_edition")
      .set({
        questionnaire_json: questionnaireJson,
        measures_json: measuresJson,
        measures_version: definition.measures?.version ?? null,
        definition_hash: createHash("sha256").update(questionnaireJson).digest("hex"),
        access,
        status: "open",
        opens_on: opensOn,
        closes_on: closesOn,
        published_at: new Date().toISOString(),
      })
      .where("id", "=", id)
      .execute();
    return { edition: (await getEdition({ db, id }))!, action: "updated" };
  }
  await db.updateTable("survey_edition").set({ opens_on: opensOn, closes_on: closesOn, status: "open" }).where("id", "=", id).execute();
  return { edition: (await getEdition({ db, id }))!, action: "dates-changed" };
}

export interface PublishPreview {
  seriesId: string;
  year: number;
  id: string;
  /** The edition as stored, if this year was published before. */
  existing: SurveyEdition | null;
  /** The latest earlier edition the diff compares with. */
  previous: { id: string; year: number } | null;
  diff: EditionDiff | null;
}

/**
 * What publishing `<series>-<year>` from the files would bring: the diff from the latest earlier
 * edition (questions, choices, measures; breaking changes flagged).
 */
export async function previewPublication({
  db,
  seriesId,
  year,
  definition = loadSeries(seriesId),
}: {
  db: Db;
  seriesId: string;
  year: number;
  definition?: SeriesDefinition;
}): Promise<PublishPreview> {
  const editions = await listEditions({ db, seriesId });
  const previous = editions.filter((e) => e.year < year).at(-1) ?? null;
  const id = editionId(seriesId, year);
  const diff = previous
    ? diffEditions(
        { questionnaire: JSON.parse(previous.questionnaire_json), measures: previous.measures_json ? JSON.parse(previous.measures_json) : null },
        { questionnaire: definition.questionnaire, measures: definition.measures },
      )
    : null;
  return {
    seriesId,
    year,
    id,
    existing: editions.find((e) => e.id === id) ?? null,
    previous: previous ? { id: previous.id, year: previous.year } : null,
    diff,
  };
}
