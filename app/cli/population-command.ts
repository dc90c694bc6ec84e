/**
 * CLI commands for population tables (post-stratification, statistics.md "Weighting"):
 * `import-population` from a CSV file or from Statistics Sweden, and `population-status`.
 */
import fs from "node:fs";
import path from "node:path";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import {
  importPopulationCsv,
  populationTarget,
  storePopulation,
  weightingStatus,
  type WeightingStatus,
} from "~/models/population.server";
import {
  defaultMappingFile,
  fetchScbPopulation,
  loadRegionMapping,
  MUNICIPALITY_TABLE,
  SCB_SEXES,
  SMALL_AREA_TABLE,
  type ScbLevel,
  type ScbPopulationReport,
} from "~/services/scb.server";
import { editionId, getEditionByYear } from "~/models/survey.server";
import { loadSeries } from "~/surveys/files.server";
import { getEnv } from "~/utils/env.server";
import { required, requiredYear, UsageError } from "./errors";
import type { Command } from "./command";
import { decodeUtf8File } from "~/utils/csv";

const LEVELS: ScbLevel[] = ["municipality", "regso", "deso"];
const thousands = (n: number) => Math.round(n).toLocaleString("en-US").replace(/,/g, " ");

function printCells(title: string, names: string[]) {
  if (names.length === 0) return;
  console.log(`${title} (${names.length}):`);
  for (const name of names) console.log(`  ${name}`);
}

/** The weighting status after a store: every missing or empty cell by name, then the verdict. */
function printStatus(status: WeightingStatus) {
  printCells("Missing cells, not in the population table", status.missingCells);
  if (status.respondents === 0 && status.emptyCells.length > 0) {
    // Listing every cell says nothing more than this line.
    console.log(`Cells with no respondents yet: all ${status.emptyCells.length} populated cells (no responses are stored for ${status.year} yet).`);
  } else {
    printCells("Cells with no respondents yet", status.emptyCells);
  }
  printCells("Cells with respondents but no population", status.unmatchedCells);
  if (status.respondentsLeftOut > 0) {
    console.log(`${status.respondentsLeftOut} respondent(s) lack ${status.variables.join(" or ")} and are left out of weighted figures.`);
  }
  console.log(status.message);
}

function printScbReport(report: ScbPopulationReport, mappingPath: string | null) {
  const level = { municipality: "municipality", regso: "RegSO", deso: "DeSO" }[report.level];
  console.log(`Fetched from Statistics Sweden (${report.baseUrl}), population on 31 December ${report.year}:`);
  for (const t of report.tables) {
    const what =
      t.path === SMALL_AREA_TABLE.path
        ? `${t.regions.length} ${level} region(s) of municipality ${report.municipality}${mappingPath ? ` (mapping ${mappingPath})` : ""}, 5-year age bands ${t.ages.join(", ")}`
        : t.path === MUNICIPALITY_TABLE.path && report.level !== "municipality"
          ? `municipality ${report.municipality}, single years ${t.ages[0]}–${t.ages[t.ages.length - 1]} of the bands to divide`
          : `municipality ${report.municipality}, single years ${t.ages[0]}–${t.ages[t.ages.length - 1]}`;
    const sexes = t.sexes.map((code) => `${code} (${SCB_SEXES.find((s) => s.code === code)?.label ?? "?"})`).join(", ");
    console.log(`  table ${t.path}: ${what}; sex ${sexes}; ${t.values} values in ${t.requests} request(s)`);
  }
  if (report.level !== "municipality") console.log(`  regions: ${report.regions.join(", ")}`);
  for (const s of report.splits) {
    const shares = Object.entries(s.shares)
      .map(([sex, share]) => `${share.toFixed(3)} of ${sex}`)
      .join(", ");
    console.log(`  band ${s.band} divided: ${shares} counted in age group ${s.group} (the municipality's single years within the band); the rest of the band is outside the group`);
  }
  if (report.noFigure > 0) console.log(`  ${report.noFigure} value(s) were ".." (no figure) and counted as 0`);
  console.log(
    `  total ${thousands(report.fetchedTotal)} people in the survey's ages, ${report.cells} cells, ${thousands(report.total)} after rounding each cell to whole persons`,
  );
}

async function importFromScb(values: Record<string, string | boolean | undefined>, seriesId: string, year: number) {
  const db = getDb();
  const definition = loadSeries(seriesId);
  const target = await populationTarget({ db, seriesId, year, definition });
  const areaList = definition.areas;
  if (!areaList) throw new UsageError(`Series ${seriesId} has no area list, so its municipality code is unknown`);
  const areaCodes = target.codes.area ?? areaList.areas.map((a) => a.code);
  const byArea = target.variables.includes("area");
  const requested = values.level as string | undefined;
  if (requested !== undefined && !LEVELS.includes(requested as ScbLevel)) throw new UsageError("--level must be municipality, regso or deso");
  const level = (requested ?? (byArea && areaCodes.length > 1 ? undefined : "municipality")) as ScbLevel | undefined;
  if (!level) {
    throw new UsageError(
      `${seriesId} weights by ${target.variables.join(" × ")} with ${areaCodes.length} areas: municipality totals cannot be divided into areas; use --level regso or --level deso (with a mapping file of SCB regions to areas)`,
    );
  }
  if (level === "municipality" && byArea && areaCodes.length > 1) {
    throw new UsageError(`--level municipality gives one total for ${areaList.municipality.name}, but ${seriesId} weights by area (${areaCodes.length} areas); use --level regso or deso`);
  }
  let mapping = null;
  if (level !== "municipality") {
    if (!byArea) throw new UsageError(`${seriesId} does not weight by area; use --level municipality`);
    const file = typeof values.mapping === "string" && values.mapping !== "" ? values.mapping : defaultMappingFile(definition.series.areaList!, level);
    mapping = loadRegionMapping({ file: path.isAbsolute(file) || fs.existsSync(file) ? path.resolve(file) : file, level, areaCodes });
  } else if (values.mapping) {
    throw new UsageError("--mapping is for --level regso or deso");
  }
  const report = await fetchScbPopulation({
    level,
    municipality: areaList.municipality.code,
    year,
    variables: target.variables,
    codes: target.codes,
    singleArea: byArea ? areaCodes[0] : undefined,
    mapping: mapping?.mapping,
  });
  const mappingName = mapping ? path.relative(process.cwd(), mapping.path) || mapping.path : null;
  printScbReport(report, mappingName);
  const tables = report.tables.map((t) => t.path).join(" + ");
  const source = `Statistics Sweden ${tables}, ${year}, level ${level}${mappingName ? `, mapping ${mappingName}` : ""}`;
  return storePopulation({ db, target, rows: report.rows, source });
}

export const populationCommands: Record<string, Command> = {
  "import-population": {
    summary:
      "Load a year's population table for weighting (counts per cell of the series' weighting variables) from a CSV file or from Statistics Sweden; names missing cells and says whether weighted figures are possible.",
    usage:
      "import-population --series trygghetsmatning --year 2024 (--file population.csv | --from-scb [--level municipality|regso|deso] [--mapping areas/kristianstad-regso.json])",
    options: {
      series: { type: "string" },
      year: { type: "string" },
      file: { type: "string" },
      "from-scb": { type: "boolean" },
      level: { type: "string" },
      mapping: { type: "string" },
    },
    async run(values) {
      const seriesId = required(values, "series");
      const year = requiredYear(values);
      const file = typeof values.file === "string" ? values.file : undefined;
      const fromScb = values["from-scb"] === true;
      if ((file === undefined) === !fromScb) throw new UsageError("give either --file or --from-scb");
      if (file !== undefined && (values.level !== undefined || values.mapping !== undefined)) {
        throw new UsageError("--level and --mapping go with --from-scb");
      }
      if (file !== undefined && !fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
      try {
        loadSeries(seriesId, getEnv().surveysDir);
      } catch (error) {
        throw new UsageError(`Unknown series ${seriesId}: ${(error as Error).message}`);
      }
      await migrateToLatest(getDb());
      const result = file
        ? await importPopulationCsv({ db: getDb(), seriesId, year, csvText: decodeUtf8File(fs.readFileSync(file), file), fileName: path.basename(file) })
        : await importFromScb(values, seriesId, year);
      if (result.editionCreated) console.log(`Created edition ${result.editionId} (status closed) from the series' questionnaire.`);
      console.log(
        `Stored ${result.cells} population cells (${result.status.variables.join(" × ")}, ${thousands(result.total)} people) for ${result.editionId}.`,
      );
      printStatus(result.status);
    },
  },
  "population-status": {
    summary: "Say whether weighted figures are possible for a year, naming missing cells and cells without respondents.",
    usage: "population-status --series trygghetsmatning --year 2024",
    options: { series: { type: "string" }, year: { type: "string" } },
    async run(values) {
      const seriesId = required(values, "series");
      const year = requiredYear(values);
      await migrateToLatest(getDb());
      const edition = await getEditionByYear({ db: getDb(), seriesId, year });
      if (!edition) throw new UsageError(`No edition ${editionId(seriesId, year)}`);
      const status = await weightingStatus({ db: getDb(), editionId: edition.id });
      if (status.populationSource) {
        console.log(`Population table of ${edition.id}: ${status.populationCells} cells, ${thousands(status.populationTotal)} people; source: ${status.populationSource}.`);
      }
      console.log(`Respondents: ${status.respondents} with ${status.variables.join(" and ")}${status.respondentsLeftOut ? `, ${status.respondentsLeftOut} without` : ""}.`);
      printStatus(status);
    },
  },
};
