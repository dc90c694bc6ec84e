/**
 * Population tables for post-stratification: counts per cell of the series' weighting
 * variables (default area × age_group), one table per edition (survey year).
 */
import type { Db } from "~/db/db.server";
import type { PopulationRow } from "~/stats/types";

export const DIMENSIONS = ["area", "gender", "age_group"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface PopulationInput {
  area?: string;
  gender?: string;
  age_group?: string;
  count: number;
}

/** Replaces the edition's population table (in one transaction). */
export async function replacePopulation({
  db,
  editionId,
  variables,
  rows,
  source,
}: {
  db: Db;
  editionId: string;
  variables: string[];
  rows: PopulationInput[];
  source: string;
}): Promise<void> {
  for (const v of variables) {
    if (!(DIMENSIONS as readonly string[]).includes(v)) throw new Error(`Unknown weighting variable: ${v}`);
  }
  const seen = new Set<string>();
  const cells = rows.map((r) => {
    const cell = { edition_id: editionId, area: r.area ?? "", gender: r.gender ?? "", age_group: r.age_group ?? "", count: r.count };
    const key = `${cell.area}|${cell.gender}|${cell.age_group}`;
    if (seen.has(key)) throw new Error(`Population cell given twice: ${key}`);
    seen.add(key);
    if (!Number.isInteger(r.count) || r.count < 0) throw new Error(`Population count must be a whole number ≥ 0 (cell ${key})`);
    return cell;
  });
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("population_cell").where("edition_id", "=", editionId).execute();
    await trx.deleteFrom("population_table").where("edition_id", "=", editionId).execute();
    await trx
      .insertInto("population_table")
      .values({ edition_id: editionId, variables: JSON.stringify(variables), source, imported_at: new Date().toISOString() })
      .execute();
    for (let i = 0; i < cells.length; i += 1000) {
      await trx.insertInto("population_cell").values(cells.slice(i, i + 1000)).execute();
    }
  });
}

/** The edition's population table as rows keyed by its variables, or null if none is loaded. */
export async function getPopulation({ db, editionId }: { db: Db; editionId: string }): Promise<{
  variables: string[];
  source: string;
  rows: PopulationRow[];
} | null> {
  const table = await db.selectFrom("population_table").selectAll().where("edition_id", "=", editionId).executeTakeFirst();
  if (!table) return null;
  const variables = JSON.parse(table.variables) as string[];
  const cells = await db.selectFrom("population_cell").selectAll().where("edition_id", "=", editionId).execute();
  const rows = cells.map((c) => {
    const row: PopulationRow = { count: Number(c.count) };
    for (const v of variables) row[v] = c[v as Dimension];
    return row;
  });
  return { variables, source: table.source, rows };
}
