/**
 * The Kysely instance. Lazy: importing this module opens nothing; the first `getDb()` does.
 */
import fs from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { openOptionsFromEnv, parseDatabaseUrl, type DatabaseConfig, type OpenOptions } from "./config.server";
import { describeDatabaseError } from "./errors";
import type { Database } from "./schema";
import { Sqlite3Dialect } from "./sqlite-dialect.server";

export type Db = Kysely<Database>;

let instance: { db: Db; config: DatabaseConfig } | undefined;

export type { DatabaseConfig, OpenOptions };

/**
 * A pool of PostgreSQL connections that survives the server going away (a restart, a failover,
 * a dropped database): connections it closes are replaced on the next query, and queries while
 * it is away fail fast (connectTimeoutMs) with errors that isTransientDatabaseError knows.
 */
function openPostgresPool(url: string, options: OpenOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    keepAlive: true,
  });
  // An idle connection the server terminates (57P01 on `pg_ctl restart -m fast`) is reported
  // as the pool's 'error'; with no listener Node throws it and the whole process dies.
  pool.on("error", (error) =>
    console.error(`PostgreSQL closed an idle connection: ${describeDatabaseError(error)}; a new one is opened when needed`),
  );
  // pg-pool listens for errors only on idle connections. One lost while checked out (inside a
  // transaction, between two queries) would emit 'error' unheard and crash the process too;
  // its next query fails instead and is answered there (503), and the pool discards it.
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

/** Opens a Kysely instance for the given configuration (SQLite file or PostgreSQL). */
export function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Db {
  if (config.kind === "postgres") {
    // Counts and sums come back as strings from pg for bigint/numeric: parse int8 as number
    // (our counts stay far below 2^53).
    pg.types.setTypeParser(20, (v) => Number(v));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: openPostgresPool(config.url, options) }) });
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
  return openOptionsFromEnv(process.env);
}

/** The process-wide database, opened on first use from DATABASE_URL. */
export function getDb(): Db {
  if (!instance) {
    const config = parseDatabaseUrl(process.env.DATABASE_URL);
    instance = { db: openDatabase(config, databaseOptions()), config };
  }
  return instance.db;
}

export function getDatabaseKind(): DatabaseConfig["kind"] {
  return (instance?.config ?? parseDatabaseUrl(process.env.DATABASE_URL)).kind;
}

/** Closes the process-wide database (tests, CLI, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const current = instance;
  instance = undefined;
  await current?.db.destroy();
}
