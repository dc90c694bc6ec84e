/**
 * /personal/logg: the audit trail for admins (decision 023), newest first, 50 a page, filtered by
 * event. Analysts and facilitators get 403 (tests/security/route-policy.ts).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db/db.server";
import { AUDIT_EVENTS, isAuditEvent, listAuditEvents } from "~/models/audit.server";
import { useLocale } from "~/root";
import { getEnv } from "~/utils/env.server";
import type { Language } from "~/i18n/languages";
import { t } from "~/utils/i18n";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Logg – Trygghetsdialog" }];

const PAGE_SIZE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const url = new URL(request.url);
  const wanted = url.searchParams.get("handelse");
  const event = isAuditEvent(wanted) ? wanted : null;
  const page = Number.parseInt(url.searchParams.get("sida") ?? "1", 10);
  const result = await listAuditEvents({ db: getDb(), event, page: Number.isFinite(page) ? page : 1, pageSize: PAGE_SIZE });
  return {
    event,
    retentionDays: getEnv().auditRetentionDays,
    ...result,
    rows: result.rows.map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null })),
  };
}

function formatTime(locale: Language, iso: string): string {
  return new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", {
    dateStyle: "short",
    timeStyle: "medium",
    timeZone: "Europe/Stockholm",
  }).format(new Date(iso));
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
  const locale = useLocale();
  return (
    <>
      <h1>{t(locale, { sv: "Logg över säkerhetshändelser", en: "Security event log" })}</h1>
      <p>
        {t(locale, {
          sv: `Inloggningar, utloggningar, ändrade konton och roller och exporter, med tid, konto och adress. Händelser sparas i ${retentionDays} dagar. Lösenord, koder och enkätsvar loggas aldrig.`,
          en: `Sign-ins, sign-outs, changed accounts and roles, and exports, with time, account and address. Events are kept for ${retentionDays} days. Passwords, codes and survey answers are never logged.`,
        })}
      </p>
      <Form method="get" className="audit-filter">
        <div className="stack">
          <label htmlFor="handelse">{t(locale, { sv: "Händelse", en: "Event" })}</label>
          <select id="handelse" name="handelse" defaultValue={event ?? ""}>
            <option value="">{t(locale, { sv: "Alla händelser", en: "All events" })}</option>
            {Object.entries(AUDIT_EVENTS).map(([key, name]) => (
              <option key={key} value={key}>
                {t(locale, name)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t(locale, { sv: "Visa", en: "Show" })}</button>
      </Form>
      <p role="status">
        {t(locale, { sv: `${total} händelser, sida ${page} av ${pages}.`, en: `${total} events, page ${page} of ${pages}.` })}
      </p>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">{t(locale, { sv: "Händelser, nyast först", en: "Events, newest first" })}</caption>
          <thead>
            <tr>
              <th scope="col">{t(locale, { sv: "Tid", en: "Time" })}</th>
              <th scope="col">{t(locale, { sv: "Händelse", en: "Event" })}</th>
              <th scope="col">{t(locale, { sv: "Konto", en: "Account" })}</th>
              <th scope="col">{t(locale, { sv: "Adress", en: "Address" })}</th>
              <th scope="col">{t(locale, { sv: "Detaljer", en: "Details" })}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <time dateTime={r.at}>{formatTime(locale, r.at)}</time>
                </td>
                <td>{isAuditEvent(r.event) ? t(locale, AUDIT_EVENTS[r.event]) : r.event}</td>
                <td>{r.email ?? (r.account_id ? r.account_id.slice(0, 8) : "–")}</td>
                <td>{r.address}</td>
                <td>
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
      <nav className="pager" aria-label={t(locale, { sv: "Sidor", en: "Pages" })}>
        {page > 1 ? <Link to={pageLink(event, page - 1)}>{t(locale, { sv: "Nyare händelser", en: "Newer events" })}</Link> : null}
        {page < pages ? <Link to={pageLink(event, page + 1)}>{t(locale, { sv: "Äldre händelser", en: "Older events" })}</Link> : null}
      </nav>
    </>
  );
}
