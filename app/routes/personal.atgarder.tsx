/**
 * The safety walks' open actions by area and responsible party (issue 17, item 6; decision 028):
 * status changes with the date and who, each change kept (history under every action), a change
 * made from an outdated page refused with what the action now says; CSV for Swedish Excel at
 * /personal/atgarder.csv (the same filters). A facilitator sees and changes only the actions of their own sessions, an
 * admin all.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { areaNames } from "~/models/results-view.server";
import { actionHistories, changeActionStatus, listActions, WalkError } from "~/models/walk.server";
import { parseActionFilters } from "~/walks/action-filters";
import { isDate, isWalkStatus, WALK_RESPONSIBLE, WALK_STATUSES } from "~/walks/stop";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const links = () => [{ rel: "stylesheet", href: "/styles/walks.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["facilitator"]);
  const { language, t } = await translatorFor(request);
  const db = getDb();
  const url = new URL(request.url);
  const areas = areaNames("trygghetsmatning", language);
  const { area, responsible, includeClosed } = parseActionFilters(url.searchParams, areas.map((a) => a.code));
  const actions = await listActions({ db, viewer: user, area, responsible, includeClosed });
  const areaName = (code: string) => areas.find((a) => a.code === code)?.name ?? code;
  const histories = await actionHistories({ db, viewer: user, actionIds: actions.map((a) => a.id) });
  return {
    title: t("layout.titleSuffix", { title: t("walk.actions.title") }),
    areas,
    area,
    responsible,
    includeClosed,
    today: today(),
    actions: actions.map((a) => ({ ...a, areaName: areaName(a.area), history: histories.get(a.id) ?? [] })),
    csvHref: `/personal/atgarder.csv?${new URLSearchParams(url.searchParams)}`,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await requireStaffForm(request, ["facilitator"]);
  const actionId = String(form.get("actionId") ?? "");
  const version = Number(form.get("version"));
  const status = form.get("status");
  const statusOn = form.get("statusOn");
  if (!/^[0-9a-f-]{36}$/.test(actionId) || !Number.isInteger(version) || !isWalkStatus(status) || !isDate(statusOn) || statusOn > today()) {
    return { actionId, result: "invalid" as const };
  }
  try {
    const change = await changeActionStatus({
      db: getDb(),
      viewer: user,
      actionId,
      expectedVersion: version,
      status,
      statusOn,
      note: String(form.get("note") ?? ""),
    });
    if (change.ok) return { actionId, result: "changed" as const };
    return { actionId, result: "conflict" as const, conflict: change.conflict };
  } catch (error) {
    if (error instanceof WalkError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export default function Actions() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <h1>{t("walk.actions.heading")}</h1>
      <p>{t("walk.actions.intro")}</p>
      <Form method="get" className="filter-form">
        <label>
          {t("walk.actions.area")}{" "}
          <select name="omrade" defaultValue={data.area ?? ""}>
            <option value="">{t("walk.actions.allAreas")}</option>
            {data.areas.map((a) => (
              <option key={a.code} value={a.code}>{a.name}</option>
            ))}
          </select>
        </label>
        <label>
          {t("walk.actions.responsible")}{" "}
          <select name="ansvarig" defaultValue={data.responsible ?? ""}>
            <option value="">{t("walk.actions.allResponsible")}</option>
            {WALK_RESPONSIBLE.map((r) => (
              <option key={r} value={r}>{t(`walk.responsible.${r}`)}</option>
            ))}
          </select>
        </label>
        <label className="choice">
          <input type="checkbox" name="avslutade" value="1" defaultChecked={data.includeClosed} /> {t("walk.actions.includeClosed")}
        </label>
        <button type="submit" className="primary-button">{t("walk.actions.filter")}</button>
      </Form>
      {result ? (
        <div role="status" className="notice">
          {result.result === "changed" ? <p>{t("walk.actions.changed")}</p> : null}
          {result.result === "invalid" ? <p>{t("walk.actions.invalid")}</p> : null}
          {result.result === "conflict" && "conflict" in result && result.conflict ? (
            <p>
              {t("walk.actions.conflict", {
                status: t(`walk.status.${result.conflict.status}`),
                date: format.date(result.conflict.statusOn),
                who: result.conflict.statusBy,
              })}
            </p>
          ) : null}
        </div>
      ) : null}
      <p role="status">{t("walk.actions.count", { count: data.actions.length })}</p>
      <p>
        <a href={data.csvHref} download>{t("walk.actions.csv")}</a>
      </p>
      {data.actions.length > 0 ? (
        <table className="actions-table">
          <caption className="visually-hidden">{t("walk.actions.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("walk.column.area")}</th>
              <th scope="col">{t("walk.column.responsible")}</th>
              <th scope="col">{t("walk.column.place")}</th>
              <th scope="col">{t("walk.column.observation")}</th>
              <th scope="col">{t("walk.column.proposal")}</th>
              <th scope="col">{t("walk.column.status")}</th>
            </tr>
          </thead>
          <tbody>
            {data.actions.map((a) => (
              <tr key={a.id} id={`atgard-${a.id}`}>
                <td>{a.areaName}</td>
                <td>{t(`walk.responsible.${a.responsible}`)}</td>
                <th scope="row">
                  {a.placeName}
                  <br />
                  <span className="muted">{t(`walk.category.${a.category}`)}</span>
                </th>
                <td>{a.observation}</td>
                <td>{a.proposal}</td>
                <td>
                  <p>
                    <strong>{t(`walk.status.${a.status}`)}</strong>{" "}
                    {t("walk.actions.statusLine", { date: format.date(a.statusOn), who: a.statusBy })}
                  </p>
                  <StaffForm method="post" className="status-form" aria-label={t("walk.actions.changeLabel", { place: a.placeName })}>
                    <input type="hidden" name="actionId" value={a.id} />
                    <input type="hidden" name="version" value={a.version} />
                    <label>
                      <span className="visually-hidden">{t("walk.actions.newStatus")}</span>
                      <select name="status" defaultValue={a.status}>
                        {WALK_STATUSES.map((s) => (
                          <option key={s} value={s}>{t(`walk.status.${s}`)}</option>
                        ))}
                      </select>
                    </label>
                    <label>
                      <span className="visually-hidden">{t("walk.actions.date")}</span>
                      <input type="date" name="statusOn" defaultValue={data.today} max={data.today} required />
                    </label>
                    <label>
                      <span className="visually-hidden">{t("walk.actions.note")}</span>
                      <input type="text" name="note" maxLength={2000} placeholder={t("walk.actions.note")} />
                    </label>
                    <button type="submit" className="secondary-button">{t("walk.actions.change")}</button>
                  </StaffForm>
                  <details>
                    <summary>{t("walk.actions.history", { count: a.history.length })}</summary>
                    <ol className="action-history">
                      {a.history.map((e, i) => (
                        <li key={i}>
                          {t(`walk.status.${e.status}`)}, {format.date(e.statusOn)}, <bdi>{e.changedBy}</bdi>
                          {e.note ? `: ${e.note}` : ""}
                        </li>
                      ))}
                    </ol>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p>
        <Link to="/personal">{t("walk.actions.back")}</Link>
      </p>
    </>
  );
}
