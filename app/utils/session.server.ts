/**
 * Cookies, sign-in and sign-out, role guards and CSRF tokens for the staff area (decision 021).
 *
 * Every staff form carries its session's CSRF token: render it with <StaffForm>
 * (app/components/staff-form.tsx, which puts the root loader's `csrf` in a hidden input), and
 * start its action with requireStaffForm(request, roles), which checks role and token before the
 * action reads anything. tests/security/roles.test.ts posts to every staff route without the
 * token and expects 403. The sign-in form, before any session, has its own token: a random
 * cookie and its HMAC in the form (signInFormToken, assertSignInFormToken). On top of this,
 * app/server/security.ts refuses cross-site posts and posts with neither Origin nor Referer.
 *
 * Cookie names carry the `__Host-` prefix when cookies are Secure (SECURE_COOKIES): the browser
 * then takes them only over HTTPS, for this host alone, path `/`.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import type { Role } from "~/db/schema";
import {
  createSession,
  csrfDigest,
  csrfTokenFor,
  deleteSession,
  getSessionUser,
  type SessionTimeouts,
} from "~/models/session.server";
import { getSigningKey, isSecondFactorRequired } from "~/models/setting.server";
import type { AppUser } from "~/db/schema";
import { CSRF_FIELD, INVALID_FORM_TOKEN } from "~/utils/csrf";
import { getEnv } from "~/utils/env.server";

type SessionRow = NonNullable<Awaited<ReturnType<typeof getSessionUser>>>;
export type SessionUser = SessionRow & {
  /** The session's CSRF token (derived from the cookie; the database holds only its sha256). */
  csrf_token: string;
};

export function sessionTimeouts(): SessionTimeouts {
  const env = getEnv();
  return { idleMinutes: env.sessionIdleMinutes, maxHours: env.sessionMaxHours };
}

/** `td_session`, or `__Host-td_session` when cookies are Secure. */
export function cookieName(base: "td_session" | "td_signin" | "td_form"): string {
  return getEnv().secureCookies ? `__Host-${base}` : base;
}

function cookie(base: "td_session" | "td_signin" | "td_form", maxAge?: number) {
  return createCookie(cookieName(base), {
    httpOnly: true,
    sameSite: "lax",
    secure: getEnv().secureCookies,
    path: "/",
    ...(maxAge ? { maxAge } : {}),
  });
}

const sessionCookie = () => cookie("td_session", Math.round(getEnv().sessionMaxHours * 3600));
/** The short-lived cookie between a right password and a right code. */
const secondFactorCookie = () => cookie("td_signin", 15 * 60);
/** The sign-in form's pre-session token (a browser-session cookie). */
const formCookie = () => cookie("td_form");

async function tokenFrom(request: Request, which: ReturnType<typeof cookie>): Promise<string | null> {
  const value = await which.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 && value.length < 200 ? value : null;
}

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  const token = await tokenFrom(request, sessionCookie());
  if (!token) return null;
  const row = await getSessionUser({ db: getDb(), token, timeouts: sessionTimeouts() });
  return row ? { ...row, csrf_token: csrfTokenFor(token) } : null;
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

function sameToken(sent: FormDataEntryValue | null, expectedDigest: string): boolean {
  const given = Buffer.from(csrfDigest(typeof sent === "string" ? sent : ""), "hex");
  const expected = Buffer.from(expectedDigest, "hex");
  return typeof sent === "string" && sent.length > 0 && expected.length === given.length && timingSafeEqual(given, expected);
}

/** Checks the CSRF token of a staff form against the session's stored digest (constant time); 403 otherwise. */
export function assertCsrf(user: Pick<SessionRow, "csrf_digest">, form: FormData): void {
  if (!sameToken(form.get(CSRF_FIELD), user.csrf_digest)) throw new Response(INVALID_FORM_TOKEN, { status: 403 });
}

async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("The form could not be read", { status: 400 });
  }
}

/**
 * The start of every staff form's action: the signed-in user holding one of the roles (else a
 * redirect to sign-in or a 403, as requireRole), and the form, once its CSRF token is checked.
 */
export async function requireStaffForm(request: Request, roles: Role[]): Promise<{ user: SessionUser; form: FormData }> {
  const user = await requireRole(request, roles);
  const form = await readForm(request);
  assertCsrf(user, form);
  return { user, form };
}

/**
 * Starts a staff session for a user who has proved who they are (password and code, or the
 * identity provider): ends the session and the second-factor session the request came with, so
 * every sign-in gets a new session id, and returns the headers to send (Set-Cookie) with the
 * answer, e.g. `redirect(to, { headers })`.
 */
export async function createStaffSession({ userId, request }: { userId: string; request: Request }): Promise<Headers> {
  const db = getDb();
  for (const which of [sessionCookie(), secondFactorCookie()]) {
    const old = await tokenFrom(request, which);
    if (old) await deleteSession({ db, token: old });
  }
  const { token } = await createSession({ db, userId, userAgent: request.headers.get("User-Agent"), timeouts: sessionTimeouts() });
  const headers = new Headers();
  headers.append("Set-Cookie", await sessionCookie().serialize(token));
  headers.append("Set-Cookie", await secondFactorCookie().serialize("", { maxAge: 0 }));
  return headers;
}

/**
 * After a right password: a full session, or, when the account has a second factor (or an
 * admin requires one), the second-factor step at /logga-in/kod.
 */
export async function continueAfterPassword({ user, request, redirectTo }: { user: AppUser; request: Request; redirectTo: string }): Promise<Response> {
  const db = getDb();
  if (!user.totp_secret && !(await isSecondFactorRequired({ db }))) {
    return redirect(redirectTo, { headers: await createStaffSession({ userId: user.id, request }) });
  }
  const old = await tokenFrom(request, secondFactorCookie());
  if (old) await deleteSession({ db, token: old });
  const { token } = await createSession({
    db,
    userId: user.id,
    userAgent: request.headers.get("User-Agent"),
    timeouts: sessionTimeouts(),
    stage: "second_factor",
  });
  return redirect(`/logga-in/kod?redirectTo=${encodeURIComponent(redirectTo)}`, {
    headers: { "Set-Cookie": await secondFactorCookie().serialize(token) },
  });
}

/** The account between password and code (its session row and the form's CSRF token), or null. */
export async function getSecondFactorState(request: Request) {
  const token = await tokenFrom(request, secondFactorCookie());
  if (!token) return null;
  const row = await getSessionUser({ db: getDb(), token, timeouts: sessionTimeouts(), stage: "second_factor" });
  return row ? { ...row, csrf_token: csrfTokenFor(token) } : null;
}

export async function clearSecondFactorCookie(): Promise<string> {
  return secondFactorCookie().serialize("", { maxAge: 0 });
}

export async function endSession(request: Request): Promise<Response> {
  const token = await tokenFrom(request, sessionCookie());
  if (token) await deleteSession({ db: getDb(), token });
  return redirect("/", { headers: { "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0 }) } });
}

/** A Set-Cookie that removes the session cookie (after "sign out everywhere"). */
export async function clearSessionCookie(): Promise<string> {
  return sessionCookie().serialize("", { maxAge: 0 });
}

async function formTokenFor(cookieValue: string): Promise<string> {
  const key = await getSigningKey({ db: getDb() });
  return createHmac("sha256", key).update(`td-form-v1:${cookieValue}`).digest("base64url").slice(0, 32);
}

/**
 * The sign-in form's token (a signed double-submit token): a random cookie, and in the form its
 * HMAC under the site's key. A page elsewhere can neither read the cookie nor make the HMAC.
 * Returns the token for the form and, when the cookie was missing, the Set-Cookie to send.
 */
export async function signInFormToken(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const existing = await tokenFrom(request, formCookie());
  const value = existing && /^[A-Za-z0-9_-]{32}$/.test(existing) ? existing : randomBytes(24).toString("base64url");
  return { token: await formTokenFor(value), setCookie: value === existing ? null : await formCookie().serialize(value) };
}

/** Refuses (403) a sign-in post whose form token does not match its cookie. */
export async function assertSignInFormToken(request: Request, form: FormData): Promise<void> {
  const value = await tokenFrom(request, formCookie());
  const sent = form.get(CSRF_FIELD);
  const expected = Buffer.from(value ? await formTokenFor(value) : "", "utf8");
  const given = Buffer.from(typeof sent === "string" ? sent : "", "utf8");
  if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Response(INVALID_FORM_TOKEN, { status: 403 });
  }
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
