/**
 * The Kysely dialect for the sqlite3 package, on real database files.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Sqlite3Dialect } from "~/db/sqlite-dialect.server";

interface TestDb {
  item: { id: number; label: string; parent_id: number | null };
  parent: { id: number };
}

let dir: string;
let db: Kysely<TestDb>;

function open(options: Partial<ConstructorParameters<typeof Sqlite3Dialect>[0]> = {}) {
  return new Kysely<TestDb>({ dialect: new Sqlite3Dialect({ filename: path.join(dir, "t.sqlite"), ...options }) });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-dialect-"));
  db = open();
  await db.schema.createTable("parent").addColumn("id", "integer", (c) => c.primaryKey()).execute();
  await db.schema
    .createTable("item")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("parent_id", "integer", (c) => c.references("parent.id"))
    .execute();
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("Sqlite3Dialect", () => {
  it("opens the file in WAL mode with foreign keys on and a busy timeout", async () => {
    const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db);
    expect(mode.rows[0].journal_mode).toBe("wal");
    const fk = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db);
    expect(fk.rows[0].foreign_keys).toBe(1);
    const timeout = await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(db);
    expect(timeout.rows[0].timeout).toBe(5000);
    await expect(db.insertInto("item").values({ id: 1, label: "x", parent_id: 999 }).execute()).rejects.toThrow(/FOREIGN KEY/);
  });

  it("inserts many rows in one statement, returns rows and counts changes", async () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({ id: i + 1, label: `row ${i}`, parent_id: null }));
    const result = await db.insertInto("item").values(rows).executeTakeFirst();
    expect(result.numInsertedOrUpdatedRows).toBe(500n);
    const returned = await db.insertInto("item").values({ id: 1000, label: "r", parent_id: null }).returning(["id", "label"]).execute();
    expect(returned).toEqual([{ id: 1000, label: "r" }]);
    const updated = await db.updateTable("item").set({ label: "z" }).where("id", "<=", 10).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(10n);
    const deleted = await db.deleteFrom("item").where("id", ">", 400).executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(101n);
  });

  it("commits a transaction as a whole and rolls back all of it on error", async () => {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("item").values({ id: 1, label: "a", parent_id: null }).execute();
      await trx.insertInto("item").values({ id: 2, label: "b", parent_id: null }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("item").values({ id: 3, label: "c", parent_id: null }).execute();
        await trx.insertInto("item").values({ id: 1, label: "duplicate", parent_id: null }).execute();
      }),
    ).rejects.toThrow(/UNIQUE/);
    const ids = (await db.selectFrom("item").select("id").orderBy("id").execute()).map((r) => r.id);
    expect(ids).toEqual([1, 2]);
    // The writer is usable again after the rollback.
    await db.insertInto("item").values({ id: 4, label: "d", parent_id: null }).execute();
  });

  it("runs concurrent transactions one after another without losing any write", async () => {
    await db.insertInto("item").values({ id: 1, label: "0", parent_id: null }).execute();
    await Promise.all(
      Array.from({ length: 25 }, () =>
        db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom("item").select("label").where("id", "=", 1).executeTakeFirstOrThrow();
          await new Promise((r) => setTimeout(r, 1));
          await trx.updateTable("item").set({ label: String(Number(row.label) + 1) }).where("id", "=", 1).execute();
        }),
      ),
    );
    const row = await db.selectFrom("item").select("label").where("id", "=", 1).executeTakeFirstOrThrow();
    expect(row.label).toBe("25");
  });

  it("serves reads from other connections while a write transaction is open", async () => {
    await db.insertInto("item").values({ id: 1, label: "before", parent_id: null }).execute();
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const trx = db.transaction().execute(async (t) => {
      await t.updateTable("item").set({ label: "inside" }).where("id", "=", 1).execute();
      await hold;
    });
    await new Promise((r) => setTimeout(r, 20));
    // Not blocked by the open transaction, and does not see its uncommitted write.
    const row = await db.selectFrom("item").select("label").where("id", "=", 1).executeTakeFirstOrThrow();
    expect(row.label).toBe("before");
    release();
    await trx;
    const after = await db.selectFrom("item").select("label").where("id", "=", 1).executeTakeFirstOrThrow();
    expect(after.label).toBe("inside");
  });

  it("waits for another process's lock up to busy_timeout, then fails with SQLITE_BUSY", async () => {
    const other = open({ busyTimeoutMs: 100 });
    await other.selectFrom("item").selectAll().execute();
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const holding = db.transaction().execute(async (t) => {
      await t.insertInto("item").values({ id: 1, label: "x", parent_id: null }).execute();
      await hold;
    });
    await new Promise((r) => setTimeout(r, 20));
    await expect(other.insertInto("item").values({ id: 2, label: "y", parent_id: null }).execute()).rejects.toMatchObject({
      code: "SQLITE_BUSY",
    });
    release();
    await holding;
    await other.insertInto("item").values({ id: 2, label: "y", parent_id: null }).execute();
    expect((await db.selectFrom("item").select("id").execute()).length).toBe(2);
    await other.destroy();
  });

  it("works on an in-memory database with a single connection", async () => {
    const mem = new Kysely<TestDb>({ dialect: new Sqlite3Dialect({ filename: ":memory:" }) });
    await mem.schema.createTable("parent").addColumn("id", "integer", (c) => c.primaryKey()).execute();
    await mem.insertInto("parent").values([{ id: 1 }, { id: 2 }]).execute();
    expect(await mem.selectFrom("parent").selectAll().execute()).toHaveLength(2);
    await mem.destroy();
  });
});
