/**
 * Free-text answers for analysts (never public; statistics.md "Suppression and precision"): the
 * answers to a year's free-text questions, optionally for one area and containing a search text,
 * newest storage order irrelevant (responses carry no time finer than a day), paged.
 */
import type { Db } from "~/db/db.server";
import { editionQuestionnaire, getEditionByYear } from "~/models/survey.server";

export interface FreeTextAnswer {
  responseId: string;
  area: string;
  question: string;
  text: string;
}

export interface FreeTextPage {
  answers: FreeTextAnswer[];
  total: number;
  page: number;
  pages: number;
  questions: string[];
}

/**
 * One page of free-text answers. `search` matches case-insensitively anywhere in the text (in
 * JavaScript, the same on SQLite and PostgreSQL). Throws a 404 Response for an unknown year.
 */
export async function listFreeTextAnswers({
  db,
  seriesId,
  year,
  area,
  search,
  page,
  pageSize = 25,
}: {
  db: Db;
  seriesId: string;
  year: number;
  area: string | null;
  search: string;
  page: number;
  pageSize?: number;
}): Promise<FreeTextPage> {
  const edition = await getEditionByYear({ db, seriesId, year });
  if (!edition) throw new Response("No such year", { status: 404 });
  const questions = [...editionQuestionnaire(edition).questions.values()].filter((q) => q.kind === "text").map((q) => q.name);
  let query = db.selectFrom("response").select(["id", "area", "answers_json"]).where("edition_id", "=", edition.id);
  if (area) query = query.where("area", "=", area);
  const rows = await query.orderBy("id").execute();
  const needle = search.trim().toLocaleLowerCase("sv");
  const all: FreeTextAnswer[] = [];
  for (const row of rows) {
    const answers = JSON.parse(row.answers_json) as Record<string, unknown>;
    for (const question of questions) {
      const text = answers[question];
      if (typeof text !== "string" || text.trim() === "") continue;
      if (needle && !text.toLocaleLowerCase("sv").includes(needle)) continue;
      all.push({ responseId: row.id, area: row.area, question, text });
    }
  }
  const pages = Math.max(1, Math.ceil(all.length / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  return { answers: all.slice((current - 1) * pageSize, current * pageSize), total: all.length, page: current, pages, questions };
}
