/**
 * The results benchmark's data: N synthetic responses spread over four survey years, made by the
 * seeded generator and stored through storeResponses (so response with its scores_json, and cell_stat
 * are what real submissions would leave), plus a generated population table per year so that
 * weighting applies. Generating a million takes minutes, so the database is cached under a
 * version key: seed, counts, the migration list, the generator's source and the survey
 * definition. Anything else that changes stored figures (say, storeResponses itself) needs
 * `--regenerate`.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Kysely, sql } from "kysely";
import type { Db } from "~/db/db.server";
import { openDatabase } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import type { Database } from "~/db/schema";
import { Sqlite3Dialect } from "~/db/sqlite-dialect.server";
import { replacePopulation } from "~/models/population.server";
import { countResponses, storeResponses, type ResponseInput } from "~/models/response.server";
import { editionId, editionMeasures, getEditionByYear, publishEdition, publishPlannedEditions } from "~/models/survey.server";
import { loadSeries } from "~/surveys/files.server";
import { generatePopulation, generateSurveyAnswers } from "~/surveys/synthetic";
import type { DatabaseConfig } from "~/utils/env.server";
import { migrations } from "../migrations/index";
import { ROOT } from "./server";
import type { BenchDatabase, BenchTarget } from "./target";

export const SERIES = "trygghetsmatning";
export const YEARS = [2022, 2023, 2024, 2025];
export const SEED = 20251125;
/** Inhabitants 16–85 per area (Kristianstad-like, as the example data uses). */
const AREA_SIZES = [9200, 20800, 8700, 3400, 2700, 2800, 2100, 2200, 2600, 12400];
const CHANNELS: ResponseInput["channel"][] = ["web", "web", "web", "web", "web", "web", "web", "tablet", "paper", "paper"];

export interface DatasetSpec {
  /** Responses over all years (split evenly; the first years take the remainder). */
  responses: number;
  /** Responses per storeResponses call, each its own transaction. */
  batchSize: number;
}

export interface DatasetInfo {
  key: string;
  version: Record<string, unknown>;
  reused: boolean;
  location: string;
  /** Seconds it took to generate (now, or when the cached copy was made, if recorded). */
  generationSeconds: number | null;
  perYear: Record<string, number>;
  database: BenchDatabase;
}

function perYearCounts(total: number): number[] {
  const base = Math.floor(total / YEARS.length);
  return YEARS.map((_, i) => base + (i < total % YEARS.length ? 1 : 0));
}

function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** What the generated data depends on; its hash names the cached database. */
export function datasetVersion(spec: DatasetSpec): { key: string; version: Record<string, unknown> } {
  const generator = fs.readFileSync(path.join(ROOT, "app/surveys/synthetic.ts"), "utf8");
  const definition = loadSeries(SERIES);
  const version = {
    format: 1,
    seed: SEED,
    series: SERIES,
    years: YEARS,
    perYear: perYearCounts(spec.responses),
    areaSizes: AREA_SIZES,
    migrations: Object.keys(migrations),
    generator: sha(generator).slice(0, 12),
    definition: sha(JSON.stringify(definition)).slice(0, 12),
  };
  return { key: `${spec.responses}-${sha(JSON.stringify(version)).slice(0, 12)}`, version };
}

/** A database connection tuned for a bulk load (a cache, not a record: NORMAL sync, big page cache). */
function openForLoad(config: DatabaseConfig): Db {
  if (config.kind === "postgres") return openDatabase(config);
  return new Kysely<Database>({
    dialect: new Sqlite3Dialect({
      filename: config.filename,
      readers: 0,
      synchronous: "NORMAL",
      onConnection: (conn) =>
        new Promise<void>((resolve, reject) =>
          conn.exec("PRAGMA cache_size = -524288; PRAGMA temp_store = MEMORY", (err) => (err ? reject(err) : resolve())),
        ),
    }),
  });
}

/** A client id shaped like the UUIDs browsers send, but reproducible (year, index). */
function benchClientId(year: number, index: number): string {
  return `${year.toString(16).padStart(8, "0")}-0000-4000-8000-${index.toString(16).padStart(12, "0")}`;
}

function dayInSeason(year: number, index: number): string {
  const d = new Date(Date.UTC(year, 8, 1 + (index % 61)));
  return d.toISOString().slice(0, 10);
}

async function checkCounts(db: Db, expected: number[]): Promise<void> {
  for (const [i, year] of YEARS.entries()) {
    const stored = await countResponses({ db, editionId: editionId(SERIES, year) });
    if (stored !== expected[i]) {
      throw new Error(`The ${year} edition holds ${stored} responses, expected ${expected[i]}: regenerate with --regenerate`);
    }
    const cells = await db
      .selectFrom("cell_stat")
      .select((eb) => eb.fn.sum<number>("n").as("n"))
      .where("edition_id", "=", editionId(SERIES, year))
      .where("measure_key", "=", "*")
      .executeTakeFirst();
    if (Number(cells?.n ?? 0) !== expected[i]) {
      throw new Error(`cell_stat of ${year} counts ${cells?.n} respondents, expected ${expected[i]}`);
    }
    const population = await db
      .selectFrom("population_table")
      .select("edition_id")
      .where("edition_id", "=", editionId(SERIES, year))
      .executeTakeFirst();
    if (!population) throw new Error(`No population table for ${year}`);
  }
}

async function generate(db: Db, kind: DatabaseConfig["kind"], spec: DatasetSpec, log: (line: string) => void): Promise<void> {
  await migrateToLatest(db);
  await publishPlannedEditions({ db });
  const definition = loadSeries(SERIES);
  const areas = definition.areas?.areas.map((a) => a.code) ?? [];
  if (areas.length === 0) throw new Error(`Series ${SERIES} has no area list`);
  const sizes = areas.map((_, i) => AREA_SIZES[i % AREA_SIZES.length]);
  const counts = perYearCounts(spec.responses);
  const started = Date.now();
  let done = 0;
  for (const [y, year] of YEARS.entries()) {
    const edition =
      (await getEditionByYear({ db, seriesId: SERIES, year })) ??
      (await publishEdition({
        db,
        seriesId: SERIES,
        year,
        status: "closed",
        opensOn: `${year}-09-01`,
        closesOn: `${year}-10-31`,
        definition,
      }));
    const measures = editionMeasures(edition);
    let nextReport = 0.25;
    for (let offset = 0, chunk = 0; offset < counts[y]; offset += spec.batchSize, chunk++) {
      const count = Math.min(spec.batchSize, counts[y] - offset);
      // One generator call per batch, each with its own seed: reproducible, and memory stays flat.
      const answers = generateSurveyAnswers({
        areas,
        areaWeights: sizes,
        year,
        count,
        seed: (SEED + Math.imul(chunk + 1, 0x9e3779b1)) >>> 0,
      });
      const inputs: ResponseInput[] = answers.map((a, i) => ({
        editionId: edition.id,
        clientId: benchClientId(year, offset + i),
        answers: a,
        measures,
        channel: CHANNELS[(offset + i) % CHANNELS.length],
        submittedOn: dayInSeason(year, offset + i),
      }));
      const results = await storeResponses(db, inputs);
      const failed = results.find((r) => r instanceof Error || !r.created);
      if (failed) throw new Error(`A generated response was not stored: ${failed instanceof Error ? failed.message : "duplicate clientId"}`);
      done += count;
      if ((offset + count) / counts[y] >= nextReport) {
        const seconds = (Date.now() - started) / 1000;
        const rate = done / seconds;
        const eta = (spec.responses - done) / rate;
        log(`  ${year}: ${(offset + count).toLocaleString("en")} / ${counts[y].toLocaleString("en")}  (${Math.round(rate)} responses/s overall, ~${Math.round(eta)} s left)`);
        while ((offset + count) / counts[y] >= nextReport) nextReport += 0.25;
      }
    }
    await replacePopulation({
      db,
      editionId: edition.id,
      variables: definition.series.weighting ?? ["area", "age_group"],
      rows: generatePopulation({ areas, areaSizes: sizes, year, seed: SEED }),
      source: "Benchmark (synthetic population)",
    });
  }
  if (kind === "sqlite") {
    await sql`PRAGMA analysis_limit = 1000`.execute(db);
    await sql`ANALYZE`.execute(db);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  } else {
    await sql`ANALYZE`.execute(db);
  }
  await checkCounts(db, counts);
}

interface Sidecar {
  key: string;
  version: Record<string, unknown>;
  generatedAt: string;
  generationSeconds: number;
}

function sidecarPath(cacheDir: string, key: string): string {
  return path.join(cacheDir, `results-${key}.json`);
}

/**
 * The cached dataset for `spec` on `target`, generating it first when it is missing (or when
 * `regenerate`). Checks the counts of a reused copy before trusting it.
 */
export async function prepareDataset({
  target,
  spec,
  regenerate,
  cacheDir,
  log,
}: {
  target: BenchTarget;
  spec: DatasetSpec;
  regenerate: boolean;
  cacheDir: string;
  log: (line: string) => void;
}): Promise<DatasetInfo> {
  const { key, version } = datasetVersion(spec);
  const perYear = Object.fromEntries(YEARS.map((y, i) => [String(y), perYearCounts(spec.responses)[i]]));
  const sidecarFile = sidecarPath(cacheDir, `${target.kind}-${key}`);
  const cached = regenerate ? null : await target.cachedDataset(key);
  if (cached) {
    const db = openDatabase(cached.config);
    try {
      await checkCounts(db, perYearCounts(spec.responses));
    } finally {
      await db.destroy();
    }
    let generationSeconds: number | null = null;
    try {
      generationSeconds = (JSON.parse(fs.readFileSync(sidecarFile, "utf8")) as Sidecar).generationSeconds;
    } catch {
      generationSeconds = null;
    }
    log(`Reusing the cached dataset ${cached.location} (key ${key}; delete it or pass --regenerate to rebuild)`);
    return { key, version, reused: true, location: cached.location, generationSeconds, perYear, database: cached };
  }

  log(`Generating ${spec.responses.toLocaleString("en")} responses (${YEARS.join(", ")}; key ${key}) in batches of ${spec.batchSize}…`);
  const pending = await target.newDataset(key);
  const started = Date.now();
  try {
    const db = openForLoad(pending.config);
    try {
      await generate(db, pending.config.kind, spec, log);
    } finally {
      await db.destroy();
    }
    const database = await pending.commit();
    const generationSeconds = Math.round((Date.now() - started) / 100) / 10;
    if (target.keepsDatasets) {
      fs.mkdirSync(cacheDir, { recursive: true });
      const sidecar: Sidecar = { key, version, generatedAt: new Date().toISOString(), generationSeconds };
      fs.writeFileSync(sidecarFile, `${JSON.stringify(sidecar, null, 2)}\n`);
    }
    log(`Generated in ${generationSeconds} s`);
    for (const stale of await target.pruneStale(key)) log(`Removed the outdated cached dataset ${stale}`);
    const location = (await target.cachedDataset(key))?.location ?? database.url;
    return { key, version, reused: false, location, generationSeconds, perYear, database };
  } catch (error) {
    await pending.abandon().catch(() => {});
    throw error;
  }
}
