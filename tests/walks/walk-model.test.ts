/**
 * The walk model on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): a stop and its
 * action, idempotent on clientId; status changes kept as history with an optimistic check; the
 * open-actions list by area and responsible party, scoped to the facilitator's own sessions; the
 * CSV for Swedish Excel read back with the app's parser.
 */
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { createUser } from "~/models/user.server";
import {
  actionHistory,
  changeActionStatus,
  listActions,
  recordWalkStop,
  requireOpenWalk,
  WalkError,
  type WalkViewer,
} from "~/models/walk.server";
import { actionsCsv } from "~/walks/actions-csv";
import { parseWalkStop, PROBLEM_CATEGORIES, type WalkStopInput } from "~/walks/stop";
import { parseCsv } from "~/utils/csv";
import { createTestSession, stopInput } from "../helpers/walks";

let anna: WalkViewer;
let bo: WalkViewer;
let admin: WalkViewer;

function stop(overrides: Record<string, unknown> = {}): WalkStopInput {
  const parsed = parseWalkStop(stopInput(overrides));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fields));
  return parsed.value;
}

beforeAll(async () => {
  const db = getDb();
  await migrateToLatest(db);
  const make = async (email: string, role: "facilitator" | "admin") => ({ id: (await createUser({ db, email, role, password: "ett-langt-losenord-for-test" })).id, role });
  anna = await make("anna@test.kommun.se", "facilitator");
  bo = await make("bo@test.kommun.se", "facilitator");
  admin = await make("admin@test.kommun.se", "admin");
});

describe("categories", () => {
  it("are the safety survey's problem items, as its questionnaire names them", () => {
    const q = JSON.parse(fs.readFileSync("surveys/trygghetsmatning/questionnaire.json", "utf8"));
    const names: string[] = [];
    const walk = (els: { name?: string; elements?: unknown[] }[]) => {
      for (const e of els) {
        if (e.name?.startsWith("problem_")) names.push(e.name);
        if (e.elements) walk(e.elements as typeof els);
      }
    };
    for (const page of q.pages) walk(page.elements);
    expect([...PROBLEM_CATEGORIES].sort()).toEqual(names.sort());
  });
});

describe("parseWalkStop", () => {
  it("accepts a stop without coordinates and refuses half a pair, unknown codes and empty texts", () => {
    expect(parseWalkStop(stopInput({ latitude: null, longitude: null })).ok).toBe(true);
    const bad = parseWalkStop(stopInput({ latitude: 55.9, longitude: null, category: "fog", responsible: "kungen", observation: "  ", recordedOn: "2025-02-30", extra: 1 }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fields).sort()).toEqual(["category", "extra", "longitude", "observation", "recordedOn", "responsible"]);
    expect(parseWalkStop(stopInput({ latitude: 91 })).ok).toBe(false);
    expect(parseWalkStop(stopInput({ clientId: "x" })).ok).toBe(false);
  });
});

describe("recording stops", () => {
  it("stores the stop and its action as föreslagen with the first history row; the same clientId again stores nothing", async () => {
    const db = getDb();
    const sessionId = await createTestSession(db, { facilitatorId: anna.id, area: "ahus" });
    const session = await requireOpenWalk({ db, sessionId, viewer: anna });
    const input = stop();
    const first = await recordWalkStop({ db, session, stop: input, userId: anna.id });
    expect(first.created).toBe(true);
    const again = await recordWalkStop({ db, session, stop: input, userId: anna.id });
    expect(again).toEqual({ ...first, created: false });
    const stops = await db.selectFrom("walk_stop").selectAll().where("client_id", "=", input.clientId).execute();
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({ place_name: input.placeName, category: "lighting", created_by: anna.id });
    expect(Number(stops[0].latitude)).toBeCloseTo(55.9271, 6);
    const actions = await db.selectFrom("walk_action").selectAll().where("stop_id", "=", first.stopId).execute();
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ status: "foreslagen", area: "ahus", responsible: "kommunen", status_by: anna.id });
    expect(await actionHistory({ db, viewer: anna, actionId: first.actionId })).toEqual([
      expect.objectContaining({ status: "foreslagen", statusOn: "2025-10-14", changedBy: "anna@test.kommun.se" }),
    ]);
  });

  it("refuses another facilitator's session (403), a closed one or one that is not a walk (409), an unknown one (404) and a clientId from another session (409)", async () => {
    const db = getDb();
    const annas = await createTestSession(db, { facilitatorId: anna.id });
    const closed = await createTestSession(db, { facilitatorId: anna.id, status: "closed" });
    const dialogue = await createTestSession(db, { facilitatorId: anna.id, kind: "medborgardialog" });
    const status = async (sessionId: string, viewer: WalkViewer) =>
      requireOpenWalk({ db, sessionId, viewer }).then(() => 200, (e: WalkError) => e.status);
    expect(await status(annas, bo)).toBe(403);
    expect(await status(annas, admin)).toBe(200);
    expect(await status(closed, anna)).toBe(409);
    expect(await status(dialogue, anna)).toBe(409);
    expect(await status("6f1d0c4e-8a77-4d55-9b7a-0e3c8b1f2a90", anna)).toBe(404);

    const other = await createTestSession(db, { facilitatorId: anna.id });
    const input = stop();
    await recordWalkStop({ db, session: await requireOpenWalk({ db, sessionId: annas, viewer: anna }), stop: input, userId: anna.id });
    await expect(recordWalkStop({ db, session: await requireOpenWalk({ db, sessionId: other, viewer: anna }), stop: input, userId: anna.id })).rejects.toMatchObject({ status: 409 });
  });
});

describe("status changes", () => {
  it("keep every change with its date and who; a change from a stale version is refused and told the current state", async () => {
    const db = getDb();
    const sessionId = await createTestSession(db, { facilitatorId: anna.id });
    const session = await requireOpenWalk({ db, sessionId, viewer: anna });
    const { actionId } = await recordWalkStop({ db, session, stop: stop(), userId: anna.id });

    const decided = await changeActionStatus({ db, viewer: anna, actionId, expectedVersion: 1, status: "beslutad", statusOn: "2025-10-20", note: "Beslut i samverkansgruppen" });
    expect(decided).toEqual({ ok: true, version: 2 });
    // The admin saw version 1 before Anna's change: told, nothing written.
    const stale = await changeActionStatus({ db, viewer: admin, actionId, expectedVersion: 1, status: "avslutad", statusOn: "2025-10-21" });
    expect(stale).toEqual({ ok: false, conflict: { status: "beslutad", statusOn: "2025-10-20", statusBy: "anna@test.kommun.se", version: 2 } });
    expect(await changeActionStatus({ db, viewer: admin, actionId, expectedVersion: 2, status: "atgardad", statusOn: "2025-11-02" })).toEqual({ ok: true, version: 3 });

    const history = await actionHistory({ db, viewer: anna, actionId });
    expect(history.map((e) => [e.status, e.statusOn, e.changedBy, e.note])).toEqual([
      ["foreslagen", "2025-10-14", "anna@test.kommun.se", null],
      ["beslutad", "2025-10-20", "anna@test.kommun.se", "Beslut i samverkansgruppen"],
      ["atgardad", "2025-11-02", "admin@test.kommun.se", null],
    ]);
  });

  it("of two changes sent at once from the same version, exactly one is applied", async () => {
    const db = getDb();
    const session = await requireOpenWalk({ db, sessionId: await createTestSession(db, { facilitatorId: anna.id }), viewer: anna });
    const { actionId } = await recordWalkStop({ db, session, stop: stop(), userId: anna.id });
    const results = await Promise.all([
      changeActionStatus({ db, viewer: anna, actionId, expectedVersion: 1, status: "beslutad" }),
      changeActionStatus({ db, viewer: admin, actionId, expectedVersion: 1, status: "avslutad" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
    expect(await actionHistory({ db, viewer: admin, actionId })).toHaveLength(2);
  });

  it("another facilitator can neither change nor see the action", async () => {
    const db = getDb();
    const session = await requireOpenWalk({ db, sessionId: await createTestSession(db, { facilitatorId: anna.id }), viewer: anna });
    const { actionId } = await recordWalkStop({ db, session, stop: stop(), userId: anna.id });
    await expect(changeActionStatus({ db, viewer: bo, actionId, expectedVersion: 1, status: "avslutad" })).rejects.toMatchObject({ status: 403 });
    expect(await actionHistory({ db, viewer: bo, actionId })).toEqual([]);
    expect((await listActions({ db, viewer: bo })).map((a) => a.id)).not.toContain(actionId);
    expect((await listActions({ db, viewer: admin })).map((a) => a.id)).toContain(actionId);
  });
});

describe("the open-actions list and its CSV", () => {
  it("lists open actions by area and responsible party, leaves closed ones out, and exports them for Swedish Excel", async () => {
    const db = getDb();
    const tollarp = await requireOpenWalk({ db, sessionId: await createTestSession(db, { facilitatorId: bo.id, area: "tollarp" }), viewer: bo });
    const police = await recordWalkStop({ db, session: tollarp, stop: stop({ responsible: "polisen", category: "problem_drug_dealing", observation: 'Langning vid "kiosken"; kvällstid', proposal: "=Ökad närvaro" }), userId: bo.id });
    const municipality = await recordWalkStop({ db, session: tollarp, stop: stop({ latitude: 55.93456, longitude: 13.98765 }), userId: bo.id });
    const closed = await recordWalkStop({ db, session: tollarp, stop: stop({ responsible: "fastighetsagare", category: "vegetation" }), userId: bo.id });
    await changeActionStatus({ db, viewer: bo, actionId: closed.actionId, expectedVersion: 1, status: "avslutad" });

    const byPolice = await listActions({ db, viewer: bo, area: "tollarp", responsible: "polisen" });
    expect(byPolice.map((a) => a.id)).toEqual([police.actionId]);
    const all = await listActions({ db, viewer: bo, area: "tollarp" });
    expect(all.map((a) => a.id).sort()).toEqual([police.actionId, municipality.actionId].sort());
    expect(all.map((a) => a.responsible)).toEqual(["kommunen", "polisen"]);
    expect((await listActions({ db, viewer: bo, area: "tollarp", includeClosed: true })).map((a) => a.id)).toContain(closed.actionId);

    const csv = actionsCsv(all, { language: "sv", t: (key: string) => key, areaName: (code) => (code === "tollarp" ? "Tollarp" : code) });
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parseCsv(csv, { separator: ";" }).map((r) => r.fields);
    expect(rows).toHaveLength(2);
    const col = (name: string) => header.indexOf(name);
    expect(col("walk.csv.latitude")).toBeGreaterThanOrEqual(0);
    const kommunen = rows.find((r) => r[col("walk.csv.responsible")] === "walk.responsible.kommunen")!;
    expect(kommunen[col("walk.csv.latitude")]).toBe("55,93456");
    expect(kommunen[col("walk.csv.area")]).toBe("Tollarp");
    const polisen = rows.find((r) => r[col("walk.csv.responsible")] === "walk.responsible.polisen")!;
    expect(polisen[col("walk.csv.observation")]).toBe('Langning vid "kiosken"; kvällstid');
    expect(polisen[col("walk.csv.proposal")]).toBe("'=Ökad närvaro");
    expect(polisen[col("walk.csv.status")]).toBe("walk.status.foreslagen");
  });
});
