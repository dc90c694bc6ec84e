/**
 * Which database to open and how: DATABASE_URL and the variables that tune connections. The
 * database layer reads these itself (it imports nothing from the rest of the app);
 * app/utils/env.server.ts includes them in the validated environment of the whole app.
 */
import path from "node:path";

export type DatabaseConfig =
  | { kind: "sqlite"; filename: string }
  | { kind: "postgres"; url: string };

/** How connections are opened (the parts that apply to the other database are ignored). */
export interface OpenOptions {
  synchronous?: "FULL" | "NORMAL";
  busyTimeoutMs?: number;
  /** SQLite page quota (0 = none). */
  maxPages?: number;
  /** PostgreSQL connections per process. */
  poolSize?: number;
  /** How long a PostgreSQL connection attempt (or a wait for a free one) may take, in ms. */
  connectTimeoutMs?: number;
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

function wholeNumber(source: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = source[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}`);
  return value;
}

/** The connection options the environment asks for; throws on a malformed value. */
export function openOptionsFromEnv(source: NodeJS.ProcessEnv = process.env): Required<OpenOptions> {
  const synchronous = (source.SQLITE_SYNCHRONOUS ?? "FULL").toUpperCase();
  if (synchronous !== "FULL" && synchronous !== "NORMAL") throw new Error("SQLITE_SYNCHRONOUS must be FULL or NORMAL");
  return {
    synchronous,
    busyTimeoutMs: wholeNumber(source, "SQLITE_BUSY_TIMEOUT_MS", 5000),
    maxPages: wholeNumber(source, "SQLITE_MAX_PAGES", 0),
    poolSize: wholeNumber(source, "PG_POOL_SIZE", 10, 1),
    connectTimeoutMs: wholeNumber(source, "PG_CONNECT_TIMEOUT_MS", 5000, 1),
  };
}
