/** A facilitator's dialogue sessions (an admin sees everyone's) and the form to create one. */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { createSession, listSessions, SESSION_KINDS, SessionInputError } from "~/models/dialogue-session.server";
import { areaNames } from "~/models/results-view.server";
import { listOpenEditions, seriesTitle } from "~/models/survey.server";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/dialogue.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

const ROLES = ["facilitator" as const];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ROLES);
  const { t, language } = await translatorFor(request);
  const db = getDb();
  const sessions = await listSessions({ db, viewer: user });
  const editions = (await listOpenEditions({ db })).map((e) => ({ id: e.id, title: `${seriesTitle({ seriesId: e.series_id, language, fallback: e.title_sv })} ${e.year}` }));
  return {
    title: t("layout.titleSuffix", { title: t("dialogue.list.title") }),
    isAdmin: user.role === "admin",
    sessions: sessions.map((s) => ({ id: s.id, code: s.code, kind: s.kind, place: s.place, heldOn: s.held_on, status: s.status, answers: s.answers, facilitator: s.facilitator_email })),
    editions,
    areas: areaNames("trygghetsmatning", language),
    kinds: SESSION_KINDS,
    today: new Date().toISOString().slice(0, 10),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await requireStaffForm(request, ROLES);
  const text = (name: string) => String(form.get(name) ?? "").trim();
  try {
    const session = await createSession({
      db: getDb(),
      kind: text("kind"),
      editionId: text("edition"),
      place: text("place"),
      area: text("area"),
      heldOn: text("heldOn"),
      facilitatorId: user.id,
    });
    return redirect(`/personal/dialoger/${session.id}`);
  } catch (error) {
    if (error instanceof SessionInputError) return { error: "invalid" as const, values: Object.fromEntries([...form.entries()].filter(([k]) => k !== "csrf").map(([k, v]) => [k, String(v)])) };
    throw error;
  }
}

export default function DialogueList() {
  const { sessions, editions, areas, kinds, today, isAdmin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const format = useFormat();
  const values = actionData?.values ?? {};
  return (
    <>
      <h1>{t("dialogue.list.heading")}</h1>
      <p>{isAdmin ? t("dialogue.list.leadAdmin") : t("dialogue.list.lead")}</p>
      {sessions.length === 0 ? (
        <p>{t("dialogue.list.none")}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t("dialogue.list.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dialogue.field.place")}</th>
              <th scope="col">{t("dialogue.field.kind")}</th>
              <th scope="col">{t("dialogue.field.date")}</th>
              <th scope="col">{t("dialogue.field.code")}</th>
              <th scope="col">{t("dialogue.field.status")}</th>
              <th scope="col" className="num">{t("dialogue.field.answers")}</th>
              {isAdmin ? <th scope="col">{t("dialogue.field.facilitator")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={`/personal/dialoger/${s.id}`}>{s.place}</Link>
                </th>
                <td>{t(`dialogue.kind.${s.kind}`)}</td>
                <td>{format.date(s.heldOn)}</td>
                <td><bdi dir="ltr" className="session-code">{s.code}</bdi></td>
                <td>{t(`dialogue.status.${s.status}`)}</td>
                <td className="num">{format.number(s.answers)}</td>
                {isAdmin ? <td><bdi dir="ltr">{s.facilitator}</bdi></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t("dialogue.create.heading")}</h2>
      {actionData?.error ? (
        <p className="notice notice-error" role="alert">{t("dialogue.create.invalid")}</p>
      ) : null}
      <StaffForm className="stack form-narrow dialogue-form">
        <label htmlFor="kind">{t("dialogue.field.kind")}</label>
        <select id="kind" name="kind" required defaultValue={values.kind ?? "medborgardialog"}>
          {kinds.map((k) => (
            <option key={k} value={k}>{t(`dialogue.kind.${k}`)}</option>
          ))}
        </select>
        <label htmlFor="edition">{t("dialogue.field.edition")}</label>
        <select id="edition" name="edition" required defaultValue={values.edition ?? editions.find((e) => e.id.startsWith("medborgardialog"))?.id}>
          {editions.map((e) => (
            <option key={e.id} value={e.id}>{e.title}</option>
          ))}
        </select>
        <label htmlFor="place">{t("dialogue.field.place")}</label>
        <input id="place" name="place" required maxLength={200} defaultValue={values.place ?? ""} />
        <label htmlFor="area">{t("dialogue.field.area")}</label>
        <select id="area" name="area" required defaultValue={values.area ?? ""}>
          <option value="" disabled>{t("dialogue.create.chooseArea")}</option>
          {areas.map((a) => (
            <option key={a.code} value={a.code}>{a.name}</option>
          ))}
        </select>
        <label htmlFor="heldOn">{t("dialogue.field.date")}</label>
        <input id="heldOn" name="heldOn" type="date" required defaultValue={values.heldOn ?? today} />
        <button type="submit">{t("dialogue.create.submit")}</button>
      </StaffForm>
      <p>
        <Link to="/personal">{t("staff.backToStaff")}</Link>
      </p>
    </>
  );
}
