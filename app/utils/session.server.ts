/**
 * Cookie handling and role guards for the staff area.
 */
import { createCookie, redirect } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import type { Role } from "~/db/schema";
import { createSession, deleteSession, getSessionUser } from "~/models/session.server";
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

/** Checks the CSRF token of a staff form against the session's. */
export function assertCsrf(user: SessionUser, form: FormData): void {
  if (form.get("csrf") !== user.csrf_token) throw new Response("Invalid form token", { status: 403 });
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

/** Only same-site relative paths, so a sign-in link cannot send anyone elsewhere. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
