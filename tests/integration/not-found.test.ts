/**
 * What a browser's first visit asks for and what a mistyped address gets: /favicon.ico is served
 * (cached), an unknown URL gets the 404 page in the visitor's language and one log line without
 * a stack trace, and a real error still logs its stack. Reads the real server's log.
 * The last case breaks the database's schema, so the server runs on a SQLite file of its own.
 */
import fs from "node:fs";
import path from "node:path";
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startServer, type RunningServer } from "../helpers/app-server";

const file = path.join(process.env.TD_TEST_DIR!, "not-found.sqlite");
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: file });
});

afterAll(async () => {
  await server?.stop();
});

/** The log lines printed since `mark` (an offset into the output). */
function linesSince(mark: number): string[] {
  return server
    .output()
    .slice(mark)
    .split("\n")
    .filter((line) => line.trim() !== "");
}

async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

describe("icons, unknown addresses and errors", () => {
  it("serves /favicon.ico as an icon with caching headers, logging nothing", async () => {
    const mark = server.output().length;
    const res = await fetch(`${server.url}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/icon/);
    expect(res.headers.get("cache-control")).toMatch(/max-age=[1-9]\d*/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(fs.readFileSync(path.join(ROOT, "public/favicon.ico")))).toBe(true);
    // An ICO file starts with reserved 0, type 1.
    expect([...body.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    await settle();
    expect(linesSince(mark)).toEqual([]);
  });

  it("answers an unknown address with the 404 page in the visitor's language and one log line", async () => {
    let mark = server.output().length;
    const sv = await fetch(`${server.url}/finns-inte/alls`);
    expect(sv.status).toBe(404);
    const svHtml = await sv.text();
    expect(svHtml).toContain('lang="sv"');
    expect(svHtml).toContain("Sidan finns inte");
    await settle();
    const svLines = linesSince(mark);
    expect(svLines).toHaveLength(1);
    expect(svLines[0]).toMatch(/^404 GET \/finns-inte\/alls/);

    mark = server.output().length;
    const en = await fetch(`${server.url}/does-not-exist`, { headers: { Cookie: "lang=en" } });
    expect(en.status).toBe(404);
    const enHtml = await en.text();
    expect(enHtml).toContain('lang="en"');
    expect(enHtml).toContain("Page not found");
    await settle();
    const enLines = linesSince(mark);
    expect(enLines).toHaveLength(1);
    expect(enLines.join("\n")).not.toMatch(/^\s+at /m);
  });

  it("still logs a real error with its stack trace", async () => {
    // A table the start page reads disappears: not a missing page, not a temporary fault.
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle = new sqlite3.Database(file, (e) => (e ? reject(e) : resolve(handle)));
    });
    await new Promise<void>((resolve, reject) => db.exec("ALTER TABLE app_user RENAME TO app_user_gone", (e) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve) => db.close(() => resolve()));

    const mark = server.output().length;
    const res = await fetch(server.url);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("Något gick fel");
    await settle();
    const log = linesSince(mark).join("\n");
    expect(log).toMatch(/no such table: app_user/);
    expect(log).toMatch(/^\s+at /m);
  });
});
