/**
 * The fast lane before Express (issue 16's spike): the two answers a crowd asks for when the
 * results are published, a kept public results page and a cached results API document, answered
 * straight from node:http without Express's router, request and response decorations and the
 * middleware stack, whose per-request work was as large as the answer's own.
 *
 * Only requests that every guard would let through unchanged take it: GET or HEAD, a well-formed
 * Host (and proxy headers), a path in the exact canonical form its handler matches (a strict
 * pattern on the raw URL: no encoding, dot segments, double slashes or capitals), no staff
 * cookie; the answer gets the same security headers (setSecurityHeaders). Everything else, and
 * every miss, goes on to Express as before, where the same handlers answer it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { answer, keptPageFor } from "./page-cache";
import { carriesStaffCookie, hostHeadersOk, setSecurityHeaders } from "./security";

/** The results API's path as its fast handler matches it (app/api/results.server.ts); query allowed. */
const RESULTS_API = /^\/api\/results\/[a-z0-9-]{1,64}(?:\?|$)/;

export function fastLane({
  secure,
  trustProxy,
  handleResultsApi,
}: {
  secure: boolean;
  trustProxy: boolean;
  handleResultsApi: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}) {
  const https = (req: IncomingMessage) =>
    secure || Boolean((req.socket as TLSSocket).encrypted) || (trustProxy && /^https$/i.test(String(req.headers["x-forwarded-proto"] ?? "").split(",")[0].trim()));

  /** Answers the request and returns true, or returns false having touched nothing (Express takes it). */
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !hostHeadersOk(req.headers, trustProxy)) return false;
    const kept = keptPageFor(req);
    if (kept) {
      answer(req, res, kept.entry, setSecurityHeaders(res, { pathname: kept.pathname, https: https(req) }));
      return true;
    }
    const url = req.url ?? "";
    if (!RESULTS_API.test(url) || carriesStaffCookie(req.headers.cookie)) return false;
    // Should the handler leave the request to Express after all, Express's own middleware sets
    // these headers again (the same ones, a new nonce).
    setSecurityHeaders(res, { pathname: url.split("?")[0], https: https(req) });
    return handleResultsApi(req, res);
  };
}
