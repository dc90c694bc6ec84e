/**
 * Who may open each route of the app: every route id of the production build is listed here, as
 * public (and why that is safe), as staff with the roles allowed, or as acting on one's own
 * session. roles.test.ts fails for a route missing here and tries each staff route with every
 * role; privacy.test.ts walks every public route. `params` and `query` make a route's URL for a
 * test (privacy.test.ts fills params with every real value instead).
 *
 * POST /api/responses is not a Remix route (app/api/responses.server.ts, decision 010): public,
 * since residents answer anonymously, and it reads no cookie; its own tests are
 * tests/integration/api-responses.test.ts and tests/security/hostile-input.test.ts.
 */
import type { Role } from "~/db/schema";

export type Policy =
  /** Anyone, signed in or not. `why` says what makes that safe. */
  | { access: "public"; why: string; params?: Record<string, string>; query?: string }
  /** Signed-in staff holding one of `roles` (admin always: requireRole lets admin do everything). */
  | { access: "staff"; roles: Role[]; params?: Record<string, string>; query?: string }
  /** Any signed-in user acting on their own session (sign-out); its form needs the CSRF token. */
  | { access: "own-session" }
  /**
   * A JSON API for signed-in staff holding one of `roles` (admin always), POST only: anonymous → 401,
   * a role not allowed → 403, a body not declared JSON → 415, GET → 405; cross-site posts are
   * refused by app/server/security.ts (decision 029). `body` is a valid request's JSON.
   */
  | { access: "staff-api"; roles: Role[]; why: string };

/** The fixed id of the safety walk roles.test.ts creates for its facilitator (routes that name a session). */
export const ROLES_TEST_SESSION_ID = "5b0f8d1e-3c2a-4f6b-9d7e-1a2b3c4d5e6f";

export const POLICY: Record<string, Policy> = {
  root: { access: "public", why: "the layout: its loader gives a signed-in user only their own e-mail, role and CSRF token" },
  "routes/_index": { access: "public", why: "the list of open surveys" },
  "routes/enkat.$edition": { access: "public", why: "the questionnaire", params: { edition: "trygghetsmatning-2025" } },
  "routes/enkat.$edition_.tack": { access: "public", why: "a static thank-you page", params: { edition: "trygghetsmatning-2025" } },
  "routes/api.results.$series": {
    access: "public",
    why: "published figures only: suppressed below minCount, never free text (privacy.test.ts walks it)",
    params: { series: "trygghetsmatning" },
    query: "?year=2025",
  },
  "routes/logga-in": { access: "public", why: "the sign-in form (its own form token, rate-limited, delays per address tried, cross-site posts refused)" },
  "routes/logga-in_.kod": {
    access: "public",
    why: "the second-factor step: without the short-lived cookie a right password gives, it only says to sign in first",
  },
  "routes/logga-in_.oidc": {
    access: "public",
    why: "starts a sign-in at the OpenID provider (404 when OIDC is not configured); gives nothing but a redirect",
  },
  "routes/logga-in_.oidc_.callback": {
    access: "public",
    why: "the provider's answer: a session only for a checked code, state, nonce and id_token with a mapped group (tests/e2e/oidc.test.ts)",
  },
  "routes/sprak": { access: "public", why: "sets the language cookie; redirects only within the site" },
  "routes/$": { access: "public", why: "the 404 page for any unknown address; reads nothing", params: { "*": "finns-inte" } },
  "routes/logga-ut": { access: "own-session" },
  "routes/personal._index": { access: "staff", roles: ["admin", "analyst", "facilitator"] },
  "routes/personal.resultat": { access: "staff", roles: ["admin", "analyst"], query: "?ar=2025" },
  "routes/personal.fritext": { access: "staff", roles: ["admin", "analyst"], query: "?ar=2025" },
  "routes/resultat._index": { access: "public", why: "redirects to the latest year with published figures" },
  "routes/resultat.$year": {
    access: "public",
    why: "published figures only, from the results API's documents (suppressed groups say too few answers, no number)",
    params: { year: "2025" },
  },
  "routes/resultat.$year_.$area": {
    access: "public",
    why: "one area's published figures, as resultat.$year",
    params: { year: "2025", area: "ahus" },
  },
  "routes/personal.sessioner": { access: "staff", roles: ["admin", "analyst", "facilitator"] },
  "routes/personal.losenord": { access: "staff", roles: ["admin", "analyst", "facilitator"] },
  "routes/personal.tvastegs": { access: "staff", roles: ["admin", "analyst", "facilitator"] },
  "routes/personal.sakerhet": { access: "staff", roles: ["admin"] },
  "routes/personal.dialoger._index": { access: "staff", roles: ["admin", "facilitator"] },
  "routes/personal.dialoger.$id": { access: "staff", roles: ["admin", "facilitator"], params: { id: "00000000-0000-4000-8000-000000000000" } },
  "routes/d.$code": {
    access: "public",
    why: "a dialogue session's questionnaire by its code: the place and the questions, nothing of any answer (404/410 page otherwise)",
    params: { code: "AAAAAA" },
  },
  "routes/kiosk.$code": {
    access: "public",
    why: "the kiosk page of a session, as d.$code; the PIN lives only on the tablet",
    params: { code: "AAAAAA" },
  },
  "routes/personal.logg": { access: "staff", roles: ["admin"], query: "?handelse=sign-in&sida=1" },
  "routes/personal.dialoger.$id_.vandring": { access: "staff", roles: ["admin", "facilitator"], params: { id: ROLES_TEST_SESSION_ID } },
  "routes/personal.atgarder": { access: "staff", roles: ["admin", "facilitator"] },
  "routes/personal.tips": { access: "staff", roles: ["admin", "facilitator"] },
  "routes/personal.atgarder[.]csv": { access: "staff", roles: ["admin", "facilitator"] },
  "routes/personal.tips[.]csv": { access: "staff", roles: ["admin", "facilitator"] },
  "routes/personal.inmatning": { access: "staff", roles: ["admin", "analyst", "facilitator"], query: "?enkat=trygghetsmatning-2025" },
  "routes/api.walk-stops": {
    access: "staff-api",
    roles: ["admin", "facilitator"],
    why: "walk stops from the tablet's queue: only into an open safety walk of the sender's own (or, for an admin, any) session",
  },
  "routes/personal.loften": { access: "staff", roles: ["admin", "analyst", "facilitator"], query: "?ar=2025" },
  "routes/personal.problembild.$year": { access: "staff", roles: ["admin", "analyst"], params: { year: "2025" } },
  "routes/personal.problembild.$year_.pdf": { access: "staff", roles: ["admin", "analyst"], params: { year: "2025" } },
  "routes/medborgarloften.$year": {
    access: "public",
    why: "the promises' public report: promise texts, activity counts, the results API's figures (suppressed groups say too few answers); no staff names, no free text",
    params: { year: "2025" },
  },
  "routes/medborgarloften.$year_.feed[.]xml": { access: "public", why: "the promises' status changes as Atom: promise texts and statuses only", params: { year: "2025" } },
  "routes/medborgarloften.$year_.rapport[.]pdf": { access: "public", why: "the public report printed to PDF; nothing more than the report", params: { year: "2025" } },
  "routes/personal.utgavor": { access: "staff", roles: ["admin"] },
  "routes/personal.utgavor_.$edition": { access: "staff", roles: ["admin"], params: { edition: "trygghetsmatning-2025" } },
  "routes/personal.utgavor_.$edition_.koder": { access: "staff", roles: ["admin"], params: { edition: "trygghetsmatning-2025" } },
  "routes/personal.utgavor_.$edition_.brev": { access: "staff", roles: ["admin"], params: { edition: "trygghetsmatning-2025" } },
  "routes/personal.svarsfrekvens": { access: "staff", roles: ["admin", "analyst"] },
};

