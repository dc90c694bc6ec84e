/**
 * Every guard refuses every spelling of its path (decision 020). Each guarded request is sent
 * through the corpus in path-spellings.ts, raw: the spellings the router reads as the same path
 * get the guard's own refusal, the others are refused (400; 308 to the canonical path for GET)
 * before any guard or route sees them. Nothing ever reaches the action: no sign-in, no stored
 * answer, no session ended.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { validAnswers } from "../helpers/answers";
import { startServer, type RunningServer } from "../helpers/app-server";
import { countRows, createStaff, csrfOf, PASSWORDS, signIn, signInForm } from "./helpers";
import { sendRaw, spellingsOf, type RawAnswer, type Spelling } from "./path-spellings";

let server: RunningServer;
let host: string;
let emails: Awaited<ReturnType<typeof createStaff>>;

beforeAll(async () => {
  // Buckets that do not refill during the test; one proxy hop so each case has its own address.
  server = await startServer({ SECURE_COOKIES: "off", TRUST_PROXY: "on", RATE_LIMIT_SIGNIN: "2:0.0001", RATE_LIMIT_SUBMISSIONS: "1:0.0001" });
  host = new URL(server.url).host;
  emails = await createStaff(getDb(), "spellings");
});

afterAll(async () => {
  await server?.stop();
});

/** The problems with one answer: the guard's status for canonical spellings, 400 for the rest. */
function check(spelling: Spelling, res: RawAnswer, guardStatus: number, problems: string[]) {
  const expected = spelling.canonical ? guardStatus : 400;
  if (res.status !== expected) problems.push(`${spelling.label} (${spelling.target}${spelling.host ? ` Host: ${spelling.host}` : ""}): ${res.status}, expected ${expected}`);
  const cookies = res.headers["set-cookie"] ?? [];
  if (cookies.some((c) => /^(__Host-)?td_session=[^;]/.test(c))) problems.push(`${spelling.label}: a session cookie was set`);
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe("the canonical-path gate itself", () => {
  it("GET of a non-canonical spelling is redirected (308) to the canonical path, never elsewhere", async () => {
    const problems: string[] = [];
    for (const s of spellingsOf("/logga-in", { serverHost: host })) {
      const res = await sendRaw(server.url, { target: s.target, host: s.host });
      if (s.canonical) {
        if (res.status !== 200) problems.push(`${s.label}: ${res.status}`);
      } else if (res.status === 308) {
        const location = String(res.headers.location);
        if (!/^\/[^/\\]/.test(location)) problems.push(`${s.label}: redirected off the site to ${location}`);
        else if (location.split("?")[0].replace(/\/$/, "") !== "/logga-in") problems.push(`${s.label}: redirected to ${location}`);
      } else if (res.status !== 400) {
        problems.push(`${s.label}: ${res.status}`);
      }
    }
    expect(problems).toEqual([]);
    // A dot-dot past the root cannot make a scheme-relative (off-site) Location.
    for (const target of ["/..//evil.example", "/.//evil.example/x", "/\\evil.example", "//evil.example/"]) {
      const res = await sendRaw(server.url, { target });
      expect(res.status, target).toBe(308);
      expect(String(res.headers.location), target).toMatch(/^\/[^/\\]/);
    }
  });

  it("TRACE, CONNECT-like and WebDAV methods: 405 with Allow, never 500", async () => {
    for (const method of ["TRACE", "PROPFIND", "MKCOL", "LOCK"]) {
      const res = await sendRaw(server.url, { method, target: "/" });
      expect(res.status, method).toBe(405);
      expect(res.headers.allow, method).toBe("GET, HEAD, POST");
    }
  });
});

describe("every guard, every spelling", () => {
  it("the sign-in rate limit: 429 once the address's bucket is empty, and the right password does not sign in", async () => {
    const xff = { "X-Forwarded-For": "198.51.100.10" };
    const { cookie, token } = await signInForm(server.url);
    const post = (target: string, hostHeader?: string) =>
      sendRaw(server.url, {
        method: "POST",
        target,
        host: hostHeader,
        headers: { ...xff, Origin: server.url, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: form({ csrf: token, email: emails.analyst, password: PASSWORDS.analyst }),
      });
    // Two wrong passwords empty the bucket (successes would be given back).
    for (let i = 0; i < 2; i++) {
      const res = await sendRaw(server.url, {
        method: "POST",
        target: "/logga-in?index",
        headers: { ...xff, Origin: server.url, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: form({ csrf: token, email: emails.analyst, password: "fel-losenord-som-inte-stammer" }),
      });
      expect(res.status).toBe(200);
    }
    const sessions = await countRows(getDb(), "user_session");
    const problems: string[] = [];
    for (const s of spellingsOf("/logga-in", { serverHost: host, dataRoute: "routes/logga-in" })) check(s, await post(s.target, s.host), 429, problems);
    for (const s of spellingsOf("/logga-in/kod", { serverHost: host })) check(s, await post(s.target, s.host), 429, problems);
    expect(problems).toEqual([]);
    expect(await countRows(getDb(), "user_session")).toBe(sessions);
  });

  it("the form body limit: 413 for a 2 MiB form and 411 for a chunked one, on every spelling", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, "a");
    const problems: string[] = [];
    for (const path of ["/logga-in", "/logga-ut", "/sprak", "/personal/losenord"]) {
      for (const s of spellingsOf(path, { serverHost: host })) {
        const headers = { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "198.51.100.20" };
        check(s, await sendRaw(server.url, { method: "POST", target: s.target, host: s.host, headers, body: big }), 413, problems);
        check(s, await sendRaw(server.url, { method: "POST", target: s.target, host: s.host, headers, chunks: [Buffer.from("email=a"), Buffer.alloc(64 * 1024, "b")] }), 411, problems);
      }
    }
    expect(problems).toEqual([]);
  });

  it("cross-site refusal: a sign-out from another origin or with neither Origin nor Referer is 403, and the session lives on", async () => {
    const cookie = await signIn(server.url, emails.facilitator, PASSWORDS.facilitator);
    const csrf = await csrfOf(server.url, cookie);
    const problems: string[] = [];
    for (const s of spellingsOf("/logga-ut", { serverHost: host, dataRoute: "routes/logga-ut" })) {
      const origins: Record<string, string>[] = [{ Origin: "https://evil.example" }, { Referer: "https://evil.example/page" }, {}];
      for (const origin of origins) {
        const res = await sendRaw(server.url, {
          method: "POST",
          target: s.target,
          host: s.host,
          headers: { ...origin, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
          body: form({ csrf }),
        });
        check({ ...s, label: `${s.label} ${JSON.stringify(origin)}` }, res, 403, problems);
      }
    }
    expect(problems).toEqual([]);
    expect((await fetch(`${server.url}/personal`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(200);
  });

  it("role refusal: an analyst gets 403 on the admin's page, as a page and as a data request", async () => {
    const cookie = await signIn(server.url, emails.analyst, PASSWORDS.analyst);
    const problems: string[] = [];
    for (const s of spellingsOf("/personal/sakerhet", { serverHost: host, dataRoute: "routes/personal.sakerhet" })) {
      const res = await sendRaw(server.url, { target: s.target, host: s.host, headers: { Cookie: cookie } });
      if (s.canonical) {
        if (res.status !== 403) problems.push(`${s.label}: ${res.status}`);
        if (res.body.includes('id="totp-required"')) problems.push(`${s.label}: the admin's page was shown`);
      } else if (res.status === 308) {
        const again = await sendRaw(server.url, { target: String(res.headers.location), headers: { Cookie: cookie } });
        if (again.status !== 403) problems.push(`${s.label}: redirected to ${res.headers.location}, which answered ${again.status}`);
      } else if (res.status !== 400) {
        problems.push(`${s.label}: ${res.status}`);
      }
    }
    // The admin's form, posted by the analyst with a valid form token: 403 (or 400), never acted on.
    const csrf = await csrfOf(server.url, cookie);
    for (const s of spellingsOf("/personal/sakerhet", { serverHost: host, dataRoute: "routes/personal.sakerhet" })) {
      const res = await sendRaw(server.url, {
        method: "POST",
        target: s.target,
        host: s.host,
        headers: { Origin: server.url, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: form({ csrf, intent: "require-totp", value: "on" }),
      });
      check(s, res, 403, problems);
    }
    expect(problems).toEqual([]);
    const setting = await getDb().selectFrom("app_setting").select("value").where("key", "=", "require_totp").executeTakeFirst();
    expect(setting?.value).not.toBe("on");
  });

  it("the submission API: 429 once the address's bucket is empty, 413 for a body over 64 KB, 415 for a non-JSON type", async () => {
    const body = (clientId = randomUUID()) => JSON.stringify({ survey: "trygghetsmatning-2025", clientId, answers: validAnswers() });
    const json = { "Content-Type": "application/json" };
    const limited = { ...json, "X-Forwarded-For": "198.51.100.30" };
    const first = await sendRaw(server.url, { method: "POST", target: "/api/responses", headers: limited, body: body() });
    expect(first.status).toBe(201);
    const before = await countRows(getDb(), "response");
    const problems: string[] = [];
    let n = 0;
    for (const s of spellingsOf("/api/responses", { serverHost: host })) {
      check(s, await sendRaw(server.url, { method: "POST", target: s.target, host: s.host, headers: limited, body: body() }), 429, problems);
      const fresh = { ...json, "X-Forwarded-For": `198.51.100.${100 + (n++ % 100)}` };
      const large = JSON.stringify({ survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: { ...validAnswers(), suggestion: "x".repeat(100_000) } });
      check(s, await sendRaw(server.url, { method: "POST", target: s.target, host: s.host, headers: fresh, body: large }), 413, problems);
      const patch = { ...fresh, "Content-Type": "application/json-patch+json", "X-Forwarded-For": `198.51.101.${100 + (n % 100)}` };
      check(s, await sendRaw(server.url, { method: "POST", target: s.target, host: s.host, headers: patch, body: body() }), 415, problems);
    }
    expect(problems).toEqual([]);
    expect(await countRows(getDb(), "response")).toBe(before);
  });
});
