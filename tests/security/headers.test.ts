/**
 * Security headers on every kind of answer the server gives (pages, redirects, errors, data
 * requests, JSON and CSV APIs, static files, and the guards' own refusals; fingerprinted scripts and
 * stylesheets only what a subresource uses), HSTS only over HTTPS,
 * and the Content-Security-Policy checked three ways: its text, the pages' markup and client
 * bundles (nothing the policy forbids), and real Chromium running SurveyJS and Chart.js under it
 * with no violation reported.
 */
import net from "node:net";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { publishEdition } from "~/models/survey.server";
import { newNonce } from "~/server/security";
import { validAnswers } from "../helpers/answers";
import { ROOT, startServer, type RunningServer } from "../helpers/app-server";
import { launchBrowser, openWatchedPage } from "../helpers/browser";
import { createStaff, csrfOf, PASSWORDS, postForm, postSignIn, signIn } from "./helpers";

/** The policy, with the one part that changes per response: a nonce of 16 random bytes. */
const EXPECTED_CSP = new RegExp(
  "^default-src 'self'; script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
    "form-action 'self'; frame-ancestors 'none'$",
);

function nonceOf(res: Response): string {
  const match = EXPECTED_CSP.exec(res.headers.get("content-security-policy") ?? "");
  if (!match) throw new Error(`Unexpected policy: ${res.headers.get("content-security-policy")}`);
  return match[1];
}

let server: RunningServer;
let staffCookie: string;

beforeAll(async () => {
  // A low sign-in limit so that a 429 is cheap to provoke; plain HTTP (no HSTS expected).
  server = await startServer({ SECURE_COOKIES: "off", RATE_LIMIT_SIGNIN: "3:0.01" });
  await publishEdition({ db: getDb(), seriesId: "trygghetsmatning", year: 2021, status: "closed" });
  const emails = await createStaff(getDb(), "headers");
  staffCookie = await signIn(server.url, emails.analyst, PASSWORDS.analyst);
});

afterAll(async () => {
  await server?.stop();
});

function parsePolicy(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
}

function expectGuarded(label: string, res: Response, { hsts = false } = {}) {
  const h = res.headers;
  expect(h.get("content-security-policy"), label).toMatch(EXPECTED_CSP);
  expect(h.get("x-content-type-options"), label).toBe("nosniff");
  expect(h.get("referrer-policy"), label).toBe("same-origin");
  expect(h.get("x-frame-options"), label).toBe("DENY");
  expect(h.get("x-powered-by"), label).toBeNull();
  if (hsts) expect(h.get("strict-transport-security"), label).toMatch(/^max-age=31536000\b/);
  else expect(h.get("strict-transport-security"), label).toBeNull();
}

/**
 * A fingerprinted script or stylesheet: exactly these headers, nothing a document needs (no
 * policy, framing, opener or permissions headers; no validators, being immutable). Node adds Date,
 * Connection and Keep-Alive itself.
 */
const SUBRESOURCE_HEADERS = ["cache-control", "connection", "content-encoding", "content-length", "content-type", "date", "keep-alive", "vary", "x-content-type-options"];

function expectSubresource(label: string, res: Response, { hsts = false } = {}) {
  const names = [...res.headers.keys()].sort();
  expect(names, label).toEqual([...SUBRESOURCE_HEADERS, ...(hsts ? ["strict-transport-security"] : [])].sort());
  expect(res.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(res.headers.get("cache-control"), label).toBe("public, max-age=31536000, immutable");
  expect(res.headers.get("content-type"), label).toMatch(/^text\/(javascript|css); charset=utf-8$/);
  expect(res.headers.get("content-encoding"), label).toBe("br");
  expect(res.headers.get("vary"), label).toBe("Accept-Encoding");
  if (hsts) expect(res.headers.get("strict-transport-security"), label).toMatch(/^max-age=31536000\b/);
}

describe("the Content-Security-Policy", () => {
  it("allows only this site, no eval, no framing, no plugins, inline styles, and inline scripts only with the nonce", async () => {
    const policy = parsePolicy((await fetch(server.url)).headers.get("content-security-policy")!);
    expect(policy.get("script-src")).toEqual(["'self'", expect.stringMatching(/^'nonce-[A-Za-z0-9+/]{22}=='$/)]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    for (const [name, values] of policy) {
      expect(values, name).not.toContain("'unsafe-eval'");
      expect(values, name).not.toContain("'wasm-unsafe-eval'");
      expect(values.filter((v) => v === "*" || /^(https?:|data:|blob:)$/.test(v) && name !== "img-src"), name).toEqual([]);
      expect(values.filter((v) => /^https?:\/\//.test(v)), `${name} names no remote origin`).toEqual([]);
    }
  });

  it("takes nonces of 16 random bytes that never repeat, across refills of their pool", () => {
    const nonces = Array.from({ length: 1000 }, () => newNonce());
    expect(new Set(nonces).size).toBe(1000);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });

  it("has a new nonce in every response", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) nonces.add(nonceOf(await fetch(server.url)));
    expect(nonces.size).toBe(20);
  });

  it("is not contradicted by the client bundles: no eval, no new Function, no string timers", () => {
    const dir = path.join(ROOT, "public/build");
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith(".js")) files.push(path.join(d, e.name));
      }
    };
    walk(dir);
    expect(files.length).toBeGreaterThan(3);
    expect(files.some((f) => f.includes("survey-runner"))).toBe(true);
    const chart = path.join(ROOT, "node_modules/chart.js/dist/chart.umd.js");
    for (const file of [...files, chart]) {
      const code = fs.readFileSync(file, "utf8");
      const label = path.relative(ROOT, file);
      expect(code.match(/(^|[^.\w$])eval\s*\(/g), label).toBeNull();
      expect(code.match(/new\s+Function\s*\(/g), label).toBeNull();
      expect(code.match(/set(Timeout|Interval)\s*\(\s*["'`]/g), label).toBeNull();
    }
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("the pages' markup needs nothing the policy forbids", () => {
  const pages = ["/", "/enkat/trygghetsmatning-2025", "/enkat/trygghetsmatning-2021", "/enkat/trygghetsmatning-2025/tack", "/logga-in", "/finns-inte", "/enkat/finns-inte"];

  it.each(pages)("%s: same-site scripts, styles, images, forms; no inline handlers or javascript: URLs; no frames", async (p) => {
    const res = await fetch(`${server.url}${p}`);
    const nonce = nonceOf(res);
    const html = await res.text();
    const urls = [...html.matchAll(/\s(?:src|href|action|srcset|poster|data)="([^"]*)"/gi)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url, `${p}: ${url}`).toMatch(/^(\/(?!\/)|#|data:image\/)/);
    }
    expect(html).not.toMatch(/<(iframe|frame|object|embed|base)\b/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
    // Remix's own inline scripts are the only ones, and each carries this response's nonce.
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter((m) => !/\bsrc=/.test(m[1]));
    expect(inline.length).toBeGreaterThanOrEqual(2);
    for (const [, attributes, body] of inline) {
      expect(attributes, `${p}: inline script without the nonce`).toContain(` nonce="${nonce}"`);
      // Remix's context, its scroll restoration, its module loader (imports of /build/ only), and
      // the page language's catalog: a JSON data block, which no browser runs (decision 012).
      const known = /^\s*window\.__remixContext = /.test(body) || /^\(\(STORAGE_KEY, restoreKey\) =>/.test(body) ||
        (/^ id="i18n-catalog" type="application\/json"/.test(attributes) && isJson(body)) ||
        (/^\s*import\s/.test(body) && [...body.matchAll(/from\s+"([^"]+)"|import\s+"([^"]+)"/g)].every((m) => (m[1] ?? m[2]).startsWith("/build/")));
      expect(known, `${p}: unexpected inline script: ${body.slice(0, 200)}`).toBe(true);
    }
  });
});

describe("headers on every kind of answer", () => {
  it("pages, redirects, errors and data requests", async () => {
    const cases: [string, string, RequestInit?][] = [
      ["start page", "/"],
      ["open survey", "/enkat/trygghetsmatning-2025"],
      ["closed survey", "/enkat/trygghetsmatning-2021"],
      ["thank-you page", "/enkat/trygghetsmatning-2025/tack"],
      ["sign-in page", "/logga-in"],
      ["staff page, anonymous (redirect)", "/personal"],
      ["staff page, signed in", "/personal", { headers: { Cookie: "" } }],
      ["unknown page (404)", "/finns-inte"],
      ["unknown survey (404)", "/enkat/finns-inte"],
      ["survey id that is not an id (404)", "/enkat/%3Cscript%3E"],
      ["sign-out GET (redirect)", "/logga-ut"],
      ["language GET (redirect)", "/sprak"],
      ["data request", "/?_data=root"],
      ["data request for a route", "/enkat/trygghetsmatning-2025?_data=routes%2Fenkat.%24edition"],
      ["data request for an unknown route", "/?_data=routes%2Fnone"],
    ];
    for (const [label, p, init] of cases) {
      const headers = label.includes("signed in") ? { Cookie: staffCookie } : undefined;
      const res = await fetch(`${server.url}${p}`, { redirect: "manual", ...init, headers });
      expectGuarded(`${label} (${res.status})`, res);
      await res.arrayBuffer();
    }
  });

  it("JSON and CSV APIs, successes and errors", async () => {
    const api = `${server.url}/api/responses`;
    const json = { "Content-Type": "application/json" };
    const cases: [string, string, RequestInit, number][] = [
      ["submission stored", api, { method: "POST", headers: json, body: JSON.stringify({ survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: validAnswers() }) }, 201],
      ["submission invalid", api, { method: "POST", headers: json, body: "{}" }, 400],
      ["submission not JSON", api, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" }, 415],
      ["submission too large", api, { method: "POST", headers: json, body: " ".repeat(70_000) }, 413],
      ["submission GET", api, {}, 405],
      ["submission DELETE", api, { method: "DELETE" }, 405],
      ["results JSON", `${server.url}/api/results/trygghetsmatning?year=2025`, {}, 200],
      ["results CSV", `${server.url}/api/results/trygghetsmatning?year=2025&format=csv`, {}, 200],
      ["results bad parameter", `${server.url}/api/results/trygghetsmatning?year=2025&x=1`, {}, 400],
      ["results unknown series", `${server.url}/api/results/none?year=2025`, {}, 404],
      ["results unknown year", `${server.url}/api/results/trygghetsmatning?year=1999`, {}, 404],
    ];
    for (const [label, url, init, status] of cases) {
      const res = await fetch(url, init);
      expect(res.status, label).toBe(status);
      expectGuarded(label, res);
      if (status !== 200 || !url.includes("csv")) expect(res.headers.get("content-type"), label).toMatch(/^application\/json/);
      await res.arrayBuffer();
    }
  });

  it("static files: the full set except on fingerprinted scripts and stylesheets, which get only what a subresource uses (decision 041)", async () => {
    const html = await (await fetch(`${server.url}/enkat/trygghetsmatning-2025`)).text();
    const fingerprinted = [...html.matchAll(/(?:href|src)="(\/build\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    const script = fingerprinted.find((u) => /^\/build\/entry\.client-[A-Z0-9]+\.js$/.test(u));
    const stylesheet = fingerprinted.find((u) => /^\/build\/_assets\/survey-core[^/]*\.css$/.test(u));
    const chunk = fingerprinted.find((u) => u.startsWith("/build/_shared/"));
    expect([script, stylesheet, chunk].every(Boolean), fingerprinted.join(", ")).toBe(true);
    for (const p of [script!, stylesheet!, chunk!]) {
      const res = await fetch(`${server.url}${p}`, { headers: { "Accept-Encoding": "br" } });
      expect(res.status, p).toBe(200);
      expectSubresource(p, res);
      await res.arrayBuffer();
    }
    // Documents, SVG (it can run script), the service worker (its policy is its own response's),
    // a stylesheet that is not fingerprinted, an icon, and the 404 page for a missing /build/ file.
    for (const p of ["/favicon.svg", "/kiosk-sw.js", "/styles/app.css", "/favicon.ico", "/build/finns-inte.js", "/build/_assets/finns-inte.css"]) {
      const res = await fetch(`${server.url}${p}`);
      expectGuarded(`${p} (${res.status})`, res);
      expect(res.headers.get("cross-origin-opener-policy"), p).toBe("same-origin");
      expect(res.headers.get("permissions-policy"), p).toMatch(/^camera=\(\)/);
      await res.arrayBuffer();
    }
  });

  it("the guards' own refusals: cross-site 403, 411, 413, 415 and 429", async () => {
    const foreign = await postForm(`${server.url}/sprak`, { lang: "en" }, { Origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expectGuarded("cross-site 403", foreign);
    const chunked = await fetch(`${server.url}/sprak`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      body: new Blob(["lang=en"]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(411);
    expectGuarded("chunked form 411", chunked);
    const big = await postForm(`${server.url}/sprak`, { lang: "en", pad: "x".repeat(1024 * 1024) });
    expect(big.status).toBe(413);
    expectGuarded("large form 413", big);
    const json = await fetch(`${server.url}/sprak`, { method: "POST", headers: { "Content-Type": "application/json", Origin: server.url }, body: "{}" });
    expect(json.status).toBe(415);
    expectGuarded("JSON form 415", json);
    let limited: Response | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await postSignIn(server.url, { email: "ingen@test.kommun.se", password: `fel-${i}-losenord` });
      if (res.status === 429) limited = res;
      else await res.arrayBuffer();
    }
    expect(limited?.status).toBe(429);
    expectGuarded("sign-in 429", limited!);
  });
});

describe("the fast lane before Express (kept results pages, cached results documents)", () => {
  async function kept(path: string, init: RequestInit = {}) {
    let res: Response | undefined;
    for (let i = 0; i < 3; i++) {
      res = await fetch(`${server.url}${path}`, { redirect: "manual", ...init });
      await res.arrayBuffer();
    }
    return res!;
  }

  it("answers with the same guard headers as Express does, and only in the canonical form", async () => {
    // A key nobody asked for yet: rendered by Remix behind every middleware.
    const rendered = await fetch(`${server.url}/resultat/2021`, { headers: { "Accept-Language": "fi" } });
    await rendered.arrayBuffer();
    expect(rendered.headers.get("x-page-cache")).toBeNull();
    const hit = await kept("/resultat/2021");
    expect(hit.headers.get("x-page-cache")).toBe("hit");
    expectGuarded("kept page", hit);
    const names = (r: Response) => [...r.headers.keys()].filter((n) => !["x-page-cache", "etag", "content-length", "content-encoding", "date", "transfer-encoding", "vary"].includes(n)).sort();
    expect(names(hit)).toEqual(names(rendered));
    const api = await kept("/api/results/trygghetsmatning?year=2021");
    expect(api.status).toBe(200);
    expectGuarded("kept API document", api);
    // Other spellings never take the lane: the guards answer them as before.
    expect((await kept("/resultat/2021/")).headers.get("x-page-cache")).toBeNull();
    expect((await kept("/Resultat/2021")).headers.get("x-page-cache")).toBeNull();
    expect((await kept("/resultat/%32021")).headers.get("x-page-cache")).toBeNull();
    // A malformed Host is refused (400) on the lane's paths too: raw bytes (fetch sets Host itself).
    const { port } = new URL(server.url);
    const badHost = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.end("GET /resultat/2021 HTTP/1.1\r\nHost: bad host\r\nConnection: close\r\n\r\n"));
      let raw = "";
      socket.on("data", (d) => (raw += d.toString("latin1")));
      socket.on("end", () => resolve(raw));
      socket.on("error", reject);
    });
    expect(badHost).toMatch(/^HTTP\/1\.1 400 /);
    // A staff cookie never gets a kept page: the layout would show who is signed in.
    const staff = await kept("/resultat/2021", { headers: { Cookie: staffCookie } });
    expect(staff.headers.get("x-page-cache")).toBeNull();
    expect(staff.headers.get("cache-control")).toContain("no-store");
  });
});

describe("HSTS", () => {
  it("is sent on every answer when SECURE_COOKIES is on, and never over plain HTTP otherwise", async () => {
    const secure = await startServer({ SECURE_COOKIES: "on" });
    try {
      // The results page three times: the last answer is a kept page from the fast lane.
      for (const p of ["/", "/logga-in", "/api/results/trygghetsmatning?year=2025", "/api/responses", "/styles/app.css", "/finns-inte", "/resultat/2021", "/resultat/2021", "/resultat/2021"]) {
        const res = await fetch(`${secure.url}${p}`, { redirect: "manual" });
        expectGuarded(`secure ${p} ${res.headers.get("x-page-cache") ?? ""}`, res, { hsts: true });
        await res.arrayBuffer();
      }
      // The slim answers of fingerprinted files keep HSTS.
      const html = await (await fetch(`${secure.url}/enkat/trygghetsmatning-2025`)).text();
      const script = /"(\/build\/entry\.client-[A-Z0-9]+\.js)"/.exec(html)![1];
      const res = await fetch(`${secure.url}${script}`, { headers: { "Accept-Encoding": "br" } });
      expectSubresource(`secure ${script}`, res, { hsts: true });
      await res.arrayBuffer();
    } finally {
      await secure.stop();
    }
    for (const p of ["/", "/logga-in", "/api/results/trygghetsmatning?year=2025", "/styles/app.css"]) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.headers.get("strict-transport-security"), p).toBeNull();
      await res.arrayBuffer();
    }
  });

  it("is sent when a trusted proxy says the request came over HTTPS, and not for a client's own claim", async () => {
    const proxied = await startServer({ SECURE_COOKIES: "off", TRUST_PROXY: "on" });
    try {
      const viaTls = await fetch(proxied.url, { headers: { "X-Forwarded-Proto": "https" } });
      expect(viaTls.headers.get("strict-transport-security")).toMatch(/^max-age=/);
      const plain = await fetch(proxied.url);
      expect(plain.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await proxied.stop();
    }
    // Without TRUST_PROXY the header is anyone's to write and is ignored.
    const claimed = await fetch(server.url, { headers: { "X-Forwarded-Proto": "https" } });
    expect(claimed.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("in a real browser", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("SurveyJS, the staff pages and Chart.js run under the policy with no violation", async () => {
    const context = await browser.newContext({ locale: "sv-SE" });
    await context.addCookies([{ name: "td_session", value: decodeURIComponent(staffCookie.split("=")[1]), url: server.url }]);
    // Every CSP violation the page sees, recorded before any of its scripts run.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    const { page, errors } = await openWatchedPage(context);
    const violations = async () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

    await page.goto(`${server.url}/enkat/trygghetsmatning-2025`);
    const area = page.locator('.sd-question[data-name="area"]');
    await area.waitFor();
    // Validation (survey-core's expressions and required rules), a dropdown popup, a page change.
    await page.getByRole("button", { name: "Nästa", exact: true }).click();
    await area.locator(".sd-question__erbox, [role=alert]").first().waitFor();
    await area.locator(".sd-dropdown").click();
    await page.getByRole("option").first().click();
    await page.getByRole("button", { name: "Nästa", exact: true }).click();
    await area.waitFor({ state: "detached" });
    expect(await violations(), "survey page").toEqual([]);

    await page.goto(`${server.url}/personal`);
    await page.getByRole("heading", { level: 1, name: "Personal" }).waitFor();
    expect(await page.locator('form[action="/logga-ut"] input[name="csrf"]').getAttribute("value")).toBe(await csrfOf(server.url, staffCookie));
    // Chart.js as the results pages will use it: a same-origin script under this page's policy
    // (scripts run through page.evaluate are exempt from the eval check, so it must be a real
    // <script src>), drawing a bar chart.
    const chartJs = fs.readFileSync(path.join(ROOT, "node_modules/chart.js/dist/chart.umd.js"), "utf8");
    const draw = `;(() => {
      const canvas = document.createElement("canvas");
      canvas.width = 300; canvas.height = 150;
      document.querySelector("main").append(canvas);
      new Chart(canvas, {
        type: "bar",
        data: { labels: ["Åhus", "Tollarp"], datasets: [{ label: "Trygghet", data: [71, 64], backgroundColor: "#1a5fb4" }] },
        options: { animation: false, responsive: false },
      });
      const pixels = canvas.getContext("2d").getImageData(0, 0, 300, 150).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      window.__painted = painted;
    })();`;
    const scripts: Record<string, string> = {
      "chart.js": chartJs + draw,
      // The control: proves a violation would be seen (eval is refused and reported).
      "control.js": "try { eval('1 + 1'); window.__control = 'ran'; } catch { window.__control = 'blocked'; }",
    };
    await page.route(`${server.url}/__csp-test/*`, (route) =>
      route.fulfill({ status: 200, contentType: "text/javascript", body: scripts[new URL(route.request().url()).pathname.split("/").pop()!] }),
    );
    const load = (name: string) =>
      page.evaluate((src) => {
        const s = document.createElement("script");
        s.src = src;
        document.head.append(s);
      }, `/__csp-test/${name}`);
    await load("chart.js");
    await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted !== undefined);
    expect(await page.evaluate(() => (window as unknown as { __painted: number }).__painted)).toBeGreaterThan(500);
    expect(await violations(), "staff page with Chart.js").toEqual([]);
    await load("control.js");
    await page.waitForFunction(() => (window as unknown as { __control?: string }).__control !== undefined);
    expect(await page.evaluate(() => (window as unknown as { __control: string }).__control)).toBe("blocked");
    expect(await violations()).toEqual([expect.stringMatching(/^script-src(-elem)? eval /)]);

    expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e) && !/eval/.test(e))).toEqual([]);

    // An injected inline script (what an XSS would add) has no nonce, and does not run.
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__injected = 'ran'";
      document.head.append(s);
    });
    await page.waitForFunction(() => (window as unknown as { __csp: string[] }).__csp.length === 2);
    expect(await page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
    expect((await violations())[1]).toMatch(/^script-src(-elem)? inline /);

    await page.goto(`${server.url}/logga-in`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await violations(), "sign-in page").toEqual([]);
    await context.close();
  });
});
