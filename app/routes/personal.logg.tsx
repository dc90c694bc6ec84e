/**
 * /personal/logg: the audit trail for admins (decision 023), newest first, 50 a page, filtered by
 * event. Analysts and facilitators get 403 (tests/security/route-policy.ts).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { LANGUAGE_INFO, type Language } from "~/i18n/languages";
import { AUDIT_EVENTS, isAuditEvent, listAuditEvents } from "~/models/audit.server";
import { useLocale } from "~/root";
import { getEnv } from "~/utils/env.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.meta.title }] : []);

const PAGE_SIZE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const url = new URL(request.url);
  const wanted = url.searchParams.get("handelse");
  const event = isAuditEvent(wanted) ? wanted : null;
  const page = Number.parseInt(url.searchParams.get("sida") ?? "1", 10);
  const { t } = await translatorFor(request);
  const result = await listAuditEvents({ db: getDb(), event, page: Number.isFinite(page) ? page : 1, pageSize: PAGE_SIZE });
  return {
    meta: { title: t("auditLog.meta.title") },
    event,
    retentionDays: getEnv().auditRetentionDays,
    ...result,
    rows: result.rows.map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null })),
  };
}

/** Date and time in Swedish time (the municipality's), the page language's way. */
function formatTime(language: Language, iso: string): string {
  return new Intl.DateTimeFormat(LANGUAGE_INFO[language].intl, {
    dateStyle: "short",
    timeStyle: "medium",
    timeZone: "Europe/Stockholm",
  }).format(new Date(iso));
}

/** `sign-in-failed` → `auditLog.event.signInFailed`. */
function eventKey(event: string): string {
  return `auditLog.event.${event.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}`;
}

function pageLink(event: string | null, page: number): string {
  const params = new URLSearchParams();
  if (event) params.set("handelse", event);
  if (page > 1) params.set("sida", String(page));
  const query = params.toString();
  return query ? `/personal/logg?${query}` : "/personal/logg";
}

export default function AuditLog() {
  const { event, rows, total, page, pages, retentionDays } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const language = useLocale();
  return (
    <>
      <h1>{t("auditLog.heading")}</h1>
      <p>{t("auditLog.intro", { days: retentionDays })}</p>
      <Form method="get" className="audit-filter">
        <div className="stack">
          <label htmlFor="handelse">{t("auditLog.filter.label")}</label>
          <select id="handelse" name="handelse" defaultValue={event ?? ""}>
            <option value="">{t("auditLog.filter.all")}</option>
            {Object.keys(AUDIT_EVENTS).map((key) => (
              <option key={key} value={key}>
                {t(eventKey(key))}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("auditLog.filter.show")}</button>
      </Form>
      <p role="status">{t("auditLog.summary", { count: total, page, pages })}</p>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">{t("auditLog.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("auditLog.column.time")}</th>
              <th scope="col">{t("auditLog.column.event")}</th>
              <th scope="col">{t("auditLog.column.account")}</th>
              <th scope="col">{t("auditLog.column.address")}</th>
              <th scope="col">{t("auditLog.column.details")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <time dateTime={r.at}>{formatTime(language, r.at)}</time>
                </td>
                <td>{isAuditEvent(r.event) ? t(eventKey(r.event)) : r.event}</td>
                <td>{r.email ?? (r.account_id ? r.account_id.slice(0, 8) : "–")}</td>
                <td dir="ltr">{r.address}</td>
                <td dir="ltr">
                  {r.detail
                    ? Object.entries(r.detail)
                        .filter(([, v]) => v !== null)
                        .map(([k, v]) => `${k}: ${String(v)}`)
                        .join(", ")
                    : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={t("auditLog.pages")}>
        {page > 1 ? <Link to={pageLink(event, page - 1)}>{t("auditLog.newer")}</Link> : null}
        {page < pages ? <Link to={pageLink(event, page + 1)}>{t("auditLog.older")}</Link> : null}
      </nav>
    </>
  );
}
