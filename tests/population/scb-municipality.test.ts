/**
 * `import-population --from-scb` at municipality level, for a series that weights by gender ×
 * age group (a copy of trygghetsmatning in a temporary surveys directory): single years 16–85
 * from BefolkningNy, men and women mapped to the questionnaire's codes, and the cells SCB cannot
 * give (other genders) named as missing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { getPopulation } from "~/models/population.server";
import { resetScbRequestWindow } from "~/services/scb.server";
import { resetEnvCache } from "~/utils/env.server";
import { runCliCaptured } from "../helpers/cli";
import { SCB_API_URL, scbRequests } from "../mocks/scb";


const surveys = fs.mkdtempSync(path.join(os.tmpdir(), "td-surveys-"));
const previousSurveysDir = process.env.SURVEYS_DIR;

beforeAll(async () => {
  fs.cpSync(path.resolve("surveys/trygghetsmatning"), path.join(surveys, "trygghetsmatning"), { recursive: true });
  fs.cpSync(path.resolve("surveys/areas"), path.join(surveys, "areas"), { recursive: true });
  const seriesFile = path.join(surveys, "trygghetsmatning/series.json");
  const series = JSON.parse(fs.readFileSync(seriesFile, "utf8"));
  fs.writeFileSync(seriesFile, JSON.stringify({ ...series, weighting: ["gender", "age_group"], editions: [] }));
  process.env.SURVEYS_DIR = surveys;
  resetEnvCache();
  await migrateToLatest(getDb());
});

afterAll(() => {
  if (previousSurveysDir === undefined) delete process.env.SURVEYS_DIR;
  else process.env.SURVEYS_DIR = previousSurveysDir;
  resetEnvCache();
  fs.rmSync(surveys, { recursive: true, force: true });
});

beforeEach(() => {
  scbRequests.length = 0;
  resetScbRequestWindow();
});

it("asks BefolkningNy for single years 16–85 by sex and stores gender × age group", async () => {
  const { code, stdout, stderr } = await runCliCaptured("import-population", "--series", "trygghetsmatning", "--year", "2024", "--from-scb");
  expect(stderr).toBe("");
  expect(code).toBe(0);

  expect(scbRequests).toHaveLength(1);
  expect(scbRequests[0].url).toBe(`${SCB_API_URL}/BE/BE0101/BE0101A/BefolkningNy`);
  expect(scbRequests[0].body).toEqual({
    query: [
      { code: "Region", selection: { filter: "vs:RegionKommun07", values: ["1290"] } },
      { code: "Alder", selection: { filter: "vs:Ålder1årA", values: Array.from({ length: 70 }, (_, i) => String(16 + i)) } },
      { code: "Kon", selection: { filter: "item", values: ["1", "2"] } },
      { code: "ContentsCode", selection: { filter: "item", values: ["BE0101N1"] } },
      { code: "Tid", selection: { filter: "item", values: ["2024"] } },
    ],
    response: { format: "json" },
  });

  // The fake municipality: men 50 and women 52 at each age under 80, 30 and 40 at 80–85.
  const stored = await getPopulation({ db: getDb(), editionId: "trygghetsmatning-2024" });
  expect(stored?.variables).toEqual(["gender", "age_group"]);
  const rows = [...stored!.rows].sort((a, b) => `${a.gender}${a.age_group}`.localeCompare(`${b.gender}${b.age_group}`));
  expect(rows).toEqual([
    { gender: "man", age_group: "16-24", count: 9 * 50 },
    { gender: "man", age_group: "25-44", count: 20 * 50 },
    { gender: "man", age_group: "45-64", count: 20 * 50 },
    { gender: "man", age_group: "65-85", count: 15 * 50 + 6 * 30 },
    { gender: "woman", age_group: "16-24", count: 9 * 52 },
    { gender: "woman", age_group: "25-44", count: 20 * 52 },
    { gender: "woman", age_group: "45-64", count: 20 * 52 },
    { gender: "woman", age_group: "65-85", count: 15 * 52 + 6 * 40 },
  ]);

  expect(stdout).toContain("table BE/BE0101/BE0101A/BefolkningNy: municipality 1290, single years 16–85; sex 1 (men), 2 (women); 140 values in 1 request(s)");
  expect(stdout).not.toContain("divided");
  expect(stdout).toContain("Missing cells, not in the population table (8):\n  gender=other, age_group=16-24");
  expect(stdout).toContain("  gender=no_answer, age_group=65-85");
  expect(stdout).toContain("Weighted figures are not possible for 2024: 8 population cell(s) are missing (gender=other, age_group=16-24;");
  expect(stdout).toMatch(/unweighted figures will be shown\.$/);
});
