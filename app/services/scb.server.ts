/**
 * Population counts from Statistics Sweden (SCB) through its open PxWeb API v1
 * (https://api.scb.se/OV0104/v1/doris/<lang>/ssd/<table path>): a POST of
 * { query: [{ code, selection: { filter, values } }], response: { format: "json" } } answers
 * { columns: [{ code, text, type: "d" | "t" | "c" }], comments, data: [{ key: [...], values: ["123"] }] }
 * where `key` holds the values of the d and t columns in column order and `values` those of the
 * c (contents) columns.
 *
 * Tables:
 * - BE/BE0101/BE0101A/BefolkningNy: population 31 December by municipality (Region, filter
 *   "vs:RegionKommun07"), single years of age (Alder, filter "vs:Ålder1årA": "0".."99", "100+"),
 *   sex (Kon "1" men, "2" women), ContentsCode BE0101N1, Tid year.
 * - BE/BE0101/BE0101Y/FolkmDesoAldKon: population 31 December by DeSO ("1290A0010") and RegSO
 *   ("1290R001") areas (Region, filter "item"), 5-year bands (Alder "-4", "5-9", …, "80-"),
 *   Kon "1"/"2", ContentsCode 000007Y7, Tid year.
 *
 * Limits SCB states for the v1 API: 10 requests per 10 seconds per address (HTTP 429 beyond) and
 * 150,000 cells per answer; both are kept here (requests are spaced, queries split by region).
 */
import fs from "node:fs";
import path from "node:path";
import type { PopulationInput } from "~/models/population.server";
import { getEnv } from "~/utils/env.server";

export const SCB_DEFAULT_API_URL = "https://api.scb.se/OV0104/v1/doris/en/ssd";
export const SCB_MAX_CELLS = 150_000;
export const SCB_RATE_LIMIT = { requests: 10, perMs: 10_000 };
const TIMEOUT_MS = 60_000;

export const MUNICIPALITY_TABLE = { path: "BE/BE0101/BE0101A/BefolkningNy", contents: "BE0101N1" } as const;
export const SMALL_AREA_TABLE = { path: "BE/BE0101/BE0101Y/FolkmDesoAldKon", contents: "000007Y7" } as const;
/** The 5-year bands of FolkmDesoAldKon; the last is open ("80 and over"). */
export const SMALL_AREA_AGE_BANDS = [
  "-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
  "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-",
];
/** SCB's Kon codes and the questionnaire's gender codes. */
export const SCB_SEXES: { code: string; gender: string; label: string }[] = [
  { code: "1", gender: "man", label: "men" },
  { code: "2", gender: "woman", label: "women" },
];

export type ScbLevel = "municipality" | "regso" | "deso";

/** A failed exchange with SCB: one line saying what happened and what to do. */
export class ScbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScbError";
  }
}

/** The API's base URL: SCB_API_URL, or SCB's own (read at call time so tests and operators can point it elsewhere). */
export function scbApiUrl(): string {
  return (process.env.SCB_API_URL?.trim() || SCB_DEFAULT_API_URL).replace(/\/+$/, "");
}

export interface PxSelection {
  code: string;
  selection: { filter: string; values: string[] };
}
export interface PxQuery {
  query: PxSelection[];
  response: { format: "json" };
}
export interface PxJsonAnswer {
  columns: { code: string; text: string; type: "d" | "t" | "c"; unit?: string }[];
  comments?: unknown[];
  data: { key: string[]; values: string[] }[];
  metadata?: unknown[];
}
/** One value of an answer: the d/t variables' codes by variable code, and the number. */
export interface PxRow {
  key: Record<string, string>;
  value: number;
}

/** Spaces requests so that no more than `requests` start within any `perMs` window. */
export class RequestWindow {
  private started: number[] = [];
  constructor(
    private readonly requests = SCB_RATE_LIMIT.requests,
    private readonly perMs = SCB_RATE_LIMIT.perMs,
    private readonly now = () => Date.now(),
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Resolves when one more request may start, and counts it. */
  async take(): Promise<void> {
    for (;;) {
      const t = this.now();
      this.started = this.started.filter((s) => t - s < this.perMs);
      if (this.started.length < this.requests) {
        this.started.push(t);
        return;
      }
      await this.sleep(this.perMs - (t - this.started[0]) + 1);
    }
  }

  reset(): void {
    this.started = [];
  }
}

const requestWindow = new RequestWindow();

/** Forgets earlier requests (tests that make many requests in a row). */
export function resetScbRequestWindow(): void {
  requestWindow.reset();
}

function bodyMessage(text: string): string {
  const plain = text
    .replace(/^\uFEFF/, "")
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > 300 ? `${plain.slice(0, 300)}…` : plain;
}

/**
 * POSTs one query to an SCB table and returns its values keyed by variable code. Throws a
 * ScbError on a network failure, an HTTP error (429: rate limit; other 4xx with SCB's message)
 * or an answer that is not the json format. ".." (no figure) counts as 0.
 */
export async function queryScbTable({
  table,
  query,
  baseUrl = scbApiUrl(),
}: {
  table: string;
  query: PxSelection[];
  baseUrl?: string;
}): Promise<{ rows: PxRow[]; noFigure: number }> {
  const url = `${baseUrl}/${table}`;
  const body: PxQuery = { query, response: { format: "json" } };
  await requestWindow.take();
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : e.cause?.code ?? e.cause?.message ?? e.message;
    throw new ScbError(`Could not reach Statistics Sweden at ${url} (${why}). Check the network connection and SCB_API_URL, then run the command again.`);
  }
  const text = await response.text();
  if (response.status === 429) {
    throw new ScbError(
      `Statistics Sweden refused the request for ${table}: too many requests (HTTP 429; SCB allows ${SCB_RATE_LIMIT.requests} requests per ${SCB_RATE_LIMIT.perMs / 1000} seconds). Wait a minute and run the command again.`,
    );
  }
  if (!response.ok) {
    const message = bodyMessage(text) || response.statusText || "no message";
    const hint =
      response.status >= 500
        ? "SCB's service is failing; try again later."
        : "Check the year (SCB publishes a year's population in the spring after it) and the region codes in the mapping file.";
    throw new ScbError(`Statistics Sweden answered HTTP ${response.status} for ${table}: ${message}. ${hint}`);
  }
  let answer: PxJsonAnswer;
  try {
    answer = JSON.parse(text.replace(/^\uFEFF/, "")) as PxJsonAnswer;
  } catch {
    throw new ScbError(`Statistics Sweden's answer for ${table} is not JSON (starts ${JSON.stringify(text.slice(0, 60))}).`);
  }
  if (!Array.isArray(answer?.columns) || !Array.isArray(answer?.data)) {
    throw new ScbError(`Statistics Sweden's answer for ${table} lacks "columns" or "data"; has the API changed?`);
  }
  const keyColumns = answer.columns.filter((c) => c.type !== "c").map((c) => c.code);
  const contentIndex = answer.columns.filter((c) => c.type === "c").findIndex((c) => query.some((q) => q.code === "ContentsCode" && q.selection.values.includes(c.code)));
  const rows: PxRow[] = [];
  let noFigure = 0;
  for (const entry of answer.data) {
    if (!Array.isArray(entry.key) || entry.key.length !== keyColumns.length || !Array.isArray(entry.values)) {
      throw new ScbError(`Statistics Sweden's answer for ${table} has a data row that does not match its columns: ${JSON.stringify(entry).slice(0, 120)}`);
    }
    const raw = String(entry.values[Math.max(0, contentIndex)] ?? "").trim();
    let value: number;
    if (raw === ".." || raw === "-" || raw === "") {
      value = 0;
      noFigure++;
    } else if (/^-?\d+(\.\d+)?$/.test(raw)) {
      value = Number(raw);
    } else {
      throw new ScbError(`Statistics Sweden's answer for ${table} has a value that is not a number: ${JSON.stringify(raw)}`);
    }
    rows.push({ key: Object.fromEntries(keyColumns.map((code, i) => [code, entry.key[i]])), value });
  }
  return { rows, noFigure };
}

/** An age range; `to` is Infinity for an open range ("80-", "100+"). */
export interface AgeRange {
  code: string;
  from: number;
  to: number;
}

/** A survey age group code as a range: "16-24", "85+" or "85-". */
export function parseAgeGroup(code: string): AgeRange {
  const closed = /^(\d+)\s*-\s*(\d+)$/.exec(code);
  if (closed && Number(closed[1]) <= Number(closed[2])) return { code, from: Number(closed[1]), to: Number(closed[2]) };
  const open = /^(\d+)\s*(\+|-)$/.exec(code);
  if (open) return { code, from: Number(open[1]), to: Infinity };
  throw new Error(`The age group "${code}" is not a range like 16-24 or 85+; SCB's ages cannot be mapped to it`);
}

/** An SCB age code as a range: "37", "100+", "-4", "5-9", "80-". */
export function parseScbAge(code: string): AgeRange {
  if (/^\d+$/.test(code)) return { code, from: Number(code), to: Number(code) };
  if (/^\d+\+$/.test(code)) return { code, from: Number(code.slice(0, -1)), to: Infinity };
  const band = /^(\d*)-(\d*)$/.exec(code);
  if (band && (band[1] !== "" || band[2] !== "")) {
    return { code, from: band[1] === "" ? 0 : Number(band[1]), to: band[2] === "" ? Infinity : Number(band[2]) };
  }
  throw new Error(`Unknown SCB age code ${code}`);
}

/** SCB single-year age codes covering from..to ("100+" stands for 100 and over). */
export function singleYearCodes(from: number, to: number): string[] {
  const codes: string[] = [];
  for (let a = from; a <= Math.min(to, 99); a++) codes.push(String(a));
  if (to >= 100) codes.push("100+");
  return codes;
}

function overlap(a: AgeRange, b: AgeRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** The mapping of SCB regions to the series' areas (surveys/areas/<list>-<level>.json). */
export interface RegionMapping {
  description?: string;
  level: "regso" | "deso";
  /** SCB region code, exactly as SCB lists it → area code. */
  regions: Record<string, string>;
}

/** The default mapping file for an area list and level: areas/kristianstad.json → areas/kristianstad-regso.json. */
export function defaultMappingFile(areaListFile: string, level: "regso" | "deso"): string {
  return areaListFile.replace(/\.json$/i, "") + `-${level}.json`;
}

/**
 * Reads and checks a region mapping (path relative to the surveys directory, or absolute): its
 * level is the one asked for, every region maps to a known area and every area has a region.
 */
export function loadRegionMapping({
  file,
  level,
  areaCodes,
  dir = getEnv().surveysDir,
}: {
  file: string;
  level: "regso" | "deso";
  areaCodes: string[];
  dir?: string;
}): { mapping: RegionMapping; path: string } {
  const full = path.resolve(dir, file);
  if (!fs.existsSync(full)) {
    throw new Error(`No mapping file ${full}: write one like surveys/areas/kristianstad-regso.json ({ "level": "${level}", "regions": { "<SCB region code>": "<area code>" } }) or name it with --mapping`);
  }
  let mapping: RegionMapping;
  try {
    mapping = JSON.parse(fs.readFileSync(full, "utf8")) as RegionMapping;
  } catch (error) {
    throw new Error(`Cannot read the mapping file ${full}: ${(error as Error).message}`, { cause: error });
  }
  const problems: string[] = [];
  if (mapping.level !== level) problems.push(`its level is ${JSON.stringify(mapping.level)}, not "${level}"`);
  const regions = mapping.regions && typeof mapping.regions === "object" ? Object.entries(mapping.regions) : [];
  if (regions.length === 0) problems.push("it maps no regions");
  const codePattern = level === "regso" ? /^\d{4}R\d{3}(_\w+)?$/ : /^\d{4}[A-C]\d{4}(_\w+)?$/;
  const badCodes = regions.filter(([code]) => !codePattern.test(code)).map(([code]) => code);
  if (badCodes.length > 0) problems.push(`not ${level === "regso" ? "RegSO codes (like 1290R001)" : "DeSO codes (like 1290A0010)"}: ${badCodes.join(", ")}`);
  const unknown = regions.filter(([, area]) => !areaCodes.includes(area)).map(([code, area]) => `${code} → ${area}`);
  if (unknown.length > 0) problems.push(`unknown area code(s): ${unknown.join(", ")}`);
  const mapped = new Set(regions.map(([, area]) => area));
  const unmapped = areaCodes.filter((a) => !mapped.has(a));
  if (unmapped.length > 0) problems.push(`no region maps to area(s) ${unmapped.join(", ")}`);
  if (problems.length > 0) throw new Error(`The mapping file ${full} is not usable: ${problems.join("; ")}`);
  return { mapping, path: full };
}

export interface ScbPopulationReport {
  baseUrl: string;
  level: ScbLevel;
  year: number;
  /** Tables asked, with what was asked of each. */
  tables: { path: string; regions: string[]; ages: string[]; sexes: string[]; requests: number; values: number }[];
  municipality: string;
  regions: string[];
  /** How 5-year bands that straddle an age group or the survey's ages were divided. */
  splits: { band: string; group: string; shares: Record<string, number> }[];
  /** Values SCB gave as ".." (no figure), counted as 0. */
  noFigure: number;
  /** People in the survey's age span before rounding, and in the stored cells after it. */
  fetchedTotal: number;
  total: number;
  cells: number;
  rows: PopulationInput[];
}

/** Query selections split so that each asks at most maxCells values (by chunks of regions). */
function regionChunks(regions: string[], cellsPerRegion: number, maxCells: number): string[][] {
  const size = Math.max(1, Math.floor(maxCells / Math.max(1, cellsPerRegion)));
  const chunks: string[][] = [];
  for (let i = 0; i < regions.length; i += size) chunks.push(regions.slice(i, i + size));
  return chunks;
}

/**
 * The population of a municipality's residents in the survey's ages from SCB, aggregated to the
 * cells of the weighting variables (area, gender, age_group; a variable not weighted by is summed
 * over). Level "municipality": single years from BefolkningNy (area, if weighted by, must be a
 * single area). Level "regso"/"deso": 5-year bands from FolkmDesoAldKon for the mapping's regions,
 * summed into their areas; a band that straddles an age group or the survey's ages is divided in
 * the proportions of the municipality's single years (same sex, same year, from BefolkningNy),
 * e.g. 15-19 → 16-24 takes the share of 16-19 year olds among 15-19 year olds; cells are rounded
 * to whole persons. Every request is made before anything is returned: a failure leaves nothing.
 */
export async function fetchScbPopulation({
  level,
  municipality,
  year,
  variables,
  codes,
  singleArea,
  mapping,
  maxCells = SCB_MAX_CELLS,
  baseUrl = scbApiUrl(),
}: {
  level: ScbLevel;
  municipality: string;
  year: number;
  variables: string[];
  codes: Record<string, string[]>;
  /** The area code all people go to at municipality level when area is a weighting variable. */
  singleArea?: string;
  mapping?: RegionMapping;
  maxCells?: number;
  baseUrl?: string;
}): Promise<ScbPopulationReport> {
  const groups = (codes.age_group ?? []).map(parseAgeGroup);
  if (groups.length === 0) throw new Error("The survey has no age groups: SCB's population cannot be restricted to its ages");
  const span = { code: "span", from: Math.min(...groups.map((g) => g.from)), to: Math.max(...groups.map((g) => g.to)) };
  if (variables.includes("gender")) {
    for (const s of SCB_SEXES) {
      if (!codes.gender.includes(s.gender)) throw new Error(`SCB counts men and women; the questionnaire's gender codes lack "${s.gender}"`);
    }
  }
  const groupOf = (age: AgeRange) => groups.find((g) => age.from >= g.from && age.to <= g.to);
  const sexes = SCB_SEXES.map((s) => s.code);
  const tables: ScbPopulationReport["tables"] = [];
  const cellTotals = new Map<string, { cell: PopulationInput; value: number }>();
  let fetchedTotal = 0;
  let noFigure = 0;
  const add = (area: string | undefined, sex: string, group: string, value: number) => {
    const cell: PopulationInput = { count: 0 };
    if (variables.includes("area")) cell.area = area;
    if (variables.includes("gender")) cell.gender = SCB_SEXES.find((s) => s.code === sex)!.gender;
    if (variables.includes("age_group")) cell.age_group = group;
    const key = JSON.stringify([cell.area ?? "", cell.gender ?? "", cell.age_group ?? ""]);
    const entry = cellTotals.get(key) ?? { cell, value: 0 };
    entry.value += value;
    cellTotals.set(key, entry);
    fetchedTotal += value;
  };

  const singleYears = async (ages: string[]) => {
    const query: PxSelection[] = [
      { code: "Region", selection: { filter: "vs:RegionKommun07", values: [municipality] } },
      { code: "Alder", selection: { filter: "vs:Ålder1årA", values: ages } },
      { code: "Kon", selection: { filter: "item", values: sexes } },
      { code: "ContentsCode", selection: { filter: "item", values: [MUNICIPALITY_TABLE.contents] } },
      { code: "Tid", selection: { filter: "item", values: [String(year)] } },
    ];
    const answer = await queryScbTable({ table: MUNICIPALITY_TABLE.path, query, baseUrl });
    tables.push({ path: MUNICIPALITY_TABLE.path, regions: [municipality], ages, sexes, requests: 1, values: answer.rows.length });
    noFigure += answer.noFigure;
    const rows = answer.rows.filter((r) => r.key.Region === municipality && (r.key.Tid === undefined || r.key.Tid === String(year)));
    if (rows.length === 0) throw new ScbError(`Statistics Sweden's answer for ${MUNICIPALITY_TABLE.path} has no values for municipality ${municipality} in ${year}.`);
    return rows;
  };

  const splits: ScbPopulationReport["splits"] = [];
  let regions: string[] = [municipality];

  if (level === "municipality") {
    if (variables.includes("area") && !singleArea) throw new Error("Municipality level needs a single area when the series weights by area");
    const ages = singleYearCodes(span.from, span.to);
    for (const row of await singleYears(ages)) {
      const group = groupOf(parseScbAge(row.key.Alder));
      if (group) add(singleArea, row.key.Kon, group.code, row.value);
    }
  } else {
    if (!mapping) throw new Error(`Level ${level} needs a mapping of SCB regions to areas`);
    regions = Object.keys(mapping.regions);
    const bands = SMALL_AREA_AGE_BANDS.map(parseScbAge).filter((b) => overlap(b, span));
    // Bands not inside one age group are divided by the municipality's single years.
    const straddling = bands.filter((b) => !groupOf(b));
    const shareOf = new Map<string, number>(); // `${band}|${group}|${sex}` → share of the band
    if (straddling.length > 0) {
      const ages = straddling.flatMap((b) => singleYearCodes(b.from, b.to === Infinity ? 100 : b.to));
      const single = await singleYears(ages);
      for (const band of straddling) {
        for (const group of groups.filter((g) => overlap(g, band))) {
          const shares: Record<string, number> = {};
          for (const sex of sexes) {
            let inBand = 0;
            let inGroup = 0;
            for (const r of single) {
              if (r.key.Kon !== sex) continue;
              const age = parseScbAge(r.key.Alder);
              if (age.from < band.from || age.to > band.to) continue;
              inBand += r.value;
              if (age.from >= group.from && age.to <= group.to) inGroup += r.value;
            }
            const share = inBand > 0 ? inGroup / inBand : 0;
            shareOf.set(`${band.code}|${group.code}|${sex}`, share);
            shares[SCB_SEXES.find((s) => s.code === sex)!.label] = share;
          }
          splits.push({ band: band.code, group: group.code, shares });
        }
      }
    }
    const bandCodes = bands.map((b) => b.code);
    const chunks = regionChunks(regions, bandCodes.length * sexes.length, maxCells);
    const seen = new Set<string>();
    let values = 0;
    for (const chunk of chunks) {
      const query: PxSelection[] = [
        { code: "Region", selection: { filter: "item", values: chunk } },
        { code: "Alder", selection: { filter: "item", values: bandCodes } },
        { code: "Kon", selection: { filter: "item", values: sexes } },
        { code: "ContentsCode", selection: { filter: "item", values: [SMALL_AREA_TABLE.contents] } },
        { code: "Tid", selection: { filter: "item", values: [String(year)] } },
      ];
      const answer = await queryScbTable({ table: SMALL_AREA_TABLE.path, query, baseUrl });
      values += answer.rows.length;
      noFigure += answer.noFigure;
      for (const row of answer.rows) {
        const area = mapping.regions[row.key.Region];
        if (area === undefined || (row.key.Tid !== undefined && row.key.Tid !== String(year))) continue;
        seen.add(row.key.Region);
        const band = bands.find((b) => b.code === row.key.Alder);
        if (!band) continue;
        const whole = groupOf(band);
        if (whole) {
          add(area, row.key.Kon, whole.code, row.value);
        } else {
          for (const group of groups.filter((g) => overlap(g, band))) {
            add(area, row.key.Kon, group.code, row.value * (shareOf.get(`${band.code}|${group.code}|${row.key.Kon}`) ?? 0));
          }
        }
      }
    }
    tables.push({ path: SMALL_AREA_TABLE.path, regions, ages: bandCodes, sexes, requests: chunks.length, values });
    const absent = regions.filter((r) => !seen.has(r));
    if (absent.length > 0) {
      throw new ScbError(
        `Statistics Sweden's answer for ${SMALL_AREA_TABLE.path} has no values for region(s) ${absent.join(", ")} in ${year}; check the mapping file against SCB's region list for that year.`,
      );
    }
  }

  const rows = [...cellTotals.values()].map(({ cell, value }) => ({ ...cell, count: Math.round(value) }));
  return {
    baseUrl,
    level,
    year,
    tables,
    municipality,
    regions,
    splits,
    noFigure,
    fetchedTotal,
    total: rows.reduce((sum, r) => sum + r.count, 0),
    cells: rows.length,
    rows,
  };
}
