/**
 * Validation of submitted answers off the main thread (decision 008), for definitions whose
 * rules do not compile (decision 018: those that do are validated on the main thread).
 *
 * survey-core's verdict (visibility, required questions, validators) costs about 0.3 ms of CPU
 * per submission even on the reduced model, which was nearly half of what the server did for a
 * submission. Worker threads (app/surveys/validation.worker.ts, bundled by `npm run build`) run
 * `validateAnswers`, each caching one compiled questionnaire per definition hash; the definition
 * text is sent to a worker once. Validation is a pure function, so a job whose worker died is
 * simply validated here. `VALIDATION_THREADS=0` validates on the main thread.
 *
 * The pool is one per process (kept on globalThis): the server's start-up code and the Remix
 * build each bundle their own copy of this module, and both must see the same workers.
 */
import { getEnv } from "~/utils/env.server";
import { builtWorkerFile, WorkerPool } from "~/utils/worker-pool.server";
import { compileQuestionnaire, validateAnswers, type ValidationResult } from "./validate.server";

/** What a job needs: the definition hash and text (as stored with a published edition). */
export interface QuestionnaireSource {
  key: string;
  definition: string;
}

export interface ValidationJob {
  /** The definition hash; the worker gets the definition itself as an attachment. */
  key: string;
  answers: unknown;
}

export function workerFile(): string {
  return builtWorkerFile("validation.worker.js");
}

function validateHere(source: QuestionnaireSource, answers: unknown): ValidationResult {
  return validateAnswers(compileQuestionnaire(source.key, () => JSON.parse(source.definition)), answers);
}

export class ValidationPool {
  private readonly pool: WorkerPool<ValidationJob, ValidationResult>;
  private readonly definitions = new Map<string, string>();

  constructor(size: number, file = workerFile()) {
    this.pool = new WorkerPool<ValidationJob, ValidationResult>({
      name: "validation",
      file,
      size,
      runHere: async (job) => validateHere({ key: job.key, definition: this.definitions.get(job.key)! }, job.answers),
      attachment: (job) => ({ key: job.key, value: this.definitions.get(job.key)! }),
    });
  }

  get size(): number {
    return this.pool.size;
  }

  get threads() {
    return this.pool.threads;
  }

  /** Jobs answered by a worker, run on this thread, or lost with their worker. */
  get counts() {
    return this.pool.counts;
  }

  validate(source: QuestionnaireSource, answers: unknown): Promise<ValidationResult> {
    if (!this.definitions.has(source.key)) this.definitions.set(source.key, source.definition);
    return this.pool.run({ key: source.key, answers });
  }

  close(): Promise<void> {
    return this.pool.close();
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

/**
 * Validates answers against a published definition. A definition whose rules compile
 * (decision 018) is validated right here: it costs a few microseconds, less than handing the job
 * to a thread. Only a definition that needs survey-core's Model goes to the worker threads (the
 * pool starts on that first use).
 */
export function validateSubmission(source: QuestionnaireSource, answers: unknown): Promise<ValidationResult> {
  const compiled = compileQuestionnaire(source.key, () => JSON.parse(source.definition));
  if (compiled.rules) return Promise.resolve(validateAnswers(compiled, answers));
  return getValidationPool().validate(source, answers);
}
