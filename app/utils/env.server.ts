/**
 * Reads process.env once and validates it. Everything configurable lives here.
 */
import os from "node:os";
import path from "node:path";
import { openOptionsFromEnv, parseDatabaseUrl, type DatabaseConfig, type OpenOptions } from "~/db/config.server";
import type { Role } from "~/db/schema";

export type { DatabaseConfig };

export interface Env {
  port: number;
  database: DatabaseConfig;
  demoData: boolean;
  nodeEnv: string;
  /** Serve cookies with Secure (behind HTTPS). Default: on in production. */
  secureCookies: boolean;
  /** Trust X-Forwarded-* from a reverse proxy (for Secure detection and rate limits). */
  trustProxy: boolean;
  /** Connection options (SQLITE_*, PG_*), read by app/db/config.server.ts. */
  databaseOptions: Required<OpenOptions>;
  /** Sign-in through the municipality's OpenID provider; null when OIDC_ISSUER is unset. */
  oidc: OidcConfig | null;
  /** Days the audit trail keeps an event (AUDIT_RETENTION_DAYS). */
  auditRetentionDays: number;
  surveysDir: string;
  /** Worker threads that validate submissions; 0 = on the main thread. */
  validationThreads: number;
  /** A staff session ends after this many minutes without a request (SESSION_IDLE_MINUTES). */
  sessionIdleMinutes: number;
  /** …and at the latest this many hours after sign-in (SESSION_MAX_HOURS). */
  sessionMaxHours: number;
  /** Sign-in with e-mail and password; `PASSWORD_SIGNIN=off` leaves only the identity provider. */
  passwordSignIn: boolean;
  /** The Chromium that prints PDFs (CHROMIUM_PATH; decision 031); null = no PDF downloads. */
  chromiumPath: string | null;
  /** Where that Chromium reads the page it prints (PDF_SOURCE_ORIGIN); null = the request's own origin. */
  pdfSourceOrigin: string | null;
}

/** Sign-in through an OpenID provider (decision 022), from the OIDC_* variables. */
export interface OidcConfig {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back; null: this site's own /logga-in/oidc/callback. */
  redirectUri: string | null;
  scopes: string;
  /** The claim holding groups or roles; a dotted path reaches into objects (`realm_access.roles`). */
  roleClaim: string;
  /** A group's id or name at the provider → the role it gives here. */
  roleMap: Map<string, Role>;
  /** The provider's name on the sign-in button; null: "kommunens konto". */
  buttonLabel: string | null;
  /** Plain HTTP to a loopback issuer, for tests only (OIDC_ALLOW_INSECURE_HTTP=on). */
  allowInsecureHttp: boolean;
}

export const OIDC_CALLBACK_PATH = "/logga-in/oidc/callback";
const ROLE_NAMES: Role[] = ["admin", "analyst", "facilitator"];
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * `"<group>=admin,<group>=analyst"` (commas, semicolons or line breaks between entries; the
 * last `=` splits, so a name may hold one). Unknown roles and empty maps are errors.
 */
export function parseRoleMap(raw: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const entry of raw.split(/[,;\n]/).map((e) => e.trim()).filter(Boolean)) {
    const at = entry.lastIndexOf("=");
    const group = at > 0 ? entry.slice(0, at).trim() : "";
    const role = at > 0 ? entry.slice(at + 1).trim() : "";
    if (!group || !(ROLE_NAMES as string[]).includes(role)) {
      throw new Error(`OIDC_ROLE_MAP: "${entry}" is not <group>=${ROLE_NAMES.join("|")}`);
    }
    map.set(group, role as Role);
  }
  if (map.size === 0) throw new Error("OIDC_ROLE_MAP maps no group to a role: nobody could sign in");
  return map;
}

/** The OIDC_* variables, validated; null when OIDC_ISSUER is unset (passwords only). */
export function parseOidcConfig(vars: Record<string, string | undefined>): OidcConfig | null {
  const issuerText = vars.OIDC_ISSUER?.trim();
  if (!issuerText) return null;
  const need = (name: string) => {
    const value = vars[name]?.trim();
    if (!value) throw new Error(`${name} is required when OIDC_ISSUER is set`);
    return value;
  };
  let issuer: URL;
  try {
    issuer = new URL(issuerText);
  } catch {
    throw new Error(`OIDC_ISSUER is not a URL: ${issuerText}`);
  }
  const allowInsecureHttp = flag(vars.OIDC_ALLOW_INSECURE_HTTP, false);
  const plainOk = (url: URL) => url.protocol === "https:" || (allowInsecureHttp && url.protocol === "http:" && LOOPBACK.has(url.hostname));
  if (!plainOk(issuer)) {
    throw new Error(`OIDC_ISSUER must be an https:// URL (plain HTTP only to a loopback address with OIDC_ALLOW_INSECURE_HTTP=on, for tests): ${issuerText}`);
  }
  let redirectUri: string | null = null;
  if (vars.OIDC_REDIRECT_URI?.trim()) {
    let url: URL;
    try {
      url = new URL(vars.OIDC_REDIRECT_URI.trim());
    } catch {
      throw new Error(`OIDC_REDIRECT_URI is not a URL: ${vars.OIDC_REDIRECT_URI}`);
    }
    if (url.pathname !== OIDC_CALLBACK_PATH || url.search || url.hash) {
      throw new Error(`OIDC_REDIRECT_URI must end in ${OIDC_CALLBACK_PATH} (this site's callback): ${url.href}`);
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
      throw new Error(`OIDC_REDIRECT_URI must be https:// (or http:// to a loopback address): ${url.href}`);
    }
    redirectUri = url.href;
  }
  const scopes = (vars.OIDC_SCOPES?.trim() || "openid email profile").split(/\s+/);
  if (!scopes.includes("openid")) scopes.unshift("openid");
  return {
    issuer,
    clientId: need("OIDC_CLIENT_ID"),
    clientSecret: need("OIDC_CLIENT_SECRET"),
    redirectUri,
    scopes: scopes.join(" "),
    roleClaim: vars.OIDC_ROLE_CLAIM?.trim() || "groups",
    roleMap: parseRoleMap(need("OIDC_ROLE_MAP")),
    buttonLabel: vars.OIDC_BUTTON_LABEL?.trim() || null,
    allowInsecureHttp,
  };
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  return !/^(0|false|off|no)$/i.test(value.trim());
}

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a number > 0; got "${raw}"`);
  return value;
}

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0`);
  return value;
}

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const nodeEnv = process.env.NODE_ENV ?? "development";
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a port number: ${process.env.PORT}`);
  cached = {
    port,
    database: parseDatabaseUrl(process.env.DATABASE_URL),
    demoData: flag(process.env.DEMO_DATA, true),
    nodeEnv,
    secureCookies: flag(process.env.SECURE_COOKIES, nodeEnv === "production"),
    trustProxy: flag(process.env.TRUST_PROXY, false),
    databaseOptions: openOptionsFromEnv(process.env),
    oidc: parseOidcConfig(process.env),
    auditRetentionDays: Math.max(1, wholeNumber("AUDIT_RETENTION_DAYS", 365)),
    surveysDir: path.resolve(process.env.SURVEYS_DIR ?? "surveys"),
    validationThreads: wholeNumber("VALIDATION_THREADS", Math.max(1, Math.min(4, os.availableParallelism() - 1))),
    sessionIdleMinutes: positiveNumber("SESSION_IDLE_MINUTES", 30),
    sessionMaxHours: positiveNumber("SESSION_MAX_HOURS", 12),
    passwordSignIn: flag(process.env.PASSWORD_SIGNIN, true),
    chromiumPath: process.env.CHROMIUM_PATH === "off" ? null : process.env.CHROMIUM_PATH?.trim() || "/usr/bin/chromium",
    pdfSourceOrigin: process.env.PDF_SOURCE_ORIGIN?.trim().replace(/\/$/, "") || null,
  };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
