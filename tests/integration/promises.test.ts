/**
 * The citizen promises' loop on a real database (issue 18): promises with indicators (unknown
 * measures and groups refused), logged activities (outside the period warned, a stale edit
 * refused, earlier versions kept), a closed safety walk counted as an activity and its action as
 * done, the follow-up's figures equal to the results API's for the same measure, group and year,
 * a 2026 draft linked to its figures, a signed year frozen, and the example promises.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { importResponses } from "~/models/import.server";
import {
  activityHistory,
  createPromise,
  listActivities,
  logActivity,
  PromiseError,
  saveAssessment,
  signYear,
  updateActivity,
  updatePromise,
  type PromiseInput,
} from "~/models/promise.server";
import { draftFromProblem, draftFromPromise } from "~/models/promise-draft.server";
import { followUp } from "~/models/promise-follow-up.server";
import { DEMO_PROMISES, loadDemoPromises, removeDemoPromises } from "~/models/promise-demo.server";
import { getResults } from "~/models/results.server";
import { createUser } from "~/models/user.server";
import { groupKey } from "~/stats/results";
import { STATS_FIXTURES_DIR } from "../helpers/shared";

let analyst = "";
let facilitator = "";
let admin = "";

const base: PromiseInput = {
  text: "Polisen genomför trafikkontroller där invånarna tipsat om fortkörning.",
  carriedBy: "polisen",
  validFrom: "2025-02-07",
  validTo: "2025-12-31",
  status: "pagar",
  indicators: [
    { kind: "measure", measureKey: "problem_share.problem_speeding" },
    { kind: "measure", measureKey: "safety_index", groupBy: "area", groupValue: "ahus" },
    { kind: "measure", measureKey: "worry_fraud_share", groupBy: "age_group", groupValue: "65-85" },
    { kind: "activities", activityKind: "trafikkontroll", target: 12 },
    { kind: "vehicles_checked" },
  ],
};

beforeAll(async () => {
  const db = getDb();
  await migrateToLatest(db);
  for (const year of [2023, 2024, 2025]) {
    const csvText = fs.readFileSync(path.join(STATS_FIXTURES_DIR, `responses-${year}.csv`), "utf8");
    await importResponses({ db, seriesId: "trygghetsmatning", year, csvText });
  }
  analyst = (await createUser({ db, email: "analys@example.se", role: "analyst", password: "ett-langt-losenord-1" })).id;
  facilitator = (await createUser({ db, email: "ledare@example.se", role: "facilitator", password: "ett-langt-losenord-2" })).id;
  admin = (await createUser({ db, email: "admin@example.se", role: "admin", password: "ett-langt-losenord-3" })).id;
}, 120_000);

async function refused(p: Promise<unknown>): Promise<PromiseError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PromiseError);
  return error as PromiseError;
}

describe("promises and indicators", () => {
  it("refuses an indicator naming a measure or group that does not exist", async () => {
    const db = getDb();
    const noMeasure = await refused(createPromise({ db, year: 2025, userId: analyst, input: { ...base, indicators: [{ kind: "measure", measureKey: "problem_share.problem_aliens" }] } }));
    expect(noMeasure.code).toBe("unknown_measure");
    const noGroup = await refused(createPromise({ db, year: 2025, userId: analyst, input: { ...base, indicators: [{ kind: "measure", measureKey: "avoid_share", groupBy: "area", groupValue: "atlantis" }] } }));
    expect(noGroup.code).toBe("unknown_group");
    const badPeriod = await refused(createPromise({ db, year: 2025, userId: analyst, input: { ...base, validFrom: "2025-12-31", validTo: "2025-01-01" } }));
    expect(badPeriod.code).toBe("invalid");
  });

  it("follows a promise up with the results API's own figures and significance", async () => {
    const db = getDb();
    const promise = await createPromise({ db, year: 2025, userId: analyst, input: base });
    const fu = await followUp({ db, year: 2025 });
    expect(fu.surveyYear).toBe(2025);
    expect(fu.previousYear).toBe(2024);
    const mine = fu.promises.find((p) => p.promise.id === promise.id)!;
    expect(mine.measures).toHaveLength(3);
    for (const f of mine.measures) {
      const by = f.indicator.groupBy ?? null;
      const doc = await getResults({ db, seriesId: "trygghetsmatning", year: 2025, by, weighted: true, compareTo: 2024 });
      const group = by ? { [by]: f.indicator.groupValue! } : {};
      const api = doc.measures.find((m) => m.key === f.indicator.measureKey && groupKey(m.group) === groupKey(group))!;
      expect(api, f.indicator.measureKey!).toBeDefined();
      expect(f.current!.suppressed).toBe(api.suppressed);
      expect(f.current!.estimate).toBe(api.suppressed ? null : api.estimate);
      expect(f.current!.n).toBe(api.n);
      const cmp = doc.comparison!.measures.find((m) => m.key === api.key && groupKey(m.group) === groupKey(group))!;
      const expected = !cmp.comparable ? "noComparison" : !cmp.significant ? "noSignificantChange" : cmp.diff > 0 ? "increase" : "decrease";
      if (cmp.comparable || cmp.reason !== "definition_changed") expect(f.current!.change?.kind).toBe(expected);
      const last = await getResults({ db, seriesId: "trygghetsmatning", year: 2024, by, weighted: true });
      const lastRow = last.measures.find((m) => m.key === api.key && groupKey(m.group) === groupKey(group))!;
      expect(f.previous!.estimate).toBe(lastRow.suppressed ? null : lastRow.estimate);
    }
  });

  it("refuses a second editor's stale save and keeps the first", async () => {
    const db = getDb();
    const p = await createPromise({ db, year: 2025, userId: analyst, input: { ...base, text: "Första lydelsen av löftet." } });
    await updatePromise({ db, id: p.id, revision: p.revision, userId: analyst, input: { ...base, text: "Andra lydelsen.", status: "genomfort" } });
    const stale = await refused(updatePromise({ db, id: p.id, revision: p.revision, userId: admin, input: { ...base, text: "Tredje, på gammal grund." } }));
    expect(stale.code).toBe("conflict");
    expect((stale.current as { text: string }).text).toBe("Andra lydelsen.");
  });
});

describe("activities", () => {
  it("warns about a date outside the promise's period, keeps earlier versions, refuses a stale edit", async () => {
    const db = getDb();
    const p = await createPromise({ db, year: 2025, userId: analyst, input: base });
    const input = { promiseId: p.id, doneOn: "2025-01-15", kind: "trafikkontroll" as const, place: "Härlövsängaleden", area: "kristianstad-centrum", party: "polisen" as const, vehiclesChecked: 40, tipSites: 1 };
    const first = await logActivity({ db, input, userId: facilitator });
    expect(first.warnings).toEqual(["outside_period"]);
    expect(first.activity.doneOn).toBe("2025-01-15");
    const second = await updateActivity({ db, id: first.activity.id, revision: 1, input: { ...input, doneOn: "2025-03-15", vehiclesChecked: 44 }, userId: analyst });
    expect(second.warnings).toEqual([]);
    const stale = await refused(updateActivity({ db, id: first.activity.id, revision: 1, input: { ...input, vehiclesChecked: 99 }, userId: admin }));
    expect(stale.code).toBe("conflict");
    expect((stale.current as { vehiclesChecked: number }).vehiclesChecked).toBe(44);
    const history = await activityHistory({ db, id: first.activity.id });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ revision: 1, replacedBy: analyst, activity: { vehiclesChecked: 40, doneOn: "2025-01-15", loggedBy: facilitator } });
    const fu = await followUp({ db, year: 2025 });
    const mine = fu.promises.find((x) => x.promise.id === p.id)!;
    expect(mine.counts.find((c) => c.indicator.kind === "vehicles_checked")!.value).toBe(44);
    expect(mine.activities.find((a) => a.kind === "trafikkontroll")).toMatchObject({ total: 1, target: 12 });
    expect(mine.activities.find((a) => a.kind === "trafikkontroll")!.months[2]).toBe(1);
  });

  it("counts a closed safety walk as an activity and its finished action as done", async () => {
    const db = getDb();
    const walkPromise = await createPromise({
      db,
      year: 2025,
      userId: analyst,
      input: { ...base, text: "Trygghetsvandringar med åtgärder.", carriedBy: "bada", indicators: [{ kind: "activities", activityKind: "trygghetsvandring", target: 4 }, { kind: "walk_actions_done" }] },
    });
    const at = new Date().toISOString();
    const sessionId = randomUUID();
    await db
      .insertInto("dialogue_session")
      .values({ id: sessionId, code: "WALK25", kind: "trygghetsvandring", edition_id: "trygghetsmatning-2025", place: "Näsby", area: "kristianstad-ovriga", held_on: "2025-05-06", status: "closed", facilitator_id: facilitator, opened_at: at, closed_at: at, created_at: at, is_demo: 0 })
      .execute();
    const stopId = randomUUID();
    await db
      .insertInto("walk_stop")
      .values({ id: stopId, session_id: sessionId, client_id: randomUUID(), place_name: "Gångtunneln", latitude: null, longitude: null, category: "problem_poor_lighting", observation: "Mörkt", recorded_on: "2025-05-06", created_by: facilitator, created_at: at, is_demo: 0 })
      .execute();
    for (const status of ["atgardad", "foreslagen"] as const) {
      await db
        .insertInto("walk_action")
        .values({ id: randomUUID(), stop_id: stopId, area: "kristianstad-ovriga", proposal: "Byt belysning", responsible: "kommunen", status, status_on: "2025-06-01", status_by: analyst, version: 1, created_at: at, is_demo: 0 })
        .execute();
    }
    const activities = await listActivities({ db, year: 2025 });
    const fromWalk = activities.find((a) => a.source === "session");
    expect(fromWalk).toMatchObject({ kind: "trygghetsvandring", doneOn: "2025-05-06", place: "Näsby" });
    const fu = await followUp({ db, year: 2025 });
    const mine = fu.promises.find((x) => x.promise.id === walkPromise.id) ?? fu.promises.find((x) => x.counts.some((c) => c.indicator.kind === "walk_actions_done"))!;
    expect(mine.counts.find((c) => c.indicator.kind === "walk_actions_done")!.value).toBe(1);
    expect(fu.walkActionsByStatus).toMatchObject({ atgardad: 1, foreslagen: 1 });
    const walks = fu.promises.flatMap((p) => p.activities.filter((a) => a.kind === "trygghetsvandring"));
    expect(walks.reduce((s, a) => s + a.total, 0)).toBe(1);
  });
});

describe("drafts, assessment and signing", () => {
  it("drafts 2026 from a promise and from a problem, each linked to its figures", async () => {
    const db = getDb();
    const p = await createPromise({ db, year: 2025, userId: analyst, input: base });
    const draft = await draftFromPromise({ db, promiseId: p.id, userId: analyst });
    expect(draft).toMatchObject({ year: 2026, draftedFrom: p.id, status: "planerat", validFrom: "2026-01-01" });
    expect(draft.indicators.map((i) => i.measureKey ?? i.kind)).toEqual(p.indicators.map((i) => i.measureKey ?? i.kind));
    const doc = await getResults({ db, seriesId: "trygghetsmatning", year: 2025, by: null, weighted: true });
    const speeding = doc.measures.find((m) => m.key === "problem_share.problem_speeding" && groupKey(m.group) === groupKey({}))!;
    expect(draft.motivation.find((m) => m.measureKey === "problem_share.problem_speeding")).toMatchObject({ year: 2025, estimate: speeding.estimate });
    const fromProblem = await draftFromProblem({ db, year: 2025, measureKey: "avoid_share", groupBy: "gender", groupValue: "woman", text: "Minska andelen kvinnor som avstår från aktiviteter.", userId: analyst });
    expect(fromProblem.motivation[0]).toMatchObject({ measureKey: "avoid_share", groupBy: "gender", groupValue: "woman", year: 2025 });
  });

  it("keeps a second assessor's text from overwriting the first", async () => {
    const db = getDb();
    const p = await createPromise({ db, year: 2025, userId: analyst, input: base });
    const a = await saveAssessment({ db, promiseId: p.id, text: "Genomfört enligt plan.", revision: 0, userId: analyst });
    const stale = await refused(saveAssessment({ db, promiseId: p.id, text: "Annan bedömning.", revision: 0, userId: admin }));
    expect(stale.code).toBe("conflict");
    expect((stale.current as { text: string }).text).toBe(a.text);
  });

  it("freezes a signed year: no promise added or changed; activities still logged", async () => {
    const db = getDb();
    const p = await createPromise({ db, year: 2025, userId: analyst, input: base });
    const signed = await signYear({ db, year: 2025, signedOn: "2025-02-07", roles: ["Chef Lokalpolisområde Kristianstad", "Kommunstyrelsens ordförande"], userId: admin });
    expect(signed).toMatchObject({ signed: true, signedOn: "2025-02-07" });
    expect((await refused(updatePromise({ db, id: p.id, revision: p.revision, userId: admin, input: { ...base, status: "genomfort" } }))).code).toBe("frozen");
    expect((await refused(createPromise({ db, year: 2025, userId: admin, input: base }))).code).toBe("frozen");
    expect((await refused(signYear({ db, year: 2025, signedOn: "2025-03-01", roles: ["a b", "c d"], userId: admin }))).code).toBe("already_signed");
    const logged = await logActivity({ db, input: { promiseId: p.id, doneOn: "2025-10-01", kind: "trafikkontroll", place: "Åhus hamn", area: "ahus", party: "polisen" }, userId: facilitator });
    expect(logged.warnings).toEqual([]);
  });
});

describe("example promises", () => {
  it("loads Kristianstad's six 2025 promises with their indicators, signed, and removes them", async () => {
    const db = getDb();
    // A fresh year: the demo's is 2025, already used above; move the example to its own database rows.
    await db.deleteFrom("promise").where("year", "=", 2025).execute();
    await db.deleteFrom("promise_year").where("year", "=", 2025).execute();
    await loadDemoPromises({ db, userIds: { admin, facilitator } });
    const fu = await followUp({ db, year: 2025 });
    expect(fu.promises.map((p) => p.promise.text)).toEqual(DEMO_PROMISES.map((p) => p.text));
    expect(fu.promiseYear).toMatchObject({ signed: true, signedOn: "2025-02-07" });
    const keys = fu.promises.flatMap((p) => p.measures.map((m) => `${m.indicator.measureKey}${m.indicator.groupValue ? `@${m.indicator.groupValue}` : ""}`));
    expect(keys).toEqual(
      expect.arrayContaining(["problem_share.problem_intoxicated", "problem_share.problem_littering", "safe_centre_share", "worry_fraud_share@65-85", "problem_share.problem_mopeds"]),
    );
    const traffic = fu.promises[5];
    expect(traffic.activities.find((a) => a.kind === "trafikkontroll")).toMatchObject({ total: 7, target: 24 });
    expect(traffic.counts.find((c) => c.indicator.kind === "tip_sites")!.value).toBe(3);
    expect(fu.promises[3].measures[0].current!.estimate).toBeGreaterThan(0);
    await removeDemoPromises({ db });
    expect((await followUp({ db, year: 2025 })).promises).toEqual([]);
    expect(await db.selectFrom("promise_activity").select("id").where("is_demo", "=", 1).execute()).toEqual([]);
  });
});
