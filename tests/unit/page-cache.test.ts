/**
 * The public pages' cache under a spike (issue 16): a burst of residents on a page nobody has
 * asked for yet renders it once and everyone gets that page; near an entry's expiry one request
 * renders it anew while the rest are answered at once; an entry is never served past its expiry.
 * A real Express server on a loopback port with a render that takes a while, as Remix's does.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { recordPublicPages, servePublicPages } from "~/server/page-cache";

let server: Server;
let base: string;
let renders = 0;
let maxAge = 30;

beforeAll(async () => {
  const app = express();
  let n = 0;
  app.use((_req, res, next) => {
    res.locals.cspNonce = `nonce${++n}`;
    next();
  });
  app.use(servePublicPages());
  app.use(recordPublicPages());
  app.get("/resultat/:year", (_req, res) => {
    renders++;
    const render = renders;
    setTimeout(() => {
      res.setHeader("Cache-Control", `public, max-age=${maxAge}`);
      res.type("html").send(`<html><script nonce="${res.locals.cspNonce}"></script>render ${render}</html>`);
    }, 150);
  });
  server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));
afterEach(() => vi.restoreAllMocks());

async function burst(path: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const res = await fetch(`${base}${path}`, { headers: { "Accept-Encoding": "gzip" } });
      return { status: res.status, body: await res.text(), cache: res.headers.get("x-page-cache") };
    }),
  );
}

describe("the public pages' cache in a spike", () => {
  it("renders a page once for a burst of first visitors, and gives each its own nonce", async () => {
    renders = 0;
    const answers = await burst("/resultat/2031", 24);
    expect(renders).toBe(1);
    expect(answers.every((a) => a.status === 200 && a.body.includes("render 1"))).toBe(true);
    // Each answer carries its own request's nonce, not the renderer's.
    expect(new Set(answers.map((a) => /nonce="([^"]+)"/.exec(a.body)![1])).size).toBe(24);
  });

  it("renders anew once near expiry while the others are answered from the entry", async () => {
    renders = 0;
    maxAge = 30;
    await burst("/resultat/2032", 1);
    expect(renders).toBe(1);
    // 27 s later: within the last 5 s of the entry's 30 s.
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + 27_000);
    const answers = await burst("/resultat/2032", 16);
    expect(renders).toBe(2);
    // All but the one that rendered were answered from the old entry, without waiting for the render.
    expect(answers.filter((a) => a.cache === "hit" && a.body.includes("render 1"))).toHaveLength(15);
    expect(answers.filter((a) => a.body.includes("render 2"))).toHaveLength(1);
    // The new entry answers from now on.
    const after = await burst("/resultat/2032", 4);
    expect(after.every((a) => a.cache === "hit" && a.body.includes("render 2"))).toBe(true);
    expect(renders).toBe(2);
  });

  it("never answers from an entry past its expiry", async () => {
    renders = 0;
    maxAge = 30;
    await burst("/resultat/2033", 1);
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + 31_000);
    const answers = await burst("/resultat/2033", 8);
    expect(renders).toBe(2);
    expect(answers.every((a) => a.status === 200 && a.body.includes("render 2"))).toBe(true);
  });
});
