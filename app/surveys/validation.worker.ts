/**
 * A validation worker thread (see validation-pool.server.ts): one compiled questionnaire per
 * definition hash, as the main thread would keep.
 */
import { serveJobs } from "~/utils/worker-pool.server";
import { compileQuestionnaire, validateAnswers } from "./validate.server";
import type { ValidationJob } from "./validation-pool.server";

serveJobs<ValidationJob, ReturnType<typeof validateAnswers>>({
  handle: (job, definition) => validateAnswers(compileQuestionnaire(job.key, () => JSON.parse(definition as string)), job.answers),
});
