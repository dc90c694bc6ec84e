/**
 * Clearly marked example data: three earlier years of synthetic answers for the areas of the
 * series' area list, their population tables, example staff accounts, and the 2025 citizen
 * promises with some activities (promise-demo.server.ts). Loaded on a fresh
 * database unless DEMO_DATA=off; `cli demo --remove` deletes all of it.
 */
import type { Db } from "~/db/db.server";
import type { Role } from "~/db/schema";
import { editionId, editionMeasures, publishEdition } from "~/models/survey.server";
import { storeResponses, type ResponseInput } from "~/models/response.server";
import { replacePopulation } from "~/models/population.server";
import { createUser } from "~/models/user.server";
import { loadDemoPromises, removeDemoPromises } from "~/models/promise-demo.server";
import { generatePopulation, generateSurveyAnswers } from "~/surveys/synthetic";
import { loadSeries } from "~/surveys/files.server";

export const DEMO_SERIES = "trygghetsmatning";
export const DEMO_YEARS = [2022, 2023, 2024];
export const DEMO_SEED = 20250207;
export const DEMO_RESPONSES_PER_YEAR = 1200;

/** Example staff sign-ins, printed at start while example data is loaded. */
export const DEMO_USERS: { email: string; role: Role; password: string }[] = [
  { email: "admin@exempel.kristianstad.se", role: "admin", password: "exempel-admin-2025" },
  { email: "analytiker@exempel.kristianstad.se", role: "analyst", password: "exempel-analys-2025" },
  { email: "samtalsledare@exempel.kristianstad.se", role: "facilitator", password: "exempel-dialog-2025" },
];

/** Area sizes (inhabitants 16–85) used for the example population tables. */
const AREA_SIZES = [9200, 20800, 8700, 3400, 2700, 2800, 2100, 2200, 2600, 12400];

export async function hasDemoData({ db }: { db: Db }): Promise<boolean> {
  const row = await db.selectFrom("survey_edition").select("id").where("is_demo", "=", 1).limit(1).executeTakeFirst();
  if (row) return true;
  const user = await db.selectFrom("app_user").select("id").where("is_demo", "=", 1).limit(1).executeTakeFirst();
  return Boolean(user);
}

/** True when the database has never held anything (no edition and no user). */
export async function isFreshDatabase({ db }: { db: Db }): Promise<boolean> {
  const edition = await db.selectFrom("survey_edition").select("id").limit(1).executeTakeFirst();
  const user = await db.selectFrom("app_user").select("id").limit(1).executeTakeFirst();
  return !edition && !user;
}

export async function loadDemoData({ db }: { db: Db }): Promise<{ editions: string[]; responses: number }> {
  const definition = loadSeries(DEMO_SERIES);
  const areas = definition.areas?.areas.map((a) => a.code) ?? [];
  if (areas.length === 0) throw new Error(`Series ${DEMO_SERIES} has no area list`);
  const sizes = areas.map((_, i) => AREA_SIZES[i % AREA_SIZES.length]);
  let responses = 0;
  for (const year of DEMO_YEARS) {
    const edition = await publishEdition({
      db,
      seriesId: DEMO_SERIES,
      year,
      status: "closed",
      opensOn: `${year}-09-01`,
      closesOn: `${year}-10-31`,
      isDemo: true,
      definition,
    });
    const measures = editionMeasures(edition);
    const answers = generateSurveyAnswers({ areas, areaWeights: sizes, year, count: DEMO_RESPONSES_PER_YEAR, seed: DEMO_SEED });
    const inputs: ResponseInput[] = answers.map((a, i) => ({
      editionId: edition.id,
      clientId: `demo-${year}-${i}`,
      answers: a,
      measures,
      channel: "web",
      isDemo: true,
      submittedOn: `${year}-10-01`,
    }));
    await storeResponses(db, inputs);
    responses += inputs.length;
    await replacePopulation({
      db,
      editionId: edition.id,
      variables: definition.series.weighting ?? ["area", "age_group"],
      rows: generatePopulation({ areas, areaSizes: sizes, year, seed: DEMO_SEED }),
      source: "Exempeldata (påhittad befolkning)",
    });
  }
  const userIds: Partial<Record<Role, string>> = {};
  for (const u of DEMO_USERS) userIds[u.role] = (await createUser({ db, ...u, isDemo: true })).id;
  await loadDemoPromises({ db, userIds: { admin: userIds.admin!, facilitator: userIds.facilitator! } });
  return { editions: DEMO_YEARS.map((y) => editionId(DEMO_SERIES, y)), responses };
}

/** Deletes every piece of example data: demo editions with their answers and figures, demo users. */
export async function removeDemoData({ db }: { db: Db }): Promise<{ editions: number; responses: number; users: number }> {
  return db.transaction().execute(async (trx) => {
    await removeDemoPromises({ db: trx });
    const editions = (await trx.selectFrom("survey_edition").select("id").where("is_demo", "=", 1).execute()).map((e) => e.id);
    let responses = 0;
    if (editions.length > 0) {
      const deleted = await trx.deleteFrom("response").where("edition_id", "in", editions).executeTakeFirst();
      responses = Number(deleted.numDeletedRows);
      await trx.deleteFrom("cell_stat").where("edition_id", "in", editions).execute();
      await trx.deleteFrom("population_cell").where("edition_id", "in", editions).execute();
      await trx.deleteFrom("population_table").where("edition_id", "in", editions).execute();
      await trx.deleteFrom("survey_edition").where("id", "in", editions).execute();
    }
    const users = await trx.deleteFrom("app_user").where("is_demo", "=", 1).executeTakeFirst();
    return { editions: editions.length, responses, users: Number(users.numDeletedRows) };
  });
}
