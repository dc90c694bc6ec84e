/**
 * Migrations run in order and stop on failure with the migration's name; a published edition
 * keeps its questionnaire and measures whatever happens to surveys/ afterwards.
 */
import fs from "node:fs";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, openDatabase } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { editionMeasures, getEdition, publishEdition } from "~/models/survey.server";
import { loadSeries } from "~/surveys/files.server";
import { ROOT, startServer } from "../helpers/app-server";

const tmp = process.env.TD_TEST_DIR!;

beforeAll(async () => {
  await migrateToLatest(getDb());
});

describe("migrations", () => {
  it("are all applied, and running them again does nothing", async () => {
    expect(await migrateToLatest(getDb())).toEqual([]);
  });

  it("stop at a failing migration, name it, and leave the ones after it unapplied", async () => {
    const db = openDatabase({ kind: "sqlite", filename: path.join(tmp, "failing.sqlite") });
    const migrations = {
      "20260101_0000_create_a": { up: async (k: Kysely<any>) => void (await k.schema.createTable("a").addColumn("id", "integer").execute()) },
      "20260101_0001_broken": { up: async (k: Kysely<any>) => void (await sql`CREATE TABLE a (id integer)`.execute(k)) },
      "20260101_0002_create_b": { up: async (k: Kysely<any>) => void (await k.schema.createTable("b").addColumn("id", "integer").execute()) },
    };
    await expect(migrateToLatest(db, { getMigrations: async () => migrations })).rejects.toThrow(
      /Migration failed \(20260101_0001_broken\): .*already exists/,
    );
    const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')`.execute(db);
    expect(tables.rows.map((t) => t.name)).toEqual(["a"]);
    await db.destroy();
  });
});

describe("the server start", () => {
  it("stops with the failing migration's error instead of serving a half-migrated database", async () => {
    const file = path.join(tmp, "conflict.sqlite");
    const db = openDatabase({ kind: "sqlite", filename: file });
    await sql`CREATE TABLE survey_series (something_else text)`.execute(db);
    await db.destroy();
    await expect(startServer({ DATABASE_URL: file })).rejects.toThrow(
      /exited with 1 before listening:[\s\S]*Start-up failed: Migration failed \(20261125_1600_create_core_tables\)/,
    );
  });
});

describe("a published edition", () => {
  it("keeps the questionnaire and measures it was published with when surveys/ changes", async () => {
    const db = getDb();
    const first = await publishEdition({ db, seriesId: "trygghetsmatning", year: 2019, status: "closed" });
    const surveys = path.join(tmp, "surveys-edited");
    fs.cpSync(path.join(ROOT, "surveys"), surveys, { recursive: true });
    const qFile = path.join(surveys, "trygghetsmatning/questionnaire.json");
    fs.writeFileSync(qFile, fs.readFileSync(qFile, "utf8").replace(/"Kön"/g, '"Kön (ändrad)"'));
    const mFile = path.join(surveys, "trygghetsmatning/measures.json");
    const measures = JSON.parse(fs.readFileSync(mFile, "utf8"));
    measures.version = "99";
    fs.writeFileSync(mFile, JSON.stringify(measures));
    const edited = loadSeries("trygghetsmatning", surveys);
    expect(JSON.stringify(edited.questionnaire)).toContain("Kön (ändrad)");

    const again = await publishEdition({ db, seriesId: "trygghetsmatning", year: 2019, status: "open", definition: edited });
    expect(again).toEqual(first);
    const stored = await getEdition({ db, id: "trygghetsmatning-2019" });
    expect(stored!.questionnaire_json).not.toContain("Kön (ändrad)");
    expect(editionMeasures(stored!)!.version).toBe(editionMeasures(first)!.version);
    expect(editionMeasures(stored!)!.version).not.toBe("99");
    // A new year published from the edited files gets the edited definition.
    const next = await publishEdition({ db, seriesId: "trygghetsmatning", year: 2018, status: "closed", definition: edited });
    expect(next.questionnaire_json).toContain("Kön (ändrad)");
    expect(next.definition_hash).not.toBe(first.definition_hash);
  });
});
