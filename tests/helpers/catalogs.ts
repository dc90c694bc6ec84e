/** The interface catalogs (app/locales/<language>.json) as the tests read them: nested, and flat by dotted key. */
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./app-server";

export type Catalog = { [key: string]: string | Catalog };

export function readCatalog(language: string): Catalog {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "app/locales", `${language}.json`), "utf8")) as Catalog;
}

/** Every text of a catalog under its dotted key ("start.heading"). */
export function flatten(catalog: Catalog, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(name, value);
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}
