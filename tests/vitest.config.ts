import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

// The PostgreSQL restart test starts a cluster of its own: it needs PostgreSQL's server binaries
// (CI installs them; see .ci/run). Without them it is left out, not skipped.
const pgBin = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const exclude = fs.existsSync(`${pgBin}/initdb`) ? [] : ["tests/reliability/pg-restart.test.ts"];

export default defineConfig({
  root,
  resolve: { alias: { "~": `${root}app` } },
  test: {
    include: ["tests/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...exclude],
    setupFiles: ["tests/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default", "./tests/summary-reporter.ts"],
  },
});
