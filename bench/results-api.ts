/**
 * Latency of the results API on the generated dataset: one cold request right after the server
 * started, then sequential warm ones. Checks that the answer is what it should be (weighted,
 * with the comparison, counting every stored 2025 respondent), so a fast error is never reported
 * as a fast answer.
 */
import { performance } from "node:perf_hooks";
import { median, percentile } from "./stats";
import type { BenchServer } from "./server";

export const RESULTS_PATH = "/api/results/trygghetsmatning?year=2025&by=area&weighted=true&compareTo=2024";

export interface ResultsTiming {
  path: string;
  coldMs: number;
  warm: { requests: number; medianMs: number; p95Ms: number; minMs: number; maxMs: number };
  warmSamplesMs: number[];
  /** Size of the JSON body (uncompressed). */
  bodyBytes: number;
  respondents: number;
  weighted: boolean;
}

async function timedGet(url: string): Promise<{ ms: number; status: number; text: string }> {
  const start = performance.now();
  const response = await fetch(url, { headers: { "Accept-Encoding": "gzip" } });
  const text = await response.text();
  return { ms: performance.now() - start, status: response.status, text };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

export async function timeResults({
  server,
  warmRequests,
  expectedRespondents,
}: {
  server: BenchServer;
  warmRequests: number;
  expectedRespondents: number;
}): Promise<ResultsTiming> {
  const url = server.url + RESULTS_PATH;
  const cold = await timedGet(url);
  if (cold.status !== 200) throw new Error(`GET ${RESULTS_PATH} answered ${cold.status}: ${cold.text.slice(0, 1000)}`);
  const doc = JSON.parse(cold.text) as { respondents: number; weighted: boolean; comparison?: unknown };
  if (doc.respondents !== expectedRespondents) {
    throw new Error(`The results count ${doc.respondents} respondents for 2025, expected ${expectedRespondents}`);
  }
  if (!doc.comparison) throw new Error("The results have no comparison with 2024");
  const samples: number[] = [];
  for (let i = 0; i < warmRequests; i++) {
    const r = await timedGet(url);
    if (r.status !== 200) throw new Error(`Warm request ${i + 1} answered ${r.status}: ${r.text.slice(0, 500)}`);
    samples.push(r.ms);
  }
  return {
    path: RESULTS_PATH,
    coldMs: round(cold.ms),
    warm: {
      requests: samples.length,
      medianMs: round(median(samples)),
      p95Ms: round(percentile(samples, 95)),
      minMs: round(Math.min(...samples)),
      maxMs: round(Math.max(...samples)),
    },
    warmSamplesMs: samples.map(round),
    bodyBytes: Buffer.byteLength(cold.text),
    respondents: doc.respondents,
    weighted: doc.weighted,
  };
}
