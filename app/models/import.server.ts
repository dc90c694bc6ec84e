/**
 * Imports a year's responses from CSV (paper answers typed in, or another system's export).
 * Every row is validated like a web submission; if any row is bad, nothing is stored and every
 * bad row is reported with its line number. Re-importing the same file stores nothing new:
 * each row's clientId is derived from the file's content and the row's position.
 */
import { createHash, hash } from "node:crypto";
import { PostgresAdapter, sql } from "kysely";
import type { Db } from "~/db/db.server";
import type { Channel } from "~/db/schema";
import { noteAnswersStored } from "~/models/answers-stored.server";
import {
  applyCellDeltas,
  importedResponse,
  storeImportedResponses,
  type CellDelta,
  type ImportedResponse,
  type Scores,
} from "~/models/response.server";
import { editionMeasures, editionQuestionnaire, getEditionByYear, publishEdition } from "~/models/survey.server";
import { csvAnswerReader } from "~/surveys/csv-answers";
import { compileScoreResponse } from "~/stats/measures";
import { validateAnswers } from "~/surveys/validate.server";
import { CsvError, parseCsv, type CsvRecord } from "~/utils/csv";

export interface RowProblem {
  line: number;
  messages: string[];
}

export class ImportError extends Error {
  constructor(readonly problems: RowProblem[]) {
    const shown = problems.slice(0, 20).map((p) => `  line ${p.line}: ${p.messages.join("; ")}`);
    const more = problems.length > 20 ? [`  … and ${problems.length - 20} more rows`] : [];
    super([`${problems.length} row(s) are not valid; nothing was stored:`, ...shown, ...more].join("\n"));
    this.name = "ImportError";
  }
}

/** Parses an imported CSV file; a syntax error becomes an ImportError naming its line. */
export function parseImportCsv(csvText: string): CsvRecord[] {
  try {
    return parseCsv(csvText);
  } catch (error) {
    if (error instanceof CsvError) throw new ImportError([{ line: error.line, messages: [error.message.replace(/^line \d+: /, "")] }]);
    throw error;
  }
}

export type ImportProgress = { phase: "validate" | "store"; done: number; total: number };

/** A UUID-shaped id derived from the file and row, so the same file imports only once. */
export function importClientId(fileHash: string, index: number): string {
  const h = hash("sha256", `${fileHash}:${index}`, "hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Rows validated and stored per step: the next chunk is validated while this one is stored. At
 * most one INSERT statement's worth (storeImportedResponses), so the overlap is not cut short.
 */
const CHUNK_ROWS = 4000;

/**
 * Imports a CSV file's answers into a year's edition (created from the series' questionnaire
 * when missing). All or nothing: every row is validated like a web submission, and if any row is
 * bad nothing is stored (the transaction is rolled back, a new edition removed again) and every
 * bad row is reported (ImportError). One transaction stores the whole file: chunks of rows are
 * inserted as they are validated, and the file's cell statistics are added up and upserted once
 * at the end (decision 042). Stores the same rows, cells and verdicts as storeResponses would.
 */
export async function importResponses({
  db,
  seriesId,
  year,
  csvText,
  channel = "import",
  onProgress,
}: {
  db: Db;
  seriesId: string;
  year: number;
  csvText: string;
  channel?: Channel;
  onProgress?: (p: ImportProgress) => void;
}): Promise<{ editionId: string; stored: number; alreadyStored: number; editionCreated: boolean }> {
  const records = parseImportCsv(csvText);
  if (records.length < 2) throw new ImportError([{ line: 1, messages: ["the file has no header row and answers"] }]);
  const [headerRecord, ...rows] = records;
  const header = headerRecord.fields.map((h) => h.trim());

  let edition = await getEditionByYear({ db, seriesId, year });
  const editionCreated = !edition;
  // The questionnaire comes from the edition or the files; a new edition goes again on failure.
  if (!edition) edition = await publishEdition({ db, seriesId, year, status: "closed" });
  const editionId = edition.id;
  const compiled = editionQuestionnaire(edition);
  const measures = editionMeasures(edition);
  const readAnswers = csvAnswerReader(compiled, header);
  const score = measures ? compileScoreResponse(measures) : null;
  const submittedOn = `${year}-01-01`;

  const problems: RowProblem[] = [];
  const duplicateHeaders = header.filter((h, i) => header.indexOf(h) !== i);
  if (duplicateHeaders.length > 0) problems.push({ line: headerRecord.line, messages: [`column given twice: ${duplicateHeaders.join(", ")}`] });
  const fileHash = createHash("sha256").update(csvText).digest("hex");

  /** Validates rows [from, to); returns them ready to store, or null once any row is bad. */
  const prepare = (from: number, to: number): ImportedResponse[] | null => {
    const ready: ImportedResponse[] = [];
    for (let index = from; index < to; index++) {
      const record = rows[index];
      if (record.fields.length !== header.length) {
        problems.push({ line: record.line, messages: [`expected ${header.length} fields, found ${record.fields.length}`] });
        continue;
      }
      const { answers, unknownColumns } = readAnswers(record.fields);
      if (unknownColumns.length > 0 && index === 0) {
        problems.push({ line: headerRecord.line, messages: [`unknown column(s): ${unknownColumns.join(", ")}`] });
      }
      const result = validateAnswers(compiled, answers);
      if (!result.ok) {
        problems.push({
          line: record.line,
          messages: Object.entries(result.fields).map(([name, msgs]) => `${name}: ${msgs.join(", ")}`),
        });
      } else if (problems.length === 0) {
        // What scoreAnswers gives, with the definitions' value sets built once for the file.
        const scores: Scores = { v: {}, dk: [] };
        score?.(result.answers, (key, y, dontKnow) => {
          if (y !== null) scores.v[key] = y;
          if (dontKnow) scores.dk.push(key);
        });
        const input = { editionId, clientId: importClientId(fileHash, index), answers: result.answers, measures, channel, submittedOn };
        ready.push(importedResponse(input, scores));
      }
      if (index % 500 === 0 || index === rows.length - 1) onProgress?.({ phase: "validate", done: index + 1, total: rows.length });
    }
    return problems.length === 0 ? ready : null;
  };

  let stored = 0;
  let alreadyStored = 0;
  try {
    await db.transaction().execute(async (trx) => {
      const cells = new Map<string, CellDelta>();
      // SQLite: a page cache big enough for the transaction's index pages (the default 2 MB spills
      // them to the WAL again and again); the writer's own setting is put back afterwards.
      const sqlite = !(trx.getExecutor().adapter instanceof PostgresAdapter);
      const cacheBefore = sqlite ? (await sql<{ cache_size: number }>`pragma cache_size`.execute(trx)).rows[0]?.cache_size : undefined;
      if (cacheBefore !== undefined) await sql`pragma cache_size = -131072`.execute(trx);
      try {
        // The database stores one chunk (node-sqlite3's thread, or the PostgreSQL server) while
        // this thread validates and scores the next.
        let storing: Promise<void> | null = null;
        for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
          const to = Math.min(from + CHUNK_ROWS, rows.length);
          const ready = prepare(from, to);
          await storing;
          storing = null;
          if (ready) {
            storing = storeImportedResponses(trx, ready, cells).then((r) => {
              stored += r.created;
              alreadyStored += r.existing;
              onProgress?.({ phase: "store", done: to, total: rows.length });
            });
            // Not awaited yet: a failure is seen at the next await (no unhandled rejection meanwhile).
            storing.catch(() => {});
          }
        }
        await storing;
        if (problems.length > 0) throw new ImportError(problems);
        await applyCellDeltas(trx, cells);
      } finally {
        if (cacheBefore !== undefined) await sql.raw(`pragma cache_size = ${Math.trunc(Number(cacheBefore))}`).execute(trx);
      }
    });
  } catch (error) {
    // As before decision 042: a file with bad rows leaves no edition behind.
    if (editionCreated && error instanceof ImportError) await db.deleteFrom("survey_edition").where("id", "=", editionId).execute();
    throw error;
  }
  noteAnswersStored(); // the results cache checks open years again (decision 024)
  return { editionId, stored, alreadyStored, editionCreated };
}
