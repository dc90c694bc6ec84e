/**
 * Submission load: POST /api/responses through the real server with autocannon, one level of
 * concurrency at a time. Every request carries a fresh clientId and one of a pool of answer
 * sets from the seeded generator, so the server validates, scores and stores a different,
 * realistic response each time. We count status codes ourselves and remember which clientIds
 * were still in flight when a level stopped, so the row count can be checked exactly.
 */
import { randomUUID } from "node:crypto";
import autocannon, { type Result } from "autocannon";
import { loadSeries } from "~/surveys/files.server";
import { generateSurveyAnswers } from "~/surveys/synthetic";
import { assertAlive, sampleMemory, type BenchServer } from "./server";

export const SURVEY = "trygghetsmatning-2025";
const POOL_SIZE = 20_000;
const POOL_SEED = 20250401;

export interface LevelResult {
  label: string;
  connections: number;
  durationSeconds: number;
  /** Responses received (any status). */
  responses: number;
  /** 201 Created: validated and stored. */
  created: number;
  statusCounts: Record<string, number>;
  non2xx: number;
  /** Connection errors and timeouts (autocannon). */
  errors: number;
  timeouts: number;
  /** Requests sent whose answer had not come back when the level stopped. */
  inFlightAtStop: number;
  /** 201s per second over the level. */
  createdPerSecond: number;
  /** Median of autocannon's per-second response counts. */
  medianPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Highest VmRSS of the server sampled during the level, MB. */
  serverPeakRssMb: number | null;
}

export interface LoadResult {
  precheck: { sent: number; created: number };
  levels: LevelResult[];
  /** Every 201 of the precheck, warm-up and levels. */
  totalCreated: number;
  /** clientIds sent but unanswered when a level stopped: they may or may not be stored. */
  inFlightClientIds: string[];
  /** A few bodies of non-2xx answers, to say what went wrong. */
  errorSamples: string[];
}

/** Answer sets as JSON text, from the generator, for the 2025 edition's areas. */
export function answerPool(size = POOL_SIZE): string[] {
  const definition = loadSeries("trygghetsmatning");
  const areas = definition.areas?.areas.map((a) => a.code) ?? [];
  return generateSurveyAnswers({ areas, year: 2025, count: size, seed: POOL_SEED }).map((a) => JSON.stringify(a));
}

function body(clientId: string, answers: string): string {
  return `{"survey":"${SURVEY}","clientId":"${clientId}","channel":"web","answers":${answers}}`;
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export async function runLoad({
  server,
  levels,
  durationSeconds,
  warmupSeconds,
  log,
}: {
  server: BenchServer;
  levels: number[];
  durationSeconds: number;
  warmupSeconds: number;
  log: (line: string) => void;
}): Promise<LoadResult> {
  const pool = answerPool();
  let next = 0;
  const inFlight = new Set<string>();
  const errorSamples: string[] = [];
  let totalCreated = 0;

  // A few requests one by one first: if the server refuses generated answers, say why at once
  // instead of after a minute of 400s.
  const precheck = { sent: 0, created: 0 };
  for (let i = 0; i < 10; i++) {
    const clientId = randomUUID();
    const response = await fetch(`${server.url}/api/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: body(clientId, pool[next++ % pool.length]),
    });
    const text = await response.text();
    precheck.sent++;
    if (response.status === 201) precheck.created++;
    else throw new Error(`Pre-check: POST /api/responses answered ${response.status}, expected 201:\n${text.slice(0, 2000)}`);
  }
  totalCreated += precheck.created;

  const runLevel = async (label: string, connections: number, seconds: number): Promise<LevelResult> => {
    assertAlive(server);
    const statusCounts: Record<string, number> = {};
    const memory = sampleMemory(server.pid);
    const instance = autocannon({
      url: server.url,
      connections,
      duration: seconds,
      pipelining: 1,
      timeout: 30,
      requests: [
        {
          method: "POST",
          path: "/api/responses",
          headers: { "Content-Type": "application/json" },
          setupRequest: (request, context) => {
            const clientId = randomUUID();
            context.clientId = clientId;
            inFlight.add(clientId);
            return { ...request, body: body(clientId, pool[next++ % pool.length]) };
          },
          onResponse: (status, responseBody, context) => {
            inFlight.delete(context.clientId as string);
            statusCounts[status] = (statusCounts[status] ?? 0) + 1;
            if ((status < 200 || status > 299) && errorSamples.length < 5) errorSamples.push(`${status} ${responseBody.slice(0, 500)}`);
          },
        },
      ],
    });
    const result: Result = await instance;
    const peak = memory.stop();
    const created = statusCounts["201"] ?? 0;
    totalCreated += created;
    const responses = Object.values(statusCounts).reduce((a, b) => a + b, 0);
    const non2xx = Object.entries(statusCounts)
      .filter(([status]) => !status.startsWith("2"))
      .reduce((a, [, n]) => a + n, 0);
    if (non2xx !== result.non2xx) log(`  note: autocannon counted ${result.non2xx} non-2xx, we counted ${non2xx}`);
    return {
      label,
      connections,
      durationSeconds: result.duration,
      responses,
      created,
      statusCounts,
      non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      inFlightAtStop: 0, // filled below, once the level's stragglers are known
      createdPerSecond: round(created / result.duration),
      medianPerSecond: result.requests.p50,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: round(result.latency.mean, 2),
      },
      serverPeakRssMb: peak,
    };
  };

  const results: LevelResult[] = [];
  const allInFlight: string[] = [];
  const phases: [string, number, number][] = [
    ...(warmupSeconds > 0 ? ([["warm-up", 8, warmupSeconds]] as [string, number, number][]) : []),
    ...levels.map((c) => [`${c} client${c === 1 ? "" : "s"}`, c, durationSeconds] as [string, number, number]),
  ];
  for (const [label, connections, seconds] of phases) {
    log(`  ${label}: ${seconds} s…`);
    const level = await runLevel(label, connections, seconds);
    level.inFlightAtStop = inFlight.size;
    allInFlight.push(...inFlight);
    inFlight.clear();
    results.push(level);
    log(
      `  ${label}: ${level.createdPerSecond}/s stored, p50 ${level.latencyMs.p50} ms, p99 ${level.latencyMs.p99} ms, ` +
        `non-2xx ${level.non2xx}, errors ${level.errors}`,
    );
    // Let answers still being written finish before the next level measures.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assertAlive(server);
  }
  return { precheck, levels: results, totalCreated, inFlightClientIds: allInFlight, errorSamples };
}
