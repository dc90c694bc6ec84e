/**
 * No import circles in app/ (type-only imports included: a circle of types is still two modules
 * that cannot be understood, moved or tested apart). Shared types go where both sides import
 * them downward (app/db/ imports nothing from the rest of the app).
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/app-server";
import { importCycles, importGraph } from "../helpers/import-graph";

describe("import circles", () => {
  it("finds a circle where there is one (the checker itself)", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["d.ts", []],
      ["e.ts", ["e.ts"]],
    ]);
    expect(importCycles(graph)).toEqual([["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
    expect(importCycles(new Map([["a.ts", ["b.ts"]], ["b.ts", []]]))).toEqual([]);
  });

  it("reads type imports, re-exports and ~/ paths from the real tree", () => {
    const graph = importGraph(ROOT);
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get(path.join("app", "utils", "results-csv.ts"))).toContain(path.join("app", "stats", "types.ts"));
    expect(graph.get(path.join("app", "cli", "commands.ts"))).toContain(path.join("app", "cli", "command.ts"));
  });

  it("app/ has none", () => {
    expect(importCycles(importGraph(ROOT))).toEqual([]);
  });

  it("app/db/ imports nothing from the rest of the app", () => {
    const upward = [...importGraph(ROOT)]
      .filter(([file]) => file.startsWith(path.join("app", "db") + path.sep))
      .flatMap(([file, targets]) => targets.filter((t) => !t.startsWith(path.join("app", "db") + path.sep)).map((t) => `${file} → ${t}`));
    expect(upward).toEqual([]);
  });
});
