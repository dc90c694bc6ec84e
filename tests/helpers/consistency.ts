/**
 * Checks that the stored responses and the figures kept beside them agree: every response is
 * counted once in the cell statistics, and every measure's sums there equal the sums of the
 * responses' own measure values (scores_json).
 */
import type { Db } from "~/db/db.server";

export async function consistencyProblems(db: Db, editionId: string): Promise<string[]> {
  const problems: string[] = [];
  const responses = await db.selectFrom("response").select(["scores_json"]).where("edition_id", "=", editionId).execute();
  const expected = new Map<string, { n: number; sumY: number; dk: number }>();
  const bump = (key: string, y: number | null, dk: boolean) => {
    const e = expected.get(key) ?? { n: 0, sumY: 0, dk: 0 };
    if (y !== null) {
      e.n++;
      e.sumY += y;
    }
    if (dk) e.dk++;
    expected.set(key, e);
  };
  for (const r of responses) {
    bump("*", 0, false);
    if (r.scores_json === null) {
      problems.push("a response without measure values");
      continue;
    }
    const scores = JSON.parse(r.scores_json) as { v: Record<string, number>; dk: string[] };
    for (const [key, y] of Object.entries(scores.v)) bump(key, y, false);
    for (const key of scores.dk) bump(key, null, true);
  }
  const cells = await db
    .selectFrom("cell_stat")
    .select([
      "measure_key",
      (eb) => eb.fn.sum<number>("n").as("n"),
      (eb) => eb.fn.sum<number>("sum_y").as("sum_y"),
      (eb) => eb.fn.sum<number>("n_dont_know").as("dk"),
    ])
    .where("edition_id", "=", editionId)
    .groupBy("measure_key")
    .execute();
  const actual = new Map(cells.map((c) => [c.measure_key, { n: Number(c.n), sumY: Number(c.sum_y), dk: Number(c.dk) }]));
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const e = expected.get(key) ?? { n: 0, sumY: 0, dk: 0 };
    const a = actual.get(key) ?? { n: 0, sumY: 0, dk: 0 };
    if (key === "*") {
      if (a.n !== responses.length) problems.push(`cell_stat counts ${a.n} respondents, response has ${responses.length}`);
      continue;
    }
    if (a.n !== e.n || a.dk !== e.dk) problems.push(`${key}: cell_stat n ${a.n}/dk ${a.dk} ≠ ${e.n}/${e.dk} from the responses`);
    if (Math.abs(a.sumY - e.sumY) > 1e-6 * Math.max(1, Math.abs(e.sumY))) problems.push(`${key}: cell_stat Σy ${a.sumY} ≠ ${e.sumY}`);
  }
  return problems;
}
