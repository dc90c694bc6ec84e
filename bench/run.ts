/**
 * `npm run bench`: measures the real server (production build, spawned as a child process) on
 * SQLite, or PostgreSQL with `--db postgres`:
 *   1. validated submissions per second and latency at 1, 32 and 128 concurrent clients;
 *   2. results-API latency on 1,000,000 stored responses (cached in bench/.cache/);
 *   3. bytes the survey page transfers, cold and with a warm browser cache;
 *   4. the server's peak memory in both.
 * Prints a table and writes bench/results/<time>-<db>.json. Timings never fail the run; wrong
 * answers do (non-2xx submissions, a row count that does not match the 201s).
 * See bench/README.md.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "~/db/db.server";
import { countResponses } from "~/models/response.server";
import { prepareDataset, YEARS, type DatasetInfo } from "./dataset";
import { runLoad, SURVEY, type LevelResult, type LoadResult } from "./load";
import { timeImport, type ImportTiming } from "./import";
import { measurePageWeight, timeFirstQuestion, type FirstQuestionTiming, type PageWeight } from "./page-weight";
import { timeResults, type ResultsTiming } from "./results-api";
import { median } from "./stats";
import { timeResultsPages, type ResultsPagesTiming } from "./results-pages";
import { readMemory, ROOT, startBenchServer, type BenchServer } from "./server";
import { snapshotApp } from "./snapshot";
import { CACHE_DIR, postgresTarget, sqliteTarget, type BenchDatabase, type BenchTarget } from "./target";

const TARGETS = {
  submissionsPerSecond: 400,
  submissionP99Ms: 100,
  targetClients: 32,
  /** The app's 201s/s at 32 clients as a share of the bare floor server's, same run. */
  floorRatio: 0.5,
  floorRatioP99Ms: 50,
  importRowsPerSecond: 20_000,
  pageColdBytes: 400 * 1000,
  pageWarmBytes: 10 * 1000,
  firstQuestionMs: 3000,
  resultsWarmMs: 1000,
  peakMemoryMb: 300,
};

const USAGE = `Usage: npm run bench -- [options]

  --db sqlite|postgres   database engine (default sqlite; BENCH_DATABASE_URL=postgres://… implies postgres)
  --responses N          responses in the results dataset, over ${YEARS.length} years (default 1000000)
  --duration S           seconds per concurrency level (default 10)
  --levels 1,32,128      concurrent clients per level (default 1,32,128)
  --warmup S             warm-up seconds before the levels (default 3)
  --warm-requests N      warm results requests after the cold one (default 30)
  --batch N              responses per transaction when generating (default 5000)
  --import-rows N        rows of the generated CSV file for the import rate (default 100000)
  --floor-rounds N       alternating app/floor rounds at 32 clients, --duration each (default 3; 0 skips)
  --regenerate           rebuild the cached results dataset even if present
  --only a,b             run only some parts: load, page, import, results
  --cpu-prof DIR         write a V8 CPU profile of each server process to DIR (open in Chrome DevTools)
  --help                 this text

PostgreSQL without BENCH_DATABASE_URL starts a throwaway cluster (initdb in a temporary
directory, on a free loopback port) and removes it afterwards.`;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

// ---- clean-up on every way out (normal end, error, Ctrl-C) ----

const cleanups: { label: string; run: () => Promise<void> | void }[] = [];
let cleaning: Promise<void> | undefined;

function onCleanup(label: string, run: () => Promise<void> | void): () => void {
  const entry = { label, run };
  cleanups.push(entry);
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const { label, run } = cleanups.pop()!;
      try {
        await run();
      } catch (error) {
        console.error(`Clean-up "${label}" failed: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping and cleaning up…`);
    const exit = setTimeout(() => process.exit(130), 30_000);
    exit.unref();
    void runCleanups().finally(() => process.exit(130));
  });
}

// ---- formatting ----

const log = (line: string) => console.log(line);

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString("en");
}

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

function fmtMs(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) => r.map((cell, c) => (cell ?? "").padEnd(widths[c])).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function versus(ok: boolean | null): string {
  return ok === null ? "" : ok ? "met" : "NOT met";
}

// ---- environment ----

function gitInfo(): { commit: string | null; uncommittedFiles: number | null } {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const status = execFileSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" });
    return { commit, uncommittedFiles: status.split("\n").filter(Boolean).length };
  } catch {
    return { commit: null, uncommittedFiles: null };
  }
}

function loadAverage(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

// ---- the parts ----

async function countStored(database: BenchDatabase, load: LoadResult): Promise<{ rows: number; storedInFlight: number }> {
  const db = openDatabase(database.config);
  try {
    const rows = await countResponses({ db, editionId: SURVEY });
    let storedInFlight = 0;
    const ids = load.inFlightClientIds;
    for (let i = 0; i < ids.length; i += 500) {
      const found = await db
        .selectFrom("response")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("client_id", "in", ids.slice(i, i + 500))
        .executeTakeFirstOrThrow();
      storedInFlight += Number(found.n);
    }
    return { rows, storedInFlight };
  } finally {
    await db.destroy();
  }
}

/** The snapshot of the app the servers run from (see snapshot.ts). */
let appDir = ROOT;
/** Flags for the server's node process (`--cpu-prof`). */
let serverNodeArgs: string[] = [];

async function withServer<T>(database: BenchDatabase, fn: (server: BenchServer) => Promise<T>): Promise<T> {
  const server = await startBenchServer({ databaseUrl: database.url, appDir, nodeArgs: serverNodeArgs });
  const forget = onCleanup("server", () => server.stop());
  try {
    return await fn(server);
  } finally {
    await server.stop();
    forget();
  }
}

interface LoadPart {
  load: LoadResult;
  serverStartupMs: number;
  /** VmHWM right after the load levels. */
  serverPeakMemoryMb: number | null;
  rowCheck: { rows: number; created: number; inFlightAtStop: number; storedInFlight: number; ok: boolean };
  /** The app against the bare floor server, in alternating rounds after the app's levels. */
  floor: FloorComparison | null;
  page: PageWeight | null;
  /** The same page asked for in Arabic (?lang=ar). */
  pageArabic: PageWeight | null;
  firstQuestion: FirstQuestionTiming | null;
  pageError: string | null;
}

export interface FloorComparison {
  clients: number;
  /** Alternating rounds, app then floor, each `seconds` long: on a shared machine the load from
   * other work changes by the minute, so each round's pair is compared, and the median taken. */
  rounds: { app: LevelResult; floor: LevelResult; ratio: number }[];
  medianRatio: number;
  appMedianPerSecond: number;
  floorMedianPerSecond: number;
  appMedianP99Ms: number;
  floorMedianP99Ms: number;
}

/**
 * The floor (bench/floor-server.ts): node:http + sqlite3 storing the same bodies unvalidated, on
 * a SQLite file of its own, run in alternating rounds with the app server at the same concurrency.
 */
async function compareWithFloor(
  app: BenchServer,
  appLoad: LoadResult,
  target: BenchTarget,
  options: { clients: number; seconds: number; rounds: number },
): Promise<FloorComparison> {
  const fresh = await sqliteTarget().freshDatabase("floor");
  const forget = onCleanup("floor database", () => fresh.drop());
  try {
    const floor = await startBenchServer({ databaseUrl: fresh.url, appDir: ROOT, script: "bench/floor-server.ts" });
    const stop = onCleanup("floor server", () => floor.stop());
    try {
      log(`Floor: bare node:http + sqlite3, no validation (${target.kind === "postgres" ? "SQLite even in a PostgreSQL run" : "SQLite"}), ` +
        `${options.rounds} rounds of app then floor, ${options.clients} clients, ${options.seconds} s each`);
      await runLoad({ server: floor, levels: [options.clients], durationSeconds: 2, warmupSeconds: 0, log: () => {} });
      const rounds: FloorComparison["rounds"] = [];
      for (let i = 0; i < options.rounds; i++) {
        const a = await runLoad({ server: app, levels: [options.clients], durationSeconds: options.seconds, warmupSeconds: 0, log: () => {} });
        // The app's rounds count in the row check like its levels.
        appLoad.totalCreated += a.totalCreated;
        appLoad.inFlightClientIds.push(...a.inFlightClientIds);
        appLoad.errorSamples.push(...a.errorSamples.slice(0, 5 - appLoad.errorSamples.length));
        const f = await runLoad({ server: floor, levels: [options.clients], durationSeconds: options.seconds, warmupSeconds: 0, log: () => {} });
        const round = { app: a.levels[0], floor: f.levels[0], ratio: a.levels[0].createdPerSecond / f.levels[0].createdPerSecond };
        rounds.push(round);
        log(`  round ${i + 1}: app ${round.app.createdPerSecond}/s (p99 ${round.app.latencyMs.p99} ms), floor ${round.floor.createdPerSecond}/s (p99 ${round.floor.latencyMs.p99} ms): ${round.ratio.toFixed(2)}×`);
      }
      return {
        clients: options.clients,
        rounds,
        medianRatio: Math.round(median(rounds.map((r) => r.ratio)) * 100) / 100,
        appMedianPerSecond: median(rounds.map((r) => r.app.createdPerSecond)),
        floorMedianPerSecond: median(rounds.map((r) => r.floor.createdPerSecond)),
        appMedianP99Ms: median(rounds.map((r) => r.app.latencyMs.p99)),
        floorMedianP99Ms: median(rounds.map((r) => r.floor.latencyMs.p99)),
      };
    } finally {
      await floor.stop();
      stop();
    }
  } finally {
    await fresh.drop();
    forget();
  }
}

async function loadAndPagePart(
  target: BenchTarget,
  options: { levels: number[]; duration: number; warmup: number; runLoad: boolean; runPage: boolean; floorRounds: number },
): Promise<LoadPart> {
  const fresh = await target.freshDatabase("load");
  const forget = onCleanup("load database", () => fresh.drop());
  let result: Omit<LoadPart, "rowCheck"> & { rowCheck?: LoadPart["rowCheck"] };
  try {
    result = await withServer(fresh, async (server) => {
      let load: LoadResult = { precheck: { sent: 0, created: 0 }, levels: [], totalCreated: 0, inFlightClientIds: [], errorSamples: [] };
      let serverPeakMemoryMb: number | null = null;
      if (options.runLoad) {
        log(`Submissions: POST /api/responses (${SURVEY}), levels ${options.levels.join(", ")} clients, ${options.duration} s each`);
        load = await runLoad({ server, levels: options.levels, durationSeconds: options.duration, warmupSeconds: options.warmup, log });
        serverPeakMemoryMb = readMemory(server.pid)?.peakRssMb ?? null;
      }
      let floor: FloorComparison | null = null;
      if (options.runLoad && options.floorRounds > 0) {
        floor = await compareWithFloor(server, load, target, { clients: TARGETS.targetClients, seconds: options.duration, rounds: options.floorRounds });
      }
      let page: PageWeight | null = null;
      let pageArabic: PageWeight | null = null;
      let firstQuestion: FirstQuestionTiming | null = null;
      let pageError: string | null = null;
      if (options.runPage) {
        log(`Survey page bytes: /enkat/${SURVEY} (and ?lang=ar) in headless Chromium…`);
        try {
          page = await measurePageWeight(`${server.url}/enkat/${SURVEY}`);
          pageArabic = await measurePageWeight(`${server.url}/enkat/${SURVEY}?lang=ar`, "ar");
          log(`Time to the first question on a slow link (1.6 Mbit/s, 150 ms), cold, 3 runs…`);
          firstQuestion = await timeFirstQuestion(`${server.url}/enkat/${SURVEY}`);
        } catch (error) {
          pageError = (error as Error).message;
          log(`  failed: ${pageError}`);
        }
      }
      return { load, serverStartupMs: server.startupMs, serverPeakMemoryMb, page, pageArabic, firstQuestion, pageError, floor };
    });
    // Counted after the server stopped: nothing is being written any more.
    const { rows, storedInFlight } = await countStored(fresh, result.load);
    const created = result.load.totalCreated;
    const inFlightAtStop = result.load.inFlightClientIds.length;
    result.rowCheck = { rows, created, inFlightAtStop, storedInFlight, ok: rows === created + storedInFlight };
  } finally {
    await fresh.drop();
    forget();
  }
  return result as LoadPart;
}

interface ResultsPart {
  dataset: DatasetInfo;
  timing: ResultsTiming;
  pages: ResultsPagesTiming;
  serverStartupMs: number;
  serverPeakMemoryMb: number | null;
}

async function resultsPart(
  target: BenchTarget,
  options: { responses: number; batch: number; regenerate: boolean; warmRequests: number },
): Promise<ResultsPart> {
  const dataset = await prepareDataset({
    target,
    spec: { responses: options.responses, batchSize: options.batch },
    regenerate: options.regenerate,
    cacheDir: CACHE_DIR,
    log,
  });
  log(`Results API: cold request, then warm ones`);
  return withServer(dataset.database, async (server) => {
    const timing = await timeResults({ server, warmRequests: options.warmRequests, expectedRespondents: dataset.perYear["2025"] });
    const serverPeakMemoryMb = readMemory(server.pid)?.peakRssMb ?? null;
    const pages = await timeResultsPages({ server, database: dataset.database, warmRequests: options.warmRequests, spikeSeconds: 10, log });
    return { dataset, timing, pages, serverStartupMs: server.startupMs, serverPeakMemoryMb };
  });
}

// ---- main ----

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      db: { type: "string" },
      responses: { type: "string", default: "1000000" },
      duration: { type: "string", default: "10" },
      levels: { type: "string", default: "1,32,128" },
      warmup: { type: "string", default: "3" },
      "warm-requests": { type: "string", default: "30" },
      batch: { type: "string", default: "5000" },
      "floor-rounds": { type: "string", default: "3" },
      "import-rows": { type: "string", default: "100000" },
      regenerate: { type: "boolean", default: false },
      only: { type: "string" },
      "cpu-prof": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const positive = (name: string, raw: string, min = 1) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min} (got ${raw})`);
    return n;
  };
  const pgUrl = process.env.BENCH_DATABASE_URL?.trim() || undefined;
  const kind = values.db ?? (pgUrl ? "postgres" : "sqlite");
  if (kind !== "sqlite" && kind !== "postgres") throw new Error(`--db must be sqlite or postgres (got ${kind})`);
  if (pgUrl && !/^postgres(ql)?:\/\//i.test(pgUrl)) throw new Error("BENCH_DATABASE_URL must be a postgres:// URL");
  const responses = positive("responses", values.responses!, YEARS.length);
  const duration = positive("duration", values.duration!);
  const warmup = positive("warmup", values.warmup!, 0);
  const warmRequests = positive("warm-requests", values["warm-requests"]!);
  const batch = positive("batch", values.batch!);
  const floorRounds = positive("floor-rounds", values["floor-rounds"]!, 0);
  const importRows = positive("import-rows", values["import-rows"]!);
  const levels = values.levels!.split(",").map((s) => positive("levels", s.trim()));
  const parts = new Set((values.only ?? "load,page,import,results").split(",").map((s) => s.trim()));
  for (const p of parts) if (!["load", "page", "import", "results"].includes(p)) throw new Error(`--only: unknown part ${p} (load, page, import, results)`);
  if (values["cpu-prof"]) {
    const dir = path.resolve(values["cpu-prof"]);
    fs.mkdirSync(dir, { recursive: true });
    serverNodeArgs = ["--cpu-prof", `--cpu-prof-dir=${dir}`];
  }

  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
  const env = {
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    loadAverageAtStart: loadAverage(),
    ...gitInfo(),
  };
  log(`Trygghetsdialog benchmark: ${kind}, ${env.cpus} CPUs, load average ${env.loadAverageAtStart.join(" / ")} at start`);

  const snapshot = await snapshotApp();
  onCleanup("app snapshot", snapshot.remove);
  appDir = snapshot.dir;

  const target = kind === "sqlite" ? sqliteTarget() : await postgresTarget(pgUrl);
  onCleanup("database target", () => target.close());
  const database = await target.describe();
  if (kind === "postgres") log(`PostgreSQL: ${database.cluster}, version ${database.server_version}`);

  const checks: Check[] = [];
  let loadPart: LoadPart | null = null;
  let results: ResultsPart | null = null;

  if (parts.has("load") || parts.has("page")) {
    loadPart = await loadAndPagePart(target, { levels, duration, warmup, runLoad: parts.has("load"), runPage: parts.has("page"), floorRounds });
    if (parts.has("load")) {
      const non2xx = loadPart.load.levels.reduce((a, l) => a + l.non2xx, 0);
      const errors = loadPart.load.levels.reduce((a, l) => a + l.errors, 0);
      const r = loadPart.rowCheck;
      checks.push({ name: "submissions: non-2xx answers", ok: non2xx === 0, detail: `${non2xx}` });
      checks.push({ name: "submissions: connection errors / timeouts", ok: errors === 0, detail: `${errors}` });
      checks.push({
        name: "submissions: rows in the database = 201s",
        ok: r.ok,
        detail: `${fmtInt(r.rows)} rows; ${fmtInt(r.created)} × 201 + ${r.storedInFlight} stored of ${r.inFlightAtStop} in flight when a level stopped`,
      });
    }
    if (parts.has("page")) {
      checks.push({ name: "survey page measured", ok: loadPart.page !== null, detail: loadPart.pageError ?? "ok" });
    }
  }
  let importTiming: ImportTiming | null = null;
  if (parts.has("import")) {
    const fresh = await target.freshDatabase("import");
    const forget = onCleanup("import database", () => fresh.drop());
    try {
      importTiming = await timeImport({ database: fresh, rows: importRows, log });
    } finally {
      await fresh.drop();
      forget();
    }
    checks.push({ name: "import: every row stored", ok: true, detail: `${fmtInt(importTiming.rows)} rows` });
  }
  if (parts.has("results")) {
    results = await resultsPart(target, { responses, batch, regenerate: values.regenerate!, warmRequests });
    for (const sp of results.pages.spike) {
      checks.push({ name: `spike ${sp.path}: every answer 200`, ok: sp.non2xx === 0 && sp.errors === 0, detail: `${sp.non2xx} non-2xx, ${sp.errors} errors` });
    }
    checks.push({
      name: "results: weighted, with comparison, every respondent counted",
      ok: results.timing.weighted,
      detail: `${fmtInt(results.timing.respondents)} respondents in 2025, weighted=${results.timing.weighted}`,
    });
  }

  // ---- the table ----
  const rows: string[][] = [];
  if (loadPart && parts.has("load")) {
    for (const l of loadPart.load.levels) {
      const atTarget = l.connections === TARGETS.targetClients && l.label !== "warm-up";
      rows.push([
        `Submissions, ${l.label}`,
        `${fmtInt(l.createdPerSecond)}/s (median ${fmtInt(l.medianPerSecond)}/s)`,
        `p50 ${l.latencyMs.p50} ms, p99 ${l.latencyMs.p99} ms`,
        `${l.non2xx} non-2xx, ${l.errors} errors`,
        atTarget ? `≥ ${TARGETS.submissionsPerSecond}/s, p99 < ${TARGETS.submissionP99Ms} ms` : "",
        atTarget
          ? versus(l.createdPerSecond >= TARGETS.submissionsPerSecond && l.latencyMs.p99 < TARGETS.submissionP99Ms)
          : "",
      ]);
    }
    const floor = loadPart.floor;
    if (floor) {
      rows.push([
        `Floor (bare http + sqlite3), ${floor.clients} clients`,
        `${fmtInt(floor.floorMedianPerSecond)}/s (median of ${floor.rounds.length} rounds)`,
        `p99 ${floor.floorMedianP99Ms} ms (median)`,
        `app in the same rounds: ${fmtInt(floor.appMedianPerSecond)}/s, p99 ${floor.appMedianP99Ms} ms`,
        "",
        "",
      ]);
      rows.push([
        `Submissions ÷ floor, ${floor.clients} clients`,
        `${floor.medianRatio.toFixed(2)}× (median)`,
        `rounds: ${floor.rounds.map((r) => r.ratio.toFixed(2)).join(", ")}`,
        "",
        `≥ ${TARGETS.floorRatio}×, p99 < ${TARGETS.floorRatioP99Ms} ms`,
        versus(floor.medianRatio >= TARGETS.floorRatio && floor.appMedianP99Ms < TARGETS.floorRatioP99Ms),
      ]);
    }
    const peak = loadPart.serverPeakMemoryMb;
    rows.push([
      "Server peak memory, load test",
      peak === null ? "n/a" : `${peak} MB (VmHWM)`,
      `per level: ${loadPart.load.levels.map((l) => `${l.serverPeakRssMb ?? "?"}`).join(" / ")} MB`,
      "",
      "",
      "",
    ]);
    const r = loadPart.rowCheck;
    rows.push(["Rows stored = 201s", r.ok ? "yes" : "NO", `${fmtInt(r.rows)} rows`, `${r.inFlightAtStop} in flight at stop`, "", ""]);
  }
  if (importTiming) {
    rows.push([
      "Import (npm run cli -- import-responses)",
      `${fmtInt(importTiming.rowsPerSecond)} rows/s`,
      `${fmtInt(importTiming.rows)} rows in ${importTiming.seconds} s (${fmtBytes(importTiming.fileBytes)} CSV), start-up included`,
      "",
      `≥ ${fmtInt(TARGETS.importRowsPerSecond)} rows/s`,
      versus(importTiming.rowsPerSecond >= TARGETS.importRowsPerSecond),
    ]);
  }
  if (results) {
    const t = results.timing;
    const d = results.dataset;
    rows.push([
      `Results API, ${fmtInt(responses)} responses`,
      `warm median ${fmtMs(t.warm.medianMs)}`,
      `p95 ${fmtMs(t.warm.p95Ms)} (${t.warm.requests} warm), cold ${fmtMs(t.coldMs)}`,
      d.reused ? "dataset reused" : `generated in ${d.generationSeconds} s`,
      `< ${TARGETS.resultsWarmMs} ms warm (p95)`,
      versus(t.warm.p95Ms < TARGETS.resultsWarmMs),
    ]);
    const p = results.pages;
    rows.push(["Dashboard HTML (2025, analyst)", `warm median ${fmtMs(p.dashboardMedianMs)}`, "", "", "≤ 300 ms", versus(p.dashboardMedianMs <= 300)]);
    rows.push(["Public results page HTML", `warm median ${fmtMs(p.publicCachedMedianMs)}`, `rendered afresh ${fmtMs(p.publicRenderedMedianMs)}`, "", "≤ 200 ms", versus(p.publicCachedMedianMs <= 200)]);
    for (const s of p.spike) {
      rows.push([
        `Spike ${s.path.split("?")[0]}, ${s.connections} clients`,
        `${fmtInt(s.perSecond)}/s`,
        `p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms`,
        `${s.non2xx} non-2xx, ${s.errors} errors`,
        "≥ 1,000/s, p99 < 100 ms",
        versus(s.perSecond >= 1000 && s.p99Ms < 100),
      ]);
    }
    if (p.publicPage) {
      rows.push(["Public results page, first visit", fmtBytes(p.publicPage.cold.transferredBytes), `${p.publicPage.cold.requests} requests`, "", "≤ 250 KB", versus(p.publicPage.cold.transferredBytes <= 250 * 1024)]);
    } else if (p.publicPageError) {
      rows.push(["Public results page, first visit", "failed", p.publicPageError.slice(0, 80), "", "≤ 250 KB", ""]);
    }
    const peak = results.serverPeakMemoryMb;
    rows.push([
      "Server peak memory, results",
      peak === null ? "n/a" : `${peak} MB (VmHWM)`,
      `start-up ${fmtInt(results.serverStartupMs)} ms`,
      "",
      `< ${TARGETS.peakMemoryMb} MB`,
      peak === null ? "" : versus(peak < TARGETS.peakMemoryMb),
    ]);
  }
  for (const [label, weight] of [["Swedish", loadPart?.page], ["Arabic", loadPart?.pageArabic]] as const) {
    if (!weight) continue;
    const { cold, cached } = weight;
    const encodings = [...new Set(cold.resources.map((r) => r.contentEncoding ?? "identity"))].join("/");
    rows.push([
      `Survey page, ${label}, cold cache`,
      fmtBytes(cold.transferredBytes),
      `${cold.requests} requests (${encodings}); bodies ${fmtBytes(cold.encodedBodyBytes)} compressed, ${fmtBytes(cold.decodedBodyBytes)} decoded`,
      "",
      "≤ 400 kB (400,000 B)",
      versus(cold.transferredBytes <= TARGETS.pageColdBytes),
    ]);
    rows.push([
      `Survey page, ${label}, warm cache`,
      fmtBytes(cached.transferredBytes),
      `${cached.fromNetwork} from network, ${cached.fromCache} from cache`,
      "",
      "≤ 10 kB (10,000 B)",
      versus(cached.transferredBytes <= TARGETS.pageWarmBytes),
    ]);
  }
  if (loadPart?.firstQuestion) {
    const f = loadPart.firstQuestion;
    rows.push([
      "First question usable, slow link",
      fmtMs(f.medianMs),
      `median of ${f.runsMs.join(", ")} ms; ${f.link.downloadKbps / 1000} Mbit/s down, ${f.link.uploadKbps} kbit/s up, ${f.link.latencyMs} ms RTT, cold`,
      "",
      `< ${TARGETS.firstQuestionMs} ms`,
      versus(f.medianMs < TARGETS.firstQuestionMs),
    ]);
  }

  const finishedAt = new Date();
  const loadAverageAtEnd = loadAverage();
  log("");
  log(`Results (${kind}; ${startedAt.toISOString()}; load average ${env.loadAverageAtStart.join("/")} at start, ${loadAverageAtEnd.join("/")} at end)`);
  log(table(rows, ["Measure", "Result", "Detail", "Notes", "Target", "vs target"]));
  if (loadPart?.page) {
    log("");
    log("Survey page, cold: what was transferred");
    log(
      table(
        loadPart.page.cold.resources.map((r) => [
          r.url.length > 70 ? `${r.url.slice(0, 67)}…` : r.url,
          r.type,
          r.contentEncoding ?? "identity",
          fmtBytes(r.transferredBytes),
          fmtBytes(r.decodedBodyBytes),
        ]),
        ["Resource", "Type", "Encoding", "Transferred", "Decoded"],
      ),
    );
  }
  log("");
  log(table(checks.map((c) => [c.ok ? "ok" : "FAILED", c.name, c.detail]), ["Check", "What", "Detail"]));
  if (loadPart && loadPart.load.errorSamples.length > 0) {
    log("\nNon-2xx answers (first few):");
    for (const s of loadPart.load.errorSamples) log(`  ${s}`);
  }

  // ---- the JSON ----
  const report = {
    benchmark: "trygghetsdialog",
    database: kind,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    environment: { ...env, loadAverageAtEnd, database },
    options: { responses, duration, levels, warmup, warmRequests, batch, parts: [...parts] },
    targets: TARGETS,
    submissions: loadPart && parts.has("load")
      ? {
          endpoint: "POST /api/responses",
          survey: SURVEY,
          serverStartupMs: loadPart.serverStartupMs,
          serverPeakMemoryMb: loadPart.serverPeakMemoryMb,
          precheck: loadPart.load.precheck,
          levels: loadPart.load.levels,
          rowCheck: loadPart.rowCheck,
          floor: loadPart.floor,
          errorSamples: loadPart.load.errorSamples,
        }
      : null,
    import: importTiming,
    results: results
      ? {
          dataset: { ...results.dataset, database: undefined },
          ...results.timing,
          serverStartupMs: results.serverStartupMs,
          serverPeakMemoryMb: results.serverPeakMemoryMb,
        }
      : null,
    surveyPage: loadPart?.page ?? (loadPart?.pageError ? { error: loadPart.pageError } : null),
    surveyPageArabic: loadPart?.pageArabic ?? null,
    firstQuestion: loadPart?.firstQuestion ?? null,
    checks,
    table: rows,
  };
  const outDir = path.join(ROOT, "bench/results");
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `${stamp}-${kind}.json`);
  fs.writeFileSync(`${outFile}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  fs.renameSync(`${outFile}.tmp`, outFile);
  log(`\nSaved ${path.relative(ROOT, outFile)}`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

main()
  .then(async (code) => {
    await runCleanups();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(`\nBenchmark failed: ${(error as Error).stack ?? error}`);
    await runCleanups();
    process.exit(1);
  });
