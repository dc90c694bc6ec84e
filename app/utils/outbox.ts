/**
 * The browser's record of answers: a draft while answering, and an outbox of finished answers
 * not yet acknowledged by the server. Both live in localStorage, so a reload, a closed tab or a
 * dropped connection loses nothing; the outbox is sent again until the server answers 200/201.
 */
import { SUBMISSION_PATH, type Submission } from "~/surveys/submission";
export interface Draft {
  clientId: string;
  data: Record<string, unknown>;
  pageNo: number;
}

/**
 * A finished answer waiting to be sent: the submission itself (app/surveys/submission.ts, the one
 * contract the server checks) and when it was queued. sessionId is optional here: a survey page
 * sends none (a kiosk session would), and items queued before languages were recorded have none.
 */
export interface OutboxItem extends Omit<Submission, "sessionId" | "language"> {
  sessionId?: Submission["sessionId"];
  /** The page's language when the answer was finished (absent in items queued before). */
  language?: Submission["language"];
  /** The invitation code the survey was opened with (issue 19). */
  code?: string | null;
  queuedAt: string;
}

/** The request body for an item: exactly a Submission, nothing of the outbox's own. */
export function submissionOf(item: OutboxItem): Submission {
  return {
    survey: item.survey,
    clientId: item.clientId,
    answers: item.answers,
    channel: item.channel,
    sessionId: item.sessionId ?? null,
    language: item.language ?? null,
    ...(item.code ? { code: item.code } : {}),
  };
}

export type SendResult =
  | { status: "stored"; id: string }
  | { status: "rejected"; error: string; fields: Record<string, string[]>; reason?: string }
  | { status: "retry"; error: string };

const DRAFT_PREFIX = "td:draft:";
const OUTBOX_KEY = "td:outbox";

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function newClientId(): string {
  return crypto.randomUUID();
}

export function loadDraft(survey: string): Draft | null {
  const raw = storage()?.getItem(DRAFT_PREFIX + survey);
  if (!raw) return null;
  try {
    const draft = JSON.parse(raw) as Draft;
    return typeof draft.clientId === "string" && draft.data && typeof draft.data === "object" ? draft : null;
  } catch {
    return null;
  }
}

export function saveDraft(survey: string, draft: Draft): void {
  storage()?.setItem(DRAFT_PREFIX + survey, JSON.stringify(draft));
}

export function clearDraft(survey: string): void {
  storage()?.removeItem(DRAFT_PREFIX + survey);
}

export function readOutbox(): OutboxItem[] {
  try {
    const items = JSON.parse(storage()?.getItem(OUTBOX_KEY) ?? "[]");
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

function writeOutbox(items: OutboxItem[]): void {
  storage()?.setItem(OUTBOX_KEY, JSON.stringify(items));
}

export function enqueue(item: OutboxItem): void {
  writeOutbox([...readOutbox().filter((i) => i.clientId !== item.clientId), item]);
}

export function removeFromOutbox(clientId: string): void {
  writeOutbox(readOutbox().filter((i) => i.clientId !== clientId));
}

/** Sends one finished answer. Only a 200/201 removes it from the outbox; 4xx other than 429 rejects it. */
export async function send(item: OutboxItem): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(SUBMISSION_PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(submissionOf(item)),
    });
  } catch (error) {
    return { status: "retry", error: (error as Error).message };
  }
  const body = (await response.json().catch(() => ({}))) as { id?: string; error?: string; fields?: Record<string, string[]>; reason?: string };
  if (response.status === 200 || response.status === 201) {
    removeFromOutbox(item.clientId);
    // The finished answer is stored: its draft must not come back for the next person on this device.
    if (loadDraft(item.survey)?.clientId === item.clientId) clearDraft(item.survey);
    return { status: "stored", id: body.id ?? "" };
  }
  if (response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 408) {
    removeFromOutbox(item.clientId);
    return { status: "rejected", error: body.error ?? `HTTP ${response.status}`, fields: body.fields ?? {}, ...(body.reason ? { reason: body.reason } : {}) };
  }
  return { status: "retry", error: body.error ?? `HTTP ${response.status}` };
}

export interface FlushReport {
  /** The result for each item that was tried, by clientId. */
  results: Map<string, SendResult & { survey: string }>;
  /** How many are still waiting (the server or the network was not reachable). */
  waiting: number;
}

/** Sends everything waiting in the outbox, oldest first, stopping at the first that must wait. */
export async function flushOutbox(): Promise<FlushReport> {
  const results = new Map<string, SendResult & { survey: string }>();
  for (const item of readOutbox()) {
    const result = await send(item);
    results.set(item.clientId, { ...result, survey: item.survey });
    if (result.status === "retry") break;
  }
  return { results, waiting: readOutbox().length };
}
