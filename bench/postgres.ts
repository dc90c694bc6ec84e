/**
 * PostgreSQL for the benchmark: a throwaway cluster (initdb in a temporary directory, owned by
 * the `postgres` user when we run as root, on a free loopback port; stopped and removed at the
 * end) or a server the caller names with BENCH_DATABASE_URL. Databases are created and dropped
 * through an admin connection to that URL's database.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface PostgresCluster {
  /** postgres://… of the cluster's `postgres` database (for admin statements). */
  adminUrl: string;
  /** Stops the server and removes its directory. Safe to call twice. */
  stop: () => void;
}

function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base)
    ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin/initdb"))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error("No PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install postgresql, or set PG_BIN or BENCH_DATABASE_URL)");
  }
  return path.join(base, versions[0], "bin");
}

/** Runs a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root). */
function runAsPostgres(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const result = spawnSync(cmd, argv, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${path.basename(bin)} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stderr || result.stdout || result.error?.message}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb + pg_ctl start on 127.0.0.1:<free port>, trust authentication, user `postgres`. */
export async function startThrowawayCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-bench-pg-"));
  const dataDir = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["-R", "postgres:", dir]);
  let started = false;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (started) {
      try {
        runAsPostgres(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      } catch (error) {
        console.error(`Could not stop the throwaway PostgreSQL cluster: ${(error as Error).message}`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    runAsPostgres(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const port = await freePort();
    const options = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`;
    runAsPostgres(path.join(bin, "pg_ctl"), ["-D", dataDir, "-l", path.join(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
    started = true;
    return { adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
  } catch (error) {
    const log = path.join(dir, "server.log");
    const tail = fs.existsSync(log) ? `\n${fs.readFileSync(log, "utf8").slice(-2000)}` : "";
    stop();
    throw new Error(`${(error as Error).message}${tail}`);
  }
}

/** The same server and credentials as `url`, another database. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

function ident(name: string): string {
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`Unexpected database name: ${name}`);
  return `"${name}"`;
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withAdmin(adminUrl, async (c) => (await c.query("select 1 from pg_database where datname = $1", [name])).rowCount! > 0);
}

export async function listDatabases(adminUrl: string): Promise<string[]> {
  return withAdmin(adminUrl, async (c) => (await c.query<{ datname: string }>("select datname from pg_database")).rows.map((r) => r.datname));
}

export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withAdmin(adminUrl, (c) => c.query(`create database ${ident(name)}`));
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`drop database if exists ${ident(name)} with (force)`));
}

export async function renameDatabase(adminUrl: string, from: string, to: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`alter database ${ident(from)} rename to ${ident(to)}`));
}

/** Server version and the settings that matter most for the figures. */
export async function describeServer(adminUrl: string): Promise<Record<string, string>> {
  return withAdmin(adminUrl, async (c) => {
    const out: Record<string, string> = {};
    for (const name of ["server_version", "shared_buffers", "synchronous_commit", "fsync", "max_connections"]) {
      out[name] = (await c.query(`show ${name}`)).rows[0][name];
    }
    return out;
  });
}
