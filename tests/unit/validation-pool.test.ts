/**
 * Validation on worker threads (app/surveys/validation-pool.server.ts): the same verdicts as on
 * the main thread, and nothing lost when a worker dies. Uses the worker that `npm run build`
 * bundles (build/validation.worker.js); `npm test` builds first.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadSeries } from "~/surveys/files.server";
import { generateSurveyAnswers } from "~/surveys/synthetic";
import { compileQuestionnaire, validateAnswers } from "~/surveys/validate.server";
import { ValidationPool, workerFile, type QuestionnaireSource } from "~/surveys/validation-pool.server";
import { validAnswers } from "../helpers/answers";

const series = loadSeries("trygghetsmatning");
const source: QuestionnaireSource = { key: "pool-test-trygghetsmatning", definition: JSON.stringify(series.questionnaire) };
const compiled = compileQuestionnaire(source.key, series.questionnaire);
const areas = series.areas!.areas.map((a) => a.code);

/** Valid and invalid answer sets, each with a different verdict. */
function cases(): unknown[] {
  const generated = generateSurveyAnswers({ areas, year: 2025, count: 150, seed: 11 });
  return [
    ...generated,
    validAnswers(),
    validAnswers({ area: undefined }),
    validAnswers({ victim: ["none"], reported: 1 }),
    validAnswers({ safe_evening: 7 }),
    validAnswers({ safe_evening: "2" }),
    validAnswers({ victim: ["none", "theft"] }),
    validAnswers({ suggestion: "x".repeat(2001) }),
    validAnswers({ no_such_question: 1 }),
    { area: "atlantis" },
    null,
    [],
    "answers",
  ];
}

const pools: ValidationPool[] = [];
function pool(size: number, file?: string): ValidationPool {
  const p = new ValidationPool(size, file);
  pools.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  vi.restoreAllMocks();
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("Timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("ValidationPool", () => {
  it("is built by npm run build", () => {
    expect(fs.existsSync(workerFile())).toBe(true);
  });

  it("gives exactly the main thread's verdict for valid and invalid answers", async () => {
    const p = pool(2);
    expect(p.threads).toHaveLength(2);
    const all = cases();
    const results = await Promise.all(all.map((answers) => p.validate(source, answers)));
    results.forEach((result, i) => expect(result).toEqual(validateAnswers(compiled, all[i])));
    expect(results.filter((r) => r.ok).length).toBeGreaterThan(100);
    expect(results.filter((r) => !r.ok).length).toBe(11);
    // Every verdict came from a worker thread, not from the main-thread fallback.
    expect(p.counts).toEqual({ worker: all.length, here: 0, lost: 0 });
  });

  it("loses nothing when a worker dies with jobs waiting, and starts a new one", async () => {
    const p = pool(1);
    await p.validate(source, validAnswers()); // the worker knows the definition now
    const first = p.threads[0];
    const all = cases();
    const pending = all.map((answers) => p.validate(source, answers));
    await first.terminate();
    const results = await Promise.all(pending);
    results.forEach((result, i) => expect(result).toEqual(validateAnswers(compiled, all[i])));

    await until(() => p.threads.length === 1 && p.threads[0] !== first);
    // The new worker was never sent the definition: it gets it with its first job.
    const answeredBefore = p.counts.worker;
    const again = await p.validate(source, validAnswers({ victim: ["none"], reported: 1 }));
    expect(again).toEqual(validateAnswers(compiled, validAnswers({ victim: ["none"], reported: 1 })));
    expect(p.counts.worker).toBe(answeredBefore + 1);
    expect(p.counts.worker + p.counts.lost).toBe(all.length + 2);
  });

  it("validates on the main thread after repeated worker deaths", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const p = pool(1);
    for (let i = 0; i < 5; i++) {
      await until(() => p.threads.length === 1);
      const thread = p.threads[0];
      await thread.terminate();
      await until(() => p.threads[0] !== thread);
    }
    await until(() => p.threads.length === 0);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/keep failing/));
    expect(await p.validate(source, validAnswers())).toEqual({ ok: true, answers: validAnswers() });
    expect(p.counts.here).toBe(1);
  });

  it("rejects the job, and keeps working, when a definition cannot be read", async () => {
    const p = pool(1);
    await expect(p.validate({ key: "broken", definition: "{" }, {})).rejects.toThrow(/JSON/);
    expect(await p.validate(source, validAnswers())).toEqual({ ok: true, answers: validAnswers() });
    expect(p.threads).toHaveLength(1);
    expect(p.counts).toEqual({ worker: 2, here: 0, lost: 0 });
  });

  it("validates on the main thread with no workers, or when the worker is not built", async () => {
    const none = pool(0);
    expect(none.threads).toHaveLength(0);
    expect(none.counts.here).toBe(0);
    expect(await none.validate(source, validAnswers({ area: undefined }))).toEqual(validateAnswers(compiled, validAnswers({ area: undefined })));

    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const unbuilt = pool(2, "/nonexistent/validation.worker.js");
    expect(unbuilt.threads).toHaveLength(0);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/not built.*npm run build/));
    expect(await unbuilt.validate(source, validAnswers())).toEqual({ ok: true, answers: validAnswers() });
    expect(unbuilt.counts).toEqual({ worker: 0, here: 1, lost: 0 });
  });

  it("validates here what cannot be copied to a thread (nesting past the clone's stack)", async () => {
    const p = pool(1);
    let deep: unknown = "theft";
    for (let i = 0; i < 30_000; i++) deep = [deep];
    const answers = validAnswers({ victim: deep });
    const result = await p.validate(source, answers);
    expect(result).toEqual(validateAnswers(compiled, answers));
    expect(result.ok).toBe(false);
    expect(p.counts).toEqual({ worker: 0, here: 1, lost: 0 });
  });

  it("finishes waiting jobs when closed", async () => {
    const p = pool(1);
    const pending = cases().map((answers) => p.validate(source, answers));
    await p.close();
    expect((await Promise.all(pending)).length).toBe(cases().length);
    expect(p.threads).toHaveLength(0);
  });
});
