/**
 * A worker thread that throws (an uncaught error, not a clean exit) takes neither the process nor
 * its jobs with it: the error is logged in one line, the job is answered on the main thread, and
 * a new worker takes the next one. Uses a tiny worker script written here.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WorkerPool } from "~/utils/worker-pool.server";
import { expectConsoleError } from "../helpers/console";

const file = path.join(process.env.TD_TEST_DIR!, "crashing-worker.mjs");
fs.writeFileSync(
  file,
  `import { parentPort } from "node:worker_threads";
parentPort.on("message", (m) => {
  if (m.close) return parentPort.close();
  if (m.job === "crash") setTimeout(() => { throw new Error("worker blew up"); });
  else parentPort.postMessage({ id: m.id, result: "worker:" + m.job });
});`,
);

const pool = new WorkerPool<string, string>({ name: "test", file, size: 1, runHere: async (job) => `here:${job}` });

afterAll(() => pool.close());

describe("a worker that throws", () => {
  it("is replaced, its job answered here, the error logged in one line", async () => {
    expect(await pool.run("a")).toBe("worker:a");
    const first = pool.threads[0];
    expectConsoleError(/^The test worker failed: worker blew up$/);
    expect(await pool.run("crash")).toBe("here:crash");
    expect(pool.counts.lost).toBe(1);
    // A new worker answers the next job.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pool.threads).toHaveLength(1);
    expect(pool.threads[0]).not.toBe(first);
    expect(await pool.run("b")).toBe("worker:b");
  });
});
