/**
 * A short-lived in-memory cache of the public results pages' HTML (decision 024), so that a
 * spike of residents is answered without rendering React for each of them. Only anonymous GETs
 * of /resultat/<year>[/<area>] without a query are kept, only 200 answers that the page marked
 * `Cache-Control: public` and that set no cookie; they are kept per path, language cookie and
 * Accept-Language for at most the page's max-age, capped at 30 s (an open year) or 60 s. Each
 * answer gets its own CSP nonce: the stored HTML is split at the nonce it was rendered with and
 * joined with the new one. Stored answers carry an ETag and answer If-None-Match with 304.
 */
import { createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

const PATH = /^\/resultat\/\d{4}(?:\/[a-z0-9-]{1,64})?$/;
const MAX_ENTRIES = 500;
const MAX_TTL_MS = 60_000;

interface Entry {
  parts: string[];
  etag: string;
  headers: Record<string, string>;
  expires: number;
}

const entries = new Map<string, Entry>();

function cacheable(req: Request): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (!PATH.test(req.path) || req.originalUrl.includes("?")) return false;
  return !/(?:^|;\s*)td_session=/.test(req.headers.cookie ?? "");
}

function keyOf(req: Request): string {
  const lang = /(?:^|;\s*)lang=([a-z]{2})/.exec(req.headers.cookie ?? "")?.[1] ?? "";
  return `${req.path}\u0000${lang}\u0000${(req.headers["accept-language"] ?? "").slice(0, 100)}`;
}

function notModified(req: Request, etag: string): boolean {
  const header = req.headers["if-none-match"];
  return typeof header === "string" && header.split(",").some((t) => t.trim() === etag || t.trim() === `W/${etag}`);
}

export function publicPageCache() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!cacheable(req)) return next();
    const key = keyOf(req);
    const nonce = res.locals.cspNonce as string | undefined;
    const hit = entries.get(key);
    if (hit && hit.expires > Date.now() && nonce) {
      for (const [name, value] of Object.entries(hit.headers)) res.setHeader(name, value);
      res.setHeader("ETag", hit.etag);
      res.setHeader("X-Page-Cache", "hit");
      if (notModified(req, hit.etag)) return void res.status(304).end();
      res.status(200);
      return void res.end(req.method === "HEAD" ? undefined : hit.parts.join(nonce));
    }
    if (hit) entries.delete(key);
    // Record what Remix writes (before compression, which sits below us), keep it if it may be kept.
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      const result = end(chunk, ...rest);
      store(req, res, key, nonce, chunks);
      return result;
    }) as typeof res.end;
    next();
  };
}

function store(req: Request, res: Response, key: string, nonce: string | undefined, chunks: Buffer[]): void {
  if (req.method !== "GET" || res.statusCode !== 200 || !nonce || res.getHeader("Set-Cookie")) return;
  const cacheControl = String(res.getHeader("Cache-Control") ?? "");
  const maxAge = /(?:^|,)\s*public\s*,.*max-age=(\d+)/.exec(cacheControl)?.[1];
  if (!maxAge) return;
  const html = Buffer.concat(chunks).toString("utf8");
  const ttl = Math.min(Number(maxAge) * 1000, MAX_TTL_MS);
  if (ttl <= 0 || !html.includes("</html>")) return;
  const parts = html.split(nonce);
  const etag = `"${createHash("sha256").update(parts.join("")).digest("base64url").slice(0, 27)}"`;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  entries.set(key, {
    parts,
    etag,
    expires: Date.now() + ttl,
    headers: {
      "Content-Type": String(res.getHeader("Content-Type") ?? "text/html; charset=utf-8"),
      "Cache-Control": cacheControl,
      Vary: "Cookie, Accept-Language",
    },
  });
}
