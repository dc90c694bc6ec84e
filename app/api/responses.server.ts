/**
 * /api/responses — the one way answers come in (the survey page and the tablets use it too).
 *
 * POST: 201 {id} stored; 200 {id} the same clientId again (nothing new stored); 400 invalid, with
 * per-question messages; 404 unknown survey or unknown sessionId; 409 closed survey, a closed
 * session or one collecting another survey, or a clientId already used for another survey (the
 * session refusals carry `reason`: session-unknown, session-closed, session-other-survey, for the
 * pages to say in the resident's language); with invitation codes (issue 19): 403 a code-only
 * survey without a code, 404 a code unknown or of another survey, 409 a code used before, 429 too
 * many wrong codes; 413 body over 64 KB; 415 not JSON; 503 with Retry-After when the database is
 * temporarily unavailable. Any other method: 405. No IP address or user agent is stored.
 *
 * A plain Node handler, not a Remix route (decision 010): it is the hottest path of the site, and
 * the Remix adapter's Fetch Request/Response objects, body streams and router cost the main
 * thread about a sixth of its work per submission. It is bundled into the server build and
 * exported from app/entry.server.tsx, so it shares the build's database, edition cache, writer
 * and validation pool with the pages; app/server/main.ts mounts it after the security, rate
 * limit and size guards.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "~/db/db.server";
import { describeDatabaseError, isTransientDatabaseError } from "~/db/errors";
import { checkSessionForAnswer } from "~/models/dialogue-session.server";
import { ClientIdConflictError, getResponseWriter } from "~/models/response.server";
import { checkInvitationCode, CodeUnknownError, CodeUsedError, wrongCode } from "~/api/invitation-code.server";
import { editionMeasures, getRecentEdition, isEditionOpen } from "~/models/survey.server";
import { parseSubmission } from "~/surveys/submission";
import { validateSubmission } from "~/surveys/validation-pool.server";
import { drainThenClose } from "~/utils/drain.server";
import { HttpError } from "~/utils/http.server";
import { clientKey } from "~/server/rate-limit";

export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Checks and stores one submission (the parsed JSON body); the answer to send back. */
export async function submitResponse(body: unknown, client = "unknown"): Promise<ApiAnswer> {
  try {
    const submission = parseSubmission(body);
    if (!submission.ok) throw new HttpError(400, submission.error, { fields: submission.fields });
    const { survey, clientId, answers, channel, sessionId, language, code } = submission.value;

    const db = getDb();
    const edition = await getRecentEdition({ db, id: survey });
    if (!edition) throw new HttpError(404, `Unknown survey: ${survey}`);
    if (!isEditionOpen(edition)) throw new HttpError(409, `The survey ${survey} is closed`);
    if (sessionId !== null) {
      const check = await checkSessionForAnswer({ db, sessionId, survey });
      if (!check.ok) {
        // An answer the server already holds is acknowledged again (200) even after its session
        // closed: a tablet whose first send lost its reply must not keep it aside as refused.
        const stored = check.reason === "closed" ? await findStoredAnswer(db, clientId, edition.id) : undefined;
        if (stored) return { status: 200, body: { id: stored } };
        throw new HttpError(check.status, check.error, { reason: `session-${check.reason}` });
      }
    }
    const invitation = checkInvitationCode({ edition, code, client });

    const result = await validateSubmission({ key: edition.definition_hash, definition: edition.questionnaire_json }, answers);
    if (!result.ok) throw new HttpError(400, result.error, { fields: result.fields });

    const stored = await getResponseWriter(db).submit({
      editionId: edition.id,
      clientId,
      answers: result.answers,
      measures: editionMeasures(edition),
      channel,
      sessionId,
      language,
      invitation,
    });
    return { status: stored.created ? 201 : 200, body: { id: stored.id } };
  } catch (error) {
    if (error instanceof HttpError) return fromHttpError(error);
    if (error instanceof CodeUnknownError) return fromHttpError(wrongCode(client));
    if (error instanceof CodeUsedError) {
      return fromHttpError(new HttpError(409, error.message, { reason: "code-used", fields: { code: ["Already used"] } }));
    }
    if (error instanceof ClientIdConflictError) {
      return fromHttpError(new HttpError(409, error.message, { fields: { clientId: ["Already used for another survey"] } }));
    }
    if (isTransientDatabaseError(error)) {
      console.error(`Submission deferred (503): ${describeDatabaseError(error)}`);
      return fromHttpError(new HttpError(503, "The service is temporarily unavailable; try again shortly", {}, { "Retry-After": "5" }));
    }
    console.error(error);
    return fromHttpError(new HttpError(500, "Internal error"));
  }
}

async function findStoredAnswer(db: ReturnType<typeof getDb>, clientId: string, editionId: string): Promise<string | undefined> {
  const row = await db.selectFrom("response").select("id").where("client_id", "=", clientId).where("edition_id", "=", editionId).executeTakeFirst();
  return row?.id;
}

/** The Node handler for every method on /api/responses. */
export async function handleSubmission(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let answer: ApiAnswer;
  try {
    if (req.method !== "POST") throw new HttpError(405, "Use POST to submit a response", {}, { Allow: "POST" });
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    answer = await submitResponse(body, clientKey((req as IncomingMessage & { ip?: string }).ip ?? req.socket.remoteAddress));
  } catch (error) {
    if (!(error instanceof HttpError)) {
      // The client went away while sending: nobody is left to answer.
      if (!req.destroyed) req.destroy();
      return;
    }
    // A body left unread (too large, wrong type) is drained, not stored, before closing.
    if (!req.complete) drainThenClose(req, res, () => req.destroy());
    answer = fromHttpError(error);
  }
  send(res, answer);
}

function fromHttpError(error: HttpError): ApiAnswer {
  return { status: error.status, body: { error: error.message, ...error.extra }, headers: error.headers };
}

function send(res: ServerResponse, { status, body, headers = {} }: ApiAnswer): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  res.end(text);
}

/**
 * The body as JSON: 415 unless it is declared JSON, 413 past `limit` bytes (declared or while
 * streaming; reading stops there), 400 for invalid UTF-8 or JSON. Rejects with a plain Error when
 * the client aborts.
 */
/**
 * `application/json`, optionally with `charset=utf-8`: not `application/json-patch+json` or any
 * other type that merely starts the same, and no other charset (the body is read as UTF-8).
 */
export const JSON_CONTENT_TYPE = /^\s*application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  if (!JSON_CONTENT_TYPE.test(req.headers["content-type"] ?? "")) {
    return Promise.reject(new HttpError(415, "Content-Type must be application/json (UTF-8)"));
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new HttpError(413, `Request body larger than ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        cleanup();
        reject(new HttpError(413, `Request body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      try {
        resolve(parseJson(Buffer.concat(chunks, total)));
      } catch (error) {
        reject(error);
      }
    };
    const onAborted = () => {
      cleanup();
      reject(new Error("The client closed the connection while sending"));
    };
    const onClose = () => req.complete || onAborted();
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAborted);
      req.off("close", onClose);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAborted);
    req.on("close", onClose);
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseJson(bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new HttpError(400, "Request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
}
