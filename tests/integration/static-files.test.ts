/**
 * Static files through the real server (app/server/static-files.ts): the Brotli and gzip copies
 * made by `npm run build` (scripts/precompress.mjs) are sent with the right headers and decode
 * to exactly the original bytes; immutable caching only for fingerprinted files under /build/;
 * ETag and 304 on the rest; the document security headers on everything but the fingerprinted
 * scripts and stylesheets (decision 041). Raw node:http, since fetch would decode for us.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startServer, type RunningServer } from "../helpers/app-server";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(urlPath: string, headers: Record<string, string> = {}, method = "GET"): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${urlPath}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The client entry chunk of the current build, e.g. /build/entry.client-ABC123.js. */
function entryChunk(): { url: string; file: string } {
  const dir = path.join(ROOT, "public/build");
  const name = fs.readdirSync(dir).find((f) => /^entry\.client-[A-Z0-9]+\.js$/.test(f));
  if (!name) throw new Error("No client entry in public/build: run npm run build");
  return { url: `/build/${name}`, file: path.join(dir, name) };
}

describe("precompressed static files", () => {
  it("sends Brotli when accepted, decoding to the original bytes", async () => {
    const { url, file } = entryChunk();
    const res = await get(url, { "Accept-Encoding": "gzip, deflate, br" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["vary"]).toMatch(/Accept-Encoding/i);
    expect(res.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    const original = fs.readFileSync(file);
    expect(res.body.length).toBeLessThan(original.length);
    expect(zlib.brotliDecompressSync(res.body).equals(original)).toBe(true);
  });

  it("falls back to gzip, then to the file itself", async () => {
    const { url, file } = entryChunk();
    const original = fs.readFileSync(file);
    const gz = await get(url, { "Accept-Encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers["vary"]).toMatch(/Accept-Encoding/i);
    expect(zlib.gunzipSync(gz.body).equals(original)).toBe(true);
    // br refused explicitly (q=0): gzip.
    const noBr = await get(url, { "Accept-Encoding": "br;q=0, gzip" });
    expect(noBr.headers["content-encoding"]).toBe("gzip");
    const plain = await get(url, { "Accept-Encoding": "identity" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it("serves the stylesheets with their type, Brotli too", async () => {
    const css = fs.readdirSync(path.join(ROOT, "public/build/_assets")).find((f) => f.endsWith(".css"))!;
    const res = await get(`/build/_assets/${css}`, { "Accept-Encoding": "br" });
    expect(res.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(res.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(res.body).equals(fs.readFileSync(path.join(ROOT, "public/build/_assets", css)))).toBe(true);
  });

  it("caches fingerprinted files as immutable, and nothing else", async () => {
    const { url } = entryChunk();
    expect((await get(url)).headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const styles = await get("/styles/app.css", { "Accept-Encoding": "br" });
    expect(styles.status).toBe(200);
    expect(styles.headers["content-encoding"]).toBe("br");
    expect(styles.headers["cache-control"]).toBe("public, max-age=3600");
    const icon = await get("/favicon.svg");
    expect(icon.headers["content-type"]).toBe("image/svg+xml");
    expect(icon.headers["cache-control"]).not.toMatch(/immutable/);
    // Pages are never cached as immutable either.
    const page = await get("/", { "Accept-Encoding": "br" });
    expect(page.headers["cache-control"] ?? "").not.toMatch(/immutable/);
  });

  it("answers 304 to a matching ETag, per encoding, for files that are not fingerprinted", async () => {
    const url = "/styles/app.css";
    const br = await get(url, { "Accept-Encoding": "br" });
    const etag = br.headers["etag"]!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(br.headers["last-modified"]).toMatch(/ GMT$/);
    const again = await get(url, { "Accept-Encoding": "br", "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The gzip copy is a different representation: its own ETag, so a full answer.
    const gz = await get(url, { "Accept-Encoding": "gzip", "If-None-Match": etag });
    expect(gz.status).toBe(200);
    expect(gz.headers["etag"]).not.toBe(etag);
  });

  it("sends fingerprinted scripts and stylesheets with no validators and no document headers", async () => {
    const css = fs.readdirSync(path.join(ROOT, "public/build/_assets")).find((f) => f.endsWith(".css"))!;
    for (const url of [entryChunk().url, `/build/_assets/${css}`]) {
      const res = await get(url, { "Accept-Encoding": "br", "If-None-Match": "*" });
      // Nothing to revalidate against: any conditional request gets the file.
      expect(res.status, url).toBe(200);
      expect(res.body.length, url).toBe(Number(res.headers["content-length"]));
      expect(res.headers["etag"], url).toBeUndefined();
      expect(res.headers["last-modified"], url).toBeUndefined();
      expect(res.headers["x-content-type-options"], url).toBe("nosniff");
      for (const name of ["content-security-policy", "x-frame-options", "referrer-policy", "cross-origin-opener-policy", "permissions-policy"]) {
        expect(res.headers[name], `${url} ${name}`).toBeUndefined();
      }
      // Everything the server itself writes fits in a few hundred bytes (was ~860).
      const headerBytes = Object.entries(res.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
      expect(headerBytes, url).toBeLessThan(400);
    }
  });

  it("keeps the document security headers on every other static file", async () => {
    for (const url of ["/favicon.svg", "/kiosk-sw.js", "/styles/app.css", "/favicon.ico"]) {
      const res = await get(url, { "Accept-Encoding": "br" });
      expect(res.status, url).toBe(200);
      expect(res.headers["x-content-type-options"], url).toBe("nosniff");
      expect(res.headers["content-security-policy"], url).toMatch(/default-src 'self'/);
      expect(res.headers["x-frame-options"], url).toBe("DENY");
      expect(res.headers["etag"], url).toMatch(/^"[^"]+"$/);
    }
  });

  it("answers HEAD without a body, and serves nothing outside public/", async () => {
    const head = await get(entryChunk().url, { "Accept-Encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const probe of ["/build/..%2f..%2fpackage.json", "/..%2fpackage.json", "/styles/..%2f..%2fapp%2fserver%2fmain.ts"]) {
      const res = await get(probe);
      // 400 from the canonical-path guard (encoded slashes, dot segments) or 404: never the file.
      expect([400, 404], probe).toContain(res.status);
      expect(res.body.toString()).not.toContain("trygghetsdialog");
    }
  });
});

describe("the survey page's preloaded chunks (decision 039)", () => {
  it.each([
    ["", /^swedish-/],
    ["?lang=ar", /^ar-/],
  ])("names the form's chunk, its imports and the page language's SurveyJS pack%s, all served", async (query, pack) => {
    const page = await get(`/enkat/trygghetsmatning-2025${query}`);
    expect(page.status).toBe(200);
    const hrefs = [...page.body.toString().matchAll(/<link rel="modulepreload" href="([^"]+)"\/><p class="privacy-note"/g)];
    // The form's own preloads come just before the page's first paragraph, after the header.
    const own = [...page.body.toString().matchAll(/<link rel="modulepreload" href="([^"]+)"\/>/g)].map((m) => m[1]);
    expect(hrefs.length).toBe(1);
    const names = own.map((h) => h.split("/").pop()!);
    expect(names.some((n) => /^survey-runner\.client-[A-Z0-9]+\.js$/.test(n))).toBe(true);
    expect(names.some((n) => pack.test(n))).toBe(true);
    expect(names.filter((n) => /^(swedish|ar|fa|so|finnish)-/.test(n))).toHaveLength(1);
    for (const href of own) expect((await get(href, { "Accept-Encoding": "br" })).status, href).toBe(200);
  });
});
