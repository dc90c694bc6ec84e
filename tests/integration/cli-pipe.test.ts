/**
 * The command line's output through a pipe is all of it, the same bytes as redirected to a file:
 * with a reader that keeps up, with one that waits before reading (the pipe fills at 64 KiB), and
 * with one that stops early (`| head`: no error, exit status 0). The output is more than 1 MB: the
 * results by area of a copy of the survey files with 120 areas and the example data.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/app-server";

const dir = path.join(process.env.TD_TEST_DIR!, "cli-pipe");
const surveysDir = path.join(dir, "surveys");
const ARGS = ["results", "--series", "trygghetsmatning", "--year", "2024", "--by", "area", "--compare-to", "2023"];

function cli(args: string[], stdout: "pipe" | number): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "app/cli/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, SURVEYS_DIR: surveysDir },
    stdio: ["ignore", stdout, "pipe"],
  });
}

interface Ended {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs the CLI; `readAfterMs` leaves its output unread that long first (a slow reader). */
function runPiped(args: string[], readAfterMs = 0): Promise<Ended> {
  const child = cli(args, "pipe");
  const chunks: Buffer[] = [];
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const startReading = () => child.stdout!.on("data", (d: Buffer) => chunks.push(d));
  if (readAfterMs > 0) setTimeout(startReading, readAfterMs);
  else startReading();
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(chunks), stderr })),
  );
}

function runToFile(args: string[], file: string): Promise<number | null> {
  const fd = fs.openSync(file, "w");
  const child = cli(args, fd);
  fs.closeSync(fd);
  return new Promise((resolve) => child.on("close", (code) => resolve(code)));
}

let expected: Buffer;

beforeAll(async () => {
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(ROOT, "surveys"), surveysDir, { recursive: true });
  const areaFile = path.join(surveysDir, "areas/kristianstad.json");
  const areaList = JSON.parse(fs.readFileSync(areaFile, "utf8"));
  // Many areas make a large output; the real ones stay (the example promises name them).
  areaList.areas = [...areaList.areas, ...Array.from({ length: 120 }, (_, i) => ({ code: `omrade-${i}`, name: { sv: `Område ${i}`, en: `Area ${i}` } }))];
  fs.writeFileSync(areaFile, JSON.stringify(areaList));
  const loaded = await runPiped(["demo", "--load"]);
  expect(loaded.code, loaded.stderr).toBe(0);

  const file = path.join(dir, "results.json");
  expect(await runToFile(ARGS, file)).toBe(0);
  expected = fs.readFileSync(file);
}, 120_000);

describe("CLI output through a pipe", () => {
  it("is complete with a reader that keeps up", async () => {
    expect(expected.length).toBeGreaterThan(1_000_000);
    const run = await runPiped(ARGS);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.length).toBe(expected.length);
    expect(run.stdout.equals(expected)).toBe(true);
    expect(() => JSON.parse(run.stdout.toString("utf8"))).not.toThrow();
  });

  it("is complete with a reader that waits two seconds before reading", async () => {
    const run = await runPiped(ARGS, 2000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.length).toBe(expected.length);
    expect(run.stdout.equals(expected)).toBe(true);
  });

  it("ends quietly with status 0 when the reader stops early (| head)", async () => {
    const child = cli(ARGS, "pipe");
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const first = await new Promise<Buffer>((resolve) => child.stdout!.once("data", resolve));
    child.stdout!.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(first.length).toBeGreaterThan(0);
    expect(expected.subarray(0, first.length).equals(first)).toBe(true);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
