/**
 * Shared by the security tests: staff accounts and sign-in through the real server, the CSRF
 * token of a session, row counts, and the route list of the production build.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Db } from "~/db/db.server";
import type { Role } from "~/db/schema";
import { createUser } from "~/models/user.server";
import { ROOT } from "../helpers/app-server";

export const PASSWORDS: Record<Role, string> = {
  admin: "admin-losenord-for-test",
  analyst: "analys-losenord-for-test",
  facilitator: "samtal-losenord-for-test",
};

/** Creates one account per role (e-mails `<role>-<tag>@test.kommun.se`) and returns the e-mails. */
export async function createStaff(db: Db, tag: string): Promise<Record<Role, string>> {
  const emails = {} as Record<Role, string>;
  for (const role of Object.keys(PASSWORDS) as Role[]) {
    emails[role] = `${role}-${tag}@test.kommun.se`;
    await createUser({ db, email: emails[role], role, password: PASSWORDS[role] });
  }
  return emails;
}

/** The first cookie a response sets (`name=value`), or one named `name` (with or without `__Host-`). */
export function cookieOf(response: Response, name?: string): string {
  const all = response.headers.getSetCookie();
  const found = name ? all.find((c) => new RegExp(`^(__Host-)?${name}=`).test(c)) : all[0];
  return (found ?? "").split(";")[0];
}

/** The token inside a session cookie (`td_session=…`: Remix writes it as base64 of a JSON string). */
export function tokenOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1));
  return JSON.parse(Buffer.from(value, "base64").toString("utf8")) as string;
}

/**
 * POSTs a form as a browser would: with this site's Origin (the server refuses posts with neither
 * Origin nor Referer), unless `headers` names an Origin or Referer itself; an Origin of "" sends
 * neither.
 */
export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const all: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", ...headers };
  if (!("Origin" in headers) && !("Referer" in headers)) all.Origin = new URL(url).origin;
  if (all.Origin === "") delete all.Origin;
  return fetch(url, { method: "POST", body: new URLSearchParams(fields), redirect: "manual", headers: all });
}

/** The sign-in form's pre-session token and its cookie, as GET /logga-in gives them. */
export async function signInForm(base: string): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${base}/logga-in`, { redirect: "manual" });
  const html = await res.text();
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`No form token on the sign-in page (${res.status})`);
  return { cookie: cookieOf(res, "td_form"), token };
}

/** POSTs the sign-in form with a fresh form token (fields override it, e.g. `csrf: ""`). */
export async function postSignIn(base: string, fields: Record<string, string>, headers: Record<string, string> = {}, path = "/logga-in?index") {
  const form = await signInForm(base);
  const cookie = [form.cookie, headers.Cookie].filter(Boolean).join("; ");
  return postForm(`${base}${path}`, { csrf: form.token, ...fields }, { ...headers, Cookie: cookie });
}

/** Signs in through POST /logga-in?index; returns the session cookie (`td_session=…`). */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await postSignIn(base, { email, password, redirectTo: "/personal" });
  if (res.status !== 302) throw new Error(`Sign-in of ${email} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return cookieOf(res, "td_session");
}

/** The session's CSRF token as the root loader hands it to <StaffForm>. */
export async function csrfOf(base: string, cookie: string): Promise<string> {
  const res = await fetch(`${base}/?_data=root`, { headers: { Cookie: cookie } });
  const data = (await res.json()) as { csrf: string | null };
  if (!data.csrf) throw new Error("The root loader gave no csrf token for a signed-in user");
  return data.csrf;
}

export async function countRows(db: Db, table: "response" | "survey_edition" | "cell_stat" | "app_user" | "user_session" | "sign_in_throttle") {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface BuiltRoute {
  id: string;
  path?: string;
  index?: boolean;
  parentId?: string;
  module: Record<string, unknown>;
}

/** The routes of the production build (build/index.js exports them), keyed by route id. */
export async function builtRoutes(): Promise<Record<string, BuiltRoute>> {
  const build = (await import(pathToFileURL(path.join(ROOT, "build/index.js")).href)) as { routes: Record<string, BuiltRoute> };
  return build.routes;
}

function routePattern(routes: Record<string, BuiltRoute>, id: string): string {
  const parts: string[] = [];
  for (let r: BuiltRoute | undefined = routes[id]; r; r = r.parentId ? routes[r.parentId] : undefined) {
    if (r.path) parts.unshift(r.path);
  }
  return parts.join("/");
}

/** The names of a route's URL parameters (`:edition` → "edition"), its parents' included. */
export function routeParams(routes: Record<string, BuiltRoute>, id: string): string[] {
  return [...routePattern(routes, id).matchAll(/:(\w+)/g)].map((m) => m[1]);
}

/** A route's URL path from its path pattern and its parents', with params filled in. */
export function routeUrl(routes: Record<string, BuiltRoute>, id: string, params: Record<string, string> = {}): string {
  const filled = routePattern(routes, id).replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`No value for :${name} in route ${id}`);
    return encodeURIComponent(params[name]);
  });
  return `/${filled}`;
}

/** Every string inside a JSON value, for "does this text appear anywhere" checks. */
export function walkJson(value: unknown, visit: (node: unknown, path: string) => void, at = "$"): void {
  visit(value, at);
  if (Array.isArray(value)) value.forEach((v, i) => walkJson(v, visit, `${at}[${i}]`));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walkJson(v, visit, `${at}.${k}`);
}
