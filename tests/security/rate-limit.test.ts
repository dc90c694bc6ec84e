/**
 * Rate limits per client address: the token buckets themselves (with a clock the test drives),
 * then through the real server: a kiosk or a school class is never refused, a flood beyond the
 * burst gets 429 with Retry-After and stores nothing extra, sign-in floods get 429, the settings
 * (RATE_LIMIT_SUBMISSIONS, RATE_LIMIT_SIGNIN, "off"), and behind a proxy one bucket per address
 * the proxy saw, whatever a client writes into X-Forwarded-For.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { clientKey, parseRateLimit, rateLimitsFromEnv, SIGN_IN_LIMIT, SUBMISSION_LIMIT, TokenBuckets } from "~/server/rate-limit";
import { generateSurveyAnswers } from "~/surveys/synthetic";
import { validAnswers } from "../helpers/answers";
import { postJson, startServer, type RunningServer } from "../helpers/app-server";
import { createStaff, PASSWORDS, postForm, postSignIn, signInForm } from "./helpers";

const SURVEY = "trygghetsmatning-2025";

describe("settings", () => {
  it.each([
    ["120:2", { burst: 120, perSecond: 2 }],
    ["10:0.1667", { burst: 10, perSecond: 0.1667 }],
    [" 5 : .5 ", { burst: 5, perSecond: 0.5 }],
    ["off", null],
    ["OFF", null],
    ["", SUBMISSION_LIMIT],
    [undefined, SUBMISSION_LIMIT],
  ])("%j → %j", (value, expected) => {
    expect(parseRateLimit("RATE_LIMIT_SUBMISSIONS", value, SUBMISSION_LIMIT)).toEqual(expected);
  });

  it.each(["lots", "0:1", "5:0", "5", "-1:2", "1e3:2", "5:-1", "5:abc", "5:2:1", "1.5:2"])("refuses %j with a message naming the variable", (value) => {
    expect(() => parseRateLimit("RATE_LIMIT_SIGNIN", value, SIGN_IN_LIMIT)).toThrow(/RATE_LIMIT_SIGNIN must be "burst:perSecond"/);
  });

  it("defaults: submissions 120 then 2/s, sign-in 10 a minute", () => {
    expect(rateLimitsFromEnv({})).toEqual({ submissions: { burst: 120, perSecond: 2 }, signIn: { burst: 10, perSecond: 10 / 60 } });
    expect(rateLimitsFromEnv({ RATE_LIMIT_SUBMISSIONS: "off", RATE_LIMIT_SIGNIN: "off" })).toEqual({ submissions: null, signIn: null });
  });
});

describe("client keys", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"],
    ["2001:DB8:0001:0002::1", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    [undefined, "unknown"],
  ])("%s → %s", (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });
});

describe("token buckets", () => {
  function clocked(limit = { burst: 5, perSecond: 0.5 }, maxKeys?: number) {
    let now = 1000;
    const buckets = new TokenBuckets(limit, () => now, maxKeys);
    return { buckets, advance: (s: number) => (now += s) };
  }

  it("gives the burst at once, then refuses with the seconds until the next token", () => {
    const { buckets, advance } = clocked();
    for (let i = 0; i < 5; i++) expect(buckets.take("a")).toEqual({ ok: true });
    expect(buckets.take("a")).toEqual({ ok: false, retryAfterSeconds: 2 });
    advance(1);
    expect(buckets.take("a")).toEqual({ ok: false, retryAfterSeconds: 1 });
    advance(1);
    expect(buckets.take("a")).toEqual({ ok: true });
    expect(buckets.take("b")).toEqual({ ok: true }); // another address has its own bucket
    advance(1000);
    for (let i = 0; i < 5; i++) expect(buckets.take("a").ok).toBe(true); // refills to the burst, no more
    expect(buckets.take("a").ok).toBe(false);
  });

  it("a refund gives one token back, never beyond the burst", () => {
    const { buckets } = clocked({ burst: 2, perSecond: 0.001 });
    buckets.take("a");
    buckets.take("a");
    expect(buckets.take("a").ok).toBe(false);
    buckets.refund("a");
    buckets.refund("a");
    buckets.refund("a");
    expect(buckets.take("a").ok).toBe(true);
    expect(buckets.take("a").ok).toBe(true);
    expect(buckets.take("a").ok).toBe(false);
  });

  it("forgets idle buckets and holds at most maxKeys", () => {
    const { buckets, advance } = clocked({ burst: 5, perSecond: 1 }, 100);
    for (let i = 0; i < 50; i++) buckets.take(`k${i}`);
    expect(buckets.size).toBe(50);
    advance(0.5);
    buckets.sweep();
    expect(buckets.size).toBe(50);
    advance(1);
    buckets.sweep();
    expect(buckets.size).toBe(0);
    for (let i = 0; i < 1000; i++) buckets.take(`spray${i}`);
    expect(buckets.size).toBeLessThanOrEqual(100);
  });

  it("with the default submission limit, a kiosk day and a school class are never refused", () => {
    const { buckets, advance } = clocked(SUBMISSION_LIMIT);
    // A library kiosk: an answer every 20 s for eight hours…
    for (let i = 0; i < (8 * 3600) / 20; i++) {
      expect(buckets.take("kiosk").ok).toBe(true);
      advance(20);
    }
    // …then offline for an hour, and its outbox of 110 answers flushed at once when back.
    advance(3600);
    for (let i = 0; i < 110; i++) expect(buckets.take("kiosk").ok).toBe(true);
    // A school: five classes of 30 behind one address, a class every five minutes, each all at once.
    for (let c = 0; c < 5; c++) {
      for (let i = 0; i < 30; i++) expect(buckets.take("school").ok).toBe(true);
      advance(300);
    }
  });
});

describe("through the server, default limits", () => {
  let server: RunningServer;
  let emails: Awaited<ReturnType<typeof createStaff>>;

  beforeAll(async () => {
    server = await startServer({ SECURE_COOKIES: "off" });
    emails = await createStaff(getDb(), "limits");
  });

  afterAll(async () => {
    await server?.stop();
  });

  const submit = (answers: Record<string, unknown>, clientId = randomUUID()) =>
    postJson(`${server.url}/api/responses`, { survey: SURVEY, clientId, answers, channel: "tablet" });

  async function stored(clientIds: string[]) {
    if (clientIds.length === 0) return 0;
    const rows = await getDb().selectFrom("response").select("client_id").where("client_id", "in", clientIds).execute();
    return rows.length;
  }

  it("a kiosk: 40 answers from one tablet, one right after the other, are all stored", async () => {
    const pool = generateSurveyAnswers({ areas: ["ahus", "tollarp", "degeberga"], year: 2025, count: 40, seed: 7 });
    const statuses: number[] = [];
    for (const answers of pool) statuses.push((await submit(answers as Record<string, unknown>)).status);
    expect(statuses).toEqual(Array(40).fill(201));
  });

  it("a school class: 30 answers from one address at the same moment are all stored", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => submit(validAnswers())));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
  });

  it("a flood beyond the burst: 429 with Retry-After and a JSON error, and nothing extra stored", async () => {
    const ids = Array.from({ length: 160 }, () => randomUUID());
    const results = await Promise.all(ids.map((id) => submit(validAnswers(), id)));
    const accepted = ids.filter((_, i) => results[i].status === 201);
    const refused = results.filter((r) => r.status === 429);
    expect(accepted.length + refused.length).toBe(ids.length);
    // At least 120 minus the 70 above; how much refilled meanwhile (2 a second) depends on how
    // fast this machine ran the tests before, so the upper bound is only that some were refused.
    expect(accepted.length).toBeGreaterThanOrEqual(45);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      expect(r.headers.get("content-type")).toMatch(/^application\/json/);
      expect(r.body.error).toMatch(/^Too many submissions from this address; try again in \d+ seconds$/);
    }
    expect(await stored(ids)).toBe(accepted.length);
    const refusedIds = ids.filter((_, i) => results[i].status === 429);
    expect(await stored(refusedIds)).toBe(0);
    // The outbox waits Retry-After and sends again: then it is stored, once.
    const waitFor = Number(refused[refused.length - 1].headers.get("retry-after"));
    await new Promise((r) => setTimeout(r, waitFor * 1000 + 100));
    const again = await submit(validAnswers(), refusedIds[0]);
    expect(again.status).toBe(201);
    expect(await stored([refusedIds[0]])).toBe(1);
  });

  it("submissions are limited apart from everything else: pages and results still answer", async () => {
    expect((await fetch(server.url)).status).toBe(200);
    expect((await fetch(`${server.url}/api/results/trygghetsmatning?year=2025`)).status).toBe(200);
  });

  it("sign-in: successful ones never count; a flood of wrong passwords gets 429 in Swedish", async () => {
    // More successes than the burst: each gives its token back.
    for (let i = 0; i < 12; i++) {
      const ok = await postSignIn(server.url, { email: emails.analyst, password: PASSWORDS.analyst });
      expect(ok.status, `sign-in ${i + 1}`).toBe(302);
    }
    // Fourteen failures at once (a hash takes up to seconds here, and the bucket refills one token
    // every six): the burst of ten goes through to the password check, the rest are refused.
    const forms = await Promise.all(Array.from({ length: 14 }, () => signInForm(server.url)));
    const results = await Promise.all(
      forms.map((form, i) =>
        postForm(`${server.url}/logga-in?index`, { csrf: form.token, email: `ingen${i}@test.kommun.se`, password: "fel-losenord-xyz" }, { Cookie: form.cookie }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    const limited = results.find((r) => r.status === 429);
    for (const r of results) if (r !== limited) await r.arrayBuffer();
    expect(statuses).toEqual([...Array(10).fill(200), ...Array(4).fill(429)]);
    expect(limited!.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(limited!.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await limited!.text()).toMatch(/För många inloggningsförsök från den här adressen\. Vänta \d+ sekund(er)? och försök igen\./);
    // The ten hashes above ran one after another (seconds on a loaded machine), long enough for
    // the bucket to refill a token or two: spend those on wrong passwords until refused again.
    for (let i = 0; i < 6; i++) {
      const again = await postSignIn(server.url, { email: `ingen-igen${i}@test.kommun.se`, password: "fel-losenord-xyz" });
      await again.arrayBuffer();
      if (again.status === 429) break;
    }
    // Limited now, whatever the path's spelling, and the right password waits too.
    for (const p of ["/logga-in?index", "/LOGGA-IN?index", "/logga-in/?index", "/logga%2Din?index"]) {
      const res = await postSignIn(server.url, { email: emails.analyst, password: PASSWORDS.analyst }, {}, p);
      expect(res.status, p).toBe(429);
      expect(res.headers.get("set-cookie"), p).toBeNull();
    }
    // The refusal page speaks the visitor's language (Accept-Language here), right to left in Arabic.
    const arabic = await postForm(`${server.url}/logga-in?index`, { email: emails.analyst, password: PASSWORDS.analyst }, { "Accept-Language": "ar" });
    expect(arabic.status).toBe(429);
    const arabicPage = await arabic.text();
    expect(arabicPage).toContain('<html lang="ar" dir="rtl">');
    expect(arabicPage).toMatch(/محاولات تسجيل دخول كثيرة جدًا من هذا العنوان\. انتظر/);
    expect(arabicPage).not.toMatch(/För många/);
    // The sign-in page itself and everything else still answer.
    expect((await fetch(`${server.url}/logga-in`)).status).toBe(200);
  }, 180_000);
});

describe("through the server, configured", () => {
  it("RATE_LIMIT_SUBMISSIONS=burst:perSecond, and behind a proxy one bucket per address the proxy saw", async () => {
    const server = await startServer({ SECURE_COOKIES: "off", TRUST_PROXY: "on", RATE_LIMIT_SUBMISSIONS: "3:0.05", RATE_LIMIT_SIGNIN: "off" });
    try {
      const from = (xff: string) =>
        postJson(`${server.url}/api/responses`, { survey: SURVEY, clientId: randomUUID(), answers: validAnswers() }, { "X-Forwarded-For": xff });
      for (let i = 0; i < 3; i++) expect((await from("203.0.113.5")).status).toBe(201);
      const refused = await from("203.0.113.5");
      expect(refused.status).toBe(429);
      // 20 s for the next token at 0.05/s (slow enough that a loaded machine refills nothing
      // meanwhile), a little less if the three before took a while.
      expect(refused.headers.get("retry-after")).toMatch(/^(1[0-9]|20)$/);
      // Another address the proxy saw: its own bucket.
      expect((await from("203.0.113.6")).status).toBe(201);
      // A client writing its own X-Forwarded-For: the proxy appends the real address, which counts.
      for (let i = 0; i < 5; i++) expect((await from(`198.51.100.${i}, 203.0.113.5`)).status).toBe(429);
      // IPv6 addresses of one /64 share a bucket.
      for (let i = 1; i <= 3; i++) expect((await from(`2001:db8:aa:bb::${i}`)).status).toBe(201);
      expect((await from("2001:db8:aa:bb:ffff::9")).status).toBe(429);
      expect((await from("2001:db8:aa:cc::1")).status).toBe(201);

      // RATE_LIMIT_SIGNIN=off: no 429 for sign-in however many failures.
      for (let i = 0; i < 15; i++) {
        const res = await postSignIn(server.url, { email: `ingen${i}@test.kommun.se`, password: "fel-losenord-xyz" });
        expect(res.status).toBe(200);
      }
      // The proxy's X-Forwarded-Host is this site's name for the Origin check.
      const viaProxy = await postForm(`${server.url}/sprak`, { lang: "en" }, { Origin: "https://trygghet.example.se", "X-Forwarded-Host": "trygghet.example.se" });
      expect(viaProxy.status).toBe(302);
      const other = await postForm(`${server.url}/sprak`, { lang: "en" }, { Origin: "https://evil.example", "X-Forwarded-Host": "trygghet.example.se" });
      expect(other.status).toBe(403);
      expect(server.output()).toMatch(/Rate limit off: signIn/);
    } finally {
      await server.stop();
    }
  });

  it("RATE_LIMIT_SUBMISSIONS=off (the benchmark's setting): 200 at once are all stored", async () => {
    const server = await startServer({ RATE_LIMIT_SUBMISSIONS: "off" });
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, () => postJson(`${server.url}/api/responses`, { survey: SURVEY, clientId: randomUUID(), answers: validAnswers() })),
      );
      expect(results.filter((r) => r.status !== 201).map((r) => r.status)).toEqual([]);
      expect(server.output()).toMatch(/Rate limit off: submissions/);
    } finally {
      await server.stop();
    }
  });

  it("a malformed setting stops the start with a message naming the variable", async () => {
    await expect(startServer({ RATE_LIMIT_SUBMISSIONS: "lots" })).rejects.toThrow(/RATE_LIMIT_SUBMISSIONS must be "burst:perSecond"/);
  });
});

describe("other spellings of the submission path", () => {
  it("take from the same bucket", async () => {
    // A bucket that does not refill during the test, so the check does not depend on timing.
    const server = await startServer({ RATE_LIMIT_SUBMISSIONS: "2:0.001" });
    try {
      const post = (p: string) => postJson(`${server.url}${p}`, { survey: SURVEY, clientId: randomUUID(), answers: validAnswers() });
      expect((await post("/api/responses")).status).toBe(201);
      expect((await post("/api/responses")).status).toBe(201);
      for (const p of ["/API/RESPONSES", "/api/responses/", "/api/respons%65s", "/api/responses"]) {
        expect((await post(p)).status, p).toBe(429);
      }
    } finally {
      await server.stop();
    }
  });
});
