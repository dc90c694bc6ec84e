/**
 * The results pages and the results cache (issue 16, decision 024) on the results dataset:
 * - warm medians of the analysts' dashboard HTML and of the public results page's HTML, both as
 *   served (the page cache keeps the public HTML) and rendered afresh (a query string bypasses the
 *   page cache; the results documents still come from the results cache);
 * - the spike: the public page and the results API at 32 clients with autocannon;
 * - the public page's bytes on a first visit in Chromium.
 * Every answer is checked for status 200, so a fast error is never reported as a fast answer.
 */
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { openDatabase } from "~/db/db.server";
import { createUser } from "~/models/user.server";
import { measurePageWeight, type PageWeight } from "./page-weight";
import { RESULTS_PATH } from "./results-api";
import type { BenchServer } from "./server";
import { median } from "./stats";
import type { BenchDatabase } from "./target";

export const PUBLIC_PATH = "/resultat/2025";
export const DASHBOARD_PATH = "/personal/resultat?ar=2025";

export interface SpikeLevel {
  path: string;
  connections: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export interface ResultsPagesTiming {
  dashboardMedianMs: number;
  publicCachedMedianMs: number;
  publicRenderedMedianMs: number;
  spike: SpikeLevel[];
  publicPage: PageWeight | null;
  publicPageError: string | null;
}

async function timed(url: string, headers: Record<string, string> = {}): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, { headers: { "Accept-Encoding": "gzip", ...headers }, redirect: "manual" });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return performance.now() - start;
}

async function medianOf(n: number, url: string, headers: Record<string, string> = {}): Promise<number> {
  const samples: number[] = [];
  await timed(url, headers); // warm
  for (let i = 0; i < n; i++) samples.push(await timed(url, headers));
  return Math.round(median(samples) * 10) / 10;
}

async function signInBench(server: BenchServer, database: BenchDatabase): Promise<string> {
  const email = `bench-analyst-${Date.now()}@example.invalid`;
  const password = "bench-analyst-password-1";
  const db = openDatabase(database.config);
  try {
    await createUser({ db, email, role: "analyst", password });
  } finally {
    await db.destroy();
  }
  // The sign-in form's token and its pre-session cookie first (decision 021), as a browser gets them.
  const form = await fetch(`${server.url}/logga-in`, { redirect: "manual" });
  const token = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const formCookie = form.headers.getSetCookie().find((c) => /^(?:__Host-)?td_form=/.test(c))?.split(";")[0];
  if (!token || !formCookie) throw new Error(`No sign-in form token (GET /logga-in answered ${form.status})`);
  const res = await fetch(`${server.url}/logga-in?index`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: formCookie },
    body: new URLSearchParams({ csrf: token, email, password, redirectTo: "/personal" }),
  });
  if (res.status !== 302) throw new Error(`Bench sign-in answered ${res.status}`);
  const session = res.headers.getSetCookie().find((c) => /^(?:__Host-)?td_session=/.test(c))?.split(";")[0];
  if (!session) throw new Error("Bench sign-in set no session cookie");
  return session;
}

async function spike(server: BenchServer, path: string, connections: number, seconds: number): Promise<SpikeLevel> {
  const result = await autocannon({ url: server.url + path, connections, duration: seconds, headers: { "Accept-Encoding": "gzip" } });
  const r = result as unknown as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number; "2xx": number };
  return {
    path,
    connections,
    perSecond: Math.round(r["2xx"] / seconds),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

export async function timeResultsPages({
  server,
  database,
  warmRequests,
  spikeSeconds,
  log,
}: {
  server: BenchServer;
  database: BenchDatabase;
  warmRequests: number;
  spikeSeconds: number;
  log: (line: string) => void;
}): Promise<ResultsPagesTiming> {
  const cookie = await signInBench(server, database);
  log(`Results pages: dashboard and public page, ${warmRequests} warm requests each`);
  const dashboardMedianMs = await medianOf(warmRequests, server.url + DASHBOARD_PATH, { Cookie: cookie });
  const publicCachedMedianMs = await medianOf(warmRequests, server.url + PUBLIC_PATH);
  const publicRenderedMedianMs = await medianOf(warmRequests, `${server.url}${PUBLIC_PATH}?lang=sv`);
  const spikes: SpikeLevel[] = [];
  for (const path of [PUBLIC_PATH, RESULTS_PATH]) {
    log(`Spike: ${path} at 32 clients, ${spikeSeconds} s`);
    spikes.push(await spike(server, path, 32, spikeSeconds));
  }
  let publicPage: PageWeight | null = null;
  let publicPageError: string | null = null;
  try {
    // Usable once its charts are drawn (Chart.js is loaded only on pages with charts).
    publicPage = await measurePageWeight(server.url + PUBLIC_PATH, "sv-SE", "main canvas");
  } catch (error) {
    publicPageError = (error as Error).message;
  }
  return { dashboardMedianMs, publicCachedMedianMs, publicRenderedMedianMs, spike: spikes, publicPage, publicPageError };
}
