/**
 * POST /api/walk-stops — a safety-walk stop and its proposed action, from the walk page or its
 * offline queue (decision 029). JSON: {sessionId, clientId, placeName, latitude?, longitude?,
 * category, observation, proposal, responsible, recordedOn?}.
 *
 * 201 {stopId, actionId} stored; 200 the same clientId again (nothing new); 400 invalid (with
 * per-field messages); 401 not signed in (sign in and send again: the queue keeps the stop);
 * 403 a role other than facilitator or admin, or another facilitator's session; 404 unknown
 * session; 409 a session that is not an open safety walk, or a clientId used on another session;
 * 413 over 16 KB; 415 not JSON; 405 any other method.
 *
 * Cross-site requests: app/server/security.ts refuses a POST whose Origin (or Referer) is not
 * this site, and one with neither. The body must be declared application/json, which a page
 * elsewhere cannot send without a CORS preflight that this site never grants; the session cookie
 * is SameSite=Lax. No form token is asked for: a stop queued offline must still go through after
 * its author signed in again (a new session, a new token).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { JSON_CONTENT_TYPE } from "~/api/responses.server";
import { getDb } from "~/db/db.server";
import { recordWalkStop, requireOpenWalk, WalkError } from "~/models/walk.server";
import { parseWalkStop } from "~/walks/stop";
import { isUuid } from "~/surveys/submission";
import { jsonResponse } from "~/utils/http.server";
import { getOptionalUser } from "~/utils/session.server";

const MAX_BYTES = 16 * 1024;

export function loader() {
  return jsonResponse({ error: "Use POST to send a walk stop" }, 405, { Allow: "POST" });
}

async function readLimited(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > MAX_BYTES) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonResponse({ error: "Use POST to send a walk stop" }, 405, { Allow: "POST" });
  const user = await getOptionalUser(request);
  if (!user) return jsonResponse({ error: "Not signed in: sign in again, then send the stop again" }, 401);
  if (user.role !== "admin" && user.role !== "facilitator") {
    return jsonResponse({ error: "Only facilitators and admins record walk stops" }, 403);
  }
  if (!JSON_CONTENT_TYPE.test(request.headers.get("Content-Type") ?? "")) {
    return jsonResponse({ error: "Content-Type must be application/json (UTF-8)" }, 415);
  }
  const text = await readLimited(request);
  if (text === null) return jsonResponse({ error: `Request body larger than ${MAX_BYTES} bytes` }, 413);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return jsonResponse({ error: "Request body is not valid JSON" }, 400);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return jsonResponse({ error: "The body must be a JSON object", fields: {} }, 400);
  }
  const { sessionId, ...rest } = body as Record<string, unknown>;
  const parsed = parseWalkStop(rest);
  if (!isUuid(sessionId)) {
    const fields = { ...(parsed.ok ? {} : parsed.fields), sessionId: ["Expected the session's UUID"] };
    return jsonResponse({ error: "Invalid walk stop", fields }, 400);
  }
  if (!parsed.ok) return jsonResponse({ error: parsed.error, fields: parsed.fields }, 400);
  try {
    const db = getDb();
    const session = await requireOpenWalk({ db, sessionId: sessionId.toLowerCase(), viewer: user });
    const stored = await recordWalkStop({ db, session, stop: parsed.value, userId: user.id });
    return jsonResponse({ stopId: stored.stopId, actionId: stored.actionId }, stored.created ? 201 : 200);
  } catch (error) {
    if (error instanceof WalkError) return jsonResponse({ error: error.message }, error.status);
    throw error;
  }
}
