/**
 * Checks that the stored responses and the figures kept beside them agree: every response is
 * counted once in the cell statistics, and every measure's sums equal its per-response values.
 */
import { sql } from "kysely";
import type { Db } from "~/db/db.server";

export async function consistencyProblems(db: Db, editionId: string): Promise<string[]> {
  const problems: string[] = [];
  const responses = Number(
    (await db.selectFrom("response").select((eb) => eb.fn.countAll<number>().as("n")).where("edition_id", "=", editionId).executeTakeFirstOrThrow()).n,
  );
  const cells = await db
    .selectFrom("cell_stat")
    .select(["measure_key", (eb) => eb.fn.sum<number>("n").as("n"), (eb) => eb.fn.sum<number>("sum_y").as("sum_y")])
    .where("edition_id", "=", editionId)
    .groupBy("measure_key")
    .execute();
  const design = cells.find((c) => c.measure_key === "*");
  if (Number(design?.n ?? 0) !== responses) problems.push(`cell_stat counts ${design?.n ?? 0} respondents, response has ${responses}`);
  const values = await sql<{ measure_key: string; n: number; sum_y: number }>`
    SELECT measure_key, COUNT(y) AS n, COALESCE(SUM(y), 0) AS sum_y FROM response_value
    WHERE edition_id = ${editionId} GROUP BY measure_key`.execute(db);
  for (const v of values.rows) {
    const c = cells.find((x) => x.measure_key === v.measure_key);
    if (Number(c?.n ?? 0) !== Number(v.n)) problems.push(`${v.measure_key}: cell_stat n ${c?.n} ≠ ${v.n} values`);
    if (Math.abs(Number(c?.sum_y ?? 0) - Number(v.sum_y)) > 1e-6 * Math.max(1, Math.abs(Number(v.sum_y)))) {
      problems.push(`${v.measure_key}: cell_stat Σy ${c?.sum_y} ≠ ${v.sum_y}`);
    }
  }
  const orphans = await sql<{ n: number }>`
    SELECT COUNT(*) AS n FROM response_value v LEFT JOIN response r ON r.id = v.response_id WHERE r.id IS NULL`.execute(db);
  if (Number(orphans.rows[0].n) !== 0) problems.push(`${orphans.rows[0].n} measure values without a response`);
  return problems;
}
