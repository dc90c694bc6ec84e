/**
 * The walk, actions, tips and paper-entry pages through the real server: who may send stops and
 * change actions (a facilitator only their own sessions, an admin all), the optimistic check as
 * people meet it, the CSV files read back with the app's parser, the tips grouped by place, and
 * paper forms stored with channel paper, refused by the web's validation, and undone with their
 * cell statistics.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { storeResponses } from "~/models/response.server";
import { publishEdition } from "~/models/survey.server";
import { createUser } from "~/models/user.server";
import { parseCsv } from "~/utils/csv";
import { startServer, type RunningServer } from "../helpers/app-server";
import { validAnswers } from "../helpers/answers";
import { csrfOf, postForm, signIn } from "../security/helpers";
import { createTestSession, stopInput } from "../helpers/walks";

const PASSWORD = "ett-langt-losenord-for-test";
let server: RunningServer;
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};
let annaWalk: string;
let boWalk: string;

beforeAll(async () => {
  server = await startServer({ SECURE_COOKIES: "off" });
  const db = getDb();
  for (const [name, role] of [["anna", "facilitator"], ["bo", "facilitator"], ["admin", "admin"], ["ada", "analyst"]] as const) {
    ids[name] = (await createUser({ db, email: `${name}@test.kommun.se`, role, password: PASSWORD })).id;
    cookies[name] = await signIn(server.url, `${name}@test.kommun.se`, PASSWORD);
  }
  annaWalk = await createTestSession(db, { facilitatorId: ids.anna, place: "Annas vandring", area: "ahus" });
  boWalk = await createTestSession(db, { facilitatorId: ids.bo, place: "Bos vandring", area: "tollarp" });
});

afterAll(async () => {
  await server?.stop();
});

const sendStop = (who: string, body: Record<string, unknown>) =>
  fetch(`${server.url}/api/walk-stops`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: server.url, Cookie: cookies[who] },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

const page = (who: string, path: string) => fetch(`${server.url}${path}`, { headers: { Cookie: cookies[who] }, redirect: "manual" });

describe("POST /api/walk-stops", () => {
  it("stores a stop once per clientId, only in an open walk of one's own, with clear refusals", async () => {
    const stop = { sessionId: annaWalk, ...stopInput({ placeName: "Annas tunnel" }) };
    expect(await sendStop("anna", stop)).toMatchObject({ status: 201 });
    const again = await sendStop("anna", stop);
    expect(again.status).toBe(200);
    expect(await getDb().selectFrom("walk_stop").select("id").where("client_id", "=", stop.clientId).execute()).toHaveLength(1);

    const intoAnnas = await sendStop("bo", { sessionId: annaWalk, ...stopInput() });
    expect(intoAnnas.status).toBe(403);
    expect(intoAnnas.body.error).toMatch(/facilitator or an admin/);
    expect((await sendStop("admin", { sessionId: annaWalk, ...stopInput({ placeName: "Adminstopp" }) })).status).toBe(201);
    expect((await sendStop("ada", { sessionId: annaWalk, ...stopInput() })).status).toBe(403);
    expect((await sendStop("anna", { sessionId: randomUUID(), ...stopInput() })).status).toBe(404);
    const closed = await createTestSession(getDb(), { facilitatorId: ids.anna, status: "closed" });
    expect(await sendStop("anna", { sessionId: closed, ...stopInput() })).toMatchObject({ status: 409, body: { error: "The session is not open" } });
    const bad = await sendStop("anna", { sessionId: annaWalk, ...stopInput({ category: "ufo", observation: "" }) });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields as object).sort()).toEqual(["category", "observation"]);
  });
});

describe("/personal/atgarder", () => {
  it("shows a facilitator only their own sessions' actions, an admin all; a change from an outdated page is refused and says so", async () => {
    await sendStop("bo", { sessionId: boWalk, ...stopInput({ placeName: "Bos buskage", category: "vegetation", responsible: "fastighetsagare" }) });
    const annas = await (await page("anna", "/personal/atgarder")).text();
    expect(annas).toContain("Annas tunnel");
    expect(annas).not.toContain("Bos buskage");
    const bos = await (await page("bo", "/personal/atgarder")).text();
    expect(bos).toContain("Bos buskage");
    expect(bos).not.toContain("Annas tunnel");
    const admins = await (await page("admin", "/personal/atgarder")).text();
    expect(admins).toContain("Bos buskage");
    expect(admins).toContain("Annas tunnel");
    expect((await page("ada", "/personal/atgarder")).status).toBe(403);

    const action = await getDb()
      .selectFrom("walk_action")
      .innerJoin("walk_stop", "walk_stop.id", "walk_action.stop_id")
      .select(["walk_action.id", "walk_action.version"])
      .where("walk_stop.place_name", "=", "Annas tunnel")
      .executeTakeFirstOrThrow();
    const change = async (who: string, fields: Record<string, string>) =>
      postForm(`${server.url}/personal/atgarder`, { csrf: await csrfOf(server.url, cookies[who]), actionId: action.id, statusOn: "2025-10-20", ...fields }, { Cookie: cookies[who] });

    expect((await change("bo", { version: "1", status: "avslutad" })).status).toBe(403);
    const first = await change("anna", { version: "1", status: "beslutad", note: "Samverkansmöte" });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Statusen är ändrad.");
    const stale = await change("admin", { version: "1", status: "avslutad" });
    expect(stale.status).toBe(200);
    const staleText = await stale.text();
    expect(staleText).toContain("någon annan ändrade åtgärden under tiden");
    expect(staleText).toContain("anna@test.kommun.se");
    const events = await getDb().selectFrom("walk_action_event").select(["status", "note"]).where("action_id", "=", action.id).orderBy("created_at").execute();
    expect(events).toEqual([{ status: "foreslagen", note: null }, { status: "beslutad", note: "Samverkansmöte" }]);
  });

  it("exports the list as CSV for Swedish Excel that the app's parser reads back", async () => {
    const res = await page("admin", "/personal/atgarder.csv?omrade=tollarp");
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="atgarder-/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes), { separator: ";" }).map((r) => r.fields);
    expect(header.slice(0, 3)).toEqual(["Område", "Ansvarig", "Status"]);
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(header.map((h, i) => [h, rows[0][i]]));
    expect(row).toMatchObject({ Område: "Tollarp", Ansvarig: "Fastighetsägare", Status: "Föreslagen", Plats: "Bos buskage", Kategori: "Växtlighet, buskage", Latitud: "55,9271" });
  });
});

describe("/personal/tips", () => {
  it("groups places written differently, and shows a facilitator the tips of their own sessions and the public page only", async () => {
    const db = getDb();
    const edition = await publishEdition({ db, seriesId: "trafiktips", year: 2025, status: "open" });
    const annaTips = await createTestSession(db, { facilitatorId: ids.anna, kind: "trafiktips", editionId: edition.id });
    const boTips = await createTestSession(db, { facilitatorId: ids.bo, kind: "trafiktips", editionId: edition.id });
    const tip = (sessionId: string | null, place: string, problems: string[], times: string[], day: string) => ({
      editionId: edition.id,
      clientId: randomUUID(),
      answers: { area: "ahus", place, traffic_problem: problems, time_of_day: times, day_type: day },
      measures: null,
      channel: "tablet" as const,
      sessionId,
    });
    const stored = await storeResponses(db, [
      tip(annaTips, "Storgatan", ["speeding"], ["evening"], "weekend"),
      tip(null, "Storg.", ["speeding", "mopeds"], ["evening", "night"], "weekend"),
      tip(annaTips, "STORGATAN ", ["speeding"], [], "weekday"),
      tip(boTips, "Bos hemliga gata", ["drink_driving"], ["night"], "weekend"),
      tip(boTips, "Storgatan", ["speeding"], ["morning"], "weekday"),
    ]);
    expect(stored.every((s) => !(s instanceof Error))).toBe(true);

    const read = async (who: string) => {
      const res = await page(who, "/personal/tips.csv");
      expect(res.status).toBe(200);
      const [header, ...rows] = parseCsv(await res.text(), { separator: ";" }).map((r) => r.fields);
      return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    };
    const annas = await read("anna");
    expect(annas.map((r) => [r.Plats, r.Problem, r["Antal tips"]])).toEqual([
      ["Storgatan", "Fortkörning", "3"],
      ["Storgatan", "Buskörning med mopeder eller ombyggda fordon", "1"],
    ]);
    expect(annas[0]["Skrivet som"]).toBe("Storgatan | STORGATAN | Storg.");
    expect(annas[0]["Tid på dygnet: Kväll (19–23)"]).toBe("2");
    expect(annas[0]["Tid på dygnet: ej angivet"]).toBe("1");
    expect(annas[0]["Dagar: Helger"]).toBe("2");
    expect(JSON.stringify(annas)).not.toContain("Bos hemliga gata");

    const admins = await read("admin");
    expect(admins.find((r) => r.Problem === "Fortkörning")?.["Antal tips"]).toBe("4");
    expect(admins.some((r) => r.Plats === "Bos hemliga gata")).toBe(true);
    expect((await page("ada", "/personal/tips")).status).toBe(403);
    const html = (await (await page("anna", "/personal/tips")).text()).replaceAll("<!-- -->", "");
    expect(html).toContain("Skrivet som: Storgatan, STORGATAN, Storg.");
  });
});

describe("/personal/inmatning", () => {
  const data = "/personal/inmatning?enkat=trygghetsmatning-2025&_data=routes%2Fpersonal.inmatning";
  const fieldsOf = (answers: Record<string, unknown>) => {
    const out: [string, string][] = [];
    for (const [k, v] of Object.entries(answers)) for (const x of Array.isArray(v) ? v : [v]) out.push([`q_${k}`, String(x)]);
    return out;
  };
  const post = async (who: string, pairs: [string, string][]) => {
    const body = new URLSearchParams([["csrf", await csrfOf(server.url, cookies[who])], ...pairs]);
    const res = await fetch(`${server.url}${data}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookies[who] },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const cellCount = async () =>
    Number(
      (
        await getDb()
          .selectFrom("cell_stat")
          .select("n")
          .where("edition_id", "=", "trygghetsmatning-2025")
          .where("measure_key", "=", "*")
          .where("area", "=", "degeberga")
          .where("gender", "=", "man")
          .where("age_group", "=", "65-85")
          .executeTakeFirst()
      )?.n ?? 0,
    );

  it("stores a form with channel paper through the web's validation, refuses a bad one, and undoes the last with its statistics", async () => {
    const db = getDb();
    await publishEdition({ db, seriesId: "trygghetsmatning", year: 2025, status: "open" });
    const answers = validAnswers({ area: "degeberga", gender: "man", age_group: "65-85" });
    const before = await cellCount();

    const clientId = randomUUID();
    const saved = await post("ada", [["intent", "save"], ["edition", "trygghetsmatning-2025"], ["clientId", clientId], ...fieldsOf(answers)]);
    expect(saved.status).toBe(200);
    expect(saved.body.saved.id).toBeTruthy();
    const row = await db.selectFrom("response").selectAll().where("id", "=", saved.body.saved.id).executeTakeFirstOrThrow();
    expect(row.channel).toBe("paper");
    expect(JSON.parse(row.answers_json)).toEqual(answers);
    expect(await cellCount()).toBe(before + 1);

    // The web's rules: a scale code that does not exist; no area.
    const refused = await post("ada", [["intent", "save"], ["edition", "trygghetsmatning-2025"], ["clientId", randomUUID()], ...fieldsOf({ ...answers, safe_evening: 7 })]);
    expect(Object.keys(refused.body.fields)).toEqual(["safe_evening"]);
    const noArea = await post("ada", [["intent", "save"], ["edition", "trygghetsmatning-2025"], ["clientId", randomUUID()], ...fieldsOf({ ...answers, area: "" })]);
    expect(Object.keys(noArea.body.fields)).toEqual(["area"]);
    expect(await cellCount()).toBe(before + 1);

    // Another person's session cannot undo with this token; the one who saved can, once.
    const undo = (who: string) => post(who, [["intent", "undo"], ["responseId", saved.body.saved.id], ["undoToken", saved.body.saved.undoToken]]);
    expect((await undo("anna")).body.undone).toBe(false);
    expect((await undo("ada")).body.undone).toBe(true);
    expect((await undo("ada")).body.undone).toBe(false);
    expect(await db.selectFrom("response").select("id").where("id", "=", saved.body.saved.id).executeTakeFirst()).toBeUndefined();
    expect(await cellCount()).toBe(before);
  });
});
