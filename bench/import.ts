/**
 * Import rate: `npm run cli -- import-responses` on a CSV file of generated answers (the seeded
 * generator, as the load test), into an empty database of the run's engine. Timed from spawn to
 * exit, so it includes start-up, reading and parsing the file, validating every row and storing.
 * It runs the command as `npm run cli` does: the bundled build/cli.mjs when it is up to date
 * (the benchmark builds first), otherwise the sources through tsx.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSeries } from "~/surveys/files.server";
import { generateSurveyAnswers } from "~/surveys/synthetic";
import { ROOT } from "./server";
import type { BenchDatabase } from "./target";

export interface ImportTiming {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  fileBytes: number;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = Array.isArray(value) ? value.join("|") : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV file of `rows` generated answer sets, one column per question. */
export function writeImportCsv(file: string, rows: number, seed = 2021): void {
  const series = loadSeries("trygghetsmatning");
  const areas = series.areas?.areas.map((a) => a.code) ?? [];
  const answers = generateSurveyAnswers({ areas, year: 2021, count: rows, seed });
  const columns = new Set<string>();
  const walk = (elements: { name?: string; type?: string; elements?: unknown[] }[] = []) => {
    for (const el of elements) {
      if (el.type === "panel") walk(el.elements as typeof elements);
      else if (el.name) columns.add(el.name);
    }
  };
  for (const page of series.questionnaire.pages as { elements: [] }[]) walk(page.elements);
  const header = [...columns];
  const lines = [header.join(",")];
  for (const a of answers) lines.push(header.map((name) => csvCell(a[name])).join(","));
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

export async function timeImport({ database, rows, log }: { database: BenchDatabase; rows: number; log: (line: string) => void }): Promise<ImportTiming> {
  const file = path.join(os.tmpdir(), `td-bench-import-${process.pid}.csv`);
  writeImportCsv(file, rows);
  try {
    const fileBytes = fs.statSync(file).size;
    log(`Import: ${rows.toLocaleString("en")} rows (${(fileBytes / 1024 / 1024).toFixed(1)} MiB) through npm run cli -- import-responses…`);
    const started = performance.now();
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        // As `npm run cli` runs it (package.json): the bundle `npm run build` made, when fresh.
        ["--max-semi-space-size=32", "scripts/run-cli.mjs", "import-responses", "--series", "trygghetsmatning", "--year", "2021", "--file", file],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: database.url, DEMO_DATA: "off" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let text = "";
      child.stdout.on("data", (d) => (text += d));
      child.stderr.on("data", (d) => (text += d));
      child.once("error", reject);
      child.once("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`import-responses exited ${code}:\n${text.slice(-3000)}`))));
    });
    const seconds = (performance.now() - started) / 1000;
    const stored = /Stored (\d+) responses/.exec(output);
    if (!stored || Number(stored[1]) !== rows) throw new Error(`import-responses stored ${stored?.[1] ?? "?"} of ${rows} rows:\n${output.slice(-2000)}`);
    return { rows, seconds: Math.round(seconds * 100) / 100, rowsPerSecond: Math.round(rows / seconds), fileBytes };
  } finally {
    fs.rmSync(file, { force: true });
  }
}
