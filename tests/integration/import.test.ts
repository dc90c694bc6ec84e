/**
 * CSV import of a past year's responses, through the CLI, into a real database file.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { ImportError, importResponses } from "~/models/import.server";
import { ROOT } from "../helpers/app-server";
import { STATS_FIXTURES_DIR } from "../helpers/shared";

const fixture = path.join(STATS_FIXTURES_DIR, "responses-2024.csv");
const tmp = process.env.TD_TEST_DIR!;

function cli(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "app/cli/main.ts", ...args], { cwd: ROOT, encoding: "utf8", env: process.env });
}

async function count(editionId: string) {
  const row = await getDb()
    .selectFrom("response")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("edition_id", "=", editionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  await migrateToLatest(getDb());
});

describe("import-responses", () => {
  it("stores the 900 responses of the fixture, creating the 2024 edition, and reports progress", async () => {
    const out = cli(["import-responses", "--series", "trygghetsmatning", "--year", "2024", "--file", fixture]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Created edition trygghetsmatning-2024/);
    expect(out.stdout).toMatch(/Stored 900 responses/);
    expect(out.stderr).toMatch(/Validating: 900\/900 \(100 %\)/);
    expect(await count("trygghetsmatning-2024")).toBe(900);
    // Free text with quotes, commas and a line break arrives intact.
    const rows = await getDb().selectFrom("response").select("answers_json").where("edition_id", "=", "trygghetsmatning-2024").execute();
    const texts = rows.map((r) => JSON.parse(r.answers_json).suggestion).filter(Boolean);
    expect(texts.length).toBeGreaterThan(0);
    const row = await getDb().selectFrom("response").selectAll().where("edition_id", "=", "trygghetsmatning-2024").limit(1).executeTakeFirstOrThrow();
    expect(row.channel).toBe("import");
  });

  it("stores nothing new when the same file is imported again", async () => {
    const out = cli(["import-responses", "--series", "trygghetsmatning", "--year", "2024", "--file", fixture]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Stored 0 responses .*900 were already stored/);
    expect(await count("trygghetsmatning-2024")).toBe(900);
  });

  it("stores nothing from a file with one broken row and names its line", async () => {
    const lines = fs.readFileSync(fixture, "utf8").split("\n");
    // Line 11 of the file: replace its area with one that does not exist.
    lines[10] = lines[10].replace(/^"[^"]*"/, '"atlantis"');
    const broken = path.join(tmp, "broken.csv");
    fs.writeFileSync(broken, lines.join("\n"));
    const out = cli(["import-responses", "--series", "trygghetsmatning", "--year", "2023", "--file", broken]);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/1 row\(s\) are not valid; nothing was stored/);
    expect(out.stderr).toMatch(/line 11: area: Not one of the listed values: "atlantis"/);
    expect(await count("trygghetsmatning-2023")).toBe(0);
    const edition = await getDb().selectFrom("survey_edition").select("id").where("id", "=", "trygghetsmatning-2023").executeTakeFirst();
    expect(edition).toBeUndefined();
  });

  it("reports every bad row, unknown columns and a wrong field count", async () => {
    const header = '"area","age_group","shoe_size"';
    const text = [header, '"ahus","16-24","42"', '"ahus","99-99","1"', '"ahus"'].join("\n");
    await expect(importResponses({ db: getDb(), seriesId: "trygghetsmatning", year: 2022, csvText: text })).rejects.toSatisfy(
      (e: unknown) => {
        const problems = (e as ImportError).problems.map((p) => `${p.line}: ${p.messages.join("; ")}`);
        expect(problems).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^1: unknown column\(s\): shoe_size/),
            expect.stringMatching(/^3: .*age_group/),
            expect.stringMatching(/^4: expected 3 fields, found 1/),
          ]),
        );
        return true;
      },
    );
    expect(await count("trygghetsmatning-2022")).toBe(0);
  });

  it("imports through `npm run cli` too (the bundled build/cli.mjs once `npm run build` has made it)", async () => {
    // Another file for the same answers (clientIds come from the file's bytes): a header name
    // with a space after it, which the import trims.
    const lines = fs.readFileSync(fixture, "utf8").split("\n");
    expect(lines[0]).toMatch(/^"area",/);
    lines[0] = lines[0].replace(/^"area",/, '"area ",');
    const copy = path.join(tmp, "responses-2021.csv");
    fs.writeFileSync(copy, lines.join("\n"));
    const out = spawnSync(process.execPath, ["scripts/run-cli.mjs", "import-responses", "--series", "trygghetsmatning", "--year", "2021", "--file", copy], {
      cwd: ROOT,
      encoding: "utf8",
      env: process.env,
    });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Stored 900 responses in trygghetsmatning-2021/);
    expect(await count("trygghetsmatning-2021")).toBe(900);
  });

  it("refuses bad arguments with the usage line", () => {
    const missing = cli(["import-responses", "--series", "trygghetsmatning", "--year", "2024"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--file is required/);
    const noFile = cli(["import-responses", "--series", "trygghetsmatning", "--year", "2024", "--file", "/nonexistent.csv"]);
    expect(noFile.status).toBe(2);
    expect(noFile.stderr).toMatch(/No such file/);
    const unknown = cli(["import-responses", "--bogus"]);
    expect(unknown.status).toBe(2);
  });
});
