/**
 * The response rate beside a year's figures (issue 19) on the public pages: the municipality's
 * page states the year's rate, an area's page the area's own, both equal to the codes made and
 * used; answers stored with a code given as text (the API's way) land in the code's area.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { createInvitations, CodeUnknownError } from "~/models/invitation.server";
import { publishYear } from "~/models/publishing.server";
import { storeResponses } from "~/models/response.server";
import { publicResults } from "~/models/results-view.server";
import { editionMeasures, getEdition } from "~/models/survey.server";
import type { Answers } from "~/stats/types";
import { validAnswers } from "../helpers/answers";

const EDITION = "trygghetsmatning-2026";

beforeAll(async () => {
  const db = getDb();
  await migrateToLatest(db);
  await publishYear({ db, seriesId: "trygghetsmatning", year: 2026, opensOn: "2026-01-01", closesOn: "2026-12-31", access: "both" });
  const people = [
    ...Array.from({ length: 40 }, (_, i) => ({ sampleId: `T${i}`, area: "tollarp", ageGroup: "", gender: "", language: null })),
    ...Array.from({ length: 20 }, (_, i) => ({ sampleId: `A${i}`, area: "ahus", ageGroup: "", gender: "", language: null })),
  ];
  await createInvitations({ db, editionId: EDITION, people });
  const edition = (await getEdition({ db, id: EDITION }))!;
  const codes = await db.selectFrom("invitation").select(["code", "area"]).where("edition_id", "=", EDITION).execute();
  const tollarp = codes.filter((c) => c.area === "tollarp").slice(0, 30);
  const ahus = codes.filter((c) => c.area === "ahus").slice(0, 5);
  // The answers say another area: the code's area is the stratum.
  const stored = await storeResponses(
    db,
    [...tollarp, ...ahus].map((c) => ({
      editionId: EDITION,
      clientId: randomUUID(),
      answers: validAnswers({ area: "degeberga" }) as Answers,
      measures: editionMeasures(edition),
      channel: "web" as const,
      invitation: { code: c.code },
    })),
  );
  expect(stored.every((s) => !(s instanceof Error))).toBe(true);
});

describe("response rates on the public results pages", () => {
  it("states the municipality's rate and each area's own, equal to the codes made and used", async () => {
    const db = getDb();
    const all = await publicResults({ db, language: "sv", year: 2026, areaCode: null });
    expect(all.responseRate).toEqual({ invited: 60, answered: 35, rate: 35 / 60 });
    const tollarp = await publicResults({ db, language: "sv", year: 2026, areaCode: "tollarp" });
    expect(tollarp.suppressed).toBe(false);
    expect(tollarp.respondents).toBe(30);
    expect(tollarp.responseRate).toEqual({ invited: 40, answered: 30, rate: 30 / 40 });
    const ahus = await publicResults({ db, language: "sv", year: 2026, areaCode: "ahus" });
    expect(ahus.responseRate).toEqual({ invited: 20, answered: 5, rate: 5 / 20 });
    const degeberga = await publicResults({ db, language: "sv", year: 2026, areaCode: "degeberga" });
    expect(degeberga.responseRate).toBeNull();
  });

  it("refuses a code of no invitation, or of another edition, inside the writer's transaction", async () => {
    const db = getDb();
    const edition = (await getEdition({ db, id: EDITION }))!;
    const base = { editionId: EDITION, answers: validAnswers({}) as Answers, measures: editionMeasures(edition), channel: "web" as const };
    const other = await db.selectFrom("invitation").select("code").where("edition_id", "=", EDITION).executeTakeFirstOrThrow();
    const [unknown, wrongEdition] = await storeResponses(db, [
      { ...base, clientId: randomUUID(), invitation: { code: "ABCDEFGHJK" } },
      { ...base, editionId: "trygghetsmatning-2025", clientId: randomUUID(), invitation: { code: other.code } },
    ]);
    expect(unknown).toBeInstanceOf(CodeUnknownError);
    expect(wrongEdition).toBeInstanceOf(CodeUnknownError);
    const counted = await db.selectFrom("response").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(35);
  });
});
