/**
 * The audit trail (decision 023): sign-ins, failed sign-ins, sign-outs, account and role changes,
 * exports of free text, invitation codes and the database, each with its time, account and the
 * client's address. Readable by admins at /personal/logg; kept AUDIT_RETENTION_DAYS days.
 *
 * What it never holds: a password, a token or code of any kind, a survey answer. The detail is a
 * small object of the keys in AUDIT_DETAIL_KEYS with short scalar values; anything else is a
 * programming error and throws, so a careless call fails its test instead of leaking.
 */
import os from "node:os";
import { randomUUID } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { AuditEventRow } from "~/db/schema";

/** Every event the trail knows; the admin page names each from `auditLog.event.<camelCase>`. */
export const AUDIT_EVENTS = {
  "sign-in": true,
  "sign-in-failed": true,
  "sign-out": true,
  "account-created": true,
  "account-changed": true,
  "role-changed": true,
  "export-free-text": true,
  "export-invitation-codes": true,
  "export-database": true,
  "audit-purged": true,
} as const;

export type AuditEvent = keyof typeof AUDIT_EVENTS;

export function isAuditEvent(value: unknown): value is AuditEvent {
  return typeof value === "string" && Object.hasOwn(AUDIT_EVENTS, value);
}

/**
 * The keys a detail may carry. Add a key here when a new call site needs one, and never one
 * that could hold a secret or an answer.
 *   method  "password" | "oidc" | "cli" · reason  why a sign-in failed · role, from, to  roles
 *   source  what made a change ("oidc", "cli", "admin") · change  what changed on an account
 *   series, year, rows, count  what an export held · target  where it went (a file name)
 *   groups  how many groups the provider named · days  a retention period
 */
export const AUDIT_DETAIL_KEYS = [
  "method", "reason", "role", "from", "to", "source", "change",
  "series", "year", "rows", "count", "target", "groups", "days",
] as const;

export type AuditDetail = Partial<Record<(typeof AUDIT_DETAIL_KEYS)[number], string | number | boolean | null>>;

const MAX_TEXT = 200;

function checkedDetail(detail: AuditDetail | undefined): string | null {
  if (!detail) return null;
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(detail)) {
    if (!(AUDIT_DETAIL_KEYS as readonly string[]).includes(key)) {
      throw new Error(`recordAudit: detail key "${key}" is not allowed (see AUDIT_DETAIL_KEYS)`);
    }
    if (value !== null && !["string", "number", "boolean"].includes(typeof value)) {
      throw new Error(`recordAudit: detail "${key}" must be a string, number, boolean or null`);
    }
    out[key] = typeof value === "string" ? value.slice(0, MAX_TEXT) : value;
  }
  return Object.keys(out).length > 0 ? JSON.stringify(out) : null;
}

/**
 * An address someone typed into a sign-in form, fit to keep: people type their password into
 * the e-mail field by mistake, so anything that is not shaped like an address is not kept.
 */
export function auditableEmail(typed: string | null | undefined): string | null {
  const value = (typed ?? "").trim().toLowerCase();
  // No control characters either: PostgreSQL refuses a NUL in text.
  return /^[^\s@\u0000-\u001f\u007f]{1,64}@[^\s@\u0000-\u001f\u007f]+\.[^\s@\u0000-\u001f\u007f]{2,}$/.test(value) && value.length <= 254 ? value : null;
}

/** The address the command line records: who ran it on which machine. */
export function cliAddress(): string {
  let user = "unknown";
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the machine name still says where it ran.
  }
  return `cli (${user}@${os.hostname()})`;
}

/** Stores one event now; `detail` is checked as described above. */
export async function recordAudit({
  db,
  event,
  accountId = null,
  email = null,
  address,
  detail,
  at = new Date(),
}: {
  db: Db;
  event: AuditEvent;
  accountId?: string | null;
  email?: string | null;
  address: string;
  detail?: AuditDetail;
  at?: Date;
}): Promise<void> {
  if (!isAuditEvent(event)) throw new Error(`recordAudit: unknown event "${String(event)}"`);
  await db
    .insertInto("audit_event")
    .values({
      id: randomUUID(),
      at: at.toISOString(),
      event,
      account_id: accountId,
      email: email ? email.slice(0, 254) : null,
      address: address.slice(0, 100) || "unknown",
      detail: checkedDetail(detail),
    })
    .execute();
}

export interface AuditPage {
  rows: AuditEventRow[];
  total: number;
  page: number;
  pages: number;
}

/** Newest first, `pageSize` a page (page 1 is the newest), optionally one event only. */
export async function listAuditEvents({
  db,
  event,
  page = 1,
  pageSize = 50,
}: {
  db: Db;
  event?: AuditEvent | null;
  page?: number;
  pageSize?: number;
}): Promise<AuditPage> {
  let query = db.selectFrom("audit_event");
  if (event) query = query.where("event", "=", event);
  const counted = await query.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow();
  const total = Number(counted.n);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  const rows = await query
    .selectAll()
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(pageSize)
    .offset((current - 1) * pageSize)
    .execute();
  return { rows, total, page: current, pages };
}

/** Deletes events older than `days` days; returns how many went. */
export async function purgeAuditEvents({ db, days, now = new Date() }: { db: Db; days: number; now?: Date }): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const result = await db.deleteFrom("audit_event").where("at", "<", cutoff).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
