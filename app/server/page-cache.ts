/**
 * A short-lived in-memory cache of the public results pages' HTML (decision 024), so that a
 * spike of residents is answered without rendering React for each of them. Only anonymous GETs
 * of /resultat/<year>[/<area>] without a query are kept, only 200 answers that the page marked
 * `Cache-Control: public` and that set no cookie; they are kept per path, language cookie and
 * Accept-Language for at most the page's max-age, capped at 30 s (an open year) or 60 s. Each
 * answer gets its own CSP nonce: the stored HTML is split at the nonce it was rendered with and
 * joined with the new one. Stored answers carry an ETag and answer If-None-Match with 304.
 *
 * Two middlewares (decision 038): `recordPublicPages()` sits below the compression middleware and
 * keeps what Remix wrote; `servePublicPages()` sits above it and answers hits itself, gzip-encoded
 * without compressing anything per request: each piece of the HTML between two nonces is deflated
 * once when kept (ending on a byte boundary, a "sync flush"), and an answer is those pieces with
 * its nonce between them as stored (uncompressed) deflate blocks, in a gzip frame whose CRC-32 is
 * computed over the joined text (native, microseconds).
 *
 * No stampede (issue 16's spike): one request per key renders at a time. A miss while another
 * request renders the same page waits for it (up to RENDER_WAIT_MS) and is answered from what it
 * kept; and in the last REFRESH_AHEAD_MS of an entry's life one request renders it anew while the
 * others are still answered from the entry, so a busy page never expires under its readers. An
 * entry is never served past its expiry: an open year's page stays within its promised age.
 */
import { createHash } from "node:crypto";
import { constants, crc32, deflateRawSync } from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { chooseEncoding } from "~/utils/encoding.server";
import { carriesStaffCookie } from "./security";

const PATH = /^\/resultat\/\d{4}(?:\/[a-z0-9-]{1,64})?$/;
const MAX_ENTRIES = 500;
const MAX_TTL_MS = 60_000;
/** How long before expiry one request renders the page anew (the others keep the entry meanwhile). */
const REFRESH_AHEAD_MS = 5_000;
/** How long a miss waits for the request already rendering the same page. */
const RENDER_WAIT_MS = 5_000;

export interface Entry {
  /** The HTML's pieces between the nonces it was rendered with, as UTF-8. */
  parts: Buffer[];
  /** Each piece as raw deflate: all but the last end with a sync flush, the last with the final block. */
  deflated: Buffer[];
  /** CRC-32 of the first piece (most of the page: the nonces are in the scripts at its end). */
  firstCrc: number;
  etag: string;
  headers: Record<string, string>;
  expires: number;
}

const entries = new Map<string, Entry>();
/** Keys being rendered now → settled when that response has finished (kept or not). */
const rendering = new Map<string, Promise<void>>();

/** Lets this request render the page for `key`; others asking meanwhile wait for it (or keep the entry). */
function renderHere(key: string, res: Response, next: NextFunction): void {
  let settle!: () => void;
  rendering.set(
    key,
    new Promise<void>((resolve) => (settle = resolve)),
  );
  res.once("close", () => {
    rendering.delete(key);
    settle();
  });
  next();
}

function waitFor(render: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([render, new Promise<void>((resolve) => (timer = setTimeout(resolve, RENDER_WAIT_MS)))]).finally(() => clearTimeout(timer));
}

function cacheable(req: Request): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (!PATH.test(req.path) || req.originalUrl.includes("?")) return false;
  return !carriesStaffCookie(req.headers.cookie);
}

function keyOf(req: IncomingMessage, pathname: string): string {
  const lang = /(?:^|;\s*)lang=([a-z]{2})/.exec(req.headers.cookie ?? "")?.[1] ?? "";
  return `${pathname}\u0000${lang}\u0000${(req.headers["accept-language"] ?? "").slice(0, 100)}`;
}

/**
 * For the fast lane before Express (app/server/fast-lane.ts): the kept page for a GET or HEAD of
 * exactly `/resultat/<year>[/<area>]` (the whole URL, no query) without a staff cookie, when it
 * can be answered now: fresh, and not due to be rendered anew by this request. Anything else
 * goes on to Express, where servePublicPages decides.
 */
export function keptPageFor(req: IncomingMessage): { entry: Entry; pathname: string } | null {
  const url = req.url ?? "";
  if ((req.method !== "GET" && req.method !== "HEAD") || !PATH.test(url) || carriesStaffCookie(req.headers.cookie)) return null;
  const key = keyOf(req, url);
  const entry = fresh(key);
  if (!entry || (entry.expires - Date.now() < REFRESH_AHEAD_MS && !rendering.has(key))) return null;
  return { entry, pathname: url };
}

function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers["if-none-match"];
  return typeof header === "string" && header.split(",").some((t) => t.trim() === etag || t.trim() === `W/${etag}`);
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

/** A non-final stored deflate block holding `bytes` (< 64 KiB), starting on a byte boundary. */
function storedBlock(bytes: Buffer): Buffer {
  const block = Buffer.allocUnsafe(5 + bytes.length);
  block[0] = 0x00; // BFINAL 0, BTYPE 00, padding to the byte boundary
  block.writeUInt16LE(bytes.length, 1);
  block.writeUInt16LE(~bytes.length & 0xffff, 3);
  bytes.copy(block, 5);
  return block;
}

/** The kept HTML with `nonce` between its pieces, gzip-encoded from the pieces deflated once. */
export function gzipWithNonce(parts: Buffer[], deflated: Buffer[], nonce: string, firstCrc = crc32(parts[0])): Buffer {
  const nonceBytes = Buffer.from(nonce, "latin1");
  const nonceBlock = storedBlock(nonceBytes);
  const pieces: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let size = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) {
      pieces.push(nonceBlock);
      crc = crc32(nonceBytes, crc);
      size += nonceBytes.length;
    }
    pieces.push(deflated[i]);
    // (An empty piece is skipped: Node 20's crc32 of an empty buffer can answer 0 whatever the start value.)
    if (i === 0) crc = firstCrc;
    else if (parts[i].length > 0) crc = crc32(parts[i], crc);
    size += parts[i].length;
  }
  const trailer = Buffer.allocUnsafe(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  pieces.push(trailer);
  return Buffer.concat(pieces);
}

/** Answers hits from memory; above the compression middleware (see the module comment). */
export function servePublicPages() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!cacheable(req)) return next();
    const nonce = res.locals.cspNonce as string | undefined;
    if (!nonce) return next();
    const key = keyOf(req, req.path);
    const hit = fresh(key);
    if (hit) {
      // Near its end, one request renders the page anew; this one and the rest are answered now.
      if (hit.expires - Date.now() < REFRESH_AHEAD_MS && !rendering.has(key)) return renderHere(key, res, next);
      return answer(req, res, hit, nonce);
    }
    const render = rendering.get(key);
    if (!render) return renderHere(key, res, next);
    void waitFor(render).then(() => {
      const kept = fresh(key);
      if (kept) answer(req, res, kept, nonce);
      else next();
    });
  };
}

function fresh(key: string): Entry | undefined {
  const entry = entries.get(key);
  if (entry && entry.expires <= Date.now()) {
    entries.delete(key);
    return undefined;
  }
  return entry;
}

/** Answers from a kept page with this answer's nonce (304 on a matching If-None-Match). */
export function answer(req: IncomingMessage, res: ServerResponse, hit: Entry, nonce: string): void {
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(hit.headers)) res.setHeader(name, value);
  res.setHeader("ETag", hit.etag);
  res.setHeader("Vary", "Cookie, Accept-Language, Accept-Encoding");
  res.setHeader("X-Page-Cache", "hit");
  if (notModified(req, hit.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  let body: Buffer;
  if (chooseEncoding(req.headers["accept-encoding"]) === "identity") {
    body = Buffer.from(hit.parts.map((p) => p.toString("utf8")).join(nonce), "utf8");
  } else {
    // Brotli is accepted wherever gzip is; gzip is what can be joined without compressing.
    body = gzipWithNonce(hit.parts, hit.deflated, nonce, hit.firstCrc);
    res.setHeader("Content-Encoding", "gzip");
  }
  res.setHeader("Content-Length", body.length);
  res.end(req.method === "HEAD" ? undefined : body);
}

/** Keeps what Remix writes for a cacheable request; below the compression middleware. */
export function recordPublicPages() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!cacheable(req)) return next();
    const key = keyOf(req, req.path);
    const nonce = res.locals.cspNonce as string | undefined;
    // Record what Remix writes (before compression, which sits above us), keep it if it may be kept.
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
  const parts = html.split(nonce).map((p) => Buffer.from(p, "utf8"));
  const deflated = parts.map((p, i) =>
    deflateRawSync(p, { level: 9, finishFlush: i < parts.length - 1 ? constants.Z_SYNC_FLUSH : constants.Z_FINISH }),
  );
  const etag = `"${createHash("sha256").update(Buffer.concat(parts)).digest("base64url").slice(0, 27)}"`;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  entries.set(key, {
    parts,
    deflated,
    firstCrc: crc32(parts[0]),
    etag,
    expires: Date.now() + ttl,
    headers: {
      "Content-Type": String(res.getHeader("Content-Type") ?? "text/html; charset=utf-8"),
      "Cache-Control": cacheControl,
      Vary: "Cookie, Accept-Language",
    },
  });
}
