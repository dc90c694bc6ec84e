/**
 * `import-population --from-scb`: the queries sent to Statistics Sweden's PxWeb API (asserted on
 * the request bodies the fake SCB in tests/mocks/scb.ts received), the aggregation of RegSO
 * bands into areas × age groups, and errors (429, 400, no network) that store nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { getPopulation } from "~/models/population.server";
import { fetchScbPopulation, RequestWindow, resetScbRequestWindow, type RegionMapping } from "~/services/scb.server";
import { getEditionByYear } from "~/models/survey.server";
import { server } from "../mocks/index";
import { FAKE_REGSO_1290, SCB_API_URL, scbHandlers, scbRequests } from "../mocks/scb";
import { runCliCaptured } from "../helpers/cli";

const SERIES = "trygghetsmatning";
const AREAS = ["kristianstad-centrum", "kristianstad-ovriga", "ahus", "tollarp", "degeberga", "fjalkinge", "arkelstorp", "everod", "onnestad", "ovriga"];
const AGE_GROUPS = ["16-24", "25-44", "45-64", "65-85"];
const mappingFile = path.resolve("surveys/areas/kristianstad-regso.json");
const mapping = JSON.parse(fs.readFileSync(mappingFile, "utf8")) as RegionMapping;

const cli = runCliCaptured;

const fromScb = (year: number, ...more: string[]) =>
  cli("import-population", "--series", SERIES, "--year", String(year), "--from-scb", ...more);

async function nothingStored(year: number) {
  expect(await getEditionByYear({ db: getDb(), seriesId: SERIES, year })).toBeUndefined();
  expect(await getPopulation({ db: getDb(), editionId: `${SERIES}-${year}` })).toBeNull();
}

/** The fake SCB's people in a RegSO region's band (tests/mocks/scb.ts): 10·nn men, 10·nn + 2 women. */
const men = (...regions: number[]) => regions.reduce((s, n) => s + 10 * n, 0);
const women = (...regions: number[]) => regions.reduce((s, n) => s + 10 * n + 2, 0);
/** Shares of the fake municipality's single years: 15-19 → 16-24 is 4/5 for both sexes;
 *  80+ → 80-85: men 6·30 / (6·30 + 14·10 + 5), women 6·40 / (6·40 + 14·20 + 10). */
const OLD_MEN = 180 / 325;
const OLD_WOMEN = 240 / 530;

beforeAll(async () => {
  await migrateToLatest(getDb());
});

beforeEach(() => {
  scbRequests.length = 0;
  resetScbRequestWindow();
});

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.SCB_API_URL;
});

describe("import-population --from-scb --level regso", () => {
  it("asks SCB for the RegSO bands and the municipality's single years, and stores area × age group", async () => {
    const result = await fromScb(2024, "--level", "regso");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);

    // What was sent: first the single years needed to divide the straddling bands, then the bands.
    expect(scbRequests.map((r) => r.url)).toEqual([
      `${SCB_API_URL}/BE/BE0101/BE0101A/BefolkningNy`,
      `${SCB_API_URL}/BE/BE0101/BE0101Y/FolkmDesoAldKon`,
    ]);
    const singleYears = [15, 16, 17, 18, 19, ...Array.from({ length: 20 }, (_, i) => 80 + i)].map(String).concat("100+");
    expect(scbRequests[0].body).toEqual({
      query: [
        { code: "Region", selection: { filter: "vs:RegionKommun07", values: ["1290"] } },
        { code: "Alder", selection: { filter: "vs:Ålder1årA", values: singleYears } },
        { code: "Kon", selection: { filter: "item", values: ["1", "2"] } },
        { code: "ContentsCode", selection: { filter: "item", values: ["BE0101N1"] } },
        { code: "Tid", selection: { filter: "item", values: ["2024"] } },
      ],
      response: { format: "json" },
    });
    expect(scbRequests[1].body).toEqual({
      query: [
        { code: "Region", selection: { filter: "item", values: FAKE_REGSO_1290 } },
        {
          code: "Alder",
          selection: {
            filter: "item",
            values: ["15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-"],
          },
        },
        { code: "Kon", selection: { filter: "item", values: ["1", "2"] } },
        { code: "ContentsCode", selection: { filter: "item", values: ["000007Y7"] } },
        { code: "Tid", selection: { filter: "item", values: ["2024"] } },
      ],
      response: { format: "json" },
    });
    expect(Object.keys(mapping.regions)).toEqual(FAKE_REGSO_1290);

    const stored = await getPopulation({ db: getDb(), editionId: `${SERIES}-2024` });
    expect(stored?.variables).toEqual(["area", "age_group"]);
    expect(stored?.rows).toHaveLength(40);
    expect(stored?.source).toBe(
      "Statistics Sweden BE/BE0101/BE0101A/BefolkningNy + BE/BE0101/BE0101Y/FolkmDesoAldKon, 2024, level regso, mapping surveys/areas/kristianstad-regso.json",
    );
    const count = (area: string, age_group: string) => stored!.rows.find((r) => r.area === area && r.age_group === age_group)?.count;
    // Åhus is 1290R009 + 1290R010. 16-24 = 4/5 of 15-19 + 20-24; 25-44 and 45-64 four whole bands;
    // 65-85 = 65-69, 70-74, 75-79 and the 80-85 share of 80+.
    expect(count("ahus", "16-24")).toBe(Math.round(1.8 * men(9, 10) + 1.8 * women(9, 10)));
    expect(count("ahus", "25-44")).toBe(4 * men(9, 10) + 4 * women(9, 10));
    expect(count("ahus", "45-64")).toBe(4 * men(9, 10) + 4 * women(9, 10));
    expect(count("ahus", "65-85")).toBe(Math.round((3 + OLD_MEN) * men(9, 10) + (3 + OLD_WOMEN) * women(9, 10)));
    // Centrum is 1290R001 + 1290R002; övriga orter 1290R017–020; Önnestad 1290R016 alone.
    expect(count("kristianstad-centrum", "16-24")).toBe(Math.round(1.8 * (men(1, 2) + women(1, 2))));
    expect(count("ovriga", "45-64")).toBe(4 * (men(17, 18, 19, 20) + women(17, 18, 19, 20)));
    expect(count("onnestad", "65-85")).toBe(Math.round((3 + OLD_MEN) * men(16) + (3 + OLD_WOMEN) * women(16)));
    const total = stored!.rows.reduce((s, r) => s + r.count, 0);

    // It reports what it fetched, how bands were divided, and the weighting status.
    expect(result.stdout).toContain(`Fetched from Statistics Sweden (${SCB_API_URL}), population on 31 December 2024:`);
    expect(result.stdout).toContain(
      "table BE/BE0101/BE0101Y/FolkmDesoAldKon: 20 RegSO region(s) of municipality 1290 (mapping surveys/areas/kristianstad-regso.json), 5-year age bands 15-19, 20-24,",
    );
    expect(result.stdout).toContain("560 values in 1 request(s)");
    expect(result.stdout).toContain("table BE/BE0101/BE0101A/BefolkningNy: municipality 1290, single years 15–100+ of the bands to divide");
    expect(result.stdout).toContain("band 15-19 divided: 0.800 of men, 0.800 of women counted in age group 16-24");
    expect(result.stdout).toContain(`band 80- divided: ${OLD_MEN.toFixed(3)} of men, ${OLD_WOMEN.toFixed(3)} of women counted in age group 65-85`);
    expect(result.stdout).toMatch(/40 cells, [\d ]+ after rounding each cell to whole persons/);
    expect(result.stdout).toContain(`Stored 40 population cells (area × age_group, ${total.toLocaleString("en-US").replace(/,/g, " ")} people) for ${SERIES}-2024.`);
    expect(result.stdout).toContain("Weighted figures are not possible for 2024: no responses are stored yet");
  });

  it("splits the band query by region to stay within the cell limit, with the same result", async () => {
    const args = {
      level: "regso" as const,
      municipality: "1290",
      year: 2023,
      variables: ["area", "age_group"],
      codes: { area: AREAS, age_group: AGE_GROUPS },
      mapping,
    };
    const whole = await fetchScbPopulation(args);
    scbRequests.length = 0;
    // 14 bands × 2 sexes = 28 values a region: 196 values allow 7 regions a request.
    const split = await fetchScbPopulation({ ...args, maxCells: 196 });
    const bandRequests = scbRequests.filter((r) => r.table.endsWith("FolkmDesoAldKon"));
    const regionsAsked = bandRequests.map((r) => (r.body as { query: { code: string; selection: { values: string[] } }[] }).query[0].selection.values);
    expect(regionsAsked.map((r) => r.length)).toEqual([7, 7, 6]);
    expect(regionsAsked.flat()).toEqual(FAKE_REGSO_1290);
    expect(split.tables.find((t) => t.path.endsWith("FolkmDesoAldKon"))?.requests).toBe(3);
    expect(split.rows).toEqual(whole.rows);
  });

  it("refuses municipality totals for a series weighted by area, before asking SCB", async () => {
    const result = await fromScb(2022);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("trygghetsmatning weights by area × age_group with 10 areas: municipality totals cannot be divided into areas; use --level regso or --level deso");
    expect(scbRequests).toEqual([]);
    await nothingStored(2022);
  });

  it("refuses a mapping that leaves areas without regions or names unknown areas", async () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "td-mapping-")), "bad-regso.json");
    const regions = { ...mapping.regions, "1290R001": "lund" };
    delete (regions as Record<string, string>)["1290R002"];
    fs.writeFileSync(bad, JSON.stringify({ level: "regso", regions }));
    const result = await fromScb(2022, "--level", "regso", "--mapping", bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is not usable: unknown area code(s): 1290R001 → lund; no region maps to area(s) kristianstad-centrum");
    expect(scbRequests).toEqual([]);
    await nothingStored(2022);
  });
});

describe("SCB errors: a clear line, nothing stored", () => {
  it("429 Too Many Requests", async () => {
    server.use(
      http.post(`${SCB_API_URL}/BE/BE0101/BE0101Y/FolkmDesoAldKon`, () => new HttpResponse("Too Many Requests", { status: 429 })),
    );
    const result = await fromScb(2020, "--level", "regso");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "Error: Statistics Sweden refused the request for BE/BE0101/BE0101Y/FolkmDesoAldKon: too many requests (HTTP 429; SCB allows 10 requests per 10 seconds). Wait a minute and run the command again.",
    );
    expect(result.stdout).toBe("");
    await nothingStored(2020);
  });

  it("400 with SCB's message, e.g. a year SCB has not published", async () => {
    const result = await fromScb(2025, "--level", "regso");
    expect(result.code).toBe(1);
    // The fake SCB refuses Tid 2025 as SCB does for a year not in the table (tests/mocks/scb.ts).
    expect(result.stderr).toBe(
      "Error: Statistics Sweden answered HTTP 400 for BE/BE0101/BE0101A/BefolkningNy: Variable Tid has no value(s) 2025. Check the year (SCB publishes a year's population in the spring after it) and the region codes in the mapping file.",
    );
    expect(scbRequests).toHaveLength(1);
    await nothingStored(2025);
  });

  it("a 400 on the second request leaves a table stored earlier untouched", async () => {
    expect((await fromScb(2019, "--level", "regso")).code).toBe(0);
    const before = await getPopulation({ db: getDb(), editionId: `${SERIES}-2019` });
    server.use(
      http.post(`${SCB_API_URL}/BE/BE0101/BE0101Y/FolkmDesoAldKon`, () =>
        new HttpResponse("<html><body><h1>Bad Request</h1><p>Region 1290R017 is not valid</p></body></html>", { status: 400, headers: { "Content-Type": "text/html" } }),
      ),
    );
    const result = await fromScb(2019, "--level", "regso");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error: Statistics Sweden answered HTTP 400 for BE/BE0101/BE0101Y/FolkmDesoAldKon: Bad Request Region 1290R017 is not valid.");
    expect(await getPopulation({ db: getDb(), editionId: `${SERIES}-2019` })).toEqual(before);
  });

  it("no network", async () => {
    server.use(http.post(`${SCB_API_URL}/BE/BE0101/BE0101A/BefolkningNy`, () => HttpResponse.error()));
    const result = await fromScb(2018, "--level", "regso");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Error: Could not reach Statistics Sweden at https:\/\/api\.scb\.se\/OV0104\/v1\/doris\/en\/ssd\/BE\/BE0101\/BE0101A\/BefolkningNy \(.+\)\. Check the network connection and SCB_API_URL, then run the command again\.$/,
    );
    await nothingStored(2018);
  });

  it("an answer that is not the json format", async () => {
    server.use(http.post(`${SCB_API_URL}/BE/BE0101/BE0101A/BefolkningNy`, () => HttpResponse.json({ version: "2.0", class: "dataset" })));
    const result = await fromScb(2017, "--level", "regso");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lacks "columns" or "data"');
    await nothingStored(2017);
  });
});

describe("SCB_API_URL", () => {
  it("points the import at another address", async () => {
    const base = "https://scb-proxy.example.test/OV0104/v1/doris/en/ssd";
    process.env.SCB_API_URL = `${base}/`;
    server.use(...scbHandlers(base));
    const result = await fromScb(2016, "--level", "regso");
    expect(result.code).toBe(0);
    expect(scbRequests.map((r) => r.url)).toEqual([`${base}/BE/BE0101/BE0101A/BefolkningNy`, `${base}/BE/BE0101/BE0101Y/FolkmDesoAldKon`]);
    expect(result.stdout).toContain(`Fetched from Statistics Sweden (${base}),`);
  });
});

describe("RequestWindow (SCB: 10 requests per 10 seconds)", () => {
  it("lets ten requests start at once and holds the eleventh until the first is ten seconds old", async () => {
    let now = 1_000;
    const slept: number[] = [];
    const window = new RequestWindow(10, 10_000, () => now, async (ms) => {
      slept.push(ms);
      now += ms;
    });
    for (let i = 0; i < 10; i++) await window.take();
    expect(slept).toEqual([]);
    now += 2_500;
    await window.take();
    expect(slept).toEqual([7_501]);
    expect(now).toBe(11_001);
  });
});
