/**
 * Dialogue sessions (issue 17): codes, the role rules of the model, the session checks of
 * POST /api/responses through the real server (404 unknown, 409 closed or another survey, nothing
 * stored from a refused answer), and the create-session / close-session commands.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import {
  CODE_ALPHABET,
  canManageSession,
  closeSession,
  createSession,
  findSessionByCode,
  findSessionById,
  listSessions,
  newSessionCode,
  normalizeSessionCode,
  openSession,
} from "~/models/dialogue-session.server";
import { publishPlannedEditions } from "~/models/survey.server";
import { createUser } from "~/models/user.server";
import { postJson, startServer, type RunningServer } from "../helpers/app-server";
import { validAnswers } from "../helpers/answers";
import { runCliCaptured } from "../helpers/cli";

let server: RunningServer;
const password = "rätt-häftigt-lösen-42";
let anna: { id: string; role: "facilitator" };
let bo: { id: string; role: "facilitator" };
let admin: { id: string; role: "admin" };

const dialogueAnswers = { area: "ahus", gender: "woman", age_group: "25-44" };

beforeAll(async () => {
  const db = getDb();
  await migrateToLatest(db);
  await publishPlannedEditions({ db });
  anna = { id: (await createUser({ db, email: "anna@kommun.se", role: "facilitator", password })).id, role: "facilitator" };
  bo = { id: (await createUser({ db, email: "bo@polisen.se", role: "facilitator", password })).id, role: "facilitator" };
  admin = { id: (await createUser({ db, email: "admin@kommun.se", role: "admin", password })).id, role: "admin" };
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

function newDialogue(facilitatorId: string, editionId = "medborgardialog-2025") {
  return createSession({ db: getDb(), kind: "medborgardialog", editionId, place: "Stadsbiblioteket", area: "kristianstad-centrum", heldOn: "2025-11-20", facilitatorId });
}

async function countByClient(clientId: string) {
  const row = await getDb().selectFrom("response").select((e) => e.fn.countAll<number>().as("n")).where("client_id", "=", clientId).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("session codes", () => {
  it("draws six characters from an alphabet without look-alikes", () => {
    for (const bad of "0O1IL2Z5S8B") expect(CODE_ALPHABET).not.toContain(bad);
    const codes = new Set(Array.from({ length: 2000 }, () => newSessionCode()));
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{6}$`));
    // 2000 draws from 244 million codes repeat once in about 120 runs (the birthday bound: 0.008
    // repeats expected); three or more (about 1 in 10 million runs) would mean a broken generator.
    expect(codes.size).toBeGreaterThanOrEqual(1998);
    // Every character of the alphabet turns up (12,000 draws of 25 characters).
    expect(new Set([...codes].join("")).size).toBe(CODE_ALPHABET.length);
  });

  it("reads a typed code in any case, with spaces or a dash, and refuses anything else", () => {
    expect(normalizeSessionCode("ac3 4-fx")).toBe("AC34FX");
    expect(normalizeSessionCode("AC34F0")).toBeNull();
    expect(normalizeSessionCode("AC34F")).toBeNull();
    expect(normalizeSessionCode("'; drop")).toBeNull();
  });

  it("stores the code upper-case and finds the session by any spelling of it", async () => {
    const session = await newDialogue(anna.id);
    expect(session.code).toMatch(/^[A-Z0-9]{6}$/);
    expect(session.status).toBe("open");
    expect((await findSessionByCode({ db: getDb(), code: session.code.toLowerCase() }))?.id).toBe(session.id);
    expect((await findSessionById({ db: getDb(), id: session.id }))?.code).toBe(session.code);
    expect(await findSessionById({ db: getDb(), id: "not-a-uuid" })).toBeUndefined();
  });

  it("refuses an unknown kind, a closed or missing edition and a bad date", async () => {
    const db = getDb();
    const base = { db, editionId: "medborgardialog-2025", place: "Biblioteket", area: "ahus", heldOn: "2025-11-20", facilitatorId: anna.id };
    await expect(createSession({ ...base, kind: "fest" })).rejects.toThrow(/Unknown kind/);
    await expect(createSession({ ...base, kind: "medborgardialog", editionId: "medborgardialog-1999" })).rejects.toThrow(/Unknown survey edition/);
    await expect(createSession({ ...base, kind: "medborgardialog", heldOn: "20 nov" })).rejects.toThrow(/YYYY-MM-DD/);
  });
});

describe("role rules", () => {
  it("a facilitator lists, opens and closes only their own sessions; an admin all", async () => {
    const db = getDb();
    const annas = await newDialogue(anna.id);
    const bos = await newDialogue(bo.id);
    const seenByAnna = (await listSessions({ db, viewer: anna })).map((s) => s.id);
    expect(seenByAnna).toContain(annas.id);
    expect(seenByAnna).not.toContain(bos.id);
    const seenByAdmin = (await listSessions({ db, viewer: admin })).map((s) => s.id);
    expect(seenByAdmin).toEqual(expect.arrayContaining([annas.id, bos.id]));

    expect(canManageSession(anna, bos)).toBe(false);
    expect(await closeSession({ db, id: bos.id, viewer: anna })).toBeUndefined();
    expect((await findSessionById({ db, id: bos.id }))?.status).toBe("open");

    expect((await closeSession({ db, id: annas.id, viewer: anna }))?.status).toBe("closed");
    expect((await closeSession({ db, id: bos.id, viewer: admin }))?.status).toBe("closed");
    const reopened = await openSession({ db, id: bos.id, viewer: admin });
    expect(reopened?.status).toBe("open");
    expect(reopened?.closed_at).toBeNull();
  });
});

describe("POST /api/responses with a sessionId", () => {
  it("stores an answer with an open session of the same survey, carrying the session", async () => {
    const session = await newDialogue(anna.id);
    const clientId = randomUUID();
    const res = await postJson(`${server.url}/api/responses`, { survey: "medborgardialog-2025", clientId, answers: dialogueAnswers, channel: "tablet", sessionId: session.id });
    expect(res.status, res.text).toBe(201);
    const row = await getDb().selectFrom("response").selectAll().where("id", "=", res.body.id).executeTakeFirstOrThrow();
    expect(row.session_id).toBe(session.id);
    expect(row.channel).toBe("tablet");
    const listed = (await listSessions({ db: getDb(), viewer: anna })).find((s) => s.id === session.id);
    expect(listed?.answers).toBe(1);
  });

  it("answers 404 for an unknown session and stores nothing", async () => {
    const clientId = randomUUID();
    const res = await postJson(`${server.url}/api/responses`, { survey: "medborgardialog-2025", clientId, answers: dialogueAnswers, sessionId: randomUUID() });
    expect(res.status).toBe(404);
    expect(res.body.reason).toBe("session-unknown");
    expect(res.body.error).toMatch(/Unknown session/);
    expect(await countByClient(clientId)).toBe(0);
  });

  it("answers 409 for a closed session and stores nothing; a resend of an answer stored before the close is acknowledged", async () => {
    const session = await newDialogue(anna.id);
    const early = randomUUID();
    const body = { survey: "medborgardialog-2025", answers: dialogueAnswers, sessionId: session.id };
    const first = await postJson(`${server.url}/api/responses`, { ...body, clientId: early });
    expect(first.status).toBe(201);
    await closeSession({ db: getDb(), id: session.id, viewer: anna });

    const late = randomUUID();
    const refused = await postJson(`${server.url}/api/responses`, { ...body, clientId: late });
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe("session-closed");
    expect(refused.body.error).toMatch(/closed/);
    expect(await countByClient(late)).toBe(0);

    const again = await postJson(`${server.url}/api/responses`, { ...body, clientId: early });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
  });

  it("answers 409 when the session collects another survey, and stores nothing", async () => {
    const session = await newDialogue(anna.id);
    const clientId = randomUUID();
    const res = await postJson(`${server.url}/api/responses`, { survey: "trygghetsmatning-2025", clientId, answers: validAnswers(), sessionId: session.id });
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe("session-other-survey");
    expect(res.body.error).toMatch(/medborgardialog-2025/);
    expect(await countByClient(clientId)).toBe(0);
  });

  it("still answers 400 for an invalid answer within an open session", async () => {
    const session = await newDialogue(anna.id);
    const clientId = randomUUID();
    const res = await postJson(`${server.url}/api/responses`, { survey: "medborgardialog-2025", clientId, answers: { area: "atlantis" }, sessionId: session.id });
    expect(res.status).toBe(400);
    expect(await countByClient(clientId)).toBe(0);
  });
});

describe("create-session and close-session", () => {
  it("creates a session for a facilitator, printing its id and code, and closes it by code in any case", async () => {
    const run = await runCliCaptured(
      "create-session", "--survey", "medborgardialog-2025", "--kind", "medborgardialog",
      "--place", "Stadsbiblioteket", "--area", "kristianstad-centrum", "--facilitator", "Anna@Kommun.se",
    );
    expect(run.code, run.stderr).toBe(0);
    const id = /^id\s+(\S+)$/m.exec(run.stdout)?.[1];
    const code = /^code\s+(\S+)$/m.exec(run.stdout)?.[1];
    const session = await findSessionById({ db: getDb(), id: id ?? "" });
    expect(session?.code).toBe(code);
    expect(session?.facilitator_id).toBe(anna.id);
    expect(session?.status).toBe("open");

    const closed = await runCliCaptured("close-session", "--code", code!.toLowerCase());
    expect(closed.code, closed.stderr).toBe(0);
    expect((await findSessionById({ db: getDb(), id: id! }))?.status).toBe("closed");
  });

  it("refuses an unknown facilitator, a wrong kind and an unknown code", async () => {
    const base = ["create-session", "--survey", "medborgardialog-2025", "--place", "X", "--area", "ahus"];
    expect((await runCliCaptured(...base, "--kind", "medborgardialog", "--facilitator", "ingen@kommun.se")).code).toBe(1);
    expect((await runCliCaptured(...base, "--kind", "fika", "--facilitator", "anna@kommun.se")).code).toBe(2);
    const unknown = await runCliCaptured("close-session", "--code", "AAAAAA");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No session with code/);
  });
});
