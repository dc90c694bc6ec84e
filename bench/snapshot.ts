/**
 * A private copy of what the server runs (sources, the production build, public/, surveys/,
 * migrations/; node_modules linked), taken once at the start. Others rebuild and edit the
 * working tree while a benchmark runs: `remix build` replaces public/build, and a page that asks
 * for a chunk that was just deleted fails. The benchmark's servers run from the copy instead.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./server";

const COPY = ["app", "build", "public", "migrations", "surveys", "package.json", "tsconfig.json"];

/** The asset manifest the server build refers to must be in the copy of public/build. */
function consistent(dir: string): boolean {
  const serverBuild = path.join(dir, "build/index.js");
  if (!fs.existsSync(serverBuild)) return false;
  const match = /"\/build\/(manifest-[A-Z0-9]+\.js)"/.exec(fs.readFileSync(serverBuild, "utf8"));
  return match !== null && fs.existsSync(path.join(dir, "public/build", match[1]));
}

export async function snapshotApp(): Promise<{ dir: string; remove: () => void }> {
  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) {
    throw new Error("No production build: run `npm run bench` (it builds first) or `npm run build`");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "td-bench-app-"));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    for (let attempt = 1; ; attempt++) {
      for (const entry of COPY) {
        fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
        fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
      }
      if (consistent(dir)) break;
      // Caught in the middle of somebody's `remix build`: wait for it to finish and copy again.
      if (attempt === 10) throw new Error("build/ and public/build/ do not match (a build is running?): run `npm run build` and try again");
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return { dir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
