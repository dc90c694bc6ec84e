/**
 * The staff CSV downloads (resource routes: a page's loader cannot answer a browser's request
 * with a file). The same guard as the pages, with a refusal a person can read: anonymous → the
 * sign-in page, a role not allowed → 403 with the page's "access denied" text in their language.
 */
import type { Role } from "~/db/schema";
import { translatorFor } from "~/i18n/i18n.server";
import { requireRole, type SessionUser } from "~/utils/session.server";

export async function requireRoleForFile(request: Request, roles: Role[]): Promise<SessionUser> {
  try {
    return await requireRole(request, roles);
  } catch (error) {
    if (error instanceof Response && error.status === 403) {
      const { t } = await translatorFor(request);
      throw new Response(`${t("error.forbidden.title")}: ${t("error.forbidden.noAccess")}`, {
        status: 403,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    throw error;
  }
}

/** A CSV download's answer. */
export function csvFile(text: string, name: string): Response {
  return new Response(text, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
