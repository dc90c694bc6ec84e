/**
 * Reads process.env once and validates it. Everything configurable lives here.
 */
import os from "node:os";
import path from "node:path";
import { openOptionsFromEnv, parseDatabaseUrl, type DatabaseConfig, type OpenOptions } from "~/db/config.server";

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
  surveysDir: string;
  /** Worker threads that validate submissions; 0 = on the main thread. */
  validationThreads: number;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  return !/^(0|false|off|no)$/i.test(value.trim());
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
    surveysDir: path.resolve(process.env.SURVEYS_DIR ?? "surveys"),
    validationThreads: wholeNumber("VALIDATION_THREADS", Math.max(1, Math.min(4, os.availableParallelism() - 1))),
  };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
