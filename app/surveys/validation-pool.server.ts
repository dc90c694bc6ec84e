/**
 * Validation of submitted answers off the main thread.
 *
 * survey-core's verdict (visibility, required questions, validators) costs about 0.3 ms of CPU
 * per submission even on the reduced model, which is more than everything else the server does
 * for a submission together. Worker threads run `validateAnswers` so the event loop keeps
 * accepting, parsing and storing submissions meanwhile (decision 008).
 *
 * - Each worker compiles and caches one questionnaire per definition hash, like the main thread
 *   would; the definition text travels with the first job for that hash to that worker.
 * - A job goes to the worker with the fewest jobs waiting.
 * - A worker that dies takes nothing with it: its waiting jobs are validated on the main thread
 *   (validation is a pure function), and a new worker is started. After repeated deaths the pool
 *   stops starting workers and everything is validated on the main thread.
 * - `VALIDATION_THREADS=0` validates on the main thread.
 *
 * The pool is one per process (kept on globalThis): the server's start-up code and the Remix
 * build each bundle their own copy of this module, and both must see the same workers.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { getEnv } from "~/utils/env.server";
import { compileQuestionnaire, validateAnswers, type ValidationResult } from "./validate.server";

export interface WorkerJob {
  id: number;
  /** The definition hash the questionnaire is cached under. */
  key: string;
  /** The definition as JSON text; sent with the first job for `key` to a worker. */
  definition?: string;
  answers: unknown;
}

export type WorkerReply =
  | { id: number; result: ValidationResult }
  | { id: number; error: string }
  | { id: number; missing: true };

/** What a job needs: the definition hash and text (as stored with a published edition). */
export interface QuestionnaireSource {
  key: string;
  definition: string;
}

interface Job extends WorkerJob {
  source: QuestionnaireSource;
  resolve: (result: ValidationResult) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  jobs: Map<number, Job>;
  /** Definition hashes this worker has been sent. */
  keys: Set<string>;
  closing: boolean;
}

/** Deaths within this window that make the pool give up on workers. */
const DEATH_WINDOW_MS = 60_000;
const MAX_DEATHS = 5;

function validateHere(source: QuestionnaireSource, answers: unknown): ValidationResult {
  return validateAnswers(compileQuestionnaire(source.key, () => JSON.parse(source.definition)), answers);
}

/** The project directory: the nearest ancestor with package.json (from app/ or build/). */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/**
 * The worker's code: app/surveys/validation.worker.ts bundled to plain JavaScript by
 * `npm run build` (a worker that loaded TypeScript through tsx would cost about 60 MB more).
 */
export function workerFile(): string {
  return path.join(findRoot(), "build/validation.worker.js");
}

export class ValidationPool {
  private readonly workers: PoolWorker[] = [];
  private readonly deaths: number[] = [];
  private nextId = 1;
  private closed = false;
  /** True once the pool has given up starting workers (or was made with none). */
  private inline: boolean;

  constructor(
    readonly size: number,
    private readonly file = workerFile(),
  ) {
    this.inline = size <= 0;
    if (!this.inline && !fs.existsSync(file)) {
      console.error(`Validation worker not built (${file}): run \`npm run build\`. Validating on the main thread.`);
      this.inline = true;
    }
    if (!this.inline) for (let i = 0; i < size; i++) this.start();
  }

  /** The worker threads running now (for diagnostics and tests). */
  get threads(): readonly Worker[] {
    return this.workers.map((w) => w.worker);
  }

  validate(source: QuestionnaireSource, answers: unknown): Promise<ValidationResult> {
    const target = this.pick();
    if (!target) {
      try {
        return Promise.resolve(validateHere(source, answers));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<ValidationResult>((resolve, reject) => {
      const job: Job = { id: this.nextId++, key: source.key, answers, source, resolve, reject };
      this.send(target, job);
    });
  }

  /** Stops the workers; jobs still waiting are validated here first. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    await Promise.all(
      workers.map((w) => {
        w.closing = true;
        this.runHere(w);
        return w.worker.terminate();
      }),
    );
  }

  private pick(): PoolWorker | null {
    if (this.inline || this.closed || this.workers.length === 0) return null;
    let best = this.workers[0];
    for (const w of this.workers) if (w.jobs.size < best.jobs.size) best = w;
    return best;
  }

  private send(target: PoolWorker, job: Job): void {
    const message: WorkerJob = { id: job.id, key: job.key, answers: job.answers };
    if (!target.keys.has(job.key)) {
      message.definition = job.source.definition;
      target.keys.add(job.key);
    }
    target.jobs.set(job.id, job);
    if (target.jobs.size === 1) target.worker.ref();
    try {
      target.worker.postMessage(message);
    } catch {
      // Answers that cannot be cloned did not come from JSON; validate them here to say why.
      target.jobs.delete(job.id);
      this.settleHere(job);
    }
  }

  private start(): void {
    const worker = new Worker(this.file, { execArgv: [], name: "validation" });
    const entry: PoolWorker = { worker, jobs: new Map(), keys: new Set(), closing: false };
    worker.unref();
    worker.on("message", (reply: WorkerReply | { ready: true }) => {
      if (!("id" in reply)) return;
      const job = entry.jobs.get(reply.id);
      if (!job) return;
      entry.jobs.delete(reply.id);
      if (entry.jobs.size === 0) worker.unref();
      if ("result" in reply) job.resolve(reply.result);
      else if ("error" in reply) job.reject(new Error(reply.error));
      else {
        // The worker does not know the definition (it was restarted): send it again.
        entry.keys.delete(job.key);
        this.send(entry, job);
      }
    });
    worker.on("error", (error) => {
      console.error(`Validation worker failed: ${error.message}`);
    });
    worker.on("exit", () => this.died(entry));
    this.workers.push(entry);
  }

  private died(entry: PoolWorker): void {
    const i = this.workers.indexOf(entry);
    if (i >= 0) this.workers.splice(i, 1);
    this.runHere(entry);
    if (entry.closing || this.closed) return;
    const now = Date.now();
    this.deaths.push(now);
    while (this.deaths.length > 0 && this.deaths[0] < now - DEATH_WINDOW_MS) this.deaths.shift();
    if (this.deaths.length >= MAX_DEATHS) {
      if (!this.inline) console.error("Validation workers keep failing: validating on the main thread from now on");
      this.inline = true;
      return;
    }
    this.start();
  }

  /** Validates a worker's waiting jobs on this thread. */
  private runHere(entry: PoolWorker): void {
    const jobs = [...entry.jobs.values()];
    entry.jobs.clear();
    for (const job of jobs) this.settleHere(job);
  }

  private settleHere(job: Job): void {
    try {
      job.resolve(validateHere(job.source, job.answers));
    } catch (error) {
      job.reject(error as Error);
    }
  }
}

const POOL = Symbol.for("trygghetsdialog.validationPool");
type WithPool = typeof globalThis & { [POOL]?: ValidationPool };

/** The process's pool, started on first use with VALIDATION_THREADS workers. */
export function getValidationPool(): ValidationPool {
  const g = globalThis as WithPool;
  g[POOL] ??= new ValidationPool(getEnv().validationThreads);
  return g[POOL];
}

/** Stops the process's pool (the next use starts a new one). */
export async function closeValidationPool(): Promise<void> {
  const g = globalThis as WithPool;
  const pool = g[POOL];
  g[POOL] = undefined;
  await pool?.close();
}

/** Validates answers against a published definition, on a worker thread when there is one. */
export function validateSubmission(source: QuestionnaireSource, answers: unknown): Promise<ValidationResult> {
  return getValidationPool().validate(source, answers);
}
