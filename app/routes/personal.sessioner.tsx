/** One's own active sessions (where and when signed in) and "sign out everywhere". */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { recordAudit } from "~/models/audit.server";
import { deleteUserSessions, listUserSessions } from "~/models/session.server";
import { ROLES } from "~/models/user.server";
import { useLocale } from "~/root";
import { formatDateTime, t } from "~/utils/i18n";
import { clearSessionCookie, requireRole, requireStaffForm, sessionTimeouts } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Mina inloggningar – Trygghetsdialog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ROLES);
  const sessions = await listUserSessions({ db: getDb(), userId: user.id, currentSessionId: user.session_id, timeouts: sessionTimeouts() });
  return { sessions, idleMinutes: sessionTimeouts().idleMinutes };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = await requireStaffForm(request, ROLES);
  await deleteUserSessions({ db: getDb(), userId: user.id });
  await recordAudit({ db: getDb(), event: "sign-out", accountId: user.id, email: user.email, address: context.clientAddress ?? "unknown", detail: { change: "all-sessions" } });
  return redirect("/logga-in", { headers: { "Set-Cookie": await clearSessionCookie() } });
}

export default function MySessions() {
  const { sessions, idleMinutes } = useLoaderData<typeof loader>();
  const locale = useLocale();
  return (
    <>
      <h1>{t(locale, { sv: "Mina inloggningar", en: "My sessions" })}</h1>
      <p>
        {t(locale, {
          sv: `Här är de webbläsare där du är inloggad just nu. En inloggning upphör efter ${idleMinutes} minuter utan aktivitet. Känner du inte igen en av dem: logga ut överallt och byt lösenord.`,
          en: `These are the browsers where you are signed in right now. A session ends after ${idleMinutes} minutes without activity. If you do not recognise one: sign out everywhere and change your password.`,
        })}
      </p>
      <table>
        <caption className="visually-hidden">{t(locale, { sv: "Aktiva inloggningar", en: "Active sessions" })}</caption>
        <thead>
          <tr>
            <th scope="col">{t(locale, { sv: "Webbläsare", en: "Browser" })}</th>
            <th scope="col">{t(locale, { sv: "Inloggad", en: "Signed in" })}</th>
            <th scope="col">{t(locale, { sv: "Senast aktiv", en: "Last active" })}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s, i) => (
            <tr key={i}>
              <th scope="row">
                {s.userAgent || t(locale, { sv: "Okänd webbläsare", en: "Unknown browser" })}
                {s.current ? ` (${t(locale, { sv: "den här", en: "this one" })})` : ""}
              </th>
              <td>{formatDateTime(locale, s.createdAt)}</td>
              <td>{formatDateTime(locale, s.lastSeenAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <StaffForm>
        <button type="submit">{t(locale, { sv: "Logga ut överallt", en: "Sign out everywhere" })}</button>
      </StaffForm>
      <p>
        <Link to="/personal">{t(locale, { sv: "Tillbaka till personalsidan", en: "Back to the staff page" })}</Link>
      </p>
    </>
  );
}
