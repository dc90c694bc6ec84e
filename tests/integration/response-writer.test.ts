/**
 * The group-commit writer behind POST /api/responses, on the real database of the run (SQLite
 * file, or PostgreSQL in CI): concurrent batches, repeated clientIds across batches, and a bad
 * submission that must not take its batch down with it.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { countResponses, ResponseWriter, type ResponseInput } from "~/models/response.server";
import { editionMeasures, publishEdition } from "~/models/survey.server";
import type { SurveyEdition } from "~/db/schema";
import { generateSurveyAnswers } from "~/surveys/synthetic";
import { consistencyProblems } from "../helpers/consistency";

let edition: SurveyEdition;
const areas = ["ahus", "tollarp", "degeberga", "fjalkinge"];

beforeAll(async () => {
  await migrateToLatest(getDb());
  edition = await publishEdition({ db: getDb(), seriesId: "trygghetsmatning", year: 2031, status: "open" });
});

function inputs(count: number, seed: number): ResponseInput[] {
  return generateSurveyAnswers({ areas, year: 2031, count, seed }).map((answers) => ({
    editionId: edition.id,
    clientId: randomUUID(),
    answers,
    measures: editionMeasures(edition),
    channel: "web",
  }));
}

describe("ResponseWriter", () => {
  it.each([1, 3])("stores every submission once with %i transaction(s) at a time, repeats answered with the first id", async (concurrency) => {
    const db = getDb();
    const before = await countResponses({ db, editionId: edition.id });
    const writer = new ResponseWriter(db, 16, concurrency);
    const fresh = inputs(300, 100 + concurrency);
    // Every 10th submission is sent again at once: it may land in the same batch or a
    // concurrent one, and must be stored once either way.
    const repeats = fresh.filter((_, i) => i % 10 === 0);
    const results = await Promise.all([...fresh, ...repeats].map((input) => writer.submit(input)));

    const first = results.slice(0, fresh.length);
    const again = results.slice(fresh.length);
    expect(new Set(first.map((r) => r.id)).size).toBe(300);
    again.forEach((r, i) => expect(r.id).toBe(first[i * 10].id));
    // For each repeated pair exactly one of the two was the one that stored it.
    again.forEach((r, i) => expect(Number(r.created) + Number(first[i * 10].created)).toBe(1));
    expect(first.filter((r, i) => i % 10 !== 0).every((r) => r.created)).toBe(true);

    expect(await countResponses({ db, editionId: edition.id })).toBe(before + 300);
    expect(await consistencyProblems(db, edition.id)).toEqual([]);
  });

  it("fails only the submission whose edition does not exist, not its batch", async () => {
    const db = getDb();
    const writer = new ResponseWriter(db, 64, 2);
    const good = inputs(40, 7);
    const bad: ResponseInput = { ...good[0], clientId: randomUUID(), editionId: "no-such-edition" };
    const settled = await Promise.allSettled([...good.slice(0, 20), bad, ...good.slice(20)].map((input) => writer.submit(input)));
    expect(settled.filter((s) => s.status === "rejected")).toHaveLength(1);
    expect(settled[20].status).toBe("rejected");
    expect(settled.filter((s) => s.status === "fulfilled" && s.value.created)).toHaveLength(40);
  });
});
