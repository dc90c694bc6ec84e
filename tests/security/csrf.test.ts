/**
 * Cross-site request forgery: staff forms carry the session's token and the action checks it;
 * every non-GET request from another origin is refused before any action runs (except the JSON
 * submission API). Also the session cookie's attributes, with SECURE_COOKIES off and on.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { isSameOrigin, normalizedPath } from "~/server/security";
import { validAnswers } from "../helpers/answers";
import { postJson, startServer, type RunningServer } from "../helpers/app-server";
import { cookieOf, countRows, createStaff, csrfOf, PASSWORDS, postForm, postSignIn, signIn } from "./helpers";

let server: RunningServer;
let emails: Awaited<ReturnType<typeof createStaff>>;

beforeAll(async () => {
  server = await startServer({ SECURE_COOKIES: "off" });
  emails = await createStaff(getDb(), "csrf");
});

afterAll(async () => {
  await server?.stop();
});

async function staffPage(cookie: string) {
  return fetch(`${server.url}/personal`, { headers: { Cookie: cookie }, redirect: "manual" });
}

async function signOut(cookie: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return postForm(`${server.url}/logga-ut`, fields, { Cookie: cookie, ...headers });
}

describe("the CSRF token of staff forms", () => {
  it("is given to signed-in users only, and the sign-out form carries it", async () => {
    const anonymous = await (await fetch(`${server.url}/?_data=root`)).json();
    expect(anonymous.csrf).toBeNull();
    const cookie = await signIn(server.url, emails.facilitator, PASSWORDS.facilitator);
    const token = await csrfOf(server.url, cookie);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const html = await (await staffPage(cookie)).text();
    expect(html).toMatch(new RegExp(`<form[^>]*action="/logga-ut"[^>]*>\\s*<input type="hidden" name="csrf" value="${token}"/>`));
    // Another session of the same user has its own token.
    const other = await signIn(server.url, emails.facilitator, PASSWORDS.facilitator);
    expect(await csrfOf(server.url, other)).not.toBe(token);
  });

  it("sign-out without the token, with a wrong one or another session's: 403, and the session still works", async () => {
    const cookie = await signIn(server.url, emails.analyst, PASSWORDS.analyst);
    const other = await signIn(server.url, emails.admin, PASSWORDS.admin);
    const token = await csrfOf(server.url, cookie);
    const attempts: [string, Record<string, string>][] = [
      ["no token", {}],
      ["empty token", { csrf: "" }],
      ["wrong token", { csrf: "x".repeat(token.length) }],
      ["a prefix of the token", { csrf: token.slice(0, 10) }],
      ["the token with more after it", { csrf: `${token}x` }],
      ["another session's token", { csrf: await csrfOf(server.url, other) }],
    ];
    for (const [label, fields] of attempts) {
      const res = await signOut(cookie, fields);
      expect(res.status, label).toBe(403);
      expect(res.headers.get("set-cookie"), label).toBeNull();
      const body = await res.text();
      expect(body, label).toContain("Åtkomst nekad");
      expect(body, label).toContain("Ladda om sidan och försök igen");
      expect((await staffPage(cookie)).status, `${label}: the session still works`).toBe(200);
    }
    // Sent as a Remix data request (what the button does with JavaScript): 403 too.
    const data = await postForm(`${server.url}/logga-ut?_data=routes%2Flogga-ut`, {}, { Cookie: cookie });
    expect(data.status).toBe(403);
    expect((await staffPage(cookie)).status).toBe(200);
  });

  it("sign-out with the token from this site: the session ends", async () => {
    const cookie = await signIn(server.url, emails.analyst, PASSWORDS.analyst);
    const sessions = await countRows(getDb(), "user_session");
    const res = await signOut(cookie, { csrf: await csrfOf(server.url, cookie) }, { Origin: server.url, Referer: `${server.url}/personal` });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(res.headers.get("set-cookie")).toMatch(/^td_session=;.*Max-Age=0/);
    expect(await countRows(getDb(), "user_session")).toBe(sessions - 1);
    const after = await staffPage(cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/logga-in/);
  });

  it("sign-out without a session needs no token and only clears the cookie", async () => {
    const res = await signOut("td_session=finns-inte", {});
    expect(res.status).toBe(302);
    expect(res.headers.get("set-cookie")).toMatch(/^td_session=;/);
  });
});

describe("cross-site requests", () => {
  const foreignOrigins = [
    "https://evil.example",
    "null",
    "http://127.0.0.1.evil.example",
    "http://127.0.0.1:1", // same host, another port: another origin
    "file://",
    "not a url",
  ];

  it("a foreign Origin on sign-out is refused even with the right token, and the session still works", async () => {
    const cookie = await signIn(server.url, emails.analyst, PASSWORDS.analyst);
    const csrf = await csrfOf(server.url, cookie);
    for (const origin of foreignOrigins) {
      const res = await signOut(cookie, { csrf }, { Origin: origin });
      expect(res.status, origin).toBe(403);
      expect(await res.text(), origin).toContain("annan webbplats");
      expect((await staffPage(cookie)).status, origin).toBe(200);
    }
    // No Origin but a foreign Referer (older browsers): refused as well.
    const referer = await signOut(cookie, { csrf }, { Referer: "https://evil.example/page" });
    expect(referer.status).toBe(403);
    // A foreign Origin wins over a same-site Referer.
    const both = await signOut(cookie, { csrf }, { Origin: "https://evil.example", Referer: `${server.url}/personal` });
    expect(both.status).toBe(403);
    expect((await staffPage(cookie)).status).toBe(200);
  });

  it("sign-in from another site is refused and sets no cookie (no signing a visitor into an account)", async () => {
    const sessions = await countRows(getDb(), "user_session");
    const res = await postSignIn(server.url, { email: emails.analyst, password: PASSWORDS.analyst }, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await countRows(getDb(), "user_session")).toBe(sessions);
    const own = await postSignIn(server.url, { email: emails.analyst, password: PASSWORDS.analyst }, { Origin: server.url });
    expect(own.status).toBe(302);
    expect(cookieOf(own)).toMatch(/^td_session=./);
  });

  it("the language switch from another site is refused; from this site it works", async () => {
    const foreign = await postForm(`${server.url}/sprak`, { lang: "en", redirectTo: "/" }, { Origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("set-cookie")).toBeNull();
    const own = await postForm(`${server.url}/sprak`, { lang: "en", redirectTo: "/logga-in" }, { Origin: server.url });
    expect(own.status).toBe(302);
    expect(own.headers.get("location")).toBe("/logga-in");
    expect(own.headers.get("set-cookie")).toMatch(/^lang=en;/);
  });

  it("refuses every method but GET and HEAD, on any path spelling", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      for (const p of ["/logga-ut", "/LOGGA-UT", "/logga-ut/", "/sprak", "/personal", "/finns-inte", "/api/results/trygghetsmatning"]) {
        const res = await fetch(`${server.url}${p}`, { method, headers: { Origin: "https://evil.example" }, redirect: "manual" });
        expect(res.status, `${method} ${p}`).toBe(403);
      }
    }
    const get = await fetch(`${server.url}/`, { headers: { Origin: "https://evil.example" } });
    expect(get.status).toBe(200);
  });

  it("POST /api/responses takes submissions from anywhere (JSON only, no cookies); other methods there do not", async () => {
    const before = await countRows(getDb(), "response");
    const res = await postJson(
      `${server.url}/api/responses`,
      { survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: validAnswers() },
      { Origin: "https://kommun.example" },
    );
    expect(res.status).toBe(201);
    expect(await countRows(getDb(), "response")).toBe(before + 1);
    const put = await fetch(`${server.url}/api/responses`, { method: "PUT", headers: { Origin: "https://kommun.example" } });
    expect(put.status).toBe(403);
    expect((await put.json()).error).toMatch(/cross-site/i);
  });
});

describe("isSameOrigin and normalizedPath", () => {
  it.each([
    ["http://example.se", "example.se", true],
    ["https://example.se", "example.se", true],
    ["https://example.se", "example.se:443", true],
    ["http://example.se", "example.se:80", true],
    ["https://EXAMPLE.se", "example.SE", true],
    ["http://localhost:3000", "localhost:3000", true],
    ["http://localhost:3000", "localhost:3001", false],
    ["https://example.se:8443", "example.se", false],
    ["https://example.se.evil.example", "example.se", false],
    ["https://evil.example/?example.se", "example.se", false],
    ["https://user@example.se", "example.se", true],
    ["null", "example.se", false],
    ["ftp://example.se", "example.se", false],
    ["", "example.se", false],
    ["https://example.se", undefined, false],
    ["https://example.se", "example.se/evil", false],
  ])("%s against host %s → %s", (origin, host, same) => {
    expect(isSameOrigin(origin, host)).toBe(same);
  });

  it.each([
    ["/api/responses", "/api/responses"],
    ["/API/Responses/", "/api/responses"],
    ["/api//responses", "/api/responses"],
    ["/logga%2Din", "/logga-in"],
    ["/logga%2din//", "/logga-in"],
    ["/", "/"],
    ["/%E0%A4%A", "/%e0%a4%a"],
  ])("%s → %s", (raw, normal) => {
    expect(normalizedPath(raw)).toBe(normal);
  });
});

describe("the session cookie", () => {
  async function attributes(base: string) {
    const res = await postSignIn(base, { email: emails.facilitator, password: PASSWORDS.facilitator });
    expect(res.status).toBe(302);
    const header = res.headers.getSetCookie().find((c) => /^(__Host-)?td_session=/.test(c)) ?? "";
    return header.split(";").map((a) => a.trim());
  }

  it("is HttpOnly, SameSite=Lax, Path=/, and not Secure when SECURE_COOKIES is off", async () => {
    const attrs = await attributes(server.url);
    expect(attrs[0]).toMatch(/^td_session=[A-Za-z0-9%_-]{40,}$/);
    expect(attrs).toContain("HttpOnly");
    expect(attrs).toContain("SameSite=Lax");
    expect(attrs).toContain("Path=/");
    expect(attrs.some((a) => /^Secure$/i.test(a))).toBe(false);
    expect(attrs.some((a) => /^Domain=/i.test(a))).toBe(false);
  });

  it("is __Host-td_session, Secure, Path=/ and without Domain when SECURE_COOKIES is on, and so is the sign-out's clearing cookie", async () => {
    const secure = await startServer({ SECURE_COOKIES: "on" });
    try {
      const attrs = await attributes(secure.url);
      expect(attrs).toContain("HttpOnly");
      expect(attrs).toContain("SameSite=Lax");
      expect(attrs).toContain("Secure");
      expect(attrs).toContain("Path=/");
      expect(attrs[0]).toMatch(/^__Host-td_session=[A-Za-z0-9%_-]{40,}$/);
      expect(attrs.some((a) => /^Domain=/i.test(a))).toBe(false);
      const cookie = attrs[0];
      // The plain name is not read when cookies are Secure: a cookie planted over HTTP counts for nothing.
      const planted = await fetch(`${secure.url}/personal`, { redirect: "manual", headers: { Cookie: cookie.replace(/^__Host-/, "") } });
      expect(planted.status).toBe(302);
      expect((await fetch(`${secure.url}/personal`, { redirect: "manual", headers: { Cookie: cookie } })).status).toBe(200);
      const out = await postForm(`${secure.url}/logga-ut`, { csrf: await csrfOf(secure.url, cookie) }, { Cookie: cookie });
      expect(out.status).toBe(302);
      const cleared = (out.headers.get("set-cookie") ?? "").split(";").map((a) => a.trim());
      expect(cleared).toEqual(expect.arrayContaining(["__Host-td_session=", "HttpOnly", "SameSite=Lax", "Secure", "Max-Age=0", "Path=/"]));
    } finally {
      await secure.stop();
    }
  });
});
