/**
 * Crash safety: the server is killed with SIGKILL in the middle of a load of submissions and
 * restarted. Every response that got a 201 (or 200) must be there, and nothing half-written.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, getDatabaseKind } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { generateSurveyAnswers } from "~/surveys/synthetic";
import { postJson, startServer, type RunningServer } from "../helpers/app-server";
import { consistencyProblems } from "../helpers/consistency";
import { sql } from "kysely";

const EDITION = "trygghetsmatning-2025";
let server: RunningServer | undefined;

beforeAll(async () => {
  await migrateToLatest(getDb());
});

afterAll(async () => {
  await server?.stop("SIGKILL");
});

describe("SIGKILL during a load of submissions", () => {
  it("keeps every acknowledged response and leaves nothing half-written", async () => {
    server = await startServer({ RATE_LIMIT_SUBMISSIONS: "off" });
    const url = `${server.url}/api/responses`;
    const pool = generateSurveyAnswers({ areas: ["ahus", "tollarp", "degeberga"], year: 2025, count: 400, seed: 99 });
    const acknowledged = new Map<string, string>();
    const unacknowledged: { clientId: string; answers: Record<string, unknown> }[] = [];
    let sent = 0;
    let killed = false;

    const client = async (k: number) => {
      for (let i = k; !killed; i += 16) {
        const clientId = randomUUID();
        const answers = pool[i % pool.length] as Record<string, unknown>;
        sent++;
        try {
          const res = await postJson(url, { survey: EDITION, clientId, answers });
          if (res.status === 201 || res.status === 200) acknowledged.set(clientId, res.body.id);
          else unacknowledged.push({ clientId, answers });
        } catch {
          unacknowledged.push({ clientId, answers });
        }
      }
    };
    const clients = Array.from({ length: 16 }, (_, k) => client(k));
    // Kill once a good number has been acknowledged, while the clients keep sending.
    while (acknowledged.size < 150) await new Promise((r) => setTimeout(r, 10));
    await server.stop("SIGKILL");
    killed = true;
    await Promise.all(clients);
    console.log(`crash test: ${sent} submissions sent, ${acknowledged.size} acknowledged before SIGKILL, ${unacknowledged.length} cut off`);

    server = await startServer({ RATE_LIMIT_SUBMISSIONS: "off" });
    const db = getDb();
    const stored = new Map(
      (await db.selectFrom("response").select(["id", "client_id"]).where("edition_id", "=", EDITION).execute()).map((r) => [r.client_id, r.id]),
    );
    const lost = [...acknowledged].filter(([clientId, id]) => stored.get(clientId) !== id);
    expect(lost).toEqual([]);
    expect(await consistencyProblems(db, EDITION)).toEqual([]);
    if (getDatabaseKind() === "sqlite") {
      const check = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
      expect(check.rows[0].integrity_check).toBe("ok");
    }

    // The cut-off ones are sent again by their clients (the outbox does this): each ends up once.
    for (const { clientId, answers } of unacknowledged) {
      const res = await postJson(`${server.url}/api/responses`, { survey: EDITION, clientId, answers });
      expect([200, 201]).toContain(res.status);
    }
    const total = await db.selectFrom("response").select("client_id").where("edition_id", "=", EDITION).execute();
    expect(total.length).toBe(acknowledged.size + unacknowledged.length);
    expect(new Set(total.map((r) => r.client_id)).size).toBe(total.length);
    expect(await consistencyProblems(db, EDITION)).toEqual([]);
  }, 180_000);
});
