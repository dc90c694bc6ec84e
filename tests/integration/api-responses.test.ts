import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { publishEdition } from "~/models/survey.server";
import { validAnswers } from "../helpers/answers";
import { postJson, startServer, type RunningServer } from "../helpers/app-server";

let server: RunningServer;
let api: string;

beforeAll(async () => {
  server = await startServer();
  api = `${server.url}/api/responses`;
  await migrateToLatest(getDb());
});

afterAll(async () => {
  await server?.stop();
});

function submit(answers: Record<string, unknown>, clientId = randomUUID(), survey = "trygghetsmatning-2025") {
  return postJson(api, { survey, clientId, answers });
}

async function count(where: { clientId?: string } = {}) {
  let q = getDb().selectFrom("response").select((eb) => eb.fn.countAll<number>().as("n"));
  if (where.clientId) q = q.where("client_id", "=", where.clientId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

describe("POST /api/responses", () => {
  it("stores a valid response and answers 201 with its id", async () => {
    const clientId = randomUUID();
    const res = await submit(validAnswers(), clientId);
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const row = await getDb().selectFrom("response").selectAll().where("id", "=", res.body.id).executeTakeFirstOrThrow();
    expect(row.client_id).toBe(clientId);
    expect(row.edition_id).toBe("trygghetsmatning-2025");
    expect(row.channel).toBe("web");
    expect(row.area).toBe("ahus");
    expect(JSON.parse(row.answers_json)).toEqual(validAnswers());
    // Nothing about the sender is kept: no column for an address or a user agent exists.
    expect(Object.keys(row).sort()).toEqual(
      ["age_group", "answers_json", "area", "channel", "client_id", "edition_id", "gender", "id", "is_demo", "language", "scores_json", "session_id", "submitted_on"].sort(),
    );
    expect(JSON.stringify(row)).not.toMatch(/127\.0\.0\.1|node|undici/i);
    // The per-response measure values are written with it: avoid_activity 2 is not "often",
    // theft is a crime, and (2 + 3 + 2 + 1 + 3 on the five items) → mean of their scores.
    const scores = JSON.parse(row.scores_json!);
    expect(scores.v.avoid_share).toBe(0);
    expect(scores.v.victim_share).toBe(1);
    expect(scores.v.safety_index).toBeCloseTo((200 / 3 + 100 / 3 + 200 / 3 + 100 + 100 / 3) / 5, 12);
    expect(scores.dk).toEqual(["problem_share.problem_drug_dealing"]);
  });

  it("records the language the answer says it was given in, one of the six, and nothing from the request's headers", async () => {
    for (const language of ["sv", "en", "ar", "fa", "so", "fi"]) {
      const res = await postJson(api, { survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: validAnswers(), language });
      expect(res.status, language).toBe(201);
      const row = await getDb().selectFrom("response").select("language").where("id", "=", res.body.id).executeTakeFirstOrThrow();
      expect(row.language).toBe(language);
    }
    // Without the field: not known, even when the browser's headers name a language.
    const silent = await postJson(api, { survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: validAnswers() }, { "Accept-Language": "ar", Cookie: "lang=so" });
    expect(silent.status).toBe(201);
    const row = await getDb().selectFrom("response").select("language").where("id", "=", silent.body.id).executeTakeFirstOrThrow();
    expect(row.language).toBeNull();
    // Anything else is refused, and nothing is stored.
    const before = await count();
    for (const language of ["de", "AR", "sv-SE", "", 7, ["sv"]]) {
      const res = await postJson(api, { survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: validAnswers(), language });
      expect(res.status, JSON.stringify(language)).toBe(400);
      expect(res.body.fields.language).toEqual(["Expected one of sv, en, ar, fa, so, fi"]);
    }
    expect(await count()).toBe(before);
  });

  it("answers 200 with the same id when the same clientId comes again, storing nothing new", async () => {
    const clientId = randomUUID();
    const first = await submit(validAnswers(), clientId);
    const again = await submit(validAnswers({ area: "tollarp" }), clientId);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await count({ clientId })).toBe(1);
  });

  it("stores one row when the same clientId arrives many times at once", async () => {
    const clientId = randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => submit(validAnswers(), clientId)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await count({ clientId })).toBe(1);
  });

  it("stores every one of many concurrent submissions exactly once", async () => {
    const before = await count();
    const results = await Promise.all(Array.from({ length: 60 }, () => submit(validAnswers())));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(await count()).toBe(before + 60);
    const cells = await getDb()
      .selectFrom("cell_stat")
      .select((eb) => eb.fn.sum<number>("n").as("n"))
      .where("edition_id", "=", "trygghetsmatning-2025")
      .where("measure_key", "=", "*")
      .executeTakeFirstOrThrow();
    expect(Number(cells.n)).toBe(await count());
  });

  it.each([
    ["a missing area", { area: undefined }, "area"],
    ["an unknown question", { favourite_colour: "blue" }, "favourite_colour"],
    ["a value not listed", { safe_evening: 7 }, "safe_evening"],
    ["a number given as text", { safe_evening: "2" }, "safe_evening"],
    ["an unknown area", { area: "atlantis" }, "area"],
    ["an unknown crime", { victim: ["theft", "piracy"] }, "victim"],
    ["none together with a crime", { victim: ["none", "theft"], reported: undefined }, "victim"],
    ["a hidden question answered", { victim: ["none"], reported: 1 }, "reported"],
    ["a suggestion over 2,000 characters", { suggestion: "x".repeat(2001) }, "suggestion"],
    ["a boolean where a choice belongs", { gender: true }, "gender"],
    ["an object where a choice belongs", { age_group: { $gt: "" } }, "age_group"],
  ])("refuses %s with 400 and a message for that question", async (_label, overrides, field) => {
    const clientId = randomUUID();
    const answers = validAnswers(overrides as Record<string, unknown>);
    for (const [k, v] of Object.entries(answers)) if (v === undefined) delete answers[k];
    const res = await submit(answers, clientId);
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe("string");
    expect(res.body.fields[field]).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(await count({ clientId })).toBe(0);
  });

  it("accepts a response with only the area answered", async () => {
    const res = await submit({ area: "everod" });
    expect(res.status).toBe(201);
  });

  it("refuses a malformed envelope and malformed JSON with 400", async () => {
    expect((await postJson(api, "{not json")).status).toBe(400);
    expect((await postJson(api, [1, 2])).status).toBe(400);
    const noClient = await postJson(api, { survey: "trygghetsmatning-2025", answers: validAnswers() });
    expect(noClient.status).toBe(400);
    expect(noClient.body.fields.clientId).toBeDefined();
    const extra = await postJson(api, { survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: {}, ip: "1.2.3.4" });
    expect(extra.status).toBe(400);
    expect(extra.body.fields.ip).toBeDefined();
  });

  it("refuses a body over 64 KB with 413", async () => {
    const res = await submit(validAnswers({ suggestion: "å".repeat(40_000) }));
    expect(res.status).toBe(413);
  });

  it("answers 404 for an unknown survey and 409 for a closed one", async () => {
    expect((await submit(validAnswers(), randomUUID(), "trygghetsmatning-1999")).status).toBe(404);
    await publishEdition({ db: getDb(), seriesId: "trygghetsmatning", year: 2021, status: "closed" });
    const closed = await submit(validAnswers(), randomUUID(), "trygghetsmatning-2021");
    expect(closed.status).toBe(409);
  });

  it("answers 405 with Allow: POST to every other method, however the path is spelled", async () => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      for (const path of ["/api/responses", "/API/Responses/", "/api/respons%65s"]) {
        const res = await fetch(`${server.url}${path}`, { method });
        expect(`${method} ${path}: ${res.status} ${res.headers.get("Allow")}`).toBe(`${method} ${path}: 405 POST`);
        expect(await res.json()).toEqual({ error: "Use POST to submit a response" });
      }
    }
    const head = await fetch(api, { method: "HEAD" });
    expect(head.status).toBe(405);
  });

  it("stores nothing from a client that hangs up halfway through its body, and goes on working", async () => {
    const before = await count();
    const clientId = randomUUID();
    const body = JSON.stringify({ survey: "trygghetsmatning-2025", clientId, answers: validAnswers() });
    const { port } = new URL(server.url);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write(
          `POST /api/responses HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, body.length >> 1)}`,
        );
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    // The server is still there, and the same answer sent whole is stored once.
    const whole = await postJson(api, JSON.parse(body));
    expect(whole.status).toBe(201);
    expect(await count()).toBe(before + 1);
    expect(await count({ clientId })).toBe(1);
  });
});
