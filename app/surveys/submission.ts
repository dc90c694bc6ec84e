/**
 * The envelope of a submission to POST /api/responses, shared by the survey page (which builds
 * it) and the server (which checks it). Answers themselves are checked against the questionnaire.
 */
import { isLanguage, LANGUAGES, type Language } from "~/i18n/languages";
/** Where submissions are posted (app/api/responses.server.ts). */
export const SUBMISSION_PATH = "/api/responses";

export const CHANNELS = ["web", "tablet", "paper"] as const;
export type SubmissionChannel = (typeof CHANNELS)[number];

export interface Submission {
  survey: string;
  clientId: string;
  answers: Record<string, unknown>;
  channel: SubmissionChannel;
  sessionId: string | null;
  /** The interface language the answer was given in; null when the sender did not say. */
  language: Language | null;
  /** The invitation code from the letter (XXXXX-XXXXX, any case), or absent (issue 19). */
  code?: string | null;
}

export type ParseResult =
  | { ok: true; value: Submission }
  | { ok: false; error: string; fields: Record<string, string[]> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ALLOWED_KEYS = new Set(["survey", "clientId", "answers", "channel", "sessionId", "language", "code"]);

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

export function parseSubmission(body: unknown): ParseResult {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, error: "The body must be a JSON object", fields: {} };
  }
  const fields: Record<string, string[]> = Object.create(null);
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!ALLOWED_KEYS.has(key)) fields[key] = ["Unknown field"];
  }
  if (typeof input.survey !== "string" || !/^[a-z0-9-]{1,100}$/.test(input.survey)) {
    fields.survey = ["Expected a survey id such as trygghetsmatning-2025"];
  }
  if (!isUuid(input.clientId)) fields.clientId = ["Expected a UUID made by the client"];
  const answers = input.answers;
  if (answers === null || typeof answers !== "object" || Array.isArray(answers)) {
    fields.answers = ["Expected an object of answers"];
  }
  const channel = input.channel ?? "web";
  if (!(CHANNELS as readonly unknown[]).includes(channel)) fields.channel = [`Expected one of ${CHANNELS.join(", ")}`];
  const sessionId = input.sessionId ?? null;
  if (sessionId !== null && !isUuid(sessionId)) fields.sessionId = ["Expected a UUID"];
  const language = input.language ?? null;
  if (language !== null && !isLanguage(language)) fields.language = [`Expected one of ${LANGUAGES.join(", ")}`];
  const code = input.code ?? null;
  if (code !== null && (typeof code !== "string" || !/^[A-Za-z0-9 -]{1,40}$/.test(code))) fields.code = ["Expected an invitation code such as ABCDE-FGHJK"];
  if (Object.keys(fields).length > 0) return { ok: false, error: "Invalid submission", fields };
  return {
    ok: true,
    value: {
      survey: input.survey as string,
      clientId: (input.clientId as string).toLowerCase(),
      answers: answers as Record<string, unknown>,
      channel: channel as SubmissionChannel,
      sessionId: sessionId as string | null,
      language: language as Language | null,
      ...(code !== null ? { code: code as string } : {}),
    },
  };
}
