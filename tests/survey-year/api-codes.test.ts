/**
 * POST /api/responses with invitation codes, through the real server with its clock set
 * (TD_TODAY) inside, before and after the field period: 403 without a code on a code-only
 * edition, 404 for an unknown code or another edition's, 201 then 409 for a second answer with
 * the same code, the stored answer again for a retry, 429 after many wrong codes; and the
 * response rates count exactly what was stored.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { createInvitations, formatCode } from "~/models/invitation.server";
import { publishYear } from "~/models/publishing.server";
import { responseRates } from "~/models/response-rate.server";
import { validAnswers } from "../helpers/answers";
import { postJson, startServer, type RunningServer } from "../helpers/app-server";

const EDITION = "trygghetsmatning-2026";
let server: RunningServer;
const codes: Record<string, string> = {};

beforeAll(async () => {
  const db = getDb();
  await migrateToLatest(db);
  await publishYear({ db, seriesId: "trygghetsmatning", year: 2026, opensOn: "2026-03-01", closesOn: "2026-04-15", access: "code" });
  await publishYear({ db, seriesId: "trygghetsmatning", year: 2027, opensOn: "2026-03-01", closesOn: "2027-04-15", access: "both" });
  await createInvitations({
    db,
    editionId: EDITION,
    people: [
      { sampleId: "P1", area: "ahus", ageGroup: "16-24", gender: "woman", language: "en" },
      { sampleId: "P2", area: "tollarp", ageGroup: "65-85", gender: "man", language: null },
      { sampleId: "P3", area: "tollarp", ageGroup: "65-85", gender: "", language: null },
    ],
  });
  await createInvitations({ db, editionId: "trygghetsmatning-2027", people: [{ sampleId: "Q1", area: "ahus", ageGroup: "", gender: "", language: null }] });
  for (const row of await db.selectFrom("invitation").select(["sample_id", "code"]).execute()) codes[row.sample_id!] = formatCode(row.code);
  server = await startServer({ TD_TODAY: "2026-03-10" });
});

afterAll(async () => {
  await server?.stop();
});

function submit(body: Record<string, unknown>, url = server.url) {
  return postJson(`${url}/api/responses`, { survey: EDITION, clientId: randomUUID(), answers: validAnswers(), ...body });
}

describe("POST /api/responses with invitation codes", () => {
  it("refuses a code-only survey without a code (403) and unknown or other surveys' codes (404)", async () => {
    const none = await submit({});
    expect(none.status).toBe(403);
    expect(none.body.reason).toBe("code-required");
    const unknown = await submit({ code: "ABCDE-FGH23" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.fields.code).toEqual(["Unknown code"]);
    const other = await submit({ code: codes.Q1 });
    expect(other.status).toBe(404);
    const malformed = await submit({ code: { $ne: null } });
    expect(malformed.status).toBe(400);
  });

  it("stores one answer per code, in the code's area, with the day only; a retry gets the stored answer, a second answer 409", async () => {
    const clientId = randomUUID();
    const first = await submit({ code: codes.P2.toLowerCase().replace("-", " "), clientId, answers: validAnswers({ area: "ahus" }) });
    expect(first.status).toBe(201);
    const db = getDb();
    const row = await db.selectFrom("response").selectAll().where("id", "=", first.body.id).executeTakeFirstOrThrow();
    expect(row.area).toBe("tollarp");
    expect(row.submitted_on).toBe("2026-03-10");
    expect(JSON.stringify(row)).not.toContain(codes.P2.replace("-", ""));
    const uses = await db.selectFrom("invitation_use").selectAll().execute();
    expect(uses).toEqual([expect.objectContaining({ edition_id: EDITION, used_on: "2026-03-10", channel: "web" })]);

    const retry = await submit({ code: codes.P2, clientId, answers: validAnswers({ area: "ahus" }) });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const second = await submit({ code: codes.P2 });
    expect(second.status).toBe(409);
    expect(second.body.reason).toBe("code-used");
    expect(second.body.error).toMatch(/already been used/);
  });

  it("gives response rates equal to the stored counts", async () => {
    expect((await submit({ code: codes.P3 })).status).toBe(201);
    const rates = (await responseRates({ db: getDb(), editionId: EDITION }))!;
    const responses = await getDb().selectFrom("response").select(["area"]).where("edition_id", "=", EDITION).execute();
    expect(rates.total).toEqual({ key: "", invited: 3, answered: responses.length, rate: responses.length / 3 });
    expect(rates.byArea).toEqual([
      { key: "ahus", invited: 1, answered: responses.filter((r) => r.area === "ahus").length, rate: 0 },
      { key: "tollarp", invited: 2, answered: responses.filter((r) => r.area === "tollarp").length, rate: 1 },
    ]);
    expect(rates.byGender.map((r) => [r.key, r.invited, r.answered])).toEqual([["", 1, 1], ["man", 1, 1], ["woman", 1, 0]]);
    expect(rates.byDay).toEqual([{ day: "2026-03-10", web: 2, paper: 0, other: 0, cumulative: 2, cumulativeRate: 2 / 3 }]);
    expect(rates.byChannel).toEqual({ web: 2, paper: 0, other: 0 });

    // The results API states the same rates beside the year's figures, per group of `by`.
    const byArea = await (await fetch(`${server.url}/api/results/trygghetsmatning?year=2026&by=area`)).json();
    expect(byArea.responseRate).toEqual({
      invited: 3,
      answered: responses.length,
      rate: responses.length / 3,
      groups: Object.fromEntries(rates.byArea.map((r) => [r.key, { invited: r.invited, answered: r.answered, rate: r.rate }])),
    });
    const byGender = await (await fetch(`${server.url}/api/results/trygghetsmatning?year=2026&by=gender`)).json();
    expect(Object.keys(byGender.responseRate.groups).sort()).toEqual(["man", "woman"]);
    const all = await (await fetch(`${server.url}/api/results/trygghetsmatning?year=2026`)).json();
    expect(all.responseRate).toEqual({ invited: 3, answered: responses.length, rate: responses.length / 3 });
  });

  it("opens a code link on the survey page, and says when a code was used", async () => {
    const page = await fetch(`${server.url}/enkat/${EDITION}?kod=${codes.P1.toLowerCase()}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(codes.P1);
    const used = await (await fetch(`${server.url}/enkat/${EDITION}?kod=${codes.P2}`)).text();
    expect(used).toContain("Koden har redan använts");
    const without = await (await fetch(`${server.url}/enkat/${EDITION}`)).text();
    expect(without).toContain("besvaras med koden i brevet");
    // The start page's field sends the code to its survey, in the letter's language.
    const start = await fetch(`${server.url}/?kod=${codes.P1.toLowerCase()}`, { redirect: "manual" });
    expect(start.status).toBe(302);
    expect(start.headers.get("location")).toBe(`/enkat/${EDITION}?kod=${encodeURIComponent(codes.P1)}&lang=en`);
  });

  it("limits wrong codes per address (429) while right ones do not count", async () => {
    let limited = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await submit({ code: "ZZZZZ-ZZZZZ" });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(404);
    }
    expect(limited?.body.reason).toBe("code-guesses");
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("the field period", () => {
  it("refuses answers before the opening day and after the closing day (409), and the pages say so", async () => {
    for (const [day, text] of [["2026-02-20", "öppnar den"], ["2026-04-16", "stängd"]] as const) {
      const other = await startServer({ TD_TODAY: day });
      try {
        const res = await postJson(`${other.url}/api/responses`, { survey: EDITION, clientId: randomUUID(), answers: validAnswers(), code: codes.P3 });
        expect(res.status).toBe(409);
        expect(res.body.error).toMatch(/closed/);
        const html = await (await fetch(`${other.url}/enkat/${EDITION}`)).text();
        expect(html).toContain(text);
      } finally {
        await other.stop();
      }
    }
  });
});
