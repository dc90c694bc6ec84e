/**
 * Online backup and restore of the SQLite database with SQLite's backup API (page by page, while
 * the server keeps running), never a file copy, which could catch a half-written WAL.
 */
import fs from "node:fs";
import sqlite3 from "sqlite3";

function open(filename: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(filename, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

interface SqliteBackup {
  step(pages: number, callback: (err: Error | null) => void): void;
  finish(callback: (err: Error | null) => void): void;
  readonly completed: boolean;
  readonly failed: boolean;
  readonly remaining: number;
  readonly pageCount: number;
}

async function runBackup(
  db: sqlite3.Database,
  file: string,
  toFile: boolean,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  // node-sqlite3's typings lack Database#backup (lib/sqlite3.js: backup(filename, [destName,
  // sourceName, filenameIsDest])).
  const withBackup = db as unknown as { backup: (...args: unknown[]) => SqliteBackup };
  const backup = toFile ? withBackup.backup(file) : withBackup.backup(file, "main", "main", false);
  const step = () =>
    new Promise<void>((resolve, reject) => backup.step(256, (err: Error | null) => (err ? reject(err) : resolve())));
  let pages = 0;
  try {
    while (!backup.completed && !backup.failed) {
      await step();
      pages = backup.pageCount;
      onProgress?.(Math.max(0, backup.pageCount - backup.remaining), backup.pageCount);
    }
    if (backup.failed) throw new Error("SQLite backup failed");
  } finally {
    await new Promise<void>((resolve) => backup.finish(() => resolve()));
  }
  return pages;
}

async function integrityCheck(file: string): Promise<string> {
  const db = await open(file, sqlite3.OPEN_READONLY);
  try {
    return await new Promise<string>((resolve, reject) =>
      db.get("PRAGMA integrity_check", (err, row: { integrity_check: string }) => (err ? reject(err) : resolve(row.integrity_check))),
    );
  } finally {
    await close(db);
  }
}

/** Writes a consistent copy of `source` to `target` (which must not exist). Returns the page count. */
export async function backupSqlite({
  source,
  target,
  onProgress,
}: {
  source: string;
  target: string;
  onProgress?: (done: number, total: number) => void;
}): Promise<{ pages: number; bytes: number }> {
  if (!fs.existsSync(source)) throw new Error(`No database at ${source}`);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file name`);
  const db = await open(source, sqlite3.OPEN_READONLY);
  try {
    const pages = await runBackup(db, target, true, onProgress);
    const check = await integrityCheck(target);
    if (check !== "ok") throw new Error(`The backup failed its integrity check: ${check}`);
    return { pages, bytes: fs.statSync(target).size };
  } finally {
    await close(db);
  }
}

/** Replaces the database at `target` with the backup in `backupFile` (stop the server first). */
export async function restoreSqlite({ backupFile, target }: { backupFile: string; target: string }): Promise<{ pages: number }> {
  if (!fs.existsSync(backupFile)) throw new Error(`No backup at ${backupFile}`);
  const check = await integrityCheck(backupFile);
  if (check !== "ok") throw new Error(`${backupFile} is not a sound SQLite database: ${check}`);
  const db = await open(target, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE);
  try {
    await new Promise<void>((resolve, reject) => db.exec("PRAGMA busy_timeout = 5000", (e) => (e ? reject(e) : resolve())));
    const pages = await runBackup(db, backupFile, false);
    return { pages };
  } finally {
    await close(db);
  }
}
