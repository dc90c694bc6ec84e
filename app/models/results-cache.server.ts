/**
 * The results documents, computed once and served many times (decision 024). A document is kept
 * per series, year, grouping, weighting and comparison year, with its JSON text and an ETag, so
 * the API and the public pages answer a spike from memory. Freshness:
 * - a year whose edition is closed changes only when someone re-imports or recomputes it: the
 *   entry is re-checked against a fingerprint of its data (one small query) at most once a
 *   minute and kept while the fingerprint is the same;
 * - an open year takes new answers all the time: its entry is recomputed when it is older than
 *   OPEN_FRESH_MS (30 s) and the fingerprint moved, so a figure shown is at most a minute old
 *   even behind a proxy that keeps it for its max-age (30 s).
 * Misses are single-flight: a hundred requests arriving together compute the document once.
 */
import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "~/db/db.server";
import { EncodedBody } from "~/utils/encoding.server";
import { getResults, type ResultsDocument, type ResultsQuery } from "~/models/results.server";
import { answersStoredGeneration } from "./answers-stored.server";

/** How long an open year's document is served before it is checked again. */
export const OPEN_FRESH_MS = 30_000;
/** How long a closed year's document is served before its fingerprint is checked again. */
export const CLOSED_CHECK_MS = 60_000;
/** Cache-Control max-age (seconds) of a closed year's figures, and of an open year's. */
export const CLOSED_MAX_AGE = 3600;
export const OPEN_MAX_AGE = 30;

export interface CachedResults {
  doc: ResultsDocument;
  /** The document as the API sends it (JSON.stringify once). */
  json: string;
  /** `json` as UTF-8 with its Brotli and gzip copies, each made once (decision 038). */
  body: EncodedBody;
  /** A strong validator of `json`. */
  etag: string;
  /** When the figures were computed (ms since the epoch). */
  computedAt: number;
  /** True when every year in the document is closed: its figures no longer change. */
  closed: boolean;
  /** The Cache-Control header for answers carrying these figures. */
  cacheControl: string;
}

interface Entry extends CachedResults {
  fingerprint: string;
  checkedAt: number;
  generation: number;
}

/** Bumped whenever this process stores answers: an open year's entry is then checked at once. */
export { noteAnswersStored } from "./answers-stored.server";

const entries = new Map<string, Entry>();
const inFlight = new Map<string, Promise<Entry>>();

function keyOf(q: ResultsQuery): string {
  return JSON.stringify([q.seriesId, q.year, q.by, q.weighted, q.compareTo ?? null]);
}

/**
 * What the figures of these years depend on: each edition's status, measure version and answer
 * deletion, the respondents counted in its cell statistics, and its population table's import
 * time. Any submission, import, recompute or population import changes it.
 */
async function fingerprintOf(db: Db, seriesId: string, years: number[]): Promise<{ fingerprint: string; closed: boolean }> {
  const editions = await db
    .selectFrom("survey_edition")
    .select(["id", "year", "status", "measures_version", "answers_deleted_on"])
    .where("series_id", "=", seriesId)
    .where("year", "in", years)
    .execute();
  const ids = editions.map((e) => e.id);
  const [counts, populations] = await Promise.all([
    ids.length === 0
      ? Promise.resolve([] as { edition_id: string; n: unknown; cells: unknown }[])
      : db
          .selectFrom("cell_stat")
          .select(["edition_id", sql<number>`sum(n)`.as("n"), sql<number>`count(*)`.as("cells")])
          .where("edition_id", "in", ids)
          .where("measure_key", "=", "*")
          .groupBy("edition_id")
          .execute(),
    ids.length === 0
      ? Promise.resolve([] as { edition_id: string; imported_at: string }[])
      : db.selectFrom("population_table").select(["edition_id", "imported_at"]).where("edition_id", "in", ids).execute(),
  ]);
  const parts = editions
    .sort((a, b) => a.year - b.year)
    .map((e) => {
      const c = counts.find((x) => x.edition_id === e.id);
      const p = populations.find((x) => x.edition_id === e.id);
      return [e.id, e.status, e.measures_version, e.answers_deleted_on, Number(c?.n ?? 0), Number(c?.cells ?? 0), p?.imported_at ?? null];
    });
  // Closed = no longer open for answers (status closed); a draft or open edition may still change.
  const closed = editions.length === years.length && editions.every((e) => e.status === "closed");
  return { fingerprint: JSON.stringify(parts), closed };
}

async function compute(db: Db, query: ResultsQuery, known?: { fingerprint: string; closed: boolean }): Promise<Entry> {
  const startedAt = answersStoredGeneration();
  const years = query.compareTo ? [query.year, query.compareTo] : [query.year];
  const state = known ?? (await fingerprintOf(db, query.seriesId, years));
  const doc = await getResults({ db, ...query });
  const json = JSON.stringify(doc);
  const now = Date.now();
  return {
    doc,
    json,
    body: new EncodedBody(json),
    etag: `"${createHash("sha256").update(json).digest("base64url").slice(0, 27)}"`,
    computedAt: now,
    checkedAt: now,
    generation: startedAt,
    closed: state.closed,
    fingerprint: state.fingerprint,
    cacheControl: state.closed ? `public, max-age=${CLOSED_MAX_AGE}` : `public, max-age=${OPEN_MAX_AGE}`,
  };
}

async function refresh(db: Db, query: ResultsQuery, key: string, old: Entry | undefined): Promise<Entry> {
  const years = query.compareTo ? [query.year, query.compareTo] : [query.year];
  if (old) {
    const state = await fingerprintOf(db, query.seriesId, years);
    if (state.fingerprint === old.fingerprint && state.closed === old.closed) {
      const kept = { ...old, checkedAt: Date.now(), generation: answersStoredGeneration() };
      entries.set(key, kept);
      return kept;
    }
    const fresh = await compute(db, query, state);
    entries.set(key, fresh);
    return fresh;
  }
  const fresh = await compute(db, query);
  entries.set(key, fresh);
  return fresh;
}

/**
 * The results document of statistics.md for a query, from memory when it is fresh (see the
 * module comment). Throws ResultsError as getResults does; errors are not kept.
 */
export async function cachedResults({ db, ...query }: ResultsQuery & { db: Db }): Promise<CachedResults> {
  const key = keyOf(query);
  const entry = entries.get(key);
  const now = Date.now();
  if (entry && now - entry.checkedAt < (entry.closed ? CLOSED_CHECK_MS : OPEN_FRESH_MS) && (entry.closed || entry.generation === answersStoredGeneration())) {
    return entry;
  }
  let pending = inFlight.get(key);
  if (!pending) {
    pending = refresh(db, query, key, entry).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

/** Forgets every kept document (tests; after a change made in this process that must show now). */
export function clearResultsCache(): void {
  entries.clear();
}

/**
 * Whether the request already holds this version (If-None-Match lists its ETag, or `*`): then
 * the answer is 304 Not Modified with no body.
 */
export function isNotModified(request: Request, etag: string): boolean {
  const header = request.headers.get("If-None-Match");
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}
