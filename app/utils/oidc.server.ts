/**
 * Sign-in through the municipality's OpenID provider (decision 022): the authorization code flow
 * with PKCE, state and nonce, through openid-client, which also checks the id_token (signature,
 * issuer, audience, nonce, expiry).
 *
 * /logga-in/oidc starts it: state, nonce, PKCE verifier and where to go afterwards travel in a
 * signed, HttpOnly cookie that lives ten minutes and is sent only to /logga-in/oidc paths.
 * /logga-in/oidc/callback finishes it and always clears that cookie, so a callback URL works once.
 */
import { createHmac } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import * as client from "openid-client";
import type { Role } from "~/db/schema";
import { getDb } from "~/db/db.server";
import { auditableEmail, recordAudit } from "~/models/audit.server";
import { endOidcAccountSessions, upsertOidcAccount } from "~/models/oidc-identity.server";
import { getEnv, OIDC_CALLBACK_PATH, type OidcConfig } from "~/utils/env.server";
import { claimAt, roleFromClaims } from "~/utils/oidc-roles";

const STATE_COOKIE_SECONDS = 600;

/** The configuration, or a 404: the routes exist only when OIDC_ISSUER is set. */
export function requireOidcConfig(): OidcConfig {
  const oidc = getEnv().oidc;
  if (!oidc) throw new Response("Not Found", { status: 404 });
  return oidc;
}

let discovered: { key: string; config: Promise<client.Configuration> } | null = null;

/**
 * The provider's metadata, fetched once per process (and again after a failure, so a provider
 * that was down at the first sign-in does not stay broken until a restart).
 */
function providerConfig(oidc: OidcConfig): Promise<client.Configuration> {
  const key = `${oidc.issuer.href}\n${oidc.clientId}`;
  if (discovered?.key !== key) {
    const config = client.discovery(oidc.issuer, oidc.clientId, oidc.clientSecret, undefined, {
      execute: oidc.allowInsecureHttp ? [client.allowInsecureRequests] : [],
      timeout: 10,
    });
    discovered = { key, config };
    config.catch(() => {
      if (discovered?.config === config) discovered = null;
    });
  }
  return discovered.config;
}

function stateCookie(oidc: OidcConfig) {
  // Signed with a key derived from the client secret: every server process has it, and
  // nothing else needs configuring.
  const secret = createHmac("sha256", oidc.clientSecret).update("trygghetsdialog/oidc-state-cookie").digest("base64url");
  // __Secure- where cookies are Secure (__Host- would need Path=/; this one stays on /logga-in/oidc).
  return createCookie(getEnv().secureCookies ? "__Secure-td_oidc" : "td_oidc", {
    httpOnly: true,
    sameSite: "lax", // the provider sends the browser back with a top-level GET
    secure: getEnv().secureCookies,
    path: "/logga-in/oidc",
    maxAge: STATE_COOKIE_SECONDS,
    secrets: [secret],
  });
}

interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  redirectTo: string;
  startedAt: number;
}

function redirectUriFor(oidc: OidcConfig, request: Request): string {
  return oidc.redirectUri ?? new URL(OIDC_CALLBACK_PATH, request.url).href;
}

/** A redirect to the provider's sign-in, with the pending sign-in in its cookie. */
export async function beginOidcSignIn(request: Request, redirectTo: string): Promise<Response> {
  const oidc = requireOidcConfig();
  const config = await providerConfig(oidc);
  const pending: PendingSignIn = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    redirectUri: redirectUriFor(oidc, request),
    redirectTo,
    startedAt: Date.now(),
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: pending.redirectUri,
    scope: oidc.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
  });
  return redirect(url.href, { headers: { "Set-Cookie": await stateCookie(oidc).serialize(pending), "Cache-Control": "no-store" } });
}

/** Why a sign-in through the provider did not happen; the callback page words each one. */
export type OidcFailure =
  /** No pending sign-in in this browser: the cookie expired, or the callback came twice. */
  | "expired"
  /** The person cancelled or was refused at the provider. */
  | "denied"
  /** The provider's answer did not check out (state, code, id_token) or it could not be reached. */
  | "failed"
  /** Signed in at the provider, but none of its groups maps to a role here. */
  | "no-role";

export type OidcResult =
  | { ok: true; userId: string; role: Role; redirectTo: string; clearCookie: string }
  | { ok: false; reason: OidcFailure; clearCookie: string };

/**
 * Finishes a sign-in: checks the provider's answer against the pending sign-in, exchanges the
 * code, reads the role the groups give (from the id_token, or from userinfo when the id_token
 * does not carry the claim), records the account and the event in the audit trail. The caller
 * starts the session.
 */
export async function finishOidcSignIn(request: Request, address: string): Promise<OidcResult> {
  const oidc = requireOidcConfig();
  const db = getDb();
  const cookie = stateCookie(oidc);
  const clearCookie = await cookie.serialize("", { maxAge: 0 });
  const pending = (await cookie.parse(request.headers.get("Cookie"))) as PendingSignIn | null;
  const fail = async (reason: OidcFailure, detail: { subject?: string; email?: string | null; userId?: string | null; groups?: number } = {}) => {
    await recordAudit({
      db,
      event: "sign-in-failed",
      accountId: detail.userId ?? null,
      email: detail.email ?? null,
      address,
      detail: { method: "oidc", reason, groups: detail.groups ?? null },
    });
    return { ok: false as const, reason, clearCookie };
  };
  if (!pending || typeof pending.state !== "string" || Date.now() - pending.startedAt > STATE_COOKIE_SECONDS * 1000) {
    return fail("expired");
  }

  let claims: Record<string, unknown>;
  try {
    const config = await providerConfig(oidc);
    // The URL the provider was told to come back to, with the answer's parameters: behind a proxy
    // request.url may say http:// where the registered redirect URI says https://.
    const current = new URL(pending.redirectUri);
    current.search = new URL(request.url).search;
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return fail("failed");
    claims = { ...idClaims };
    if (claimAt(claims, oidc.roleClaim) === undefined && config.serverMetadata().userinfo_endpoint) {
      // Keycloak and others can put groups in userinfo only; the id_token's claims win on overlap.
      const info = await client.fetchUserInfo(config, tokens.access_token, String(idClaims.sub));
      claims = { ...info, ...claims };
    }
  } catch (error) {
    if (error instanceof client.AuthorizationResponseError && error.error === "access_denied") return fail("denied");
    console.warn(`OpenID sign-in failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return fail("failed");
  }

  const issuer = String(claims.iss);
  const subject = String(claims.sub);
  const email = auditableEmail(stringClaim(claims, "email") ?? stringClaim(claims, "preferred_username") ?? stringClaim(claims, "upn"));
  const name = stringClaim(claims, "name");
  const decision = roleFromClaims(claims, oidc.roleClaim, oidc.roleMap);
  if (!decision.role) {
    if (decision.overage) {
      console.warn(
        `OpenID sign-in of ${email ?? subject} refused: the provider sent no "${oidc.roleClaim}" but a reference to them ` +
          "(too many groups). Send only the groups assigned to the application (README: Entra ID, step 4).",
      );
    }
    const userId = await endOidcAccountSessions({ db, issuer, subject });
    return fail("no-role", { subject, email, userId, groups: decision.seen });
  }
  const account = await upsertOidcAccount({ db, issuer, subject, email, name, role: decision.role });
  if (account.previousRole === null) {
    await recordAudit({ db, event: "account-created", accountId: account.userId, email, address, detail: { role: account.role, source: "oidc" } });
  } else if (account.previousRole !== account.role) {
    await recordAudit({
      db,
      event: "role-changed",
      accountId: account.userId,
      email,
      address,
      detail: { from: account.previousRole, to: account.role, source: "oidc" },
    });
  }
  await recordAudit({ db, event: "sign-in", accountId: account.userId, email, address, detail: { method: "oidc", role: account.role } });
  return { ok: true, userId: account.userId, role: account.role, redirectTo: pending.redirectTo, clearCookie };
}

/** A text claim fit to store: no control characters (PostgreSQL refuses a NUL), at most 200. */
function stringClaim(claims: Record<string, unknown>, name: string): string | null {
  const value = claims[name];
  if (typeof value !== "string") return null;
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return clean.length > 0 ? clean : null;
}

/** The label on the sign-in button, or null when OIDC is not configured. */
export function oidcButtonLabel(): { label: string | null } | null {
  const oidc = getEnv().oidc;
  return oidc ? { label: oidc.buttonLabel } : null;
}
