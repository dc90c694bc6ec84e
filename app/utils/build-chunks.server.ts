/**
 * The browser chunks a page will import dynamically, for `<link rel="modulepreload">` (decision
 * 039): the survey form and its SurveyJS locale are imported after hydration, so without a hint
 * the browser starts fetching the largest part of the page only once every route module has
 * loaded and run — on a slow mobile link a second of idle line. The names come from the client
 * build's esbuild metafile (build/metafile.js.json, beside the server build), read once; when it
 * is missing (tests importing the source, a development server) the list is empty.
 */
import fs from "node:fs";

interface Metafile {
  outputs: Record<string, { entryPoint?: string; imports?: { path: string; kind: string }[] }>;
}

let outputs: Metafile["outputs"] | null | undefined;

function readOutputs(): Metafile["outputs"] | null {
  if (outputs !== undefined) return outputs;
  try {
    const file = new URL("./metafile.js.json", import.meta.url);
    outputs = (JSON.parse(fs.readFileSync(file, "utf8")) as Metafile).outputs;
  } catch {
    outputs = null;
  }
  return outputs;
}

const cache = new Map<string, string[]>();

/**
 * The public URLs of the chunks built for entry points matching `entry` (a dynamic import's
 * source path), with every chunk they import statically, in load order (dependencies first).
 */
export function chunksOf(entries: RegExp[]): string[] {
  const key = entries.map(String).join("\u0000");
  const known = cache.get(key);
  if (known) return known;
  const all = readOutputs();
  if (!all) return [];
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file) || !all[file]) return;
    seen.add(file);
    for (const dep of all[file].imports ?? []) if (dep.kind === "import-statement") visit(dep.path);
    order.push(file);
  };
  for (const [file, output] of Object.entries(all)) {
    if (output.entryPoint && entries.some((e) => e.test(output.entryPoint!))) visit(file);
  }
  const urls = order.filter((f) => f.startsWith("public/") && f.endsWith(".js")).map((f) => f.slice("public".length));
  cache.set(key, urls);
  return urls;
}
