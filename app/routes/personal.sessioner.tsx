/** One's own active sessions (where and when signed in) and "sign out everywhere". */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { recordAudit } from "~/models/audit.server";
import { deleteUserSessions, listUserSessions } from "~/models/session.server";
import { ROLES } from "~/models/user.server";
import { useTranslation } from "~/i18n/react";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { clearSessionCookie, requireRole, requireStaffForm, sessionTimeouts } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ROLES);
  const sessions = await listUserSessions({ db: getDb(), userId: user.id, currentSessionId: user.session_id, timeouts: sessionTimeouts() });
  const { t } = await translatorFor(request);
  return { title: t("staffSessions.meta.title"), sessions, idleMinutes: sessionTimeouts().idleMinutes };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = await requireStaffForm(request, ROLES);
  await deleteUserSessions({ db: getDb(), userId: user.id });
  await recordAudit({ db: getDb(), event: "sign-out", accountId: user.id, email: user.email, address: context.clientAddress ?? "unknown", detail: { change: "all-sessions" } });
  return redirect("/logga-in", { headers: { "Set-Cookie": await clearSessionCookie() } });
}

export default function MySessions() {
  const { sessions, idleMinutes } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <h1>{t("staffSessions.heading")}</h1>
      <p>
        {t("staffSessions.lead", { minutes: idleMinutes })}
      </p>
      <table>
        <caption className="visually-hidden">{t("staffSessions.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("staffSessions.browser")}</th>
            <th scope="col">{t("staffSessions.signedIn")}</th>
            <th scope="col">{t("staffSessions.lastActive")}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s, i) => (
            <tr key={i}>
              <th scope="row">
                {s.userAgent || t("staffSessions.unknownBrowser")}
                {s.current ? ` (${t("staffSessions.thisOne")})` : ""}
              </th>
              <td>{format.dateTime(s.createdAt)}</td>
              <td>{format.dateTime(s.lastSeenAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <StaffForm>
        <button type="submit">{t("staffSessions.signOutEverywhere")}</button>
      </StaffForm>
      <p>
        <Link to="/personal">{t("staff.backToStaff")}</Link>
      </p>
    </>
  );
}
