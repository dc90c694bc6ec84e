import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { Role } from "~/db/schema";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "~/i18n/react";
import { getDb } from "~/db/db.server";
import { countResponses } from "~/models/response.server";
import { listEditions } from "~/models/survey.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { getEnv } from "~/utils/env.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.meta.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["analyst", "facilitator"]);
  const { t } = await translatorFor(request);
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
  return {
    meta: { title: t("layout.titleSuffix", { title: t("staff.meta.title") }) },
    user: { email: user.email, role: user.role },
    editions: rows,
    passwordSignIn: getEnv().passwordSignIn,
  };
}

/** The staff pages, each for the roles that may open it (an admin may open all). */
const STAFF_LINKS: { to: string; label: string; roles: Role[] }[] = [
  { to: "/personal/resultat", label: "dashboard.staffLink", roles: ["analyst"] },
  { to: "/personal/fritext", label: "freeText.staffLink", roles: ["analyst"] },
  { to: "/personal/loften", label: "promises.staffLink", roles: ["analyst", "facilitator"] },
  { to: "/personal/utgavor", label: "surveyYear.editions.staffLink", roles: [] },
  { to: "/personal/svarsfrekvens", label: "surveyYear.rates.staffLink", roles: ["analyst"] },
  { to: "/personal/dialoger", label: "dialogue.staffLink", roles: ["facilitator"] },
  { to: "/personal/atgarder", label: "walk.staffLinks.actions", roles: ["facilitator"] },
  { to: "/personal/tips", label: "walk.staffLinks.tips", roles: ["facilitator"] },
  { to: "/personal/inmatning", label: "walk.staffLinks.paper", roles: ["analyst", "facilitator"] },
];

export default function StaffHome() {
  const { user, editions, passwordSignIn } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <h1>{t("staff.heading")}</h1>
      <p>
        <Trans
          i18nKey="staff.signedInAs"
          values={{ email: user.email, role: t(`staff.role.${user.role}`) }}
          components={[<bdi key="email" dir="ltr" />]}
        />
      </p>
      <ul className="staff-links">
        {STAFF_LINKS.filter((l) => user.role === "admin" || l.roles.includes(user.role as Role)).map((l) => (
          <li key={l.to}>
            <Link to={l.to}>{t(l.label)}</Link>
          </li>
        ))}
      </ul>
      <h2>{t("staff.safetySurveys")}</h2>
      <table>
        <caption className="visually-hidden">{t("staff.editionsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("staff.column.year")}</th>
            <th scope="col">{t("staff.column.status")}</th>
            <th scope="col" className="num">{t("staff.column.answers")}</th>
          </tr>
        </thead>
        <tbody>
          {editions.map((e) => (
            <tr key={e.id}>
              <th scope="row">
                <bdi>{e.year}</bdi>
                {e.demo ? ` (${t("staff.exampleData")})` : ""}
              </th>
              <td>{t(`staff.status.${e.status}`)}</td>
              <td className="num">{format.number(e.responses)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("staff.account.heading")}</h2>
      <ul>
        <li><Link to="/personal/sessioner">{t("staff.account.sessions")}</Link></li>
        {passwordSignIn ? (
          <>
            <li><Link to="/personal/losenord">{t("staff.account.password")}</Link></li>
            <li><Link to="/personal/tvastegs">{t("staff.account.secondFactor")}</Link></li>
          </>
        ) : null}
        {user.role === "admin" ? (
          <li><Link to="/personal/logg">{t("auditLog.link")}</Link></li>
        ) : null}
        {user.role === "admin" ? (
          <li><Link to="/personal/sakerhet">{t("staff.account.security")}</Link></li>
        ) : null}
      </ul>
      <p>
        <Link to="/">{t("common.toStartPage")}</Link>
      </p>
    </>
  );
}
