/**
 * The whole statistics path through the real pieces: the fixture CSVs imported into a real
 * database, population tables loaded, figures served by the real HTTP server and the CLI, and
 * compared with expected.json (computed by R's survey package). Tolerances as the fixture's
 * README states: estimates and intervals 1e-9 relative, standard errors 1e-6 relative.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { importResponses } from "~/models/import.server";
import { replacePopulation } from "~/models/population.server";
import { parseCsv } from "~/utils/csv";
import { relDiff } from "../stats/helpers/close";
import { EST_TOL, resultMismatches, SE_TOL } from "../stats/helpers/fixture-check";
import { loadExpected } from "../stats/helpers/fixtures";
import { ROOT, startServer, type RunningServer } from "../helpers/app-server";
import { STATS_FIXTURES_DIR } from "../helpers/shared";

const YEARS = [2023, 2024, 2025];
let server: RunningServer;
const expected = loadExpected();

beforeAll(async () => {
  const db = getDb();
  await migrateToLatest(db);
  for (const year of YEARS) {
    const csvText = fs.readFileSync(path.join(STATS_FIXTURES_DIR, `responses-${year}.csv`), "utf8");
    const result = await importResponses({ db, seriesId: "trygghetsmatning", year, csvText });
    expect(result.stored).toBe(900);
    const [header, ...rows] = parseCsv(fs.readFileSync(path.join(STATS_FIXTURES_DIR, `population-${year}.csv`), "utf8"));
    await replacePopulation({
      db,
      editionId: `trygghetsmatning-${year}`,
      variables: ["area", "age_group"],
      rows: rows.map((r) => ({ [header.fields[0]]: r.fields[0], [header.fields[1]]: r.fields[1], count: Number(r.fields[2]) })),
      source: "fixture",
    });
  }
  server = await startServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function getJson(query: string) {
  const res = await fetch(`${server.url}/api/results/trygghetsmatning?${query}`);
  return { status: res.status, body: await res.json() };
}

describe("results API reproduces expected.json", () => {
  it.each(expected.results.map((r) => [r.year, r.weighted, r.by, r] as const))(
    "year %s, weighted %s, by %s",
    async (year, weighted, by, block) => {
      const { status, body } = await getJson(`year=${year}&weighted=${weighted}${by ? `&by=${by}` : ""}`);
      expect(status).toBe(200);
      expect(body.series).toBe("trygghetsmatning");
      expect(body.year).toBe(year);
      expect(body.weighted).toBe(weighted);
      expect(resultMismatches(body, block.measures, weighted)).toEqual([]);
    },
  );

  it.each(expected.comparisons.map((c) => [c.from, c.to, c.weighted, c.by, c] as const))(
    "comparison %s→%s, weighted %s, by %s",
    async (from, to, weighted, by, block) => {
      const { body } = await getJson(`year=${to}&compareTo=${from}&weighted=${weighted}${by ? `&by=${by}` : ""}`);
      expect(body.comparison.from).toBe(from);
      expect(body.comparison.to).toBe(to);
      const rows = new Map<string, any>(body.comparison.measures.map((m: any) => [`${m.key} ${JSON.stringify(m.group)}`, m]));
      const problems: string[] = [];
      for (const e of block.measures) {
        const id = `${e.key} ${JSON.stringify(e.group)}`;
        const a = rows.get(id);
        if (!a || !a.comparable) {
          problems.push(`${id}: ${a ? a.reason : "missing"}`);
          continue;
        }
        if (relDiff(a.diff, e.diff) > EST_TOL) problems.push(`${id}: diff ${a.diff} ≠ ${e.diff}`);
        if (relDiff(a.se, e.se) > SE_TOL) problems.push(`${id}: se ${a.se} ≠ ${e.se}`);
        if (relDiff(a.ci[0], e.ci[0]) > EST_TOL || relDiff(a.ci[1], e.ci[1]) > EST_TOL) problems.push(`${id}: ci`);
        if (e.p === "NaN") {
          if (a.p !== null || a.significant !== null) problems.push(`${id}: p should be null`);
        } else if (relDiff(a.p, e.p) > SE_TOL || a.significant !== e.significant) {
          problems.push(`${id}: p ${a.p} ≠ ${e.p} or significance differs`);
        }
      }
      expect(problems).toEqual([]);
    },
  );
});

describe("results API contract", () => {
  it.each([
    ["year=2024&colour=blue", /Unknown parameter: colour/],
    ["by=area", /year is required/],
    ["year=24", /year/],
    ["year=2024&by=shoe_size", /by must be/],
    ["year=2024&weighted=maybe", /weighted/],
    ["year=2024&compareTo=2024", /another year/],
    ["year=2024&year=2025", /twice/],
  ])("refuses %s with 400", async (query, message) => {
    const { status, body } = await getJson(query);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  it("answers from its cache outside Remix exactly as the Remix route does, in every encoding (decision 038)", async () => {
    const url = `${server.url}/api/results/trygghetsmatning?year=2024&by=area&weighted=true&compareTo=2023`;
    // A staff cookie (even an unknown one) sends the request on to the Remix route, which marks it no-store.
    const viaRemix = await fetch(url, { headers: { Cookie: "td_session=unknown" } });
    expect(viaRemix.status).toBe(200);
    expect(viaRemix.headers.get("cache-control")).toContain("no-store");
    const expectedText = await viaRemix.text();
    for (const encoding of ["br", "gzip", "identity", "gzip, deflate, br, zstd"]) {
      const res = await fetch(url, { headers: { "Accept-Encoding": encoding } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-encoding")).toBe(encoding === "identity" ? null : encoding.includes("br") ? "br" : "gzip");
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);
      expect(res.headers.get("vary")).toBe("Accept-Encoding");
      expect(res.headers.get("etag")).toBe(viaRemix.headers.get("etag"));
      expect(res.headers.get("content-security-policy")).toContain("default-src");
      expect(await res.text()).toBe(expectedText); // fetch decodes br and gzip
      const notModified = await fetch(url, { headers: { "Accept-Encoding": encoding, "If-None-Match": res.headers.get("etag")! } });
      expect(notModified.status).toBe(304);
    }
    // Refusals still come from the route, with its messages.
    const refused = await fetch(`${server.url}/api/results/trygghetsmatning?year=2024&colour=blue`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/Unknown parameter: colour/);
  });

  it("answers 404 for an unknown series or a year without a survey", async () => {
    expect((await fetch(`${server.url}/api/results/nosuchseries?year=2024`)).status).toBe(404);
    expect((await getJson("year=1999")).status).toBe(404);
  });

  it("never shows a suppressed figure or any free text", async () => {
    for (const by of ["", "&by=area", "&by=gender", "&by=age_group"]) {
      const res = await fetch(`${server.url}/api/results/trygghetsmatning?year=2024&weighted=true${by}&compareTo=2023`);
      const text = await res.text();
      const body = JSON.parse(text);
      for (const m of body.measures) {
        if (m.n < 10) {
          expect(m.suppressed).toBe(true);
          expect([m.estimate, m.se, m.ci]).toEqual([null, null, null]);
        }
      }
      for (const c of body.comparison.measures) {
        if (!c.comparable) expect(c.diff).toBeUndefined();
      }
      expect(text).not.toMatch(/Citat|radbrytning|Hastighetskontroller|Fler poliser/);
    }
  });

  it("serves the same table as CSV with a BOM, decimal points and one row per measure and group", async () => {
    const res = await fetch(`${server.url}/api/results/trygghetsmatning?year=2024&by=area&weighted=true&format=csv`);
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="trygghetsmatning-2024-per-area-viktad\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const [header, ...rows] = parseCsv(text);
    const json = (await getJson("year=2024&by=area&weighted=true")).body;
    expect(rows).toHaveLength(json.measures.length);
    const col = (name: string) => header.fields.indexOf(name);
    const first = rows[0].fields;
    expect(first[col("measure")]).toBe(json.measures[0].key);
    expect(first[col("measure_name")]).toBe("Trygghetsindex");
    expect(Number(first[col("estimate")])).toBe(json.measures[0].estimate);
    expect(first[col("estimate")]).toMatch(/^\d+\.\d+$/);
    for (const r of rows) {
      if (r.fields[col("suppressed")] === "true") expect(r.fields[col("estimate")]).toBe("");
    }
  });

  it("prints the same JSON from the command line, and refuses unknown options", () => {
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "app/cli/main.ts", ...args], {
        cwd: ROOT,
        env: { ...process.env },
        encoding: "utf8",
      });
    const out = cli(["results", "--series", "trygghetsmatning", "--year", "2025", "--by", "gender", "--weighted", "--compare-to", "2024"]);
    expect(out.status, out.stderr).toBe(0);
    return getJson("year=2025&by=gender&weighted=true&compareTo=2024").then(({ body }) => {
      expect(JSON.parse(out.stdout)).toEqual(body);
      const bad = cli(["results", "--series", "trygghetsmatning", "--year", "2025", "--colour", "blue"]);
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toMatch(/colour/);
      const badBy = cli(["results", "--series", "trygghetsmatning", "--year", "2025", "--by", "shoe"]);
      expect(badBy.status).toBe(2);
    });
  });
});
