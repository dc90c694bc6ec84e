/**
 * Imports a year's responses from CSV (paper answers typed in, or another system's export).
 * Every row is validated like a web submission; if any row is bad, nothing is stored and every
 * bad row is reported with its line number. Re-importing the same file stores nothing new:
 * each row's clientId is derived from the file's content and the row's position.
 */
import { createHash } from "node:crypto";
import { PostgresAdapter, sql } from "kysely";
import type { Db } from "~/db/db.server";
import type { Channel } from "~/db/schema";
import { applyCellDeltas, storeResponsesInTransaction, type CellDelta, type ResponseInput } from "~/models/response.server";
import { editionMeasures, editionQuestionnaire, getEditionByYear, publishEdition } from "~/models/survey.server";
import { answersFromCsv } from "~/surveys/csv-answers";
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
function rowClientId(fileHash: string, index: number): string {
  const h = createHash("sha256").update(`${fileHash}:${index}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

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
  // Validate before creating anything: the questionnaire comes from the edition or the files.
  if (!edition) edition = await publishEdition({ db, seriesId, year, status: "closed" });
  const compiled = editionQuestionnaire(edition);
  const measures = editionMeasures(edition);

  const problems: RowProblem[] = [];
  const duplicateHeaders = header.filter((h, i) => header.indexOf(h) !== i);
  if (duplicateHeaders.length > 0) problems.push({ line: headerRecord.line, messages: [`column given twice: ${duplicateHeaders.join(", ")}`] });
  const fileHash = createHash("sha256").update(csvText).digest("hex");
  const inputs: ResponseInput[] = [];
  rows.forEach((record, index) => {
    if (record.fields.length !== header.length) {
      problems.push({ line: record.line, messages: [`expected ${header.length} fields, found ${record.fields.length}`] });
      return;
    }
    const { answers, unknownColumns } = answersFromCsv(compiled, header, record.fields);
    if (unknownColumns.length > 0 && index === 0) {
      problems.push({ line: headerRecord.line, messages: [`unknown column(s): ${unknownColumns.join(", ")}`] });
    }
    const result = validateAnswers(compiled, answers);
    if (!result.ok) {
      problems.push({
        line: record.line,
        messages: Object.entries(result.fields).map(([name, msgs]) => `${name}: ${msgs.join(", ")}`),
      });
    } else {
      inputs.push({
        editionId: edition.id,
        clientId: rowClientId(fileHash, index),
        answers: result.answers,
        measures,
        channel,
        submittedOn: `${year}-01-01`,
      });
    }
    if (index % 500 === 0 || index === rows.length - 1) onProgress?.({ phase: "validate", done: index + 1, total: rows.length });
  });
  if (problems.length > 0) {
    if (editionCreated) await db.deleteFrom("survey_edition").where("id", "=", edition.id).execute();
    throw new ImportError(problems);
  }

  let stored = 0;
  let alreadyStored = 0;
  await db.transaction().execute(async (trx) => {
    // One transaction; the cells of the whole file are added up and each upserted once at the end.
    const cells = new Map<string, CellDelta>();
    // SQLite: a page cache big enough for the transaction's index pages (the default 2 MB spills
    // them to the WAL again and again); the writer's own setting is put back afterwards.
    const sqlite = !(trx.getExecutor().adapter instanceof PostgresAdapter);
    const cacheBefore = sqlite ? (await sql<{ cache_size: number }>`pragma cache_size`.execute(trx)).rows[0]?.cache_size : undefined;
    if (cacheBefore !== undefined) await sql`pragma cache_size = -131072`.execute(trx);
    try {
      const batch = 5000;
      for (let i = 0; i < inputs.length; i += batch) {
        const results = await storeResponsesInTransaction(trx, inputs.slice(i, i + batch), cells);
        for (const r of results) {
          if (r instanceof Error) throw r;
          if (r.created) stored++;
          else alreadyStored++;
        }
        onProgress?.({ phase: "store", done: Math.min(i + batch, inputs.length), total: inputs.length });
      }
      await applyCellDeltas(trx, cells);
    } finally {
      if (cacheBefore !== undefined) await sql.raw(`pragma cache_size = ${Math.trunc(Number(cacheBefore))}`).execute(trx);
    }
  });
  return { editionId: edition.id, stored, alreadyStored, editionCreated };
}
