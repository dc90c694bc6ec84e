/**
 * The import's bulk path (decision 042) against the per-row path it replaced: the same CSV file
 * goes through importResponses (chunks validated while the previous one is stored, file-wide
 * values bound once, cells added up for the whole file) and through the reference (answersFromCsv
 * row by row, survey-core's Model judging the rules, storeResponses). The stored rows, the cell
 * statistics and the refused rows with their messages must be the same, on SQLite and on
 * PostgreSQL (TEST_DATABASE_URL).
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { importClientId, ImportError, importResponses, parseImportCsv, type RowProblem } from "~/models/import.server";
import { storeResponses, type ResponseInput } from "~/models/response.server";
import { editionMeasures, editionQuestionnaire, publishEdition } from "~/models/survey.server";
import { answersFromCsv } from "~/surveys/csv-answers";
import { loadSeries } from "~/surveys/files.server";
import { generateSurveyAnswers } from "~/surveys/synthetic";
import { validateAnswers } from "~/surveys/validate.server";

const SERIES = "trygghetsmatning";
/** More than one chunk of the bulk path (4,000 rows), so chunks overlap and cells add up across them. */
const ROWS = 4500;

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = Array.isArray(value) ? value.join("|") : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV file of generated answer sets (free text with quotes, commas and line breaks included). */
function generatedCsv(rows: number, seed: number): { header: string[]; lines: string[] } {
  const series = loadSeries(SERIES);
  const areas = series.areas?.areas.map((a) => a.code) ?? [];
  const answers = generateSurveyAnswers({ areas, year: 2021, count: rows, seed, suggestionRate: 0.3 });
  const header: string[] = [];
  const walk = (elements: { name?: string; type?: string; elements?: unknown[] }[] = []) => {
    for (const el of elements) {
      if (el.type === "panel") walk(el.elements as typeof elements);
      else if (el.name) header.push(el.name);
    }
  };
  for (const page of series.questionnaire.pages as { elements: [] }[]) walk(page.elements);
  answers.forEach((a, i) => {
    if (i % 7 === 0 && typeof a.suggestion !== "string") a.suggestion = `Mer ljus, "tack"\noch fler, sa ${i}`;
  });
  return { header, lines: answers.map((a) => header.map((name) => csvCell(a[name])).join(",")) };
}

/**
 * The per-row path as importResponses was before decision 042: answersFromCsv per row,
 * survey-core's Model for the rules, one ResponseInput per valid row, storeResponses. Returns
 * the refused rows as importResponses reports them. `salt` keeps its clientIds apart from the
 * bulk path's (clientIds are unique in the whole database).
 */
async function referenceImport(year: number, csvText: string, salt: string): Promise<{ editionId: string; problems: RowProblem[] }> {
  const db = getDb();
  const [headerRecord, ...rows] = parseImportCsv(csvText);
  const header = headerRecord.fields.map((h) => h.trim());
  const edition = await publishEdition({ db, seriesId: SERIES, year, status: "closed" });
  const compiled = editionQuestionnaire(edition);
  const measures = editionMeasures(edition);
  const fileHash = createHash("sha256").update(salt + csvText).digest("hex");
  const problems: RowProblem[] = [];
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
    const result = validateAnswers(compiled, answers, "survey-core");
    if (!result.ok) {
      problems.push({ line: record.line, messages: Object.entries(result.fields).map(([name, msgs]) => `${name}: ${msgs.join(", ")}`) });
    } else {
      inputs.push({
        editionId: edition.id,
        clientId: importClientId(fileHash, index),
        answers: result.answers,
        measures,
        channel: "import",
        submittedOn: `${year}-01-01`,
      });
    }
  });
  if (problems.length === 0) {
    for (const r of await storeResponses(db, inputs)) if (r instanceof Error) throw r;
  }
  return { editionId: edition.id, problems };
}

/** Stored responses of an edition by row index (from their clientIds), without id and edition. */
async function storedRows(editionId: string, fileHash: string, rows: number) {
  const indexOf = new Map(Array.from({ length: rows }, (_, i) => [importClientId(fileHash, i), i]));
  const stored = await getDb().selectFrom("response").selectAll().where("edition_id", "=", editionId).execute();
  const byIndex = new Map<number, Record<string, unknown>>();
  for (const { id, edition_id, client_id, ...rest } of stored) {
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const index = indexOf.get(client_id);
    expect(index, `clientId ${client_id} of ${edition_id} is not one of the file's`).toBeDefined();
    byIndex.set(index!, { ...rest, is_demo: Number(rest.is_demo) });
  }
  return byIndex;
}

async function cells(editionId: string) {
  const rows = await getDb()
    .selectFrom("cell_stat")
    .selectAll()
    .where("edition_id", "=", editionId)
    .orderBy("measure_key")
    .orderBy("area")
    .orderBy("gender")
    .orderBy("age_group")
    .execute();
  return rows.map(({ edition_id, ...rest }) => ({ ...rest, n: Number(rest.n), n_dont_know: Number(rest.n_dont_know) }));
}

const hashOf = (text: string) => createHash("sha256").update(text).digest("hex");

beforeAll(async () => {
  await migrateToLatest(getDb());
});

describe("import: the bulk path stores what the per-row path stores", () => {
  it("the same response rows and cell statistics for a valid file", async () => {
    const { header, lines } = generatedCsv(ROWS, 42);
    const csvText = `${header.join(",")}\n${lines.join("\n")}\n`;
    const reference = await referenceImport(2021, csvText, "reference:");
    expect(reference.problems).toEqual([]);
    const bulk = await importResponses({ db: getDb(), seriesId: SERIES, year: 2021 + 1, csvText });
    expect(bulk).toMatchObject({ stored: ROWS, alreadyStored: 0, editionCreated: true });

    // submitted_on is the import year's first day in both (the reference was given 2022's).
    const expected = await storedRows(reference.editionId, hashOf(`reference:${csvText}`), ROWS);
    const actual = await storedRows(bulk.editionId, hashOf(csvText), ROWS);
    expect(actual.size).toBe(ROWS);
    expect(expected.size).toBe(ROWS);
    let compared = 0;
    for (const [index, row] of actual) {
      expect({ index, ...row, submitted_on: "" }).toEqual({ index, ...expected.get(index), submitted_on: "" });
      expect(row.submitted_on).toBe("2022-01-01");
      compared++;
    }
    expect(compared).toBe(ROWS);

    const expectedCells = await cells(reference.editionId);
    expect(expectedCells.length).toBeGreaterThan(100);
    // Exact: the sums are added in the same order, so the doubles agree to the last bit.
    expect(await cells(bulk.editionId)).toEqual(expectedCells);

    // Imported again: nothing new, the same counts.
    const again = await importResponses({ db: getDb(), seriesId: SERIES, year: 2022, csvText });
    expect(again).toMatchObject({ stored: 0, alreadyStored: ROWS, editionCreated: false });
    expect(await cells(bulk.editionId)).toEqual(expectedCells);
  }, 300_000);

  it("refuses the same rows with the same messages, stores nothing and leaves no edition", async () => {
    const { header, lines } = generatedCsv(ROWS, 7);
    const column = (name: string) => header.indexOf(name);
    const setCell = (line: string, name: string, value: string) => {
      // Generated lines quote only free text (the last column): split the coded part safely.
      const cells = line.split(",");
      cells[column(name)] = value;
      return cells.join(",");
    };
    expect(header.at(-1)).toBe("suggestion");
    const broken = lines.map((line, i) => {
      if (i === 10) return setCell(line, "area", "atlantis");
      if (i === 500) return setCell(line, "age_group", "99-99");
      if (i === 4100) return setCell(setCell(line, "victim", "none"), "reported", "1"); // a hidden question answered
      if (i === 4200) return line.split(",").slice(0, 5).join(",");
      if (i === 4300) return setCell(line, "safe_evening", "7");
      return line;
    });
    const csvText = `${header.join(",")}\n${broken.join("\n")}\n`;
    const reference = await referenceImport(2019, csvText, "reference:");
    expect(reference.problems.length).toBe(5);
    await getDb().deleteFrom("survey_edition").where("id", "=", reference.editionId).execute();

    let problems: RowProblem[] = [];
    await expect(
      importResponses({ db: getDb(), seriesId: SERIES, year: 2020, csvText }).catch((e: unknown) => {
        if (e instanceof ImportError) problems = e.problems;
        throw e;
      }),
    ).rejects.toBeInstanceOf(ImportError);
    expect(problems).toEqual(reference.problems);
    expect(problems.map((p) => p.messages.join("; "))).toEqual([
      expect.stringMatching(/^area: Not one of the listed values: "atlantis"/),
      expect.stringMatching(/^age_group: /),
      expect.stringMatching(/^reported: Question is not shown/),
      `expected ${header.length} fields, found 5`,
      expect.stringMatching(/^safe_evening: /),
    ]);
    const stored = await getDb().selectFrom("response").select("id").where("edition_id", "=", "trygghetsmatning-2020").execute();
    expect(stored).toEqual([]);
    expect(await cells("trygghetsmatning-2020")).toEqual([]);
    const edition = await getDb().selectFrom("survey_edition").select("id").where("id", "=", "trygghetsmatning-2020").executeTakeFirst();
    expect(edition).toBeUndefined();
  }, 300_000);
});
