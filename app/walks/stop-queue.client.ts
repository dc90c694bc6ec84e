/**
 * The walk page's queue of stops on the tablet (localStorage, so a reload or a dropped
 * connection loses nothing): each stop is sent to POST /api/walk-stops with its clientId until the
 * server answers 200/201 (the server is idempotent on clientId, so a stop sent twice is stored
 * once). A 401 waits (sign in again, then it goes); 408, 429 and 5xx wait and are retried; any
 * other 4xx is kept aside with the server's message and shown, never retried, never dropped.
 * Meant to give way to the dialogues' IndexedDB queue (app/offline/queue.client.ts) once merged.
 */
export const WALK_STOPS_PATH = "/api/walk-stops";
const KEY = "td:walk-stops";

export interface QueuedStop {
  clientId: string;
  body: Record<string, unknown>;
  queuedAt: string;
  /** Set when the server refused the stop (4xx): its message. */
  refused?: string;
}

function read(): QueuedStop[] {
  try {
    const items = JSON.parse(window.localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

function write(items: QueuedStop[]): void {
  window.localStorage.setItem(KEY, JSON.stringify(items));
}

export function queuedStops(): QueuedStop[] {
  return read();
}

export function queueStop(body: Record<string, unknown> & { clientId: string }): void {
  write([...read().filter((i) => i.clientId !== body.clientId), { clientId: body.clientId, body, queuedAt: new Date().toISOString() }]);
}

export function discardRefused(clientId: string): void {
  write(read().filter((i) => !(i.clientId === clientId && i.refused)));
}

export type FlushOutcome = { sent: number; waiting: number; refused: number; signedOut: boolean };

let flushing: Promise<FlushOutcome> | null = null;

/** Sends every waiting stop, oldest first, stopping at the first that must wait. One flush at a time. */
export function flushStops(): Promise<FlushOutcome> {
  flushing ??= run().finally(() => (flushing = null));
  return flushing;
}

async function run(): Promise<FlushOutcome> {
  let sent = 0;
  let signedOut = false;
  for (const item of read()) {
    if (item.refused) continue;
    let response: Response;
    try {
      response = await fetch(WALK_STOPS_PATH, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(item.body),
        credentials: "same-origin",
      });
    } catch {
      break;
    }
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    if (response.status === 200 || response.status === 201) {
      write(read().filter((i) => i.clientId !== item.clientId));
      sent++;
      continue;
    }
    if (response.status === 401) {
      signedOut = true;
      break;
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      write(read().map((i) => (i.clientId === item.clientId ? { ...i, refused: body.error ?? `HTTP ${response.status}` } : i)));
      continue;
    }
    break;
  }
  const left = read();
  return { sent, waiting: left.filter((i) => !i.refused).length, refused: left.filter((i) => i.refused).length, signedOut };
}
