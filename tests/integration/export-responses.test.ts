/**
 * export-responses: a year's stored answers as CSV, with the language each was given in, in the
 * import format (question codes as columns, multi-choice codes joined by `|`).
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { storeResponses } from "~/models/response.server";
import { editionMeasures, publishEdition } from "~/models/survey.server";
import type { Answers } from "~/stats/types";
import { parseCsv } from "~/utils/csv";
import { validAnswers } from "../helpers/answers";
import { runCliCaptured } from "../helpers/cli";

const tmp = process.env.TD_TEST_DIR!;

beforeAll(async () => {
  await migrateToLatest(getDb());
});

describe("export-responses", () => {
  it("writes one row per response with submitted_on, channel and language, then the answers", async () => {
    const edition = await publishEdition({ db: getDb(), seriesId: "trygghetsmatning", year: 2023, status: "closed" });
    const inputs = [
      { language: "ar", answers: validAnswers({ area: "tollarp" }) },
      { language: "so", answers: validAnswers({ area: "ahus", victim: ["none"], reported: undefined }) },
      { language: null, answers: validAnswers({ area: "degeberga", suggestion: 'Ljus, "tack"' }) },
    ];
    const stored = await storeResponses(
      getDb(),
      inputs.map((i) => ({
        editionId: edition.id,
        clientId: randomUUID(),
        answers: JSON.parse(JSON.stringify(i.answers)) as Answers,
        measures: editionMeasures(edition),
        channel: "web" as const,
        language: i.language,
      })),
    );
    expect(stored.every((s) => !(s instanceof Error))).toBe(true);

    const file = path.join(tmp, "export-2023.csv");
    const run = await runCliCaptured("export-responses", "--series", "trygghetsmatning", "--year", "2023", "--file", file);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Wrote 3 responses to ${file}`);
    const [header, ...rows] = parseCsv(fs.readFileSync(file, "utf8")).map((r) => r.fields);
    expect(header.slice(0, 6)).toEqual(["submitted_on", "channel", "language", "area", "gender", "age_group"]);
    const byArea = new Map(rows.map((r) => [r[header.indexOf("area")], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
    expect(byArea.get("tollarp")).toMatchObject({ channel: "web", language: "ar", victim: "theft|fraud", reported: "2" });
    expect(byArea.get("ahus")).toMatchObject({ language: "so", victim: "none", reported: "" });
    expect(byArea.get("degeberga")).toMatchObject({ language: "", suggestion: 'Ljus, "tack"' });
    expect(byArea.get("tollarp")!.submitted_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Nothing that could tell one sender from another beyond the answers.
    expect(header).not.toContain("client_id");
    expect(header).not.toContain("id");
  });

  it("says so when the edition does not exist", async () => {
    const run = await runCliCaptured("export-responses", "--series", "trygghetsmatning", "--year", "1999");
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/No edition trygghetsmatning-1999/);
  });
});
