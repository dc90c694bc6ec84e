/**
 * A validation worker thread (see validation-pool.server.ts). It keeps one compiled questionnaire
 * per definition hash, as the main thread would, and answers one message per job.
 */
import { parentPort } from "node:worker_threads";
import { compileQuestionnaire, validateAnswers } from "./validate.server";
import type { WorkerReply, WorkerJob } from "./validation-pool.server";

const known = new Set<string>();

function handle(job: WorkerJob): WorkerReply {
  try {
    if (job.definition !== undefined) {
      compileQuestionnaire(job.key, () => JSON.parse(job.definition!));
      known.add(job.key);
    }
    if (!known.has(job.key)) return { id: job.id, missing: true };
    return { id: job.id, result: validateAnswers(compileQuestionnaire(job.key, () => ({})), job.answers) };
  } catch (error) {
    return { id: job.id, error: (error as Error).message ?? String(error) };
  }
}

parentPort!.on("message", (job: WorkerJob) => {
  parentPort!.postMessage(handle(job));
});
parentPort!.postMessage({ ready: true });
