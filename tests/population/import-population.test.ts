/**
 * `import-population --file`: the CSV is checked (header, codes, counts, duplicates) line by line,
 * nothing is stored when anything is wrong, and after storing the command names missing cells
 * and cells without respondents and says whether weighted figures are possible.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { importResponses } from "~/models/import.server";
import { getPopulation, weightingStatus } from "~/models/population.server";
import { getEditionByYear } from "~/models/survey.server";
import { parseCsv } from "~/utils/csv";
import { STATS_FIXTURES_DIR } from "../helpers/shared";
import { runCliCaptured } from "../helpers/cli";

const SERIES = "trygghetsmatning";
const fixture = path.join(STATS_FIXTURES_DIR, "population-2024.csv");
const fixtureText = fs.readFileSync(fixture, "utf8");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-population-"));

const cli = runCliCaptured;

function csvFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The fixture's lines with a change: `edit(lines)` gets header and rows as text lines. */
function fixtureWith(edit: (lines: string[]) => string[]): string {
  return `${edit(fixtureText.trimEnd().split(/\r?\n/)).join("\n")}\n`;
}

const importFile = (year: number, file: string) => cli("import-population", "--series", SERIES, "--year", String(year), "--file", file);

beforeAll(async () => {
  await migrateToLatest(getDb());
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("import-population --file", () => {
  it("stores the 40 cells of the 2024 fixture and reports that no cell has respondents yet", async () => {
    const result = await importFile(2024, fixture);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);

    const edition = await getEditionByYear({ db: getDb(), seriesId: SERIES, year: 2024 });
    expect(edition?.status).toBe("closed");
    const stored = await getPopulation({ db: getDb(), editionId: "trygghetsmatning-2024" });
    expect(stored?.variables).toEqual(["area", "age_group"]);
    expect(stored?.source).toMatch(/^file population-2024\.csv \(sha256 [0-9a-f]{12}\)$/);
    // Read the fixture independently of the importer: every row is stored with its count.
    const [, ...rows] = parseCsv(fixtureText);
    const expected = rows.map((r) => ({ area: r.fields[0], age_group: r.fields[1], count: Number(r.fields[2]) }));
    const byCell = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      `${a.area}|${a.age_group}`.localeCompare(`${b.area}|${b.age_group}`);
    expect(expected).toHaveLength(40);
    expect([...stored!.rows].sort(byCell)).toEqual([...expected].sort(byCell));

    expect(result.stdout).toContain("Created edition trygghetsmatning-2024 (status closed)");
    expect(result.stdout).toContain("Stored 40 population cells (area × age_group, 66 917 people) for trygghetsmatning-2024.");
    expect(result.stdout).not.toContain("Missing cells");
    expect(result.stdout).toContain("Cells with no respondents yet: all 40 populated cells (no responses are stored for 2024 yet).");
    expect(result.stdout).toContain(
      "Weighted figures are not possible for 2024: no responses are stored yet, so all 40 populated cells have no respondents; unweighted figures will be shown.",
    );
  });

  it("says weighting is possible once every cell has respondents (the 2024 responses fixture)", async () => {
    await importResponses({
      db: getDb(),
      seriesId: SERIES,
      year: 2024,
      csvText: fs.readFileSync(path.join(STATS_FIXTURES_DIR, "responses-2024.csv"), "utf8"),
    });
    const result = await importFile(2024, fixture);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("Created edition");
    expect(result.stdout).not.toContain("no respondents");
    expect(result.stdout).toContain("Weighted figures are possible for 2024: all 40 cells (area × age_group) have population and respondents");

    const status = await weightingStatus({ db: getDb(), editionId: "trygghetsmatning-2024" });
    expect(status).toMatchObject({ possible: true, reason: null, missingCells: [], emptyCells: [], unmatchedCells: [], populationCells: 40 });
    // The respondents counted are the stored ones with both an area and an age group.
    const stored = await getDb()
      .selectFrom("response")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("edition_id", "=", "trygghetsmatning-2024")
      .where("area", "!=", "")
      .where("age_group", "!=", "")
      .executeTakeFirstOrThrow();
    expect(status.respondents).toBe(Number(stored.n));
    expect(status.respondents + status.respondentsLeftOut).toBe(900);

    const again = await cli("population-status", "--series", SERIES, "--year", "2024");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Population table of trygghetsmatning-2024: 40 cells, 66 917 people; source: file population-2024.csv");
    expect(again.stdout).toContain("Weighted figures are possible for 2024");
  });

  it("names every missing cell and says the year falls back to unweighted figures", async () => {
    const file = csvFile(
      "missing.csv",
      fixtureWith((lines) => lines.filter((l) => !l.startsWith('"ahus","16-24"') && !l.startsWith('"ovriga","65-85"'))),
    );
    const result = await importFile(2023, file);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Stored 38 population cells");
    expect(result.stdout).toContain("Missing cells, not in the population table (2):\n  area=ahus, age_group=16-24\n  area=ovriga, age_group=65-85");
    expect(result.stdout).toContain(
      "Weighted figures are not possible for 2023: 2 population cell(s) are missing (area=ahus, age_group=16-24; area=ovriga, age_group=65-85); no responses are stored yet",
    );
    expect(result.stdout).toMatch(/unweighted figures will be shown\.$/);
    const status = await weightingStatus({ db: getDb(), editionId: "trygghetsmatning-2023" });
    expect(status.missingCells).toEqual(["area=ahus, age_group=16-24", "area=ovriga, age_group=65-85"]);
    expect(status.possible).toBe(false);
  });

  describe("refuses a bad file, naming the line, and stores nothing", () => {
    const cases: { name: string; edit: (lines: string[]) => string[]; message: string }[] = [
      {
        name: "a header that is not the weighting variables and count",
        edit: (lines) => ['"area","age","count"', ...lines.slice(1)],
        message:
          "line 1: the header must be exactly area,age_group,count (the series' weighting variables and count): missing column(s): age_group; unexpected column(s): age",
      },
      {
        name: "an extra column",
        edit: (lines) => lines.map((l, i) => `${l},${i === 0 ? '"gender"' : '"woman"'}`),
        message: "line 1: the header must be exactly area,age_group,count (the series' weighting variables and count): unexpected column(s): gender",
      },
      {
        name: "an unknown area",
        edit: (lines) => lines.map((l, i) => (i === 3 ? l.replace('"ahus"', '"lund"') : l)),
        message: 'line 4: unknown area "lund" (known: kristianstad-centrum, kristianstad-ovriga, ahus,',
      },
      {
        name: "an unknown age group",
        edit: (lines) => lines.map((l, i) => (i === 2 ? l.replace('"16-24"', '"18-24"') : l)),
        message: 'line 3: unknown age_group "18-24" (known: 16-24, 25-44, 45-64, 65-85)',
      },
      {
        name: "a negative count",
        edit: (lines) => lines.map((l, i) => (i === 5 ? l.replace(/,\d+$/, ",-5") : l)),
        message: 'line 6: count must be a whole number ≥ 0, found "-5"',
      },
      {
        name: "a count that is not whole",
        edit: (lines) => lines.map((l, i) => (i === 1 ? l.replace(/,\d+$/, ",12.5") : l)),
        message: 'line 2: count must be a whole number ≥ 0, found "12.5"',
      },
      {
        name: "a cell given twice",
        edit: (lines) => [...lines, '"ahus","16-24",99'],
        message: "line 42: the cell area=ahus, age_group=16-24 is given twice (first on line 4)",
      },
    ];

    for (const c of cases) {
      it(c.name, async () => {
        const result = await importFile(2021, csvFile("bad.csv", fixtureWith(c.edit)));
        expect(result.code).toBe(1);
        expect(result.stderr).toContain("row(s) are not valid; nothing was stored:");
        expect(result.stderr).toContain(c.message);
        expect(result.stdout).toBe("");
        expect(await getEditionByYear({ db: getDb(), seriesId: SERIES, year: 2021 })).toBeUndefined();
        expect(await getPopulation({ db: getDb(), editionId: "trygghetsmatning-2021" })).toBeNull();
      });
    }

    it("lists every bad line at once, and leaves a stored table as it was", async () => {
      const before = await getPopulation({ db: getDb(), editionId: "trygghetsmatning-2024" });
      expect(before?.rows).toHaveLength(40);
      const text = fixtureWith((lines) =>
        lines.map((l, i) => (i === 2 ? l.replace(/,\d+$/, ",-1") : i === 8 ? l.replace('"everod"', '"lund"') : l)),
      );
      const result = await importFile(2024, csvFile("two-bad.csv", text));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("2 row(s) are not valid; nothing was stored:");
      expect(result.stderr).toContain('line 3: count must be a whole number ≥ 0, found "-1"');
      expect(result.stderr).toContain('line 9: unknown area "lund"');
      expect(await getPopulation({ db: getDb(), editionId: "trygghetsmatning-2024" })).toEqual(before);
    });
  });

  it("answers usage errors with exit code 2", async () => {
    const neither = await cli("import-population", "--series", SERIES, "--year", "2024");
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("give either --file or --from-scb");
    expect(neither.stderr).toContain("Usage: npm run cli -- import-population --series trygghetsmatning --year 2024 (--file population.csv | --from-scb");
    const both = await cli("import-population", "--series", SERIES, "--year", "2024", "--file", fixture, "--from-scb");
    expect(both.code).toBe(2);
    const noFile = await cli("import-population", "--series", SERIES, "--year", "2024", "--file", path.join(dir, "nope.csv"));
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("No such file");
    const badYear = await cli("import-population", "--series", SERIES, "--year", "twenty", "--file", fixture);
    expect(badYear.code).toBe(2);
  });
});

describe("weightingStatus", () => {
  it("names population cells without respondents and respondents without population, and counts those left out", async () => {
    // A year with a population table and hand-made design rows (measure '*'): gender is summed over.
    await importFile(2030, fixture);
    const cell = (area: string, gender: string, age_group: string, n: number) => ({
      edition_id: "trygghetsmatning-2030",
      measure_key: "*",
      area,
      gender,
      age_group,
      n,
      sum_y: 0,
      sum_y2: 0,
      n_dont_know: 0,
    });
    await getDb()
      .insertInto("cell_stat")
      .values([cell("ahus", "woman", "16-24", 3), cell("ahus", "man", "16-24", 2), cell("ahus", "", "25-44", 4), cell("", "man", "45-64", 7), cell("tollarp", "woman", "", 1)])
      .execute();
    await getDb()
      .updateTable("population_cell")
      .set({ count: 0 })
      .where("edition_id", "=", "trygghetsmatning-2030")
      .where("area", "=", "ahus")
      .where("age_group", "=", "25-44")
      .execute();

    const status = await weightingStatus({ db: getDb(), editionId: "trygghetsmatning-2030", variables: ["area", "age_group"] });
    expect(status.possible).toBe(false);
    expect(status.reason).toBe("incomplete");
    expect(status.respondents).toBe(9);
    expect(status.respondentsLeftOut).toBe(8);
    expect(status.missingCells).toEqual([]);
    expect(status.unmatchedCells).toEqual(["area=ahus, age_group=25-44"]);
    expect(status.emptyCells).toHaveLength(38);
    expect(status.emptyCells).not.toContain("area=ahus, age_group=16-24");
    expect(status.message).toMatch(/^Weighted figures are not possible for 2030: 38 cell\(s\) have no respondents yet \(.*; and 33 more\); 1 cell\(s\) have respondents but no population \(area=ahus, age_group=25-44\); unweighted figures will be shown\.$/);

    const byGender = await weightingStatus({ db: getDb(), editionId: "trygghetsmatning-2030", variables: ["area", "gender", "age_group"] });
    expect(byGender.reason).toBe("variables_differ");
    expect(byGender.message).toContain("the population table is by area × age_group but the series weights by area × gender × age_group");

    const none = await weightingStatus({ db: getDb(), editionId: "trygghetsmatning-2024", variables: ["area", "age_group"] });
    expect(none.possible).toBe(true);
  });
});
