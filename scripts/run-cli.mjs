// `npm run cli`: runs the bundled command line (build/cli.mjs, made by `npm run build`) when it
// is newer than every source file it is built from, and the TypeScript sources through tsx
// otherwise, so an edited checkout never runs stale code. The bundle starts in about a quarter
// of the time (tsx compiled the whole module graph at every start; decision 042).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = path.join(root, "build/cli.mjs");

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|tsx|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  if (!fs.existsSync(bundle)) return false;
  const built = fs.statSync(bundle).mtimeMs;
  return ["app", "migrations"].every((dir) => newestSource(path.join(root, dir)) <= built);
}

const args = process.argv.slice(2);
if (bundleIsFresh()) {
  const { runCli, ignoreClosedPipe } = await import(bundle);
  // As app/cli/main.ts does when run itself: never process.exit(), so a pipe gets all output.
  ignoreClosedPipe(process.stdout);
  process.exitCode = await runCli(args);
} else {
  const child = spawnSync(process.execPath, [...process.execArgv, "--import", "tsx", path.join(root, "app/cli/main.ts"), ...args], {
    stdio: "inherit",
  });
  process.exitCode = child.status ?? 1;
}
