/**
 * The real server for the benchmark: the production build behind Express, spawned as a child
 * process (as tests/helpers/app-server.ts does) on a free port, against the database we give it.
 * Also reads its memory from /proc (Linux only; elsewhere the figures are null).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface BenchServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Milliseconds from spawn to listening (migrations and start-up included). */
  startupMs: number;
  /** Everything the server printed so far (stdout and stderr). */
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts app/server/main.ts from `appDir` (the working tree, or a snapshot of it). */
export async function startBenchServer({
  databaseUrl,
  appDir = ROOT,
  startTimeoutMs = 120_000,
  nodeArgs = [],
  script = "app/server/main.ts",
}: {
  databaseUrl: string;
  /** What to run: the app's server, or the floor server (bench/floor-server.ts). */
  script?: string;
  appDir?: string;
  startTimeoutMs?: number;
  /** Extra flags for node itself, such as `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
}): Promise<BenchServer> {
  const floor = script !== "app/server/main.ts";
  if (!floor && !fs.existsSync(path.join(appDir, "build/index.js"))) {
    throw new Error("No production build: run `npm run bench` (it builds first) or `npm run build`");
  }
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, ...(floor ? [databaseUrl] : [])], {
    cwd: appDir,
    env: {
      ...process.env,
      PORT: "0",
      NODE_ENV: "production",
      DEMO_DATA: "off",
      // The per-address limit (burst 120, then 2/s) would answer most of the load test 429:
      // every autocannon client comes from 127.0.0.1. Measured is the server, not the limiter.
      RATE_LIMIT_SUBMISSIONS: "off",
      DATABASE_URL: databaseUrl,
      // As `npm start` (package.json's serve script) runs the server.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  // Keep the tail only: a server logging an error per request must not fill our memory.
  const append = (d: Buffer) => {
    output += d;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Server did not start in ${startTimeoutMs / 1000} s:\n${output}`));
    }, startTimeoutMs);
    const onData = () => {
      const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    startupMs: Date.now() - spawnedAt,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The server process must still be running; throws with its output when it died. */
export function assertAlive(server: BenchServer): void {
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    throw new Error(`The server exited (${server.child.exitCode ?? server.child.signalCode}):\n${server.output().slice(-4000)}`);
  }
}

export interface ProcessMemory {
  /** Resident set size now, MB. */
  rssMb: number;
  /** Peak resident set size since the process started (VmHWM), MB. */
  peakRssMb: number;
}

/** VmRSS and VmHWM from /proc/<pid>/status, or null when not readable (not Linux, or exited). */
export function readMemory(pid: number): ProcessMemory | null {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) : NaN;
  };
  const rss = kb("VmRSS");
  const hwm = kb("VmHWM");
  if (!Number.isFinite(rss) || !Number.isFinite(hwm)) return null;
  return { rssMb: round1(rss / 1024), peakRssMb: round1(hwm / 1024) };
}

/** Samples VmRSS every `intervalMs` until stopped; returns the highest sample in MB. */
export function sampleMemory(pid: number, intervalMs = 200): { stop: () => number | null } {
  let peak: number | null = null;
  const take = () => {
    const m = readMemory(pid);
    if (m && (peak === null || m.rssMb > peak)) peak = m.rssMb;
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
