/**
 * A device-side queue of JSON POSTs for tablets that lose the network (issue 17; decision 026).
 * Generic: the kiosk queues answers for /api/responses, the safety walks queue stops; each item
 * is {url, body, clientId}, and the server must be idempotent on clientId.
 *
 * - Stored in IndexedDB (through `idb`), so a closed tab or a restarted tablet loses nothing.
 * - Sent in order of queueing, one at a time, with exponential back-off on network errors, 5xx,
 *   408 and 429 (2 s doubling to 5 min, ±20 % jitter); an `online` event sends at once.
 * - A 4xx refusal is final: the item is kept aside as "refused" with the server's answer, shown
 *   to the facilitator, never retried and never silently dropped (only `dismissRefused` removes it).
 * - Exactly once across tabs: every flush runs inside one Web Lock (`navigator.locks`) named for
 *   the queue, so two tabs never send at the same time, and an item is deleted in the same lock
 *   before the next is read. Without Web Locks, a lease written in an IndexedDB readwrite
 *   transaction (which IndexedDB runs one at a time) plays the lock's part.
 */
import { openDB, type DBSchema, type IDBPDatabase } from "idb";

export interface QueueInput {
  url: string;
  /** Sent as the JSON body. */
  body: unknown;
  /** The server's idempotency key; queueing the same clientId twice keeps one item. */
  clientId: string;
}

export interface QueueItem extends QueueInput {
  queuedAt: string;
  state: "waiting" | "refused";
  attempts: number;
  /** Epoch ms before which no attempt is made (back-off). */
  notBefore: number;
  /** The last failure (network error text, or status and the server's error). */
  lastError: string | null;
  /** For a refused item: the HTTP status and the server's JSON answer. */
  refusedStatus?: number;
  refusedAnswer?: unknown;
}

export interface QueueStats {
  waiting: number;
  refused: QueueItem[];
  /** ISO time of the last item the server accepted, on this device; null if none yet. */
  lastSentAt: string | null;
  /** The last failure of a waiting item, if any. */
  lastError: string | null;
}

export interface FlushResult {
  sent: number;
  refused: number;
  /** True when another tab held the queue, so this one sent nothing. */
  skipped: boolean;
}

interface QueueDb extends DBSchema {
  items: { key: string; value: QueueItem & { seq: number }; indexes: { seq: number } };
  meta: { key: string; value: { key: string; value: unknown } };
}

const DB_NAME = "td-offline-queue";
const LOCK_NAME = "td-offline-queue";
const CHANNEL_NAME = "td-offline-queue";
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

let dbPromise: Promise<IDBPDatabase<QueueDb>> | null = null;

function database(): Promise<IDBPDatabase<QueueDb>> {
  dbPromise ??= openDB<QueueDb>(DB_NAME, 1, {
    upgrade(db) {
      const items = db.createObjectStore("items", { keyPath: "clientId" });
      items.createIndex("seq", "seq");
      db.createObjectStore("meta", { keyPath: "key" });
    },
  });
  return dbPromise;
}

function announce(): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.postMessage("changed");
  channel.close();
}

/** The wait before attempt `attempts + 1`: 2 s · 2^(attempts-1), at most 5 min, ±20 %. */
export function backoffMs(attempts: number, random = Math.random()): number {
  const plain = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(plain * (0.8 + 0.4 * random));
}

/** Puts an item in the queue (a second call with the same clientId changes nothing). */
export async function enqueue(input: QueueInput): Promise<void> {
  const db = await database();
  const tx = db.transaction(["items", "meta"], "readwrite");
  if (!(await tx.objectStore("items").get(input.clientId))) {
    const counter = (await tx.objectStore("meta").get("seq"))?.value as number | undefined;
    const seq = (counter ?? 0) + 1;
    await tx.objectStore("meta").put({ key: "seq", value: seq });
    await tx.objectStore("items").put({
      url: input.url,
      body: input.body,
      clientId: input.clientId,
      seq,
      queuedAt: new Date().toISOString(),
      state: "waiting",
      attempts: 0,
      notBefore: 0,
      lastError: null,
    });
  }
  await tx.done;
  announce();
}

export async function getStats(): Promise<QueueStats> {
  const db = await database();
  const items = await db.getAllFromIndex("items", "seq");
  const waiting = items.filter((i) => i.state === "waiting");
  return {
    waiting: waiting.length,
    refused: items.filter((i) => i.state === "refused"),
    lastSentAt: ((await db.get("meta", "lastSentAt"))?.value as string | undefined) ?? null,
    lastError: waiting.find((i) => i.lastError)?.lastError ?? null,
  };
}

/** Removes a refused item once the facilitator has seen it (waiting items cannot be removed). */
export async function dismissRefused(clientId: string): Promise<void> {
  const db = await database();
  const tx = db.transaction("items", "readwrite");
  const item = await tx.store.get(clientId);
  if (item?.state === "refused") await tx.store.delete(clientId);
  await tx.done;
  announce();
}

type Outcome = { kind: "sent" } | { kind: "refused"; status: number; answer: unknown } | { kind: "retry"; error: string; offline: boolean };

async function post(item: QueueItem, fetchImpl: typeof fetch): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetchImpl(item.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(item.body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (error) {
    return { kind: "retry", error: `network: ${(error as Error).message}`, offline: true };
  }
  const answer = await response.json().catch(() => null);
  if (response.ok) return { kind: "sent" };
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
    return { kind: "refused", status: response.status, answer };
  }
  const error = (answer as { error?: string } | null)?.error ?? response.statusText;
  return { kind: "retry", error: `${response.status}: ${error}`, offline: false };
}

/** Sends every due item, in order, while holding the queue; stops at the first network failure. */
async function flushHeld({ force, fetchImpl }: { force: boolean; fetchImpl: typeof fetch }): Promise<FlushResult> {
  const db = await database();
  const result: FlushResult = { sent: 0, refused: 0, skipped: false };
  const keys = (await db.getAllFromIndex("items", "seq")).filter((i) => i.state === "waiting").map((i) => i.clientId);
  for (const clientId of keys) {
    // Read again: the item may have changed since the list was read.
    const item = await db.get("items", clientId);
    if (!item || item.state !== "waiting") continue;
    if (!force && item.notBefore > Date.now()) continue;
    const outcome = await post(item, fetchImpl);
    const tx = db.transaction(["items", "meta"], "readwrite");
    if (outcome.kind === "sent") {
      await tx.objectStore("items").delete(clientId);
      await tx.objectStore("meta").put({ key: "lastSentAt", value: new Date().toISOString() });
      result.sent++;
    } else if (outcome.kind === "refused") {
      await tx.objectStore("items").put({ ...item, state: "refused", refusedStatus: outcome.status, refusedAnswer: outcome.answer, lastError: `${outcome.status}` });
      result.refused++;
    } else {
      const attempts = item.attempts + 1;
      await tx.objectStore("items").put({ ...item, attempts, notBefore: Date.now() + backoffMs(attempts), lastError: outcome.error });
    }
    await tx.done;
    if (outcome.kind === "retry" && outcome.offline) break;
  }
  if (result.sent + result.refused > 0) announce();
  return result;
}

const LEASE_MS = 60_000;

/** Without Web Locks: take a lease in one readwrite transaction; false if another tab holds it. */
async function takeLease(owner: string): Promise<boolean> {
  const db = await database();
  const tx = db.transaction("meta", "readwrite");
  const lease = (await tx.store.get("lease"))?.value as { owner: string; until: number } | undefined;
  const free = !lease || lease.until < Date.now() || lease.owner === owner;
  if (free) await tx.store.put({ key: "lease", value: { owner, until: Date.now() + LEASE_MS } });
  await tx.done;
  return free;
}

async function dropLease(owner: string): Promise<void> {
  const db = await database();
  const tx = db.transaction("meta", "readwrite");
  const lease = (await tx.store.get("lease"))?.value as { owner: string } | undefined;
  if (lease?.owner === owner) await tx.store.delete("lease");
  await tx.done;
}

/**
 * Sends what waits, unless another tab is sending (then `skipped`). `force` ignores the back-off
 * (the network just came back). Items are sent one at a time, oldest first.
 */
export async function flush({ force = false, fetchImpl = fetch }: { force?: boolean; fetchImpl?: typeof fetch } = {}): Promise<FlushResult> {
  const run = () => flushHeld({ force, fetchImpl: fetchImpl.bind(globalThis) });
  if (typeof navigator !== "undefined" && navigator.locks) {
    const outcome = await navigator.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => (lock ? run() : null));
    return outcome ?? { sent: 0, refused: 0, skipped: true };
  }
  const owner = crypto.randomUUID();
  if (!(await takeLease(owner))) return { sent: 0, refused: 0, skipped: true };
  try {
    return await run();
  } finally {
    await dropLease(owner);
  }
}

/**
 * Sends in the background: at once, whenever the browser says it is online again (forcing past
 * the back-off), and every `everyMs` for items whose back-off has passed. `onChange` gets fresh
 * stats after every change in this or another tab. Returns a function that stops it.
 */
export function startAutoFlush({ onChange, everyMs = 3_000 }: { onChange?: (stats: QueueStats) => void; everyMs?: number } = {}): () => void {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const report = () => void getStats().then((s) => !stopped && onChange?.(s)).catch(() => undefined);
  const attempt = (force: boolean) => {
    running = running.then(async () => {
      if (stopped || (typeof navigator !== "undefined" && navigator.onLine === false)) return;
      await flush({ force }).catch(() => undefined);
      report();
    });
  };
  const onOnline = () => attempt(true);
  window.addEventListener("online", onOnline);
  const timer = window.setInterval(() => attempt(false), everyMs);
  const channel = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(CHANNEL_NAME);
  channel?.addEventListener("message", report);
  attempt(true);
  report();
  return () => {
    stopped = true;
    window.removeEventListener("online", onOnline);
    window.clearInterval(timer);
    channel?.close();
  };
}

/** Asks the browser not to evict this site's storage under pressure; true if granted. */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    if (!navigator.storage?.persist) return false;
    return (await navigator.storage.persisted()) || (await navigator.storage.persist());
  } catch {
    return false;
  }
}

/** How full the site's storage is (0..1), or null when the browser does not say. */
export async function storageUse(): Promise<number | null> {
  try {
    const { usage, quota } = (await navigator.storage?.estimate?.()) ?? {};
    return usage !== undefined && quota ? usage / quota : null;
  } catch {
    return null;
  }
}

/** Above this share of the quota the facilitator is warned that answers may soon not fit. */
export const STORAGE_WARNING_SHARE = 0.9;
