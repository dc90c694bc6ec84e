/**
 * Reads process.env once and validates it. Everything configurable lives here.
 */
import os from "node:os";
import path from "node:path";

export type DatabaseConfig =
  | { kind: "sqlite"; filename: string }
  | { kind: "postgres"; url: string };

export interface Env {
  port: number;
  database: DatabaseConfig;
  demoData: boolean;
  nodeEnv: string;
  /** Serve cookies with Secure (behind HTTPS). Default: on in production. */
  secureCookies: boolean;
  /** Trust X-Forwarded-* from a reverse proxy (for Secure detection and rate limits). */
  trustProxy: boolean;
  sqliteSynchronous: "FULL" | "NORMAL";
  /** How long SQLite waits for another process's lock before answering "busy" (ms). */
  sqliteBusyTimeoutMs: number;
  /** A size quota for the SQLite file, in pages (4 KiB); 0 = none. Past it writes fail as "disk full". */
  sqliteMaxPages: number;
  surveysDir: string;
  /** Worker threads that validate submissions; 0 = on the main thread. */
  validationThreads: number;
  /** A staff session ends after this many minutes without a request (SESSION_IDLE_MINUTES). */
  sessionIdleMinutes: number;
  /** …and at the latest this many hours after sign-in (SESSION_MAX_HOURS). */
  sessionMaxHours: number;
  /** Sign-in with e-mail and password; `PASSWORD_SIGNIN=off` leaves only the identity provider. */
  passwordSignIn: boolean;
}

/** Parses DATABASE_URL: a file path or file: URL means SQLite, postgres:// means PostgreSQL. */
export function parseDatabaseUrl(value: string | undefined, cwd = process.cwd()): DatabaseConfig {
  const raw = (value ?? "").trim();
  if (raw === "") return { kind: "sqlite", filename: path.resolve(cwd, "data/trygghetsdialog.sqlite") };
  if (/^postgres(ql)?:\/\//i.test(raw)) return { kind: "postgres", url: raw };
  if (raw === ":memory:") return { kind: "sqlite", filename: ":memory:" };
  if (/^file:/i.test(raw)) {
    const rest = raw.replace(/^file:(\/\/)?/i, "");
    const filename = decodeURIComponent(rest.split("?")[0]);
    return { kind: "sqlite", filename: path.resolve(cwd, filename) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new Error(`DATABASE_URL has an unsupported scheme: ${raw.split(":")[0]} (use a file path, file: or postgres://)`);
  }
  return { kind: "sqlite", filename: path.resolve(cwd, raw) };
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  return !/^(0|false|off|no)$/i.test(value.trim());
}

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a number > 0; got "${raw}"`);
  return value;
}

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0`);
  return value;
}

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const nodeEnv = process.env.NODE_ENV ?? "development";
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a port number: ${process.env.PORT}`);
  const sync = (process.env.SQLITE_SYNCHRONOUS ?? "FULL").toUpperCase();
  if (sync !== "FULL" && sync !== "NORMAL") throw new Error("SQLITE_SYNCHRONOUS must be FULL or NORMAL");
  cached = {
    port,
    database: parseDatabaseUrl(process.env.DATABASE_URL),
    demoData: flag(process.env.DEMO_DATA, true),
    nodeEnv,
    secureCookies: flag(process.env.SECURE_COOKIES, nodeEnv === "production"),
    trustProxy: flag(process.env.TRUST_PROXY, false),
    sqliteSynchronous: sync,
    sqliteBusyTimeoutMs: wholeNumber("SQLITE_BUSY_TIMEOUT_MS", 5000),
    sqliteMaxPages: wholeNumber("SQLITE_MAX_PAGES", 0),
    surveysDir: path.resolve(process.env.SURVEYS_DIR ?? "surveys"),
    validationThreads: wholeNumber("VALIDATION_THREADS", Math.max(1, Math.min(4, os.availableParallelism() - 1))),
    sessionIdleMinutes: positiveNumber("SESSION_IDLE_MINUTES", 30),
    sessionMaxHours: positiveNumber("SESSION_MAX_HOURS", 12),
    passwordSignIn: flag(process.env.PASSWORD_SIGNIN, true),
  };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
