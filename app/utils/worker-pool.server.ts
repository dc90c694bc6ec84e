/**
 * Jobs on worker threads, for pure CPU work that should not hold up the event loop (decision
 * 008). The workers are scripts that `npm run build` bundles into build/.
 *
 * - A job goes to the worker with the fewest jobs waiting.
 * - Large data that many jobs share (a questionnaire) travels as an attachment: sent to a worker
 *   once per key; a worker that lacks it anyway asks again.
 * - Jobs are pure, so whatever a worker cannot answer is run here with `runHere`: the jobs of a
 *   worker that died (a new one starts), and a job that cannot be copied to a thread. After five
 *   deaths in a minute, or when the worker is not built, the pool runs every job here.
 * - Errors come back with their name, message and code.
 *
 * The other side is `serveJobs` in the worker script.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parentPort, Worker } from "node:worker_threads";

interface Attachment {
  key: string;
  value: unknown;
}

interface JobMessage<J> {
  id: number;
  job: J;
  attachmentKey?: string;
  attachment?: Attachment;
}

export interface ErrorData {
  name: string;
  message: string;
  code?: string;
}

type Reply<R> = { id: number; result: R } | { id: number; error: ErrorData } | { id: number; missing: string };

export interface WorkerPoolOptions<J, R> {
  /** For messages ("validation"). */
  name: string;
  /** The bundled worker script. */
  file: string;
  size: number;
  /** Runs a job on this thread (no workers, a worker died, or the job cannot be copied). */
  runHere: (job: J) => Promise<R>;
  /** Shared data the job needs, sent to each worker once per key. */
  attachment?: (job: J) => Attachment | undefined;
}

interface Pending<J, R> {
  id: number;
  job: J;
  resolve: (result: R) => void;
  reject: (error: Error) => void;
}

interface PoolWorker<J, R> {
  worker: Worker;
  jobs: Map<number, Pending<J, R>>;
  keys: Set<string>;
  closing: boolean;
}

const DEATH_WINDOW_MS = 60_000;
const MAX_DEATHS = 5;

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

/** A worker script in build/ (bundled by `npm run build`). */
export function builtWorkerFile(name: string): string {
  return path.join(findRoot(), "build", name);
}

function revive(data: ErrorData): Error {
  const error = new Error(data.message) as Error & { code?: string };
  error.name = data.name;
  if (data.code !== undefined) error.code = data.code;
  return error;
}

export class WorkerPool<J, R> {
  private readonly workers: PoolWorker<J, R>[] = [];
  private readonly deaths: number[] = [];
  private nextId = 1;
  private closed = false;
  private inline: boolean;
  /** Jobs answered by a worker, run on this thread, and run here after their worker died (diagnostics, tests). */
  readonly counts = { worker: 0, here: 0, lost: 0 };

  constructor(private readonly options: WorkerPoolOptions<J, R>) {
    this.inline = options.size <= 0;
    if (!this.inline && !fs.existsSync(options.file)) {
      console.error(`The ${options.name} worker is not built (${options.file}): run \`npm run build\`. Working on the main thread.`);
      this.inline = true;
    }
    if (!this.inline) for (let i = 0; i < options.size; i++) this.start();
  }

  get size(): number {
    return this.options.size;
  }

  /** The worker threads running now (for diagnostics and tests). */
  get threads(): readonly Worker[] {
    return this.workers.map((w) => w.worker);
  }

  run(job: J): Promise<R> {
    const target = this.pick();
    if (!target) {
      this.counts.here++;
      return this.options.runHere(job);
    }
    return new Promise<R>((resolve, reject) => this.send(target, { id: this.nextId++, job, resolve, reject }));
  }

  /** Stops the workers; jobs still waiting are run here. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    await Promise.all(
      workers.map(async (w) => {
        w.closing = true;
        w.worker.postMessage({ close: true });
        const exited = new Promise<void>((resolve) => w.worker.once("exit", () => resolve()));
        // A worker that does not finish its own shutdown in time is stopped.
        const timer = setTimeout(() => void w.worker.terminate(), 5_000);
        await exited;
        clearTimeout(timer);
        this.settleLost(w);
      }),
    );
  }

  private pick(): PoolWorker<J, R> | null {
    if (this.inline || this.closed || this.workers.length === 0) return null;
    let best = this.workers[0];
    for (const w of this.workers) if (w.jobs.size < best.jobs.size) best = w;
    return best;
  }

  private send(target: PoolWorker<J, R>, pending: Pending<J, R>): void {
    const message: JobMessage<J> = { id: pending.id, job: pending.job };
    const attachment = this.options.attachment?.(pending.job);
    if (attachment) {
      message.attachmentKey = attachment.key;
      if (!target.keys.has(attachment.key)) message.attachment = attachment;
    }
    target.jobs.set(pending.id, pending);
    if (target.jobs.size === 1) target.worker.ref();
    try {
      target.worker.postMessage(message);
      if (attachment) target.keys.add(attachment.key);
    } catch {
      // A job that cannot be copied to a thread (nested past the clone's stack: hostile JSON) is
      // run here, where it gets its proper answer.
      target.jobs.delete(pending.id);
      if (target.jobs.size === 0) target.worker.unref();
      this.counts.here++;
      this.options.runHere(pending.job).then(pending.resolve, pending.reject);
    }
  }

  private start(): void {
    const worker = new Worker(this.options.file, { execArgv: [], name: this.options.name });
    const entry: PoolWorker<J, R> = { worker, jobs: new Map(), keys: new Set(), closing: false };
    worker.unref();
    worker.on("message", (reply: Reply<R>) => {
      const pending = entry.jobs.get(reply.id);
      if (!pending) return;
      entry.jobs.delete(reply.id);
      if (entry.jobs.size === 0) worker.unref();
      if ("result" in reply) {
        this.counts.worker++;
        pending.resolve(reply.result);
      } else if ("error" in reply) {
        this.counts.worker++;
        pending.reject(revive(reply.error));
      } else {
        entry.keys.delete(reply.missing);
        this.send(entry, pending);
      }
    });
    worker.on("error", (error) => console.error(`The ${this.options.name} worker failed: ${error.message}`));
    worker.on("exit", () => this.died(entry));
    this.workers.push(entry);
  }

  private died(entry: PoolWorker<J, R>): void {
    const i = this.workers.indexOf(entry);
    if (i >= 0) this.workers.splice(i, 1);
    this.settleLost(entry);
    if (entry.closing || this.closed) return;
    const now = Date.now();
    this.deaths.push(now);
    while (this.deaths.length > 0 && this.deaths[0] < now - DEATH_WINDOW_MS) this.deaths.shift();
    if (this.deaths.length >= MAX_DEATHS) {
      if (!this.inline) console.error(`The ${this.options.name} workers keep failing: working on the main thread from now on`);
      this.inline = true;
      return;
    }
    this.start();
  }

  private settleLost(entry: PoolWorker<J, R>): void {
    const jobs = [...entry.jobs.values()];
    entry.jobs.clear();
    this.counts.lost += jobs.length;
    for (const pending of jobs) this.options.runHere(pending.job).then(pending.resolve, pending.reject);
  }
}

/**
 * The worker side: answers each job with `handle(job, attachment)`; when the pool asks it to
 * stop, it stops after answering the jobs already received.
 */
export function serveJobs<J, R>({ handle }: { handle: (job: J, attachment: unknown) => Promise<R> | R }): void {
  const port = parentPort;
  if (!port) throw new Error("serveJobs runs in a worker thread");
  const attachments = new Map<string, unknown>();
  const running = new Set<Promise<void>>();
  port.on("message", (message: JobMessage<J> | { close: true }) => {
    if ("close" in message) {
      void Promise.allSettled([...running]).then(() => port.close());
      return;
    }
    const { id, job, attachmentKey, attachment } = message;
    if (attachment) attachments.set(attachment.key, attachment.value);
    if (attachmentKey !== undefined && !attachments.has(attachmentKey)) {
      port.postMessage({ id, missing: attachmentKey });
      return;
    }
    const task = (async () => {
      try {
        const result = await handle(job, attachmentKey === undefined ? undefined : attachments.get(attachmentKey));
        port.postMessage({ id, result });
      } catch (error) {
        const e = error as Error & { code?: unknown };
        port.postMessage({ id, error: { name: e.name ?? "Error", message: e.message ?? String(error), code: typeof e.code === "string" ? e.code : undefined } });
      }
    })();
    running.add(task);
    void task.finally(() => running.delete(task));
  });
}
