/**
 * GET /api/results/<series> in JSON, answered from the results cache without going through
 * Remix or the compression middleware (decision 038): a spike of readers costs a cache lookup and
 * a write of a body compressed once. Same answers as the Remix route (app/routes/api.results.$series.ts),
 * which still serves everything this does not: CSV, refused parameters, unknown series, errors
 * (they fall through with `next()`, so there is one implementation of each refusal).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "~/db/db.server";
import { cachedResults } from "~/models/results-cache.server";
import { listSeriesIds } from "~/surveys/files.server";
import { chooseEncoding } from "~/utils/encoding.server";
import { parseResultsParams } from "~/utils/results-params";

const PATH = /^\/api\/results\/([a-z0-9-]{1,64})$/;

/** The series on disk, looked up again at most every 10 s (not a directory listing per request). */
let series: { ids: string[]; at: number } | undefined;
function knownSeries(): string[] {
  const now = Date.now();
  if (!series || now - series.at > 10_000) series = { ids: listSeriesIds(), at: now };
  return series.ids;
}

function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

/**
 * Answers a JSON results request from the cache and returns true, or returns false without
 * touching `res` when the Remix route must answer it.
 */
export async function handleResultsApi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const url = req.url ?? "";
  const q = url.indexOf("?");
  const match = PATH.exec(q < 0 ? url : url.slice(0, q));
  if (!match || !knownSeries().includes(match[1])) return false;
  const parsed = parseResultsParams(new URLSearchParams(q < 0 ? "" : url.slice(q + 1)).entries());
  if (!parsed.ok || parsed.params.format !== "json") return false;
  const { year, by, weighted, compareTo } = parsed.params;
  let cached;
  try {
    cached = await cachedResults({ db: getDb(), seriesId: match[1], year, by, weighted, compareTo });
  } catch {
    // A refused query (ResultsError) or an unavailable database: the Remix route answers it.
    return false;
  }
  res.setHeader("Cache-Control", cached.cacheControl);
  res.setHeader("ETag", cached.etag);
  res.setHeader("Vary", "Accept-Encoding");
  if (notModified(req.headers["if-none-match"], cached.etag)) {
    res.statusCode = 304;
    res.end();
    return true;
  }
  const encoding = chooseEncoding(req.headers["accept-encoding"]);
  const body = cached.body.get(encoding);
  res.statusCode = 200;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  if (encoding !== "identity") res.setHeader("Content-Encoding", encoding);
  res.setHeader("Content-Length", body.length);
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
