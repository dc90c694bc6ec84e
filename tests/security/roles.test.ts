/**
 * Who may open what: every route of the production build must be classified in route-policy.ts,
 * as public or as staff with the roles allowed; an unclassified route fails the test, so a new
 * route cannot ship without a decision. Staff routes are then tried with every role and without one:
 * anonymous GET → the sign-in page, anonymous POST → sign-in page, 403 or (no action) 405, a role not allowed →
 * 403, an allowed role → 200, and a staff form without its CSRF token → 403.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import type { Role } from "~/db/schema";
import { publishPlannedEditions } from "~/models/survey.server";
import { ROLES } from "~/models/user.server";
import { startServer, type RunningServer } from "../helpers/app-server";
import { builtRoutes, createStaff, csrfOf, PASSWORDS, postForm, routeUrl, signIn, type BuiltRoute } from "./helpers";
import { createTestSession, stopInput } from "../helpers/walks";
import { POLICY, ROLES_TEST_SESSION_ID, type Policy } from "./route-policy";

let server: RunningServer;
let routes: Record<string, BuiltRoute>;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  routes = await builtRoutes();
  server = await startServer({ SECURE_COOKIES: "off" });
  const emails = await createStaff(getDb(), "roles");
  for (const role of ROLES) cookies[role] = await signIn(server.url, emails[role], PASSWORDS[role]);
  // Routes that name a session (the dialogue page, the walk page) need one the facilitator holds.
  const facilitator = await getDb().selectFrom("app_user").select("id").where("email", "=", emails.facilitator).executeTakeFirstOrThrow();
  await publishPlannedEditions({ db: getDb() });
  const dialogueId = (POLICY["routes/personal.dialoger.$id"] as unknown as { params: { id: string } }).params.id;
  await createTestSession(getDb(), { facilitatorId: facilitator.id, kind: "medborgardialog", editionId: "medborgardialog-2025", id: dialogueId });
  await createTestSession(getDb(), { facilitatorId: facilitator.id, id: ROLES_TEST_SESSION_ID });
});

afterAll(async () => {
  await server?.stop();
});

function urlOf(id: string): string {
  const policy = POLICY[id];
  const params = "params" in policy ? policy.params : undefined;
  const query = "query" in policy ? (policy.query ?? "") : "";
  return routeUrl(routes, id, params) + query;
}

const get = (url: string, cookie?: string) =>
  fetch(`${server.url}${url}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

const post = (url: string, fields: Record<string, string>, cookie?: string) =>
  postForm(`${server.url}${url}`, fields, cookie ? { Cookie: cookie } : {});

function staffRoutes() {
  return Object.entries(POLICY).filter(([, p]) => p.access === "staff") as [string, Extract<Policy, { access: "staff" }>][];
}

describe("the route list", () => {
  it("classifies every route of the build (add new routes to POLICY above)", () => {
    const unclassified = Object.keys(routes).filter((id) => !(id in POLICY));
    expect(unclassified, "routes without a policy: classify them in tests/security/route-policy.ts").toEqual([]);
    const stale = Object.keys(POLICY).filter((id) => !(id in routes));
    expect(stale, "policies for routes that no longer exist").toEqual([]);
    expect(Object.keys(routes).length).toBeGreaterThanOrEqual(9);
  });

  it("staff policies include admin and name only known roles; staff routes have something to guard", () => {
    for (const [id, policy] of staffRoutes()) {
      expect(policy.roles, id).toContain("admin");
      for (const role of policy.roles) expect(ROLES, id).toContain(role);
      expect(Boolean(routes[id].module.loader || routes[id].module.action), id).toBe(true);
    }
  });
});

describe("staff routes", () => {
  it("GET: anonymous → sign-in page (also as a data request), role not allowed → 403, allowed role → 200", async () => {
    let checked = 0;
    for (const [id, policy] of staffRoutes()) {
      if (!routes[id].module.loader) continue;
      const url = urlOf(id);
      const anonymous = await get(url);
      expect(anonymous.status, `${id} anonymous`).toBe(302);
      expect(anonymous.headers.get("location"), `${id} anonymous`).toBe(`/logga-in?redirectTo=${encodeURIComponent(url)}`);
      const data = await get(`${url}${url.includes("?") ? "&" : "?"}_data=${encodeURIComponent(id)}`);
      expect(data.status, `${id} anonymous data request`).toBe(204);
      expect(data.headers.get("x-remix-redirect"), `${id} anonymous data request`).toMatch(/^\/logga-in\?/);
      for (const role of ROLES) {
        const res = await get(url, cookies[role]);
        const allowed = policy.roles.includes(role);
        expect(res.status, `${id} as ${role}`).toBe(allowed ? 200 : 403);
        if (!allowed) {
          const body = await res.text();
          expect(body, `${id} as ${role}`).toContain("Åtkomst nekad");
          const json = await get(`${url}${url.includes("?") ? "&" : "?"}_data=${encodeURIComponent(id)}`, cookies[role]);
          expect(json.status, `${id} as ${role}, data request`).toBe(403);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("POST: every staff route refuses anonymous visitors and every form without its CSRF token; one without an action acts for nobody", async () => {
    // Counted like the GET half: a staff route that is never tried, or a walk that tries none,
    // fails here instead of passing with nothing asserted.
    let checked = 0;
    const tried = new Set<string>();
    for (const [id, policy] of staffRoutes()) {
      const url = urlOf(id);
      const hasAction = Boolean(routes[id].module.action);
      const anonymous = await post(url, {});
      // Without an action Remix answers 405 before any loader runs: nothing is read or done.
      expect(hasAction ? [302, 403] : [302, 403, 405], `${id} anonymous`).toContain(anonymous.status);
      if (anonymous.status === 302) expect(anonymous.headers.get("location"), id).toMatch(/^\/logga-in\?/);
      checked++;
      for (const role of ROLES) {
        if (hasAction) {
          const res = await post(url, {}, cookies[role]);
          expect(res.status, `${id} as ${role} without the token`).toBe(403);
          if (policy.roles.includes(role)) expect(await res.text(), id).toContain("Ladda om sidan och försök igen");
        } else {
          const res = await post(url, { csrf: await csrfOf(server.url, cookies[role]) }, cookies[role]);
          expect(res.status, `${id} as ${role}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${id} as ${role}`).toBeLessThan(500);
        }
        checked++;
      }
      tried.add(id);
    }
    expect(checked).toBeGreaterThan(0);
    expect([...tried].sort()).toEqual(staffRoutes().map(([id]) => id).sort());
  });
});

describe("staff JSON APIs", () => {
  const apis = () => Object.entries(POLICY).filter(([, p]) => p.access === "staff-api") as [string, Extract<Policy, { access: "staff-api" }>][];
  const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${url}`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Origin: server.url, ...headers },
      body: JSON.stringify(body),
    });

  it("answer 401 without a session, 403 to a role not allowed, 415 to a form, 403 to another site, 405 to GET; an allowed role gets through", async () => {
    expect(apis().length).toBeGreaterThan(0);
    for (const [id, policy] of apis()) {
      const url = urlOf(id);
      const body = { sessionId: ROLES_TEST_SESSION_ID, ...stopInput() };
      expect((await postJson(url, body)).status, `${id} anonymous`).toBe(401);
      expect((await get(url, cookies.facilitator)).status, `${id} GET`).toBe(405);
      for (const role of ROLES) {
        const allowed = policy.roles.includes(role);
        const res = await postJson(url, { ...body, clientId: stopInput().clientId }, { Cookie: cookies[role] });
        expect(res.status, `${id} as ${role}`).toBe(allowed ? 201 : 403);
        if (!allowed) continue;
        expect((await post(url, { csrf: await csrfOf(server.url, cookies[role]) }, cookies[role])).status, `${id} form as ${role}`).toBe(415);
        const crossSite = await postJson(url, { ...body, clientId: stopInput().clientId }, { Cookie: cookies[role], Origin: "https://elsewhere.example" });
        expect(crossSite.status, `${id} cross-site as ${role}`).toBe(403);
      }
    }
  });
});

describe("own-session routes (sign-out)", () => {
  it("refuses the form without the token for every role; anonymous it only clears the cookie", async () => {
    for (const [id, policy] of Object.entries(POLICY)) {
      if (policy.access !== "own-session") continue;
      const url = urlOf(id);
      for (const role of ROLES) {
        expect((await post(url, {}, cookies[role])).status, `${id} as ${role}`).toBe(403);
        expect((await get("/personal", cookies[role])).status, `${role} still signed in`).toBe(200);
      }
      const anonymous = await post(url, {});
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toBe("/");
    }
  });
});

describe("public routes", () => {
  it("answer anonymous visitors without sending them to sign in", async () => {
    for (const [id, policy] of Object.entries(POLICY)) {
      if (policy.access !== "public" || id === "root") continue;
      const res = await get(urlOf(id));
      expect(res.status, id).toBeLessThan(500);
      expect([401, 403], id).not.toContain(res.status);
      expect(res.headers.get("location") ?? "", id).not.toMatch(/^\/logga-in/);
      await res.arrayBuffer();
    }
  });
});
