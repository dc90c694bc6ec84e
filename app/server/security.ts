/**
 * Express middleware that guards every request before Remix sees it: security headers, refusal
 * of cross-site form posts, and a size bound on form bodies.
 *
 * The Content-Security-Policy allows only this site's own scripts, styles, images and fetches.
 * SurveyJS sets inline style attributes and Chart.js sizes its canvas with them (style-src
 * 'unsafe-inline'). Scripts: this site's files, and inline scripts only with the request's
 * nonce (Remix's hydration context, module loader and scroll restoration get it from
 * app/entry.server.tsx and app/root.tsx); an injected <script> has none. No 'unsafe-eval': neither
 * SurveyJS (its expressions have their own parser) nor Chart.js evaluates code, and
 * tests/security/headers.test.ts checks the client bundles and a real browser for it.
 */
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { Request, RequestHandler, Response } from "express";
import { getFixedT, languageFromRequest } from "~/i18n/i18n.server";
import { languageDir } from "~/i18n/languages";
import { drainThenClose } from "~/utils/drain.server";
import { SUBMISSION_PATH } from "~/surveys/submission";

/**
 * 16 random bytes, base64, for one response. Taken from a pool filled 4 KiB at a time: one call
 * into the system's random source per 256 responses instead of one per response (the submission
 * API answers hundreds a second).
 */
const NONCE_BYTES = 16;
let noncePool: Buffer = Buffer.alloc(0);
let nonceOffset = 0;
export function newNonce(): string {
  if (nonceOffset + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(256 * NONCE_BYTES);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString("base64", nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return nonce;
}

/** The policy; `nonce` (a fresh one per response) allows the server's own inline scripts. */
export function contentSecurityPolicy(nonce?: string): string {
  return [
    "default-src 'self'",
    nonce ? `script-src 'self' 'nonce-${nonce}'` : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The staff pages may ask for the position (this origin only, and the browser still asks the
 * person): the safety-walk page gives a stop its coordinates (decision 028). All of /personal,
 * since a page reached by a client-side navigation keeps the first document's policy.
 */
const GEOLOCATION_PAGES = /^\/personal(?:\/|$)/;

/**
 * Headers for every answer, pages, APIs, files and errors alike. HSTS only when the site is
 * served over HTTPS (SECURE_COOKIES on, or the request came in over TLS): over plain HTTP it would
 * be ignored at best and lock a misconfigured test site out of HTTP at worst. The fingerprinted
 * scripts and stylesheets shed the document-only ones again (withoutDocumentHeaders).
 */
export function securityHeaders({ secure }: { secure: boolean }): RequestHandler {
  return (req, res, next) => {
    res.locals.cspNonce = setSecurityHeaders(res, { pathname: routePath(req), https: secure || req.secure });
    next();
  };
}

/**
 * Sets the headers above on one answer (the middleware's, and the fast lane's before Express:
 * app/server/fast-lane.ts); `pathname` is the router's view of the path. Returns the answer's
 * CSP nonce.
 */
export function setSecurityHeaders(res: ServerResponse, { pathname, https }: { pathname: string; https: boolean }): string {
  const nonce = newNonce();
  res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  const geolocation = GEOLOCATION_PAGES.test(pathname) ? "(self)" : "()";
  res.setHeader("Permissions-Policy", `camera=(), microphone=(), geolocation=${geolocation}`);
  if (https) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  return nonce;
}

/**
 * Whether a request's Host (and, behind a proxy, its X-Forwarded-Host and -Proto) are well
 * formed; canonicalRequests() refuses the others with 400.
 */
export function hostHeadersOk(headers: IncomingHttpHeaders, trustProxy: boolean): boolean {
  const host = headers.host;
  if (!host || !HOST_NAME.test(host)) return false;
  if (trustProxy) {
    const forwardedHost = firstValue(headers["x-forwarded-host"]);
    if (forwardedHost !== undefined && !HOST_NAME.test(forwardedHost)) return false;
    const proto = firstValue(headers["x-forwarded-proto"]);
    if (proto !== undefined && !/^https?$/i.test(proto)) return false;
  }
  return true;
}

/**
 * The headers a browser reads only from a document or a worker script's own response: a script
 * or stylesheet loaded by a page runs under the page's policy, whatever its response says
 * (decision 041). Referrer-Policy does apply to a stylesheet's own fetches, but ours fetch only
 * this origin, where every policy sends the same referrer. X-Content-Type-Options and HSTS are not
 * in the list: nosniff is what makes a browser refuse a script served with the wrong type, and
 * HSTS counts on any answer over HTTPS.
 */
export const DOCUMENT_ONLY_HEADERS = [
  "Content-Security-Policy",
  "Referrer-Policy",
  "X-Frame-Options",
  "Cross-Origin-Opener-Policy",
  "Permissions-Policy",
] as const;

/** Drops DOCUMENT_ONLY_HEADERS from an answer that is a page's script or stylesheet. */
export function withoutDocumentHeaders(res: Response): void {
  for (const name of DOCUMENT_ONLY_HEADERS) res.removeHeader(name);
}

/**
 * A request path as the router will match it: percent-decoded, lower case (Remix matches routes
 * case-insensitively), without a trailing slash. Guards compare against this, so `/API/Responses/`
 * or `/logga%2Din` cannot slip past them. Spellings the router would resolve further (dot
 * segments, encoded dots and slashes, backslashes, double slashes) never get this far:
 * canonicalRequests() refuses or redirects them before any guard runs.
 */
export function normalizedPath(path: string): string {
  const decoded = path
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
  return decoded.toLowerCase().replace(/\/{2,}/g, "/").replace(/(.)\/+$/, "$1");
}

/** The path every guard sees: the router's view of this request (see canonicalRequests). */
export function routePath(req: Request): string {
  return normalizedPath(req.path);
}

const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export type PathVerdict =
  | { ok: true }
  /** A spelling the router would resolve to `canonical` (null: none it could safely name). */
  | { ok: false; canonical: string | null };

/**
 * Whether a raw request path (before `?`) is already what the router sees. Not canonical: a dot
 * segment (`.`, `..`, also percent-encoded), an empty segment (`//`) other than a trailing slash,
 * a backslash (WHATWG URLs read it as a slash) or an encoded slash or backslash, a malformed
 * percent escape. `canonical` is the path with dots resolved and empty segments dropped, always a
 * same-site path (one leading slash), or null when no safe spelling exists.
 */
export function checkPath(raw: string): PathVerdict {
  if (!raw.startsWith("/")) return { ok: false, canonical: null };
  if (/%(2f|5c)/i.test(raw)) return { ok: false, canonical: null };
  const slashed = raw.replace(/\\/g, "/");
  let canonical = slashed === raw;
  const segments = slashed.slice(1).split("/");
  const resolved: string[] = [];
  for (const [i, segment] of segments.entries()) {
    const decoded = decodeSegment(segment);
    if (decoded === null) return { ok: false, canonical: null };
    if (decoded === "." || decoded === "..") {
      canonical = false;
      if (decoded === "..") resolved.pop();
    } else if (segment === "") {
      if (i < segments.length - 1) canonical = false; // a trailing slash is fine; `//` is not
    } else {
      resolved.push(segment);
    }
  }
  if (canonical) return { ok: true };
  const trailing = slashed.endsWith("/") && resolved.length > 0 ? "/" : "";
  return { ok: false, canonical: `/${resolved.join("/")}${trailing}` };
}

function firstValue(value: string | string[] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  return one?.split(",")[0].trim();
}

/**
 * The first guard (decision 020): makes the path every later guard sees the path the router
 * sees. Refuses methods nothing here answers (TRACE, CONNECT, WebDAV: 405), request targets that
 * are not a plain path (absolute or `*` form: 400), a Host (or a trusted X-Forwarded-Host/-Proto)
 * that is not a host name, since the Remix adapter builds the URL the router reads from them (a
 * Host of `x/logga-in?` would route `/api/x` to the sign-in page), and non-canonical spellings of
 * a path: GET and HEAD are redirected (308) to the canonical path, anything else is refused (400)
 * with its body drained unread. Guards then compare routePath(req), which matches the router's
 * case-insensitive, trailing-slash-tolerant matching.
 */
export function canonicalRequests({ trustProxy }: { trustProxy: boolean }): RequestHandler {
  return (req, res, next) => {
    if (!ALLOWED_METHODS.has(req.method)) {
      return refuse(req, res, 405, { key: "refusal.methodNotAllowed", api: `Method ${req.method.slice(0, 20)} not allowed` }, { Allow: "GET, HEAD, POST" });
    }
    const badRequest = (api: string) => refuse(req, res, 400, { key: "refusal.badAddress", api });
    if (!hostHeadersOk(req.headers, trustProxy)) return badRequest("Bad Host, X-Forwarded-Host or X-Forwarded-Proto header");
    const raw = req.url ?? "";
    const query = raw.indexOf("?");
    const verdict = checkPath(query === -1 ? raw : raw.slice(0, query));
    if (verdict.ok) return next();
    if ((req.method === "GET" || req.method === "HEAD") && verdict.canonical) {
      res.setHeader("Cache-Control", "no-store");
      return res.redirect(308, verdict.canonical + (query === -1 ? "" : raw.slice(query)));
    }
    return badRequest("Non-canonical request path: resolve dot segments and double slashes before sending");
  };
}

/**
 * The last check before Remix: the path of the URL the adapter builds (from the protocol, host
 * and original URL) must be the path the guards saw. canonicalRequests makes this always true;
 * this catches any future way around it (400 rather than an unguarded route).
 */
export function assertRouterSeesGuardedPath(): RequestHandler {
  return (req, res, next) => {
    let routerPath: string;
    try {
      routerPath = new URL(`${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`).pathname;
    } catch {
      routerPath = "";
    }
    if (normalizedPath(routerPath) === routePath(req)) return next();
    console.warn(`Refused ${req.method} ${req.originalUrl.slice(0, 200)}: the router would see ${routerPath.slice(0, 200)}`);
    refuse(req, res, 400, { key: "refusal.badAddress", api: "Request path mismatch" });
  };
}

const STAFF_COOKIE = /(?:^|;\s*)(?:__Host-)?td_(?:session|signin)=[^;\s]/;
const STAFF_PATH = /^\/(?:personal|logga-in|logga-ut)(?:\/|$)/;

/** Whether the request carries a staff session or sign-in cookie (such answers are never shared). */
export function carriesStaffCookie(cookie: string | undefined): boolean {
  return STAFF_COOKIE.test(cookie ?? "");
}

/**
 * `Cache-Control: no-store` on every answer that may carry staff data or a token (ASVS 8.2.1):
 * the staff pages, the sign-in and sign-out pages, every Remix data request (`?_data=`, among
 * them `/?_data=root` with the CSRF token), and any page asked for with a staff cookie (the
 * layout then shows who is signed in and holds the form token). Mounted after the static files,
 * which stay cacheable.
 */
export function noStoreForStaff(): RequestHandler {
  return (req, res, next) => {
    if (STAFF_PATH.test(routePath(req)) || "_data" in req.query || STAFF_COOKIE.test(req.headers.cookie ?? "")) {
      res.setHeader("Cache-Control", "no-store");
    }
    next();
  };
}

/** /api/responses, however it is spelled: served by the submission API's own handler. */
export function isSubmissionPath(req: Request): boolean {
  return routePath(req) === SUBMISSION_PATH;
}

/** POST /api/responses: JSON only, no cookies read, its own 64 KB bound while streaming. */
export function isSubmission(req: Request): boolean {
  return req.method === "POST" && isSubmissionPath(req);
}

function isApi(req: Request): boolean {
  return routePath(req).startsWith("/api/");
}

/**
 * Why a request was refused: `key` names the page's text in the catalogs (app/locales, section
 * `refusal`; `count` for plurals), `api` is the English `error` of the JSON answer.
 */
export interface Refusal {
  key: string;
  count?: number;
  api: string;
}

/** The visitor's language for a page Express answers itself (the same rules as Remix's pages). */
function languageOf(req: Request) {
  const url = new URL(req.originalUrl || req.url, "http://localhost");
  const headers = new Headers();
  if (req.headers.cookie) headers.set("Cookie", req.headers.cookie);
  const accept = req.headers["accept-language"];
  if (accept) headers.set("Accept-Language", accept);
  return languageFromRequest(new Request(url, { headers }));
}

/**
 * Answers a refused request: JSON with `error` for the APIs, a short page in the visitor's
 * language for everything else. The request body is drained, not read into memory: closing with
 * unread data would reset the connection and lose the answer while the client still uploads. A
 * client that keeps sending longer than DRAIN_SECONDS after the answer is cut off.
 */
export function refuse(req: Request, res: Response, status: number, refusal: Refusal, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("Cache-Control", "no-store");
  if (!req.complete) drainThenClose(req, res, () => req.destroy());
  res.status(status);
  if (isApi(req)) {
    res.json({ error: refusal.api });
    return;
  }
  void languageOf(req).then((language) => {
    if (res.headersSent || res.destroyed) return;
    const t = getFixedT(language);
    const text = escapeHtml(t(refusal.key, { count: refusal.count }));
    res.type("html").send(
      `<!DOCTYPE html><html lang="${language}" dir="${languageDir(language)}"><head><meta charset="utf-8"><title>${text}</title>` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>` +
        `<h1>${text}</h1><p><a href="/">${escapeHtml(t("common.toStartPage"))}</a></p>` +
        `</main></body></html>`,
    );
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  return one?.split(",")[0].trim() || undefined;
}

/** Whether `source` (an Origin or Referer value) names the same host and port as `ownHost`. */
export function isSameOrigin(source: string, ownHost: string | undefined): boolean {
  if (!ownHost || !/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(ownHost)) return false;
  let url: URL;
  try {
    url = new URL(source); // "null" (sandboxed frames, file: pages) does not parse: foreign.
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  try {
    // The scheme is not compared: behind a TLS proxy this process may see plain HTTP. The URL
    // parser lower-cases the host and drops the scheme's default port on both sides.
    return new URL(`${url.protocol}//${ownHost}`).host === url.host;
  } catch {
    return false;
  }
}

/**
 * Refuses (403) every request other than GET and HEAD whose Origin header, or Referer when there
 * is no Origin, names another origin than the request's own host: a page elsewhere cannot post
 * the sign-in, sign-out, language or any future staff form in a visitor's browser. Requests with
 * neither header are refused too (403): every browser sends Origin with a form post, so a post
 * without either came from a script, which has no business with the forms. POST /api/responses
 * is exempt: it takes JSON only and reads no cookies, so a cross-site post can do nothing a
 * direct one cannot.
 */
export function refuseCrossSiteRequests({ trustProxy }: { trustProxy: boolean }): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || isSubmission(req)) return next();
    const source = firstHeader(req.headers.origin) ?? req.headers.referer;
    if (source === undefined) {
      // The submission path's other methods answer 405 and read nothing: no need to refuse them.
      if (isSubmissionPath(req)) return next();
      return refuse(req, res, 403, {
        key: "refusal.noOrigin",
        api: "Request refused: a form post needs an Origin or Referer header.",
      });
    }
    const ownHost = (trustProxy ? firstHeader(req.headers["x-forwarded-host"]) : undefined) ?? req.headers.host;
    if (isSameOrigin(source, ownHost)) return next();
    // Logged so a proxy that rewrites the Host header (every form refused) is easy to spot.
    console.warn(`Refused cross-site ${req.method} ${req.path.slice(0, 200)}: from ${source.slice(0, 200)}, host ${String(ownHost).slice(0, 200)}`);
    refuse(req, res, 403, { key: "refusal.crossSite", api: "Cross-site request refused: the form was sent from another site." });
  };
}

/**
 * Every other non-GET request is a form post (sign-in, language, staff forms), and Remix reads a
 * whole form body into memory before the action sees it: bodies over 1 MiB are refused (413)
 * before that, bodies without a length (chunked) are refused (411), since browsers always send
 * one for forms, and bodies that are not form encoded are refused (415), since an action's
 * request.formData() would throw on them. Raise the bound for a route that takes file uploads
 * rather than lifting it for all. The JSON APIs under /api/ are exempt: POST /api/responses
 * streams its body with its own 64 KB bound and checks its own Content-Type, and the others read
 * no body (they answer 405).
 */
export const MAX_FORM_BYTES = 1024 * 1024;
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

export function limitFormBodies({ maxBytes = MAX_FORM_BYTES }: { maxBytes?: number } = {}): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || isApi(req)) return next();
    const declared = req.headers["content-length"];
    if (declared === undefined) {
      if (req.headers["transfer-encoding"] === undefined) return next(); // no body at all
      return refuse(req, res, 411, { key: "refusal.lengthRequired", api: "Length required: send the form with a Content-Length." });
    }
    if (!/^\d+$/.test(declared) || Number(declared) > maxBytes) {
      return refuse(req, res, 413, { key: "refusal.tooLarge", api: `Request body larger than ${maxBytes} bytes` });
    }
    if (declared !== "0" && !FORM_TYPES.test(req.headers["content-type"] ?? "")) {
      return refuse(req, res, 415, {
        key: "refusal.unsupportedType",
        api: "Content-Type must be application/x-www-form-urlencoded or multipart/form-data",
      });
    }
    next();
  };
}
