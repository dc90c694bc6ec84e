/**
 * POST /api/responses — the one way answers come in (the survey page uses it too).
 * 201 {id} stored; 200 {id} the same clientId again (nothing new stored); 400 invalid with
 * per-question messages; 404 unknown survey; 409 closed survey; 413 body over 64 KB;
 * 503 with Retry-After when the database is temporarily unavailable. No IP address or user
 * agent is stored.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { ClientIdConflictError, getResponseWriter } from "~/models/response.server";
import { editionMeasures, getRecentEdition, isEditionOpen } from "~/models/survey.server";
import { validateSubmission } from "~/surveys/validation-pool.server";
import { parseSubmission } from "~/surveys/submission";
import { errorResponse, HttpError, isTransientDatabaseError, jsonResponse, readJsonBody } from "~/utils/http.server";

export const MAX_BODY_BYTES = 64 * 1024;

export async function loader() {
  return jsonResponse({ error: "Use POST to submit a response" }, 405, { Allow: "POST" });
}

export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") throw new HttpError(405, "Use POST to submit a response", {}, { Allow: "POST" });
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    const submission = parseSubmission(body);
    if (!submission.ok) throw new HttpError(400, submission.error, { fields: submission.fields });
    const { survey, clientId, answers, channel, sessionId } = submission.value;

    const db = getDb();
    const edition = await getRecentEdition({ db, id: survey });
    if (!edition) throw new HttpError(404, `Unknown survey: ${survey}`);
    if (!isEditionOpen(edition)) throw new HttpError(409, `The survey ${survey} is closed`);

    const result = await validateSubmission({ key: edition.definition_hash, definition: edition.questionnaire_json }, answers);
    if (!result.ok) throw new HttpError(400, result.error, { fields: result.fields });

    const stored = await getResponseWriter(db).submit({
      editionId: edition.id,
      clientId,
      answers: result.answers,
      measures: editionMeasures(edition),
      channel,
      sessionId,
    });
    return jsonResponse({ id: stored.id }, stored.created ? 201 : 200);
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error);
    if (error instanceof ClientIdConflictError) {
      return errorResponse(new HttpError(409, error.message, { fields: { clientId: ["Already used for another survey"] } }));
    }
    if (error instanceof Response) throw error;
    if (isTransientDatabaseError(error)) {
      console.error(`Submission deferred (503): ${(error as Error).message}`);
      return errorResponse(new HttpError(503, "The service is temporarily unavailable; try again shortly", {}, { "Retry-After": "5" }));
    }
    console.error(error);
    return errorResponse(new HttpError(500, "Internal error"));
  }
}
