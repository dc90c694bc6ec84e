/**
 * Static files from public/, with the Brotli and gzip copies made at build time
 * (scripts/precompress.mjs) sent as they are: no compression per request, and Brotli's best
 * level, which is too slow to run per request. The encoding follows Accept-Encoding (br, then
 * gzip, then the file itself); `Vary: Accept-Encoding` whenever a compressed copy exists, so a
 * shared cache keeps the variants apart. Files under /build/ carry a content hash in their name
 * (Remix fingerprints them): cached for a year as immutable. Everything else: one hour, with an
 * ETag for a cheap 304.
 *
 * The fingerprinted scripts and stylesheets (and their source maps) go out with only the headers
 * a subresource uses (decision 041): no document-only security headers, and no ETag or
 * Last-Modified, since a browser never revalidates an immutable file before it expires and its
 * name changes with its content. Documents, SVG (it can run script), the service worker (its
 * policy comes from its own response) and everything else keep the full set.
 */
import fs from "node:fs";
import path from "node:path";
import type { RequestHandler } from "express";
import { withoutDocumentHeaders } from "./security";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".html": "text/html; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".map": "application/json; charset=utf-8",
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
};

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const SHORT = "public, max-age=3600";

/** Files a page loads as a script or stylesheet (never as a document), and their source maps. */
const SUBRESOURCE_CODE = new Set([".js", ".mjs", ".css", ".map"]);

interface Variant {
  file: string;
  size: number;
  etag: string;
  mtime: Date;
}

interface Entry {
  identity: Variant;
  br: Variant | null;
  gzip: Variant | null;
}

function variant(file: string, label: string): Variant | null {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return null;
    return { file, size: stat.size, mtime: stat.mtime, etag: `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}${label}"` };
  } catch {
    return null;
  }
}

/** The encodings a client accepts (q > 0). */
function accepted(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name && !(q && Number(q.slice(2)) === 0)) out.add(name);
  }
  return out;
}

function matches(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*");
}

/**
 * Serves `root` (public/). `immutablePrefix` is the URL prefix of fingerprinted files.
 * Unknown paths go on to the next handler (Remix answers them).
 */
export function staticFiles(root: string, { immutablePrefix = "/build/" } = {}): RequestHandler {
  const base = path.resolve(root);
  // Files do not change while the server runs (a deploy restarts it): look each path up once.
  const entries = new Map<string, Entry | null>();
  const lookup = (urlPath: string): Entry | null => {
    let entry = entries.get(urlPath);
    if (entry !== undefined) return entry;
    const file = path.join(base, urlPath);
    const ext = path.extname(file);
    const identity = file.startsWith(base + path.sep) && TYPES[ext] !== undefined ? variant(file, "") : null;
    entry = identity ? { identity, br: variant(`${file}.br`, "-br"), gzip: variant(`${file}.gz`, "-gz") } : null;
    if (entries.size < 10_000) entries.set(urlPath, entry);
    return entry;
  };

  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (urlPath.includes("\0") || urlPath.endsWith("/")) return next();
    const entry = lookup(path.posix.normalize(urlPath));
    if (!entry) return next();

    const accepts = accepted(req.headers["accept-encoding"] as string | undefined);
    const [chosen, encoding] =
      entry.br && accepts.has("br") ? [entry.br, "br"] : entry.gzip && accepts.has("gzip") ? [entry.gzip, "gzip"] : [entry.identity, null];
    const ext = path.extname(entry.identity.file);
    const immutable = urlPath.startsWith(immutablePrefix);
    res.setHeader("Content-Type", TYPES[ext]);
    res.setHeader("Cache-Control", immutable ? IMMUTABLE : SHORT);
    if (entry.br || entry.gzip) res.setHeader("Vary", "Accept-Encoding");
    if (immutable && SUBRESOURCE_CODE.has(ext)) {
      withoutDocumentHeaders(res);
    } else {
      res.setHeader("ETag", chosen.etag);
      res.setHeader("Last-Modified", entry.identity.mtime.toUTCString());
      const ifNoneMatch = req.headers["if-none-match"];
      if (ifNoneMatch && matches(ifNoneMatch, chosen.etag)) {
        res.statusCode = 304;
        res.end();
        return;
      }
    }
    if (encoding) res.setHeader("Content-Encoding", encoding);
    res.setHeader("Content-Length", chosen.size);
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const stream = fs.createReadStream(chosen.file);
    stream.once("error", (error) => (res.headersSent ? res.destroy(error) : next(error)));
    stream.pipe(res);
  };
}
