/**
 * Cookie handling, role guards and CSRF tokens for the staff area.
 *
 * Every staff form carries its session's CSRF token: render it with <StaffForm>
 * (app/components/staff-form.tsx, which puts the root loader's `csrf` in a hidden input), and
 * start its action with requireStaffForm(request, roles), which checks role and token before the
 * action reads anything. tests/security/roles.test.ts posts to every staff route without the
 * token and expects 403. On top of this, app/server/security.ts refuses cross-site form posts.
 */
import { timingSafeEqual } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import type { Role } from "~/db/schema";
import { createSession, deleteSession, getSessionUser } from "~/models/session.server";
import { CSRF_FIELD, INVALID_FORM_TOKEN } from "~/utils/csrf";
import { getEnv } from "~/utils/env.server";

export type SessionUser = NonNullable<Awaited<ReturnType<typeof getSessionUser>>>;

function sessionCookie() {
  return createCookie("td_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: getEnv().secureCookies,
    path: "/",
    maxAge: 7 * 86_400,
  });
}

async function tokenFrom(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  const token = await tokenFrom(request);
  if (!token) return null;
  return (await getSessionUser({ db: getDb(), token })) ?? null;
}

/**
 * The signed-in user if they hold one of the roles (admin may do everything); otherwise a
 * redirect to the sign-in page (anonymous) or a 403 (wrong role).
 */
export async function requireRole(request: Request, roles: Role[]): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/logga-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (user.role !== "admin" && !roles.includes(user.role)) {
    throw new Response("Forbidden", { status: 403 });
  }
  return user;
}

/** Checks the CSRF token of a staff form against the session's (constant time); 403 otherwise. */
export function assertCsrf(user: SessionUser, form: FormData): void {
  const sent = form.get(CSRF_FIELD);
  const expected = Buffer.from(user.csrf_token ?? "", "utf8");
  const given = Buffer.from(typeof sent === "string" ? sent : "", "utf8");
  if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Response(INVALID_FORM_TOKEN, { status: 403 });
  }
}

/**
 * The start of every staff form's action: the signed-in user holding one of the roles (else a
 * redirect to sign-in or a 403, as requireRole), and the form, once its CSRF token is checked.
 */
export async function requireStaffForm(request: Request, roles: Role[]): Promise<{ user: SessionUser; form: FormData }> {
  const user = await requireRole(request, roles);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("The form could not be read", { status: 400 });
  }
  assertCsrf(user, form);
  return { user, form };
}

export async function startSession(userId: string, redirectTo: string): Promise<Response> {
  const { token } = await createSession({ db: getDb(), userId });
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionCookie().serialize(token) } });
}

export async function endSession(request: Request): Promise<Response> {
  const token = await tokenFrom(request);
  if (token) await deleteSession({ db: getDb(), token });
  return redirect("/", { headers: { "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0 }) } });
}

/**
 * Only same-site relative paths, so a sign-in link cannot send anyone elsewhere. Browsers drop
 * tabs and line breaks from a Location and read a backslash as a slash, so "/<tab>/evil.example"
 * would leave the site: control characters and backslashes are refused, and the path is resolved
 * as a browser would and must stay on this origin, also once dot segments are gone ("/..//x").
 * The answer is percent-encoded (safe in a header).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || /[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  const base = "http://same-site.invalid";
  try {
    const url = new URL(to, base);
    const path = url.pathname + url.search + url.hash;
    return url.origin === base && !path.startsWith("//") ? path : fallback;
  } catch {
    return fallback;
  }
}
