/**
 * What invitation-code checks cost a submission (issue 19): the real server, one database, and
 * alternating rounds at the same concurrency of POST /api/responses without a code (the open
 * 2025 edition) and with a fresh, valid code each (a code-only edition of this year with enough
 * codes): the codes resolved and their uses inserted inside the group commit, one query each per
 * batch. Reports each condition's median over rounds of the
 * per-round median latency (p50), and their ratio. The machine may be shared: only the
 * alternating, same-run comparison means anything.
 *
 *   npm run build && npx tsx bench/codes.ts [--rounds 6] [--duration 5] [--connections 32]
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { closeDb, getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { createInvitations, formatCode, peoplePerArea } from "~/models/invitation.server";
import { publishYear } from "~/models/publishing.server";
import { publishPlannedEditions } from "~/models/survey.server";
import { startServer } from "../tests/helpers/app-server";
import { answerPool } from "./load";

const { values } = parseArgs({ options: { rounds: { type: "string" }, duration: { type: "string" }, connections: { type: "string" } } });
const rounds = Number(values.rounds ?? 6);
const duration = Number(values.duration ?? 5);
const connections = Number(values.connections ?? 32);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-bench-codes-"));
process.env.DATABASE_URL = path.join(dir, "bench.sqlite");
const db = getDb();
await migrateToLatest(db);
await publishPlannedEditions({ db });
const year = new Date().getUTCFullYear();
const { edition } = await publishYear({ db, seriesId: "trygghetsmatning", year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31`, access: "code" });
// Enough codes for every request of every "with" round at ~1,000 a second.
const perArea = Math.ceil((rounds * duration * 1500) / 10);
await createInvitations({ db, editionId: edition.id, people: peoplePerArea(edition, perArea) });
const codes = (await db.selectFrom("invitation").select("code").where("edition_id", "=", edition.id).execute()).map((r) => formatCode(r.code));
await closeDb();
console.log(`${codes.length} codes for ${edition.id}; ${rounds} rounds of ${duration} s at ${connections} clients`);

const server = await startServer({ DATABASE_URL: process.env.DATABASE_URL, RATE_LIMIT_SUBMISSIONS: "off" });
const pool = answerPool(5000);
let next = 0;
let nextCode = 0;

async function round(withCode: boolean): Promise<{ p50: number; p99: number; created: number; other: number }> {
  const counts: Record<string, number> = {};
  const result = await autocannon({
    url: server.url,
    connections,
    duration,
    requests: [
      {
        method: "POST",
        path: "/api/responses",
        headers: { "Content-Type": "application/json" },
        setupRequest: (request) => {
          const survey = withCode ? edition.id : "trygghetsmatning-2025";
          const code = withCode ? `,"code":"${codes[nextCode++ % codes.length]}"` : "";
          return { ...request, body: `{"survey":"${survey}","clientId":"${randomUUID()}","channel":"web","answers":${pool[next++ % pool.length]}${code}}` };
        },
        onResponse: (status) => {
          counts[status] = (counts[status] ?? 0) + 1;
        },
      },
    ],
  });
  const created = counts["201"] ?? 0;
  return { p50: result.latency.p50, p99: result.latency.p99, created, other: Object.values(counts).reduce((a, b) => a + b, 0) - created };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  await round(false); // warm-up of both paths
  await round(true);
  const without: number[] = [];
  const withCodes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const withCode of i % 2 ? [true, false] : [false, true]) {
      const r = await round(withCode);
      (withCode ? withCodes : without).push(r.p50);
      console.log(`round ${i + 1} ${withCode ? "with code   " : "without code"}: p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.created} stored, ${r.other} not 201`);
      if (r.other > 0) process.exitCode = 1;
    }
  }
  const a = median(without);
  const b = median(withCodes);
  console.log(`median p50 without code: ${a} ms; with code: ${b} ms; added ${(((b - a) / a) * 100).toFixed(1)} %`);
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
