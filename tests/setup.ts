/**
 * Runs before every test file: its own fresh database (a temporary SQLite file, or a new
 * PostgreSQL database when TEST_DATABASE_URL names a server), the msw lifecycle for
 * outside services, and the guard that fails a test on an unexpected console.error
 * (helpers/console.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { checkConsoleGuard, installConsoleGuard } from "./helpers/console";
import { isLocal, server } from "./mocks/index";

const adminUrl = process.env.TEST_DATABASE_URL;
let cleanup: () => Promise<void> = async () => {};

if (adminUrl && /^postgres/.test(adminUrl)) {
  const name = `td_test_${randomBytes(6).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanup = async () => {
    const again = new pg.Client({ connectionString: adminUrl });
    await again.connect();
    // pg's Pool.end() resolves before its connections have closed: dropping the database at
    // once terminated them (57P01) under a pool that had no error listener, and the test file
    // failed with an unhandled error now and then. Wait until they are gone; FORCE stays for a
    // server child process that did not stop.
    for (let i = 0; i < 100; i++) {
      const { rows } = await again.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await again.end();
  };
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-test-"));
  process.env.DATABASE_URL = path.join(dir, "test.sqlite");
  cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
}
process.env.DEMO_DATA ??= "off";
process.env.TD_TEST_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "td-files-"));

beforeAll(() => {
  server.listen({
    onUnhandledRequest(request, print) {
      if (!isLocal(request.url)) print.error();
    },
  });
});

beforeEach(() => installConsoleGuard());

afterEach(() => {
  server.resetHandlers();
  checkConsoleGuard();
});

afterAll(async () => {
  server.close();
  const { closeDb } = await import("~/db/db.server");
  await closeDb();
  await cleanup();
});
