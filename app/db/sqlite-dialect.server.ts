/**
 * A Kysely dialect for the `sqlite3` package (node-sqlite3), which Kysely does not ship.
 *
 * Connections: one writer and a few readers on the same file, all in WAL mode, so reads never
 * wait for writes. Every statement that may write goes to the writer under an in-process mutex;
 * a transaction takes the mutex at BEGIN IMMEDIATE and owns the writer until COMMIT/ROLLBACK.
 * Consequence: inside `db.transaction().execute(trx => …)` use `trx`, never `db`, for writes —
 * a write on `db` would wait for the mutex the transaction holds (a deadlock).
 * Other processes (the CLI beside the server) are handled by SQLite's busy_timeout.
 */
import sqlite3 from "sqlite3";
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from "kysely";

export interface Sqlite3DialectConfig {
  /** A file path, or ":memory:" (then there are no separate readers). */
  filename: string;
  /** Reader connections beside the writer (default 2). */
  readers?: number;
  /** Milliseconds SQLite waits for a lock held by another process (default 5000). */
  busyTimeoutMs?: number;
  /** PRAGMA synchronous: FULL survives power loss, NORMAL only a process crash (default FULL). */
  synchronous?: "FULL" | "NORMAL";
  /** Called once per opened connection, after the pragmas. */
  onConnection?: (db: sqlite3.Database) => Promise<void> | void;
}

export class Sqlite3Dialect implements Dialect {
  constructor(private readonly config: Sqlite3DialectConfig) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new Sqlite3Driver(this.config);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** A FIFO mutex: waiters are served in the order they came. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
}

function openDatabase(filename: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(filename, mode, (err) => (err ? reject(err) : resolve(db)));
    // node-sqlite3 emits 'error' for a failure no callback receives; unheard, that would end
    // the process. Every statement here has a callback, so this is a last line of defence.
    db.on("error", (error: Error & { code?: string }) =>
      console.error(`SQLite error on ${filename}: ${error.message}${error.code ? ` (${error.code})` : ""}`),
    );
  });
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

function closeDatabase(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

const READ_KINDS = new Set(["SelectQueryNode"]);
const RAW_READ = /^\s*(select|with|pragma|explain)\b/i;

function returnsRows(query: CompiledQuery): boolean {
  const node = query.query as { kind: string; returning?: unknown };
  if (READ_KINDS.has(node.kind)) return true;
  if (node.kind === "RawNode") return RAW_READ.test(query.sql) || /\breturning\b/i.test(query.sql);
  return node.returning !== undefined;
}

function isRead(query: CompiledQuery): boolean {
  const kind = (query.query as { kind: string }).kind;
  if (READ_KINDS.has(kind)) return true;
  return kind === "RawNode" && /^\s*(select|with)\b/i.test(query.sql) && !/\breturning\b/i.test(query.sql);
}

/**
 * node-sqlite3's errors are made in C++ and carry no stack: the log would say "no such table"
 * but not where from. Give them the stack of the query's caller (as Kysely's own drivers do).
 */
function withCallerStack(error: Error, caller: Error): Error {
  const frames = (caller.stack ?? "").split("\n").slice(1).join("\n");
  if (frames) error.stack = `${error.name}: ${error.message}\n${frames}`;
  return error;
}

function runQuery<R>(db: sqlite3.Database, query: CompiledQuery): Promise<QueryResult<R>> {
  const params = query.parameters as unknown[];
  const caller = new Error();
  if (returnsRows(query)) {
    return new Promise((resolve, reject) =>
      db.all(query.sql, params, (err, rows) => (err ? reject(withCallerStack(err, caller)) : resolve({ rows: rows as R[] }))),
    );
  }
  return new Promise((resolve, reject) =>
    db.run(query.sql, params, function (this: sqlite3.RunResult, err: Error | null) {
      if (err) return reject(withCallerStack(err, caller));
      resolve({
        rows: [],
        numAffectedRows: BigInt(this.changes),
        insertId: this.lastID === undefined ? undefined : BigInt(this.lastID),
      });
    }),
  );
}

class Sqlite3Driver implements Driver {
  private writer?: sqlite3.Database;
  private readers: sqlite3.Database[] = [];
  private nextReader = 0;
  private readonly writeLock = new Mutex();

  constructor(private readonly config: Sqlite3DialectConfig) {}

  async init(): Promise<void> {
    const { filename, busyTimeoutMs = 5000, synchronous = "FULL" } = this.config;
    const memory = filename === ":memory:" || filename === "";
    const pragmas = [
      `PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`,
      "PRAGMA foreign_keys = ON",
      `PRAGMA synchronous = ${synchronous}`,
    ].join(";\n");
    this.writer = await openDatabase(filename, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE);
    await exec(this.writer, pragmas);
    if (!memory) await exec(this.writer, "PRAGMA journal_mode = WAL");
    await this.config.onConnection?.(this.writer);
    const readerCount = memory ? 0 : (this.config.readers ?? 2);
    for (let i = 0; i < readerCount; i++) {
      const reader = await openDatabase(filename, sqlite3.OPEN_READONLY);
      await exec(reader, `PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}; PRAGMA query_only = ON`);
      await this.config.onConnection?.(reader);
      this.readers.push(reader);
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Sqlite3Connection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as Sqlite3Connection;
    const release = await this.writeLock.lock();
    try {
      await exec(this.requireWriter(), "BEGIN IMMEDIATE");
    } catch (error) {
      release();
      throw error;
    }
    conn.release = release;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.endTransaction(connection as Sqlite3Connection, "COMMIT");
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.endTransaction(connection as Sqlite3Connection, "ROLLBACK");
  }

  private async endTransaction(conn: Sqlite3Connection, statement: string): Promise<void> {
    try {
      await exec(this.requireWriter(), statement);
    } catch (error) {
      // A failed COMMIT leaves the transaction open: roll it back so the writer is usable again.
      if (statement === "COMMIT") await exec(this.requireWriter(), "ROLLBACK").catch(() => {});
      throw error;
    } finally {
      conn.release?.();
      conn.release = undefined;
    }
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    const all = [...this.readers, ...(this.writer ? [this.writer] : [])];
    this.readers = [];
    this.writer = undefined;
    await Promise.all(all.map(closeDatabase));
  }

  requireWriter(): sqlite3.Database {
    if (!this.writer) throw new Error("The SQLite driver is not initialised or already destroyed");
    return this.writer;
  }

  pickReader(): sqlite3.Database {
    if (this.readers.length === 0) return this.requireWriter();
    this.nextReader = (this.nextReader + 1) % this.readers.length;
    return this.readers[this.nextReader];
  }

  async executeOutsideTransaction<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (isRead(query) && this.readers.length > 0) return runQuery<R>(this.pickReader(), query);
    const release = await this.writeLock.lock();
    try {
      return await runQuery<R>(this.requireWriter(), query);
    } finally {
      release();
    }
  }
}

class Sqlite3Connection implements DatabaseConnection {
  /** Set while this connection owns the writer inside a transaction. */
  release?: () => void;

  constructor(private readonly driver: Sqlite3Driver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.release) return runQuery<R>(this.driver.requireWriter(), query);
    return this.driver.executeOutsideTransaction<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}
