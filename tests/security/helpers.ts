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

export function cookieOf(response: Response): string {
  return (response.headers.get("set-cookie") ?? "").split(";")[0];
}

export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
}

/** Signs in through POST /logga-in?index; returns the session cookie (`td_session=…`). */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await postForm(`${base}/logga-in?index`, { email, password, redirectTo: "/personal" });
  if (res.status !== 302) throw new Error(`Sign-in of ${email} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return cookieOf(res);
}

/** The session's CSRF token as the root loader hands it to <StaffForm>. */
export async function csrfOf(base: string, cookie: string): Promise<string> {
  const res = await fetch(`${base}/?_data=root`, { headers: { Cookie: cookie } });
  const data = (await res.json()) as { csrf: string | null };
  if (!data.csrf) throw new Error("The root loader gave no csrf token for a signed-in user");
  return data.csrf;
}

export async function countRows(db: Db, table: "response" | "survey_edition" | "cell_stat" | "app_user" | "user_session") {
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
