/**
 * Several server processes on one database (PostgreSQL in the PostgreSQL run, one SQLite file
 * otherwise): submissions spread over them, with the same clientId sent to different processes
 * at once, are stored exactly once each, and the figures agree with the stored answers.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { generateSurveyAnswers } from "~/surveys/synthetic";
import { postJson, startServer, type RunningServer } from "../helpers/app-server";
import { consistencyProblems } from "../helpers/consistency";

const EDITION = "trygghetsmatning-2025";
const servers: RunningServer[] = [];

beforeAll(async () => {
  await migrateToLatest(getDb());
  for (let i = 0; i < 3; i++) servers.push(await startServer({ RATE_LIMIT_SUBMISSIONS: "off" }));
}, 180_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe("three server processes on one database", () => {
  it("store every submission exactly once", async () => {
    const answers = generateSurveyAnswers({ areas: ["ahus", "everod", "onnestad"], year: 2025, count: 240, seed: 5 });
    const clientIds = answers.map(() => randomUUID());
    const idsSeen = new Map<string, Set<string>>();
    const jobs: Promise<void>[] = [];
    answers.forEach((a, i) => {
      // Every answer goes to one process, every fourth also to the two others at the same time.
      const targets = i % 4 === 0 ? servers : [servers[i % servers.length]];
      for (const s of targets) {
        jobs.push(
          postJson(`${s.url}/api/responses`, { survey: EDITION, clientId: clientIds[i], answers: a }).then((res) => {
            expect([200, 201]).toContain(res.status);
            const set = idsSeen.get(clientIds[i]) ?? new Set<string>();
            set.add(res.body.id);
            idsSeen.set(clientIds[i], set);
          }),
        );
      }
    });
    await Promise.all(jobs);
    for (const [clientId, ids] of idsSeen) expect(ids.size, clientId).toBe(1);
    const rows = await getDb().selectFrom("response").select(["id", "client_id"]).where("edition_id", "=", EDITION).execute();
    expect(rows.length).toBe(answers.length);
    expect(new Set(rows.map((r) => r.client_id))).toEqual(new Set(clientIds));
    for (const r of rows) expect(idsSeen.get(r.client_id)?.has(r.id)).toBe(true);
    expect(await consistencyProblems(getDb(), EDITION)).toEqual([]);
  }, 120_000);
});
