import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db/db.server";
import { countResponses } from "~/models/response.server";
import { listEditions } from "~/models/survey.server";
import { useLocale } from "~/root";
import { t } from "~/utils/i18n";
import { useTranslation } from "react-i18next";
import { getEnv } from "~/utils/env.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Personal – Trygghetsdialog" }];

const ROLE_NAMES = {
  admin: { sv: "administratör", en: "administrator" },
  analyst: { sv: "analytiker", en: "analyst" },
  facilitator: { sv: "samtalsledare", en: "facilitator" },
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["analyst", "facilitator"]);
  const db = getDb();
  const editions = await listEditions({ db, seriesId: "trygghetsmatning" });
  const rows = await Promise.all(
    editions.map(async (e) => ({
      id: e.id,
      year: e.year,
      status: e.status,
      demo: e.is_demo === 1,
      responses: await countResponses({ db, editionId: e.id }),
    })),
  );
  return { user: { email: user.email, role: user.role }, editions: rows, passwordSignIn: getEnv().passwordSignIn };
}

export default function StaffHome() {
  const { user, editions, passwordSignIn } = useLoaderData<typeof loader>();
  const locale = useLocale();
  // This page's own texts move to the catalogs with the i18n work; the account links are there already.
  const { t: tr } = useTranslation();
  const statusText = {
    open: { sv: "öppen", en: "open" },
    closed: { sv: "stängd", en: "closed" },
    draft: { sv: "utkast", en: "draft" },
  };
  return (
    <>
      <h1>{t(locale, { sv: "Personal", en: "Staff" })}</h1>
      <p>
        {t(locale, { sv: "Inloggad som", en: "Signed in as" })} {user.email} ({t(locale, ROLE_NAMES[user.role])})
      </p>
      <h2>{t(locale, { sv: "Trygghetsmätningar", en: "Safety surveys" })}</h2>
      <table>
        <caption className="visually-hidden">{t(locale, { sv: "Utgåvor och antal svar", en: "Editions and number of answers" })}</caption>
        <thead>
          <tr>
            <th scope="col">{t(locale, { sv: "År", en: "Year" })}</th>
            <th scope="col">{t(locale, { sv: "Status", en: "Status" })}</th>
            <th scope="col" className="num">{t(locale, { sv: "Svar", en: "Answers" })}</th>
          </tr>
        </thead>
        <tbody>
          {editions.map((e) => (
            <tr key={e.id}>
              <th scope="row">
                {e.year}
                {e.demo ? ` (${t(locale, { sv: "exempeldata", en: "example data" })})` : ""}
              </th>
              <td>{t(locale, statusText[e.status])}</td>
              <td className="num">{e.responses}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{tr("staff.account.heading")}</h2>
      <ul>
        <li><Link to="/personal/sessioner">{tr("staff.account.sessions")}</Link></li>
        {passwordSignIn ? (
          <>
            <li><Link to="/personal/losenord">{tr("staff.account.password")}</Link></li>
            <li><Link to="/personal/tvastegs">{tr("staff.account.secondFactor")}</Link></li>
          </>
        ) : null}
        {user.role === "admin" ? (
          <li><Link to="/personal/logg">{tr("auditLog.link")}</Link></li>
        ) : null}
        {user.role === "admin" ? (
          <li><Link to="/personal/sakerhet">{tr("staff.account.security")}</Link></li>
        ) : null}
      </ul>
      <p>
        <Link to="/">{t(locale, { sv: "Till startsidan", en: "To the start page" })}</Link>
      </p>
    </>
  );
}
