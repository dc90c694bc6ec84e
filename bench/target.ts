/**
 * Where the benchmark's databases live. SQLite: a temporary file for the load test, and the
 * generated 1,000,000-response database cached in bench/.cache/. PostgreSQL: databases on a
 * throwaway cluster (or the server of BENCH_DATABASE_URL), the generated one kept under a name
 * that carries its version key.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DatabaseConfig } from "~/utils/env.server";
import {
  createDatabase,
  databaseExists,
  databaseUrl,
  describeServer,
  dropDatabase,
  listDatabases,
  renameDatabase,
  startThrowawayCluster,
  type PostgresCluster,
} from "./postgres";
import { ROOT } from "./server";

export const CACHE_DIR = path.join(ROOT, "bench/.cache");

export interface BenchDatabase {
  /** What the server gets as DATABASE_URL. */
  url: string;
  config: DatabaseConfig;
}

export interface PendingDataset extends BenchDatabase {
  /** Makes the finished database the cached one (atomic rename). Close every connection first. */
  commit: () => Promise<BenchDatabase>;
  abandon: () => Promise<void>;
}

export interface BenchTarget {
  kind: "sqlite" | "postgres";
  /** Whether a generated dataset outlives the run (not on a throwaway cluster). */
  keepsDatasets: boolean;
  /** Where it runs: for the results file. */
  describe: () => Promise<Record<string, string>>;
  /** An empty database of its own; `drop` removes it. */
  freshDatabase: (label: string) => Promise<BenchDatabase & { drop: () => Promise<void> }>;
  /** The cached generated database for this version key, if it is there. */
  cachedDataset: (key: string) => Promise<(BenchDatabase & { location: string }) | null>;
  /** An empty database to generate into; becomes the cached one on commit. */
  newDataset: (key: string) => Promise<PendingDataset>;
  /** Removes cached datasets of other versions with the same response count; returns what went. */
  pruneStale: (key: string) => Promise<string[]>;
  /** Stops what we started (the throwaway cluster). */
  close: () => Promise<void>;
}

function removeSqliteFiles(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
}

export function sqliteTarget(): BenchTarget {
  const datasetFile = (key: string) => path.join(CACHE_DIR, `results-${key}.sqlite`);
  return {
    kind: "sqlite",
    keepsDatasets: true,
    describe: async () => ({ engine: "SQLite (sqlite3 package)", synchronous: process.env.SQLITE_SYNCHRONOUS ?? "FULL" }),
    freshDatabase: async (label) => {
      const file = path.join(os.tmpdir(), `td-bench-${process.pid}-${label}.sqlite`);
      removeSqliteFiles(file);
      return { url: file, config: { kind: "sqlite", filename: file }, drop: async () => removeSqliteFiles(file) };
    },
    cachedDataset: async (key) => {
      const file = datasetFile(key);
      return fs.existsSync(file) ? { url: file, config: { kind: "sqlite", filename: file }, location: path.relative(ROOT, file) } : null;
    },
    newDataset: async (key) => {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const final = datasetFile(key);
      const partial = `${final}.partial`;
      removeSqliteFiles(partial);
      return {
        url: partial,
        config: { kind: "sqlite", filename: partial },
        commit: async () => {
          // A cleanly closed WAL database has no -wal file left: everything is in the main file.
          if (fs.existsSync(`${partial}-wal`) && fs.statSync(`${partial}-wal`).size > 0) {
            throw new Error(`${partial}-wal is not empty: the generating connection was not closed`);
          }
          removeSqliteFiles(final);
          fs.renameSync(partial, final);
          removeSqliteFiles(partial);
          return { url: final, config: { kind: "sqlite", filename: final } };
        },
        abandon: async () => removeSqliteFiles(partial),
      };
    },
    pruneStale: async (key) => {
      const count = key.split("-")[0];
      if (!fs.existsSync(CACHE_DIR)) return [];
      const stale = fs
        .readdirSync(CACHE_DIR)
        .filter((f) => f.startsWith(`results-${count}-`) && f.endsWith(".sqlite") && f !== path.basename(datasetFile(key)));
      for (const f of stale) {
        removeSqliteFiles(path.join(CACHE_DIR, f));
        fs.rmSync(path.join(CACHE_DIR, f.replace(/^results-/, "results-sqlite-").replace(/\.sqlite$/, ".json")), { force: true });
      }
      return stale.map((f) => `bench/.cache/${f}`);
    },
    close: async () => {},
  };
}

/**
 * PostgreSQL on `adminUrl` (a database we may connect to and create databases from), or on a
 * throwaway cluster when no URL is given.
 */
export async function postgresTarget(adminUrl?: string): Promise<BenchTarget> {
  let cluster: PostgresCluster | undefined;
  if (!adminUrl) {
    cluster = await startThrowawayCluster();
    adminUrl = cluster.adminUrl;
  }
  const admin = adminUrl;
  const created = new Set<string>();
  const datasetName = (key: string) => `td_bench_results_${key.replace(/[^a-z0-9_]/g, "_")}`;
  const db = (name: string): BenchDatabase => {
    const url = databaseUrl(admin, name);
    return { url, config: { kind: "postgres", url } };
  };
  return {
    kind: "postgres",
    keepsDatasets: cluster === undefined,
    describe: async () => ({
      engine: "PostgreSQL (pg package)",
      cluster: cluster ? "throwaway (initdb, default settings)" : "BENCH_DATABASE_URL",
      ...(await describeServer(admin)),
    }),
    freshDatabase: async (label) => {
      const name = `td_bench_${label}_${process.pid}`;
      await dropDatabase(admin, name);
      await createDatabase(admin, name);
      created.add(name);
      return {
        ...db(name),
        drop: async () => {
          await dropDatabase(admin, name);
          created.delete(name);
        },
      };
    },
    cachedDataset: async (key) => {
      const name = datasetName(key);
      return (await databaseExists(admin, name)) ? { ...db(name), location: `database ${name}` } : null;
    },
    newDataset: async (key) => {
      const final = datasetName(key);
      const partial = `${final}_partial`;
      await dropDatabase(admin, partial);
      await createDatabase(admin, partial);
      created.add(partial);
      return {
        ...db(partial),
        commit: async () => {
          await dropDatabase(admin, final);
          await renameDatabase(admin, partial, final);
          created.delete(partial);
          return db(final);
        },
        abandon: async () => {
          await dropDatabase(admin, partial);
          created.delete(partial);
        },
      };
    },
    pruneStale: async (key) => {
      const prefix = datasetName(key).replace(/_[a-z0-9]+$/, "_");
      const stale = (await listDatabases(admin)).filter((d) => d.startsWith(prefix) && d !== datasetName(key) && !d.endsWith("_partial"));
      for (const name of stale) await dropDatabase(admin, name);
      return stale.map((d) => `database ${d}`);
    },
    close: async () => {
      // Databases we made for one run go; the cached dataset stays (unless the cluster goes).
      for (const name of created) await dropDatabase(admin, name).catch(() => {});
      created.clear();
      cluster?.stop();
    },
  };
}
