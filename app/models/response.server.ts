/**
 * Stored responses. The only writer of `response` and `cell_stat`: every stored response carries
 * its per-measure values (scores_json) and updates the sufficient statistics of its cell in the
 * same transaction, so the figures are always those of exactly the stored answers.
 *
 * Web submissions go through a group commit: submissions that arrive while a transaction is
 * being written are written together in the next one (multi-row inserts, one commit), which keeps
 * the commit durable (synchronous=FULL) without one disk flush per answer.
 */
import { noteAnswersStored } from "~/models/answers-stored.server";
import { claimInvitations, releaseUnstoredClaims, type InvitationRef } from "~/models/invitation.server";
import { randomUUID } from "node:crypto";
import { CompiledQuery, PostgresAdapter, sql, type Transaction } from "kysely";
import type { Db } from "~/db/db.server";
import { isTransientDatabaseError } from "~/db/errors";
import type { CellStatTable, Channel, Database, NewResponse } from "~/db/schema";
import { scoreResponse } from "~/stats/measures";
import type { Answers, MeasureSet } from "~/stats/types";
import { today } from "~/utils/clock.server";

export const ALL_RESPONDENTS = "*";

export interface ResponseInput {
  editionId: string;
  clientId: string;
  answers: Answers;
  measures: MeasureSet | null;
  channel: Channel;
  sessionId?: string | null;
  /** The language the answer was given in (one of the site's; null when not known). */
  language?: string | null;
  isDemo?: boolean;
  /** YYYY-MM-DD; defaults to today. Imports of past years give a date in that year. */
  submittedOn?: string;
  /**
   * The invitation whose code came with the answer (web or paper): the code is marked used in the
   * same transaction and its area becomes the response's stratum; nothing else of it is stored.
   * Given as the normalised code, it is resolved in the writer's transaction (CodeUnknownError).
   */
  invitation?: InvitationRef | null;
}

export interface StoredResponse {
  id: string;
  /** false when the clientId had been stored before: nothing new was written. */
  created: boolean;
}

export class ClientIdConflictError extends Error {
  constructor(clientId: string) {
    super(`clientId ${clientId} was already used for another survey`);
    this.name = "ClientIdConflictError";
  }
}

type Executor = Db | Transaction<Database>;

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** What a batch adds to one cell_stat row (the row's own shape: it is upserted as is). */
export type CellDelta = CellStatTable;

/** A response's measure values: y per valid measure, and the measures it said "vet ej" to. */
export interface Scores {
  v: Record<string, number>;
  dk: string[];
}

/** Scores a response against a measure set (statistics.md), in the form stored in scores_json. */
export function scoreAnswers(measures: MeasureSet | null, answers: Answers): Scores {
  const scores: Scores = { v: {}, dk: [] };
  if (!measures) return scores;
  for (const [key, value] of scoreResponse(measures, answers)) {
    if (value.y !== null) scores.v[key] = value.y;
    if (value.dontKnow) scores.dk.push(key);
  }
  return scores;
}

/** Per deltas map: cell (area, gender, age group, edition) → measure → its delta, so that adding a
 * response hashes its cell once and then only the measure keys (imports add millions). */
const deltaIndex = new WeakMap<Map<string, CellDelta>, Map<string, Map<string, CellDelta>>>();

/** Adds one response's measure values to the per-cell deltas of a batch. */
export function addToCells(
  deltas: Map<string, CellDelta>,
  row: Pick<NewResponse, "edition_id" | "area" | "gender" | "age_group">,
  scores: Scores,
): void {
  let byCell = deltaIndex.get(deltas);
  if (!byCell) deltaIndex.set(deltas, (byCell = new Map()));
  const cell = `\u0000${row.area ?? ""}\u0000${row.gender ?? ""}\u0000${row.age_group ?? ""}\u0000${row.edition_id}`;
  let byMeasure = byCell.get(cell);
  if (!byMeasure) byCell.set(cell, (byMeasure = new Map()));
  const measures = byMeasure;
  const add = (measureKey: string, y: number | null, dontKnow: boolean) => {
    let d = measures.get(measureKey);
    if (!d) {
      d = {
        edition_id: row.edition_id,
        measure_key: measureKey,
        area: row.area ?? "",
        gender: row.gender ?? "",
        age_group: row.age_group ?? "",
        n: 0,
        sum_y: 0,
        sum_y2: 0,
        n_dont_know: 0,
      };
      measures.set(measureKey, d);
      // The flat map (its keys give applyCellDeltas its one lock order) gets each new cell once.
      deltas.set(measureKey + cell, d);
    }
    if (y !== null) {
      d.n += 1;
      d.sum_y += y;
      d.sum_y2 += y * y;
    }
    if (dontKnow) d.n_dont_know += 1;
  };
  add(ALL_RESPONDENTS, 0, false);
  for (const key in scores.v) add(key, scores.v[key], false);
  for (const key of scores.dk) add(key, null, true);
}

/** Rows per INSERT statement: below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK_PARAMETERS = 30_000;

async function insertChunked<T extends object>(
  trx: Transaction<Database>,
  rows: T[],
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]).length;
  const size = Math.max(1, Math.floor(CHUNK_PARAMETERS / perRow));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

const RESPONSE_COLUMNS = [
  "id", "edition_id", "client_id", "channel", "session_id", "language", "area", "gender", "age_group",
  "answers_json", "scores_json", "submitted_on", "is_demo",
] as const satisfies readonly (keyof NewResponse)[];

/**
 * One multi-row INSERT of responses, skipping clientIds already stored; returns the clientIds it
 * inserted. The statement text is written here rather than by Kysely's insert builder: turning
 * thousands of rows into a query tree and back cost more CPU than SQLite took to store them
 * (imports, decision 018). Only placeholders and fixed identifiers go into the text.
 */
async function insertResponseRows(trx: Transaction<Database>, rows: NewResponse[]): Promise<string[]> {
  const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    const marks: string[] = [];
    for (const column of RESPONSE_COLUMNS) {
      params.push(row[column] ?? null);
      marks.push(postgres ? `$${params.length}` : "?");
    }
    tuples.push(`(${marks.join(", ")})`);
  }
  const text =
    `insert into "response" (${RESPONSE_COLUMNS.map((c) => `"${c}"`).join(", ")}) values ${tuples.join(", ")} ` +
    `on conflict ("client_id") do nothing returning "client_id"`;
  const result = await trx.executeQuery<{ client_id: string }>(CompiledQuery.raw(text, params));
  return result.rows.map((r) => r.client_id);
}

const CELL_COLUMNS = [
  "edition_id", "measure_key", "area", "gender", "age_group", "n", "sum_y", "sum_y2", "n_dont_know",
] as const satisfies readonly (keyof CellStatTable)[];

/**
 * Applies cell deltas, in one consistent key order so concurrent writers cannot deadlock. One
 * multi-row upsert per chunk, its text written here like insertResponseRows (a batch of 256
 * submissions touches a few thousand cells).
 */
export async function applyCellDeltas(trx: Transaction<Database>, deltas: Map<string, CellDelta>): Promise<void> {
  const rows = [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
  const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
  await insertChunked(trx, rows, async (chunk) => {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const marks: string[] = [];
      for (const column of CELL_COLUMNS) {
        params.push(row[column]);
        marks.push(postgres ? `$${params.length}` : "?");
      }
      tuples.push(`(${marks.join(", ")})`);
    }
    const text =
      `insert into "cell_stat" (${CELL_COLUMNS.map((c) => `"${c}"`).join(", ")}) values ${tuples.join(", ")} ` +
      `on conflict ("edition_id", "measure_key", "area", "gender", "age_group") do update set ` +
      `"n" = cell_stat.n + excluded.n, "sum_y" = cell_stat.sum_y + excluded.sum_y, ` +
      `"sum_y2" = cell_stat.sum_y2 + excluded.sum_y2, "n_dont_know" = cell_stat.n_dont_know + excluded.n_dont_know`;
    await trx.executeQuery(CompiledQuery.raw(text, params));
  });
}

/**
 * Stores responses inside a transaction the caller owns. A clientId seen before is not stored
 * again: its earlier id comes back with created=false. Returns one result per input, in order.
 */
export async function storeResponsesInTransaction(
  trx: Transaction<Database>,
  inputs: ResponseInput[],
  /** When given, the batch's cell deltas are added here for the caller to apply before it
   * commits (an import adds up a whole file's cells and upserts each cell once). */
  pendingCells?: Map<string, CellDelta>,
): Promise<(StoredResponse | Error)[]> {
  const date = today();
  // The same clientId twice within one batch: the first is stored, the rest answer with its id.
  const firstByClient = new Map<string, number>();
  const scoresByClient = new Map<string, Scores>();
  const rows: NewResponse[] = [];
  // Invitation codes (issue 19): used ones refuse their input; the rest are marked used here.
  const claims = await claimInvitations(trx, inputs, date);
  inputs.forEach((input, index) => {
    if (claims.refused.has(index) || firstByClient.has(input.clientId)) return;
    firstByClient.set(input.clientId, index);
    const scores = scoreAnswers(input.measures, input.answers);
    scoresByClient.set(input.clientId, scores);
    rows.push(responseRow(input, scores, { area: claims.areas.get(index), submittedOn: input.submittedOn ?? date }));
  });

  const inserted = new Set<string>();
  // In clientId order, like the cell updates in key order: two batches committing side by side
  // (PostgreSQL) then take their row locks in the same order and cannot deadlock.
  const ordered = [...rows].sort((a, b) => (a.client_id < b.client_id ? -1 : a.client_id > b.client_id ? 1 : 0));
  await insertChunked(trx, ordered, async (chunk) => {
    for (const clientId of await insertResponseRows(trx, chunk)) inserted.add(clientId);
  });

  await releaseUnstoredClaims(trx, claims, inserted);

  const deltas = pendingCells ?? new Map<string, CellDelta>();
  for (const row of rows) {
    if (inserted.has(row.client_id)) addToCells(deltas, row, scoresByClient.get(row.client_id)!);
  }
  if (!pendingCells) await applyCellDeltas(trx, deltas);

  const existing = new Map<string, { id: string; edition_id: string }>();
  const missing = rows.filter((r) => !inserted.has(r.client_id)).map((r) => r.client_id);
  for (let i = 0; i < missing.length; i += 500) {
    const found = await trx
      .selectFrom("response")
      .select(["id", "client_id", "edition_id"])
      .where("client_id", "in", missing.slice(i, i + 500))
      .execute();
    for (const f of found) existing.set(f.client_id, f);
  }

  const idByClient = new Map(rows.map((r) => [r.client_id, r.id!]));
  return inputs.map((input, index) => {
    const refused = claims.refused.get(index);
    if (refused) return refused;
    const first = firstByClient.get(input.clientId)!;
    if (inserted.has(input.clientId)) {
      return { id: idByClient.get(input.clientId)!, created: first === index };
    }
    const prior = existing.get(input.clientId);
    if (!prior) return new Error(`Response for clientId ${input.clientId} was neither stored nor found`);
    if (prior.edition_id !== input.editionId) return new ClientIdConflictError(input.clientId);
    return { id: prior.id, created: false };
  });
}

/** One response of an import, ready to store: its row and the scores its JSON was made from. */
export interface ImportedResponse {
  row: NewResponse & { id: string };
  scores: Scores;
}

/**
 * A response row of an import (no invitation, no session): what storeResponsesInTransaction
 * would store for the same input, with the scores it stores beside it.
 */
export function importedResponse(input: ResponseInput & { submittedOn: string }, scores: Scores): ImportedResponse {
  return { row: responseRow(input, scores, { submittedOn: input.submittedOn }), scores };
}

/**
 * The row stored for an input: the stratum is the invitation's area when the answer came with a
 * code (`area`), else the area the answer gives.
 */
function responseRow(input: ResponseInput, scores: Scores, { area, submittedOn }: { area?: string; submittedOn: string }) {
  return {
    id: randomUUID(),
    edition_id: input.editionId,
    client_id: input.clientId,
    channel: input.channel,
    session_id: input.sessionId ?? null,
    language: input.language ?? null,
    area: area ?? text(input.answers.area),
    gender: text(input.answers.gender),
    age_group: text(input.answers.age_group),
    answers_json: JSON.stringify(input.answers),
    scores_json: JSON.stringify(scores),
    submitted_on: submittedOn,
    is_demo: input.isDemo ? 1 : 0,
  } satisfies NewResponse;
}

/** Columns that vary from row to row in an import; the rest are one value for the whole file. */
const IMPORT_ROW_COLUMNS = ["id", "client_id", "area", "gender", "age_group", "answers_json", "scores_json"] as const;
const IMPORT_FILE_COLUMNS = ["edition_id", "channel", "session_id", "language", "submitted_on", "is_demo"] as const;

const importStatements = new Map<string, string>();

/**
 * The INSERT of `rows` imported responses: the file's values are parameters 1–6 in every row,
 * then each row's own values in IMPORT_ROW_COLUMNS order. Numbered parameters (`?7` in SQLite,
 * `$7` in PostgreSQL), so the text depends only on the row count and is made once per count.
 */
function importStatement(rows: number, postgres: boolean): string {
  const cacheKey = `${postgres ? "pg" : "sqlite"}:${rows}`;
  const cached = importStatements.get(cacheKey);
  if (cached) return cached;
  const mark = (n: number) => (postgres ? `$${n}` : `?${n}`);
  const tuples: string[] = [];
  let next = IMPORT_FILE_COLUMNS.length + 1;
  for (let r = 0; r < rows; r++) {
    const own = new Map(IMPORT_ROW_COLUMNS.map((c) => [c as string, mark(next++)]));
    const marks = RESPONSE_COLUMNS.map((c) => own.get(c) ?? mark(IMPORT_FILE_COLUMNS.indexOf(c as (typeof IMPORT_FILE_COLUMNS)[number]) + 1));
    tuples.push(`(${marks.join(", ")})`);
  }
  const statement =
    `insert into "response" (${RESPONSE_COLUMNS.map((c) => `"${c}"`).join(", ")}) values ${tuples.join(", ")} ` +
    `on conflict ("client_id") do nothing returning "client_id"`;
  // A few sizes per import (full chunks and the last one); old ones are not kept for ever.
  if (importStatements.size >= 8) importStatements.clear();
  importStatements.set(cacheKey, statement);
  return statement;
}

/**
 * Stores a chunk of an import inside the import's transaction: the same rows, cells and verdicts
 * as storeResponsesInTransaction gives inputs without invitation codes and with distinct
 * clientIds (decision 042), with less work per row: the values shared by the whole file
 * (edition, channel, date…) are bound once per statement as numbered parameters, and the cells
 * are added to `cells` (applied once at the end by the caller) in the chunk's order. Returns how
 * many rows were new and how many clientIds had been stored before (by this file's earlier
 * import); a clientId stored for another edition is a ClientIdConflictError.
 */
export async function storeImportedResponses(
  trx: Transaction<Database>,
  responses: ImportedResponse[],
  cells: Map<string, CellDelta>,
): Promise<{ created: number; existing: number }> {
  if (responses.length === 0) return { created: 0, existing: 0 };
  const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
  const first = responses[0].row;
  for (const { row } of responses) {
    for (const column of IMPORT_FILE_COLUMNS) {
      if (row[column] !== first[column]) throw new Error(`storeImportedResponses: ${column} differs within one import`);
    }
  }
  const fileParams = IMPORT_FILE_COLUMNS.map((c) => first[c] ?? null);
  // In clientId order, as storeResponsesInTransaction inserts.
  const ordered = responses.map((r) => r.row).sort((a, b) => (a.client_id < b.client_id ? -1 : a.client_id > b.client_id ? 1 : 0));
  const perStatement = Math.floor((CHUNK_PARAMETERS - fileParams.length) / IMPORT_ROW_COLUMNS.length);
  const inserted = new Set<string>();
  for (let i = 0; i < ordered.length; i += perStatement) {
    const chunk = ordered.slice(i, i + perStatement);
    const params: unknown[] = fileParams.slice();
    for (const row of chunk) for (const column of IMPORT_ROW_COLUMNS) params.push(row[column] ?? null);
    const statement = importStatement(chunk.length, postgres);
    const result = await trx.executeQuery<{ client_id: string }>(CompiledQuery.raw(statement, params));
    for (const { client_id } of result.rows) inserted.add(client_id);
  }
  // The cells in the chunk's (the file's) order, as the per-batch path adds them.
  for (const { row, scores } of responses) if (inserted.has(row.client_id)) addToCells(cells, row, scores);
  const missing = ordered.filter((r) => !inserted.has(r.client_id)).map((r) => r.client_id);
  for (let i = 0; i < missing.length; i += 500) {
    const found = await trx.selectFrom("response").select(["client_id", "edition_id"]).where("client_id", "in", missing.slice(i, i + 500)).execute();
    for (const f of found) if (f.edition_id !== first.edition_id) throw new ClientIdConflictError(f.client_id);
    if (found.length !== Math.min(500, missing.length - i)) throw new Error("An imported response was neither stored nor found");
  }
  return { created: inserted.size, existing: missing.length };
}

/** Stores a batch in its own transaction (imports, demo data). */
export async function storeResponses(db: Db, inputs: ResponseInput[]): Promise<(StoredResponse | Error)[]> {
  const stored = await db.transaction().execute((trx) => storeResponsesInTransaction(trx, inputs));
  noteAnswersStored(); // the results cache checks open years again (decision 024)
  return stored;
}

interface Pending {
  input: ResponseInput;
  resolve: (value: StoredResponse) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for single submissions: whatever arrives while a transaction runs is written
 * together in the next. SQLite has one writer, so one transaction at a time; PostgreSQL commits
 * several at once (its own group commit joins their flushes), so there a few run side by side.
 * A failed batch is retried one by one so that one bad row does not fail its neighbours; a batch
 * that failed because the database is away (connection lost, locked, full) is not: its
 * submissions are all answered with that error at once (503, and the client sends again with the
 * same clientId), instead of each waiting for a connection in turn.
 *
 * Nothing acknowledged is lost: a submission is resolved only after its transaction committed.
 * When the connection dies during COMMIT, the commit may or may not have happened; the
 * submissions are rejected (503) either way, and the client's retry finds its clientId stored
 * (200, same id) or stores it then (201).
 */
export class ResponseWriter {
  private queue: Pending[] = [];
  private active = 0;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 256,
    private readonly concurrency = 1,
  ) {}

  submit(input: ResponseInput): Promise<StoredResponse> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      this.active++;
      void this.next().finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async next(): Promise<void> {
    // A moment's wait when few are queued lets the submissions being validated right now
    // join this transaction instead of paying a commit of their own just after it.
    if (this.queue.length < 8) await new Promise((resolve) => setImmediate(resolve));
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length > 0) await this.write(batch);
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const results = await storeResponses(this.db, batch.map((p) => p.input));
      results.forEach((r, i) => (r instanceof Error ? batch[i].reject(r) : batch[i].resolve(r)));
    } catch (error) {
      if (batch.length === 1 || isTransientDatabaseError(error)) {
        for (const p of batch) p.reject(error);
        return;
      }
      for (const p of batch) await this.write([p]);
    }
  }
}

/** Transactions the writer runs at once on PostgreSQL (within PG_POOL_SIZE's connections). */
const POSTGRES_WRITERS = 3;

const writers = new WeakMap<Db, ResponseWriter>();

/** The process-wide writer for a database. */
export function getResponseWriter(db: Db): ResponseWriter {
  let writer = writers.get(db);
  if (!writer) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    writer = new ResponseWriter(db, 256, postgres ? POSTGRES_WRITERS : 1);
    writers.set(db, writer);
  }
  return writer;
}

export async function countResponses({ db, editionId }: { db: Db; editionId: string }): Promise<number> {
  const row = await db
    .selectFrom("response")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("edition_id", "=", editionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getResponse({ db, id }: { db: Db; id: string }) {
  return db.selectFrom("response").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Deletes one stored response of `channel` and takes it out of its cell's statistics, in one
 * transaction (the undo of paper data entry). Uses the response's stored scores (scores_json), so
 * the cells lose exactly what it added. Returns false when there is no such response of that
 * channel (already deleted, or another channel: a web answer is never deleted this way).
 */
export async function deleteResponse({ db, id, channel }: { db: Db; id: string; channel: Channel }): Promise<boolean> {
  const deleted = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("response")
      .select(["id", "edition_id", "area", "gender", "age_group", "scores_json"])
      .where("id", "=", id)
      .where("channel", "=", channel)
      .executeTakeFirst();
    if (!row) return false;
    if (row.scores_json === null) throw new Error(`Response ${id} has no stored scores: run cli recompute before deleting it`);
    const deltas = new Map<string, CellDelta>();
    addToCells(deltas, row, JSON.parse(row.scores_json) as Scores);
    for (const d of deltas.values()) {
      d.n = -d.n;
      d.sum_y = -d.sum_y;
      d.sum_y2 = -d.sum_y2;
      d.n_dont_know = -d.n_dont_know;
    }
    await applyCellDeltas(trx, deltas);
    const result = await trx.deleteFrom("response").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  });
  if (deleted) noteAnswersStored(); // the results cache checks open years again (decision 024)
  return deleted;
}
