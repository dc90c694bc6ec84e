/**
 * When the database cannot take a write — locked by another process, or full — a submission
 * gets 503 with a retry hint, never a 500, and the answer is stored when it is sent again.
 * These faults are SQLite's (a file's lock and its size quota), so the server here runs on a
 * SQLite file of its own whatever database the suite uses.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import sqlite3 from "sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "~/db/db.server";
import { validAnswers } from "../helpers/answers";
import { postJson, startServer, type RunningServer } from "../helpers/app-server";

const dir = process.env.TD_TEST_DIR!;
let server: RunningServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function exec(db: sqlite3.Database, statement: string) {
  return new Promise<void>((resolve, reject) => db.exec(statement, (e) => (e ? reject(e) : resolve())));
}

async function countRows(file: string) {
  const db = openDatabase({ kind: "sqlite", filename: file });
  try {
    return Number((await db.selectFrom("response").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  } finally {
    await db.destroy();
  }
}

describe("database unavailable", () => {
  it("answers 503 with Retry-After while another process holds the write lock, then stores on retry", async () => {
    const file = path.join(dir, "locked.sqlite");
    server = await startServer({ DATABASE_URL: file, SQLITE_BUSY_TIMEOUT_MS: "300" });
    const url = `${server.url}/api/responses`;
    const warm = await postJson(url, { survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: validAnswers() });
    expect(warm.status).toBe(201);

    const other = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(file, (e) => (e ? reject(e) : resolve(db)));
    });
    await exec(other, "BEGIN IMMEDIATE");
    const clientId = randomUUID();
    const locked = await postJson(url, { survey: "trygghetsmatning-2025", clientId, answers: validAnswers() });
    expect(locked.status).toBe(503);
    expect(locked.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(locked.body.error).toMatch(/temporarily unavailable/);
    // Reading still works while the write lock is held.
    expect((await fetch(server.url)).status).toBe(200);

    await exec(other, "ROLLBACK");
    await new Promise<void>((resolve) => other.close(() => resolve()));
    const retried = await postJson(url, { survey: "trygghetsmatning-2025", clientId, answers: validAnswers() });
    expect(retried.status).toBe(201);
    expect(await countRows(file)).toBe(2);
    expect(server.output()).not.toMatch(/Internal error/);
  });

  it("answers 503 when the disk (the database's quota) is full, and never 500", async () => {
    const file = path.join(dir, "full.sqlite");
    // Start once to create the file, then restart with a quota just above its size.
    server = await startServer({ DATABASE_URL: file });
    await server.stop();
    const probe = openDatabase({ kind: "sqlite", filename: file });
    const { sql } = await import("kysely");
    const pages = Number((await sql<{ page_count: number }>`PRAGMA page_count`.execute(probe)).rows[0].page_count);
    await probe.destroy();
    server = await startServer({ DATABASE_URL: file, SQLITE_MAX_PAGES: String(pages + 6) });
    const url = `${server.url}/api/responses`;
    const statuses: number[] = [];
    let stored = 0;
    for (let i = 0; i < 200 && !statuses.includes(503); i++) {
      const res = await postJson(url, { survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: validAnswers({ suggestion: "x".repeat(1500) }) });
      statuses.push(res.status);
      if (res.status === 201) stored++;
      if (res.status === 503) expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    }
    expect(statuses).toContain(503);
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    await server.stop();
    server = undefined;
    expect(await countRows(file)).toBe(stored);
  }, 120_000);
});
