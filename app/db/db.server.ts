/**
 * The Kysely instance. Lazy: importing this module opens nothing; the first `getDb()` does.
 */
import fs from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { getEnv, type DatabaseConfig } from "~/utils/env.server";
import type { Database } from "./schema";
import { Sqlite3Dialect } from "./sqlite-dialect.server";

export type Db = Kysely<Database>;

let instance: { db: Db; config: DatabaseConfig } | undefined;

/** Opens a Kysely instance for the given configuration (SQLite file or PostgreSQL). */
export interface OpenOptions {
  synchronous?: "FULL" | "NORMAL";
  busyTimeoutMs?: number;
  /** SQLite page quota (0 = none). */
  maxPages?: number;
}

export function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Db {
  if (config.kind === "postgres") {
    // Counts and sums come back as strings from pg for bigint/numeric: parse int8 as number
    // (our counts stay far below 2^53).
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: config.url, max: Number(process.env.PG_POOL_SIZE ?? 10) });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (config.filename !== ":memory:") fs.mkdirSync(path.dirname(config.filename), { recursive: true });
  return new Kysely<Database>({
    dialect: new Sqlite3Dialect({
      filename: config.filename,
      synchronous: options.synchronous,
      busyTimeoutMs: options.busyTimeoutMs,
      onConnection: options.maxPages
        ? (connection) =>
            new Promise<void>((resolve, reject) =>
              connection.exec(`PRAGMA max_page_count = ${Math.trunc(options.maxPages!)}`, (e) => (e ? reject(e) : resolve())),
            )
        : undefined,
    }),
  });
}

/** The database options the environment asks for. */
export function databaseOptions(): OpenOptions {
  const env = getEnv();
  return { synchronous: env.sqliteSynchronous, busyTimeoutMs: env.sqliteBusyTimeoutMs, maxPages: env.sqliteMaxPages };
}

/** The process-wide database, opened on first use from DATABASE_URL. */
export function getDb(): Db {
  if (!instance) {
    const env = getEnv();
    instance = { db: openDatabase(env.database, databaseOptions()), config: env.database };
  }
  return instance.db;
}

export function getDatabaseKind(): DatabaseConfig["kind"] {
  return (instance?.config ?? getEnv().database).kind;
}

/** Closes the process-wide database (tests, CLI, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const current = instance;
  instance = undefined;
  await current?.db.destroy();
}
