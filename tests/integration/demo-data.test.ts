/**
 * Example data: loaded on a fresh database at start, marked on every page, printed sign-ins only
 * in that mode, removable with `cli demo --remove`; DEMO_DATA=off starts empty.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "~/db/db.server";
import { DEMO_RESPONSES_PER_YEAR, DEMO_USERS } from "~/models/demo.server";
import { ROOT, startServer } from "../helpers/app-server";

const dir = process.env.TD_TEST_DIR!;

async function counts(file: string) {
  const db = openDatabase({ kind: "sqlite", filename: file });
  try {
    const n = async (table: "response" | "survey_edition" | "app_user" | "cell_stat" | "population_cell") =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    return { responses: await n("response"), editions: await n("survey_edition"), users: await n("app_user"), cells: await n("cell_stat"), population: await n("population_cell") };
  } finally {
    await db.destroy();
  }
}

describe("example data", () => {
  it("is loaded on a fresh database, shown as such, and removed by `demo --remove`", async () => {
    const file = path.join(dir, "demo.sqlite");
    const server = await startServer({ DATABASE_URL: file, DEMO_DATA: undefined });
    try {
      expect(server.output()).toMatch(/Example data is loaded/);
      for (const u of DEMO_USERS) expect(server.output()).toContain(u.email);
      const home = await (await fetch(server.url)).text();
      expect(home).toMatch(/<div class="demo-banner" role="note"><div class="wrap">Exempeldata: /);
      const results = await (await fetch(`${server.url}/api/results/trygghetsmatning?year=2024&by=area`)).json();
      expect(results.respondents).toBe(DEMO_RESPONSES_PER_YEAR);
      expect(results.measures.filter((m: { suppressed: boolean }) => !m.suppressed).length).toBeGreaterThan(100);
    } finally {
      await server.stop();
    }
    const before = await counts(file);
    expect(before.responses).toBe(3 * DEMO_RESPONSES_PER_YEAR);
    expect(before.editions).toBe(7); // three example years, the open 2025 survey and the 2025 dialogue, tips and walk editions
    expect(before.users).toBe(DEMO_USERS.length);

    // The same seed gives the same example data.
    const again = path.join(dir, "demo-again.sqlite");
    const out = spawnSync(process.execPath, ["--import", "tsx", "app/cli/main.ts", "demo", "--load"], {
      cwd: ROOT, encoding: "utf8", env: { ...process.env, DATABASE_URL: again },
    });
    expect(out.status, out.stderr).toBe(0);

    const removed = spawnSync(process.execPath, ["--import", "tsx", "app/cli/main.ts", "demo", "--remove"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: file },
    });
    expect(removed.status, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/Removed example data: 3 editions, 3600 responses, 3 users/);
    const after = await counts(file);
    expect(after).toEqual({ responses: 0, editions: 4, users: 0, cells: 0, population: 0 }); // the 2025 editions stay

    // Once removed it stays removed, and the banner is gone.
    const restarted = await startServer({ DATABASE_URL: file, DEMO_DATA: undefined });
    try {
      expect(restarted.output()).not.toMatch(/Example data|password/);
      expect(await (await fetch(restarted.url)).text()).not.toContain('class="demo-banner"');
    } finally {
      await restarted.stop();
    }
  });

  it("is not loaded with DEMO_DATA=off, and no sign-ins are printed", async () => {
    const file = path.join(dir, "empty.sqlite");
    const server = await startServer({ DATABASE_URL: file, DEMO_DATA: "off" });
    try {
      expect(server.output()).not.toMatch(/Example data|password/);
      const home = await (await fetch(server.url)).text();
      expect(home).not.toContain('class="demo-banner"');
      expect(home).toContain("/enkat/trygghetsmatning-2025");
    } finally {
      await server.stop();
    }
    expect(await counts(file)).toEqual({ responses: 0, editions: 4, users: 0, cells: 0, population: 0 });
    expect(fs.existsSync(file)).toBe(true);
  });
});
