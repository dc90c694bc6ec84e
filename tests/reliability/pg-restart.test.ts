/**
 * PostgreSQL restarted under a running server (`pg_ctl restart -m fast`, as an upgrade or a
 * failover does): the server stays up, answers 503 at once while the database is away, takes
 * answers again when it is back, and every answer it acknowledged is stored exactly once.
 *
 * The server runs on a throwaway PostgreSQL cluster of this file's own (a random port), whatever
 * database the suite uses: the test restarts that cluster, which it could not do to the suite's.
 * It therefore runs, the same, in both CI suites. tests/vitest.config.ts leaves it out where no
 * PostgreSQL server binaries are installed (CI installs them).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "~/db/db.server";
import { validAnswers } from "../helpers/answers";
import { postJson, ROOT, startServer, type RunningServer } from "../helpers/app-server";
import { consistencyProblems } from "../helpers/consistency";

const run = promisify(execFile);
const CLUSTER = path.join(ROOT, "tests/helpers/pg-cluster.sh");
const SURVEY = "trygghetsmatning-2025";
/** The server's PG_CONNECT_TIMEOUT_MS; no answer may take much longer than this. */
const CONNECT_TIMEOUT_MS = 2000;
const NO_HANG_MS = CONNECT_TIMEOUT_MS + 8000;

let dir: string;
let server: RunningServer;
let db: Db;

/** Every clientId sent, and the last status it got. */
const sent = new Map<string, number>();

async function cluster(...args: string[]): Promise<string> {
  return (await run(CLUSTER, args, { timeout: 90_000 })).stdout.trim();
}

async function submit(clientId: string = randomUUID()) {
  const started = Date.now();
  const res = await postJson(`${server.url}/api/responses`, { survey: SURVEY, clientId, answers: validAnswers() });
  sent.set(clientId, res.status);
  return { clientId, status: res.status, ms: Date.now() - started, body: res.body, headers: res.headers };
}

function expectAlive() {
  expect(server.child.exitCode, server.output()).toBeNull();
  expect(server.child.signalCode, server.output()).toBeNull();
}

async function until<T>(what: string, attempt: () => Promise<T | undefined>, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-pg-restart-"));
  let url = "";
  for (let attempt = 0; !url; attempt++) {
    const port = 40000 + Math.floor(Math.random() * 20000);
    try {
      url = await cluster("start", dir, String(port));
    } catch (error) {
      // Most likely the port was taken: a fresh directory and another port.
      await cluster("stop", dir).catch(() => {});
      if (attempt >= 2) throw error;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-pg-restart-"));
    }
  }
  server = await startServer({
    DATABASE_URL: url,
    PG_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    RATE_LIMIT_SUBMISSIONS: "off",
    VALIDATION_THREADS: "1",
  });
  db = openDatabase({ kind: "postgres", url }, { poolSize: 2 });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await db?.destroy();
  if (dir) await cluster("stop", dir);
});

describe("a PostgreSQL restart under the running server", () => {
  it("keeps the server up, answers 503 (not a hang) while the database is away, and loses nothing acknowledged", async () => {
    // 1. Some answers, which leave idle connections in the server's pool.
    for (let i = 0; i < 12; i++) expect((await submit()).status).toBe(201);

    // 2. A restart while those connections are idle: each is terminated (57P01).
    await cluster("restart", dir);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expectAlive();
    expect(server.output()).toMatch(/PostgreSQL closed an idle connection: terminating connection due to administrator command \(57P01\)/);
    await until("a 201 after the restart", async () => ((await submit()).status === 201 ? true : undefined));

    // 3. A restart under load: submissions in flight get 201 or 503, never a hang or a 500.
    let loading = true;
    const results: Awaited<ReturnType<typeof submit>>[] = [];
    const loaders = Array.from({ length: 4 }, async () => {
      while (loading) results.push(await submit());
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await cluster("restart", dir);
    await until("201s after the restart under load", async () => (results.slice(-4).every((r) => r.status === 201) ? true : undefined));
    loading = false;
    await Promise.all(loaders);
    expectAlive();
    expect(results.filter((r) => r.status !== 201 && r.status !== 503)).toEqual([]);
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(NO_HANG_MS);

    // 4. The database away: the API, a page and the results API all answer 503 quickly.
    await cluster("down", dir);
    const away = await submit();
    expect(away.status).toBe(503);
    expect(away.ms).toBeLessThan(NO_HANG_MS);
    expect(away.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(away.body.error).toMatch(/temporarily unavailable/);
    let started = Date.now();
    const page = await fetch(server.url, { headers: { "Accept-Language": "sv" } });
    expect(Date.now() - started).toBeLessThan(NO_HANG_MS);
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await page.text()).toContain("Tjänsten är tillfälligt otillgänglig");
    started = Date.now();
    const api = await fetch(`${server.url}/api/results/trygghetsmatning?year=2025`);
    expect(Date.now() - started).toBeLessThan(NO_HANG_MS);
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: string }).error).toMatch(/temporarily unavailable/);
    expectAlive();

    // 5. Back: answers are taken again, and every one not acknowledged is sent again (the
    // outbox's retry) and answered 201, or 200 if its commit had landed before the connection died.
    await cluster("up", dir);
    await until("a 201 once the database is back", async () => ((await submit()).status === 201 ? true : undefined));
    for (const [clientId, status] of sent) {
      if (status === 201 || status === 200) continue;
      const again = await submit(clientId);
      expect([200, 201]).toContain(again.status);
    }
    expectAlive();

    // 6. Every clientId is stored exactly once, and the figures agree with the stored answers.
    const acknowledged = [...sent.keys()];
    const rows = await db
      .selectFrom("response")
      .select(["client_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("client_id", "in", acknowledged)
      .groupBy("client_id")
      .execute();
    expect(rows.length).toBe(acknowledged.length);
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    const total = await db.selectFrom("response").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(total.n)).toBe(acknowledged.length);
    expect(await consistencyProblems(db, SURVEY)).toEqual([]);
    // The log has one line per lost connection and per deferred request, no stack traces.
    expect(server.output()).not.toMatch(/^\s+at /m);
    expect(server.output()).not.toMatch(/Internal error|Uncaught/);
  }, 240_000);
});
