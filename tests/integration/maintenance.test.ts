/**
 * Recomputing figures, changing a measure definition, deleting a year's raw answers, and the
 * SQLite online backup and restore — through the CLI on real databases.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, getDatabaseKind, openDatabase } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { importResponses } from "~/models/import.server";
import { getResults } from "~/models/results.server";
import { ROOT } from "../helpers/app-server";
import { STATS_FIXTURES_DIR } from "../helpers/shared";

const tmp = process.env.TD_TEST_DIR!;

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", "app/cli/main.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

const query = { seriesId: "trygghetsmatning", by: "area" as const, weighted: false };

beforeAll(async () => {
  const db = getDb();
  await migrateToLatest(db);
  for (const year of [2023, 2024]) {
    const csvText = fs.readFileSync(path.join(STATS_FIXTURES_DIR, `responses-${year}.csv`), "utf8");
    await importResponses({ db, seriesId: "trygghetsmatning", year, csvText });
  }
}, 60_000);

describe("recompute", () => {
  it("rebuilds the same figures from the stored answers, also after the cell statistics were damaged", async () => {
    const db = getDb();
    const before = await getResults({ db, ...query, year: 2024 });
    await db.updateTable("cell_stat").set({ sum_y: 0 }).where("edition_id", "=", "trygghetsmatning-2024").execute();
    const damaged = await getResults({ db, ...query, year: 2024 });
    expect(damaged).not.toEqual(before);
    const out = cli(["recompute", "--series", "trygghetsmatning", "--year", "2024"]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/trygghetsmatning-2024: 900 responses, measures version 2/);
    const after = await getResults({ db, ...query, year: 2024 });
    expect(after.measures.length).toBe(before.measures.length);
    after.measures.forEach((m, i) => {
      const b = before.measures[i];
      expect(m.n).toBe(b.n);
      if (b.estimate === null) expect(m.estimate).toBeNull();
      else expect(Math.abs(m.estimate! - b.estimate) / Math.max(1e-12, Math.abs(b.estimate))).toBeLessThan(1e-12);
    });
  });

  it("adopts a changed definition as a new version and refuses to compare that measure with earlier years", async () => {
    const surveys = path.join(tmp, "surveys");
    fs.cpSync(path.join(ROOT, "surveys"), surveys, { recursive: true });
    const file = path.join(surveys, "trygghetsmatning/measures.json");
    const set = JSON.parse(fs.readFileSync(file, "utf8"));
    set.version = "3";
    set.measures.find((m: { key: string }) => m.key === "avoid_share").positive = [2, 3, 4];
    fs.writeFileSync(file, JSON.stringify(set, null, 2));
    const out = cli(["recompute", "--series", "trygghetsmatning", "--year", "2024", "--update-definitions"], { SURVEYS_DIR: surveys });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/measures version 3; changed definitions: avoid_share/);
    const doc = await getResults({ db: getDb(), ...query, by: null, year: 2024, compareTo: 2023 });
    expect(doc.measureSetVersion).toBe("3");
    const avoid = doc.comparison!.measures.find((m) => m.key === "avoid_share")!;
    expect(avoid).toMatchObject({ comparable: false, reason: "definition_changed" });
    const safety = doc.comparison!.measures.find((m) => m.key === "safety_index")!;
    expect(safety.comparable).toBe(true);
  });
});

describe("delete-answers", () => {
  it("deletes a year's raw answers, free text included, and keeps its figures", async () => {
    const db = getDb();
    const before = await getResults({ db, ...query, year: 2023 });
    expect(cli(["delete-answers", "--series", "trygghetsmatning", "--year", "2023"]).status).toBe(2);
    const out = cli(["delete-answers", "--series", "trygghetsmatning", "--year", "2023", "--confirm"]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Deleted 900 raw answers of trygghetsmatning-2023/);
    const left = await db.selectFrom("response").select("id").where("edition_id", "=", "trygghetsmatning-2023").execute();
    expect(left).toHaveLength(0);
    const after = await getResults({ db, ...query, year: 2023 });
    expect(after).toEqual(before);
    const again = cli(["recompute", "--series", "trygghetsmatning", "--year", "2023"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/raw answers .* were deleted/);
  });
});

describe("backup and restore (SQLite)", () => {
  it("backs up online to a new file and restores it into an empty database", async () => {
    const source = path.join(tmp, "live.sqlite");
    const env = { DATABASE_URL: source };
    const imported = cli(["import-responses", "--series", "trygghetsmatning", "--year", "2024", "--file", path.join(STATS_FIXTURES_DIR, "responses-2024.csv")], env);
    expect(imported.status, imported.stderr).toBe(0);
    const backupFile = path.join(tmp, "backup.sqlite");
    const out = cli(["backup", "--file", backupFile], env);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/integrity check ok/);
    expect(cli(["backup", "--file", backupFile], env).stderr).toMatch(/exists already/);

    const restoredFile = path.join(tmp, "restored.sqlite");
    expect(cli(["restore", "--file", backupFile], { DATABASE_URL: restoredFile }).status).toBe(2);
    const restored = cli(["restore", "--file", backupFile, "--confirm"], { DATABASE_URL: restoredFile });
    expect(restored.status, restored.stderr).toBe(0);
    const db = openDatabase({ kind: "sqlite", filename: restoredFile });
    try {
      const n = await db.selectFrom("response").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(900);
      const cells = await db.selectFrom("cell_stat").select("n").where("measure_key", "=", "*").execute();
      expect(cells.reduce((s, c) => s + Number(c.n), 0)).toBe(900);
    } finally {
      await db.destroy();
    }
    const garbage = path.join(tmp, "garbage.sqlite");
    fs.writeFileSync(garbage, "not a database");
    expect(cli(["restore", "--file", garbage, "--confirm"], { DATABASE_URL: restoredFile }).status).toBe(1);
  }, 120_000);

  it("refuses backup on PostgreSQL with a pointer to pg_dump", () => {
    const out = cli(["backup", "--file", path.join(tmp, "x.sqlite")], { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/pg_dump/);
    expect(["sqlite", "postgres"]).toContain(getDatabaseKind());
  });
});
