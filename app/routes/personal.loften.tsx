/**
 * The citizen promises for staff (issue 18): a year's promises with their indicators and
 * follow-up, the activity log both parties share, the coordinators' assessment, drafts for next
 * year and the signing. Who may do what is PROMISE_ROLES (one place); every action checks it.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { PromiseFollowUpTables, useMeasureName } from "~/components/promises/follow-up";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import type { ActivityKind, IndicatorKind, PromiseCarrier, PromiseStatus } from "~/db/schema";
import { translatorFor } from "~/i18n/i18n.server";
import { useFormat } from "~/i18n/format";
import {
  ACTIVITY_KINDS,
  activityHistory,
  CARRIERS,
  createPromise,
  getActivity,
  getPromise,
  groupCodes,
  INDICATOR_KINDS,
  knownMeasureKeys,
  listPromiseYears,
  logActivity,
  PROMISE_ROLES,
  PROMISE_STATUSES,
  PromiseError,
  saveAssessment,
  signYear,
  updateActivity,
  updatePromise,
  type ActivityInput,
  type GroupVariable,
  type IndicatorInput,
  type PromiseInput,
} from "~/models/promise.server";
import { draftFromPromise } from "~/models/promise-draft.server";
import { followUp } from "~/models/promise-follow-up.server";
import { areaNames, RESULTS_SERIES } from "~/models/results-view.server";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

function yearParam(url: URL): number {
  const text = url.searchParams.get("ar");
  return text && /^\d{4}$/.test(text) ? Number(text) : new Date().getUTCFullYear();
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, PROMISE_ROLES.view);
  const { language, t } = await translatorFor(request);
  const url = new URL(request.url);
  const db = getDb();
  const years = await listPromiseYears({ db });
  const asked = url.searchParams.get("ar");
  const year = asked ? yearParam(url) : (years[0]?.year ?? new Date().getUTCFullYear());
  const fu = await followUp({ db, year });
  const activityId = url.searchParams.get("aktivitet");
  const editing = activityId && !activityId.startsWith("session:") ? await getActivity({ db, id: activityId }).catch(() => null) : null;
  const history = editing ? await activityHistory({ db, id: editing.id }) : [];
  const may = (roles: readonly string[]) => user.role === "admin" || roles.includes(user.role);
  // Who logged each activity (staff see each other's entries by name; the public report never does).
  const loggerIds = [...new Set(fu.activities.map((a) => a.loggedBy).filter((id): id is string => Boolean(id)))];
  const loggers = loggerIds.length ? await db.selectFrom("app_user").select(["id", "email"]).where("id", "in", loggerIds).execute() : [];
  return {
    // The signatories' roles of the last signed year, offered again (they rarely change).
    lastSignatories: years.find((y) => y.signed && y.signatoryRoles.length === 2)?.signatoryRoles ?? ["", ""],
    loggedBy: Object.fromEntries(loggers.map((u) => [u.id, u.email])) as Record<string, string>,
    title: t("layout.titleSuffix", { title: t("promises.staff.title", { year }) }),
    year,
    years: years.map((y) => y.year),
    fu,
    areas: areaNames(RESULTS_SERIES, language),
    measureKeys: knownMeasureKeys(),
    ageGroups: groupCodes("age_group"),
    genders: groupCodes("gender"),
    editing,
    history,
    can: { log: may(PROMISE_ROLES.logActivity), edit: may(PROMISE_ROLES.editPromise), sign: may(PROMISE_ROLES.sign) },
  };
}

const str = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
const num = (form: FormData, name: string) => (str(form, name) === "" ? null : Number(str(form, name)));

function promiseInput(form: FormData, indicators: IndicatorInput[]): PromiseInput {
  return {
    text: str(form, "text"),
    carriedBy: str(form, "carriedBy") as PromiseCarrier,
    validFrom: str(form, "validFrom"),
    validTo: str(form, "validTo"),
    status: str(form, "status") as PromiseStatus,
    indicators,
  };
}

function indicatorInput(form: FormData): IndicatorInput {
  const group = str(form, "group");
  const [groupBy, groupValue] = group ? (group.split(":") as [GroupVariable, string]) : [null, null];
  return {
    kind: str(form, "indicatorKind") as IndicatorKind,
    measureKey: str(form, "measureKey") || null,
    groupBy,
    groupValue,
    activityKind: (str(form, "activityKind") || null) as ActivityKind | null,
    target: num(form, "target"),
  };
}

function activityInput(form: FormData): ActivityInput {
  return {
    promiseId: str(form, "promiseId") || null,
    doneOn: str(form, "doneOn"),
    kind: str(form, "kind") as ActivityKind,
    place: str(form, "place"),
    area: str(form, "area"),
    party: str(form, "party") as "polisen" | "kommunen",
    vehiclesChecked: num(form, "vehiclesChecked"),
    tipSites: num(form, "tipSites"),
    participants: num(form, "participants"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const url = new URL(request.url);
  const { user, form } = await requireStaffForm(request, PROMISE_ROLES.view);
  const intent = str(form, "intent");
  const need = (roles: readonly string[]) => {
    if (user.role !== "admin" && !roles.includes(user.role)) throw new Response("Forbidden", { status: 403 });
  };
  const db = getDb();
  const year = yearParam(url);
  try {
    switch (intent) {
      case "log-activity": {
        need(PROMISE_ROLES.logActivity);
        const { warnings } = await logActivity({ db, input: activityInput(form), userId: user.id });
        return json({ ok: true as const, done: "logged", warnings, current: null });
      }
      case "edit-activity": {
        need(PROMISE_ROLES.logActivity);
        const { warnings } = await updateActivity({ db, id: str(form, "id"), revision: Number(str(form, "revision")), input: activityInput(form), userId: user.id });
        return json({ ok: true as const, done: "saved", warnings, current: null });
      }
      case "create-promise": {
        need(PROMISE_ROLES.editPromise);
        await createPromise({ db, year, input: promiseInput(form, []), userId: user.id });
        return json({ ok: true as const, done: "saved", warnings: [], current: null });
      }
      case "update-promise":
      case "add-indicator":
      case "remove-indicator": {
        need(PROMISE_ROLES.editPromise);
        const p = await getPromise({ db, id: str(form, "id") });
        let indicators: IndicatorInput[] = p.indicators.map(({ id: _id, seriesId: _s, ...rest }) => rest);
        if (intent === "add-indicator") indicators = [...indicators, indicatorInput(form)];
        if (intent === "remove-indicator") indicators = p.indicators.filter((i) => i.id !== str(form, "indicatorId")).map(({ id: _id, seriesId: _s, ...rest }) => rest);
        const input: PromiseInput =
          intent === "update-promise"
            ? promiseInput(form, indicators)
            : { text: p.text, carriedBy: p.carriedBy, validFrom: p.validFrom, validTo: p.validTo, status: p.status, indicators };
        await updatePromise({ db, id: p.id, revision: Number(str(form, "revision")), input, userId: user.id });
        return json({ ok: true as const, done: "saved", warnings: [], current: null });
      }
      case "save-assessment": {
        need(PROMISE_ROLES.editPromise);
        await saveAssessment({ db, promiseId: str(form, "id"), text: str(form, "text"), revision: Number(str(form, "revision")), userId: user.id });
        return json({ ok: true as const, done: "saved", warnings: [], current: null });
      }
      case "draft-forward": {
        need(PROMISE_ROLES.editPromise);
        const draft = await draftFromPromise({ db, promiseId: str(form, "id"), userId: user.id });
        return redirect(`/personal/loften?ar=${draft.year}`);
      }
      case "sign": {
        need(PROMISE_ROLES.sign);
        await signYear({ db, year, signedOn: str(form, "signedOn"), roles: [str(form, "role1"), str(form, "role2")], userId: user.id });
        return json({ ok: true as const, done: "signed", warnings: [], current: null });
      }
      default:
        throw new Response("Unknown intent", { status: 400 });
    }
  } catch (error) {
    if (error instanceof PromiseError) {
      return json({ ok: false as const, error: error.code, current: (error.current ?? null) as { text?: string } | null }, { status: error.status });
    }
    throw error;
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Notice() {
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  if (!result) return null;
  if (!result.ok) {
    return (
      <div className="notice notice-error" role="alert">
        <p>{t(`promises.error.${result.error}`)}</p>
        {result.current && "text" in result.current && result.current.text ? (
          <p>
            {t("promises.error.currentText")} <q>{result.current.text}</q>
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div className="notice" role="status">
      <p>{t(`promises.done.${result.done}`)}</p>
      {result.warnings.includes("outside_period") ? <p>{t("promises.warning.outsidePeriod")}</p> : null}
    </div>
  );
}

function PromiseFields({ d, p }: { d: Data; p?: Data["fu"]["promises"][number]["promise"] }) {
  const { t } = useTranslation();
  const id = p?.id ?? "new";
  return (
    <>
      <label htmlFor={`text-${id}`}>{t("promises.field.text")}</label>
      <textarea id={`text-${id}`} name="text" required minLength={3} maxLength={2000} defaultValue={p?.text ?? ""} rows={3} />
      <label htmlFor={`carrier-${id}`}>{t("promises.field.carriedBy")}</label>
      <select id={`carrier-${id}`} name="carriedBy" defaultValue={p?.carriedBy ?? "bada"}>
        {CARRIERS.map((c) => (
          <option key={c} value={c}>
            {t(`promises.carrier.${c}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`from-${id}`}>{t("promises.field.validFrom")}</label>
      <input id={`from-${id}`} name="validFrom" type="date" required defaultValue={p?.validFrom ?? `${d.year}-01-01`} />
      <label htmlFor={`to-${id}`}>{t("promises.field.validTo")}</label>
      <input id={`to-${id}`} name="validTo" type="date" required defaultValue={p?.validTo ?? `${d.year}-12-31`} />
      <label htmlFor={`status-${id}`}>{t("promises.field.status")}</label>
      <select id={`status-${id}`} name="status" defaultValue={p?.status ?? "planerat"}>
        {PROMISE_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`promises.status.${s}`)}
          </option>
        ))}
      </select>
    </>
  );
}

function ActivityFields({ d, a }: { d: Data; a?: Data["editing"] }) {
  const { t } = useTranslation();
  const id = a?.id ?? "new";
  return (
    <>
      <label htmlFor={`done-${id}`}>{t("promises.field.doneOn")}</label>
      <input id={`done-${id}`} name="doneOn" type="date" required defaultValue={a?.doneOn ?? ""} />
      <label htmlFor={`kind-${id}`}>{t("promises.field.kind")}</label>
      <select id={`kind-${id}`} name="kind" defaultValue={a?.kind ?? "trafikkontroll"}>
        {ACTIVITY_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`promises.kind.${k}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`place-${id}`}>{t("promises.field.place")}</label>
      <input id={`place-${id}`} name="place" required minLength={2} maxLength={200} defaultValue={a?.place ?? ""} />
      <label htmlFor={`area-${id}`}>{t("promises.field.area")}</label>
      <select id={`area-${id}`} name="area" defaultValue={a?.area ?? d.areas[0]?.code}>
        {d.areas.map((x) => (
          <option key={x.code} value={x.code}>
            {x.name}
          </option>
        ))}
      </select>
      <label htmlFor={`party-${id}`}>{t("promises.field.party")}</label>
      <select id={`party-${id}`} name="party" defaultValue={a?.party ?? "polisen"}>
        <option value="polisen">{t("promises.carrier.polisen")}</option>
        <option value="kommunen">{t("promises.carrier.kommunen")}</option>
      </select>
      <label htmlFor={`promise-${id}`}>{t("promises.field.promise")}</label>
      <select id={`promise-${id}`} name="promiseId" defaultValue={a?.promiseId ?? ""}>
        <option value="">{t("promises.field.noPromise")}</option>
        {d.fu.promises.map((p) => (
          <option key={p.promise.id} value={p.promise.id}>
            {p.promise.position + 1}. {p.promise.text.slice(0, 70)}
          </option>
        ))}
      </select>
      <label htmlFor={`vehicles-${id}`}>{t("promises.field.vehiclesChecked")}</label>
      <input id={`vehicles-${id}`} name="vehiclesChecked" type="number" min={0} inputMode="numeric" defaultValue={a?.vehiclesChecked ?? ""} />
      <label htmlFor={`tips-${id}`}>{t("promises.field.tipSites")}</label>
      <input id={`tips-${id}`} name="tipSites" type="number" min={0} inputMode="numeric" defaultValue={a?.tipSites ?? ""} />
      <label htmlFor={`participants-${id}`}>{t("promises.field.participants")}</label>
      <input id={`participants-${id}`} name="participants" type="number" min={0} inputMode="numeric" defaultValue={a?.participants ?? ""} />
    </>
  );
}

export default function StaffPromises() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const measureName = useMeasureName();
  const areaName = (code: string) => d.areas.find((a) => a.code === code)?.name ?? code;
  const frozen = d.fu.promiseYear?.signed ?? false;
  return (
    <>
      <h1>{t("promises.staff.heading", { year: d.year })}</h1>
      <nav aria-label={t("promises.staff.years")}>
        <ul className="inline-list">
          {[...new Set([...d.years, d.year])].sort().map((y) => (
            <li key={y}>{y === d.year ? <strong>{y}</strong> : <Link to={`?ar=${y}`}>{y}</Link>}</li>
          ))}
          <li>
            <Link to={`?ar=${d.year + 1}`}>{t("promises.staff.nextYear", { year: d.year + 1 })}</Link>
          </li>
        </ul>
      </nav>
      <p>
        {frozen
          ? t("promises.staff.signed", { date: format.date(d.fu.promiseYear!.signedOn!), roles: d.fu.promiseYear!.signatoryRoles.join(" · ") })
          : t("promises.staff.notSigned")}{" "}
        <Link to={`/medborgarloften/${d.year}`}>{t("promises.staff.publicLink")}</Link> ·{" "}
        <Link to={`/personal/problembild/${d.year}`}>{t("promises.staff.problemLink")}</Link>
      </p>
      <Notice />
      {d.fu.surveyYear !== null ? <p>{t("promises.followUp.figuresFrom", { year: d.fu.surveyYear, previous: d.fu.previousYear ?? "–" })}</p> : null}

      {d.fu.promises.map((p, i) => (
        <section key={p.promise.id} className="card promise" aria-labelledby={`promise-${i}`}>
          <h2 id={`promise-${i}`}>{t("promises.promiseHeading", { n: i + 1 })}</h2>
          <p className="promise-text">{p.promise.text}</p>
          <p className="muted">
            {t(`promises.carrier.${p.promise.carriedBy}`)} · {t(`promises.status.${p.promise.status}`)} ·{" "}
            {t("promises.period", { from: format.date(p.promise.validFrom), to: format.date(p.promise.validTo) })}
          </p>
          {p.promise.motivation.length > 0 ? (
            <p className="muted">
              {t("promises.motivation", {
                list: p.promise.motivation.map((m) => `${measureName(m.measureKey)}${m.groupValue ? ` (${m.groupValue})` : ""} ${m.year}`).join("; "),
              })}
            </p>
          ) : null}
          <PromiseFollowUpTables fu={d.fu} p={p} areaName={areaName} publicView={false} idPrefix={`p${i}`} />
          <h3>{t("promises.assessment.heading")}</h3>
          {d.can.edit ? (
            <StaffForm className="stack" method="post">
              <input type="hidden" name="intent" value="save-assessment" />
              <input type="hidden" name="id" value={p.promise.id} />
              <input type="hidden" name="revision" value={p.assessment?.revision ?? 0} />
              <label htmlFor={`assessment-${i}`}>{t("promises.assessment.label")}</label>
              <textarea id={`assessment-${i}`} name="text" rows={3} maxLength={4000} defaultValue={p.assessment?.text ?? ""} />
              <button type="submit">{t("promises.assessment.save")}</button>
            </StaffForm>
          ) : (
            <p>{p.assessment?.text ?? t("promises.assessment.none")}</p>
          )}
          {d.can.edit && !frozen ? (
            <details>
              <summary>{t("promises.edit.summary")}</summary>
              <StaffForm className="stack form-narrow" method="post">
                <input type="hidden" name="intent" value="update-promise" />
                <input type="hidden" name="id" value={p.promise.id} />
                <input type="hidden" name="revision" value={p.promise.revision} />
                <PromiseFields d={d} p={p.promise} />
                <button type="submit">{t("promises.edit.save")}</button>
              </StaffForm>
              <h4>{t("promises.indicators.heading")}</h4>
              <ul>
                {p.promise.indicators.map((ind) => (
                  <li key={ind.id}>
                    {ind.kind === "measure" ? `${measureName(ind.measureKey!)}${ind.groupValue ? ` (${ind.groupValue})` : ""}` : t(`promises.indicatorKind.${ind.kind}`)}
                    {ind.activityKind ? `: ${t(`promises.kind.${ind.activityKind}`)}` : ""}
                    {ind.target !== null ? ` – ${t("promises.ofTarget", { target: ind.target })}` : ""}{" "}
                    <StaffForm method="post" className="inline-form">
                      <input type="hidden" name="intent" value="remove-indicator" />
                      <input type="hidden" name="id" value={p.promise.id} />
                      <input type="hidden" name="revision" value={p.promise.revision} />
                      <input type="hidden" name="indicatorId" value={ind.id} />
                      <button type="submit">{t("promises.indicators.remove")}</button>
                    </StaffForm>
                  </li>
                ))}
              </ul>
              <StaffForm className="stack form-narrow" method="post">
                <input type="hidden" name="intent" value="add-indicator" />
                <input type="hidden" name="id" value={p.promise.id} />
                <input type="hidden" name="revision" value={p.promise.revision} />
                <label htmlFor={`ikind-${i}`}>{t("promises.indicators.kind")}</label>
                <select id={`ikind-${i}`} name="indicatorKind">
                  {INDICATOR_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`promises.indicatorKind.${k}`)}
                    </option>
                  ))}
                </select>
                <label htmlFor={`measure-${i}`}>{t("promises.indicators.measure")}</label>
                <select id={`measure-${i}`} name="measureKey">
                  <option value="">–</option>
                  {d.measureKeys.map((k) => (
                    <option key={k} value={k}>
                      {measureName(k)}
                    </option>
                  ))}
                </select>
                <label htmlFor={`group-${i}`}>{t("promises.indicators.group")}</label>
                <select id={`group-${i}`} name="group">
                  <option value="">{t("promises.group.everyone")}</option>
                  {d.areas.map((a) => (
                    <option key={a.code} value={`area:${a.code}`}>
                      {a.name}
                    </option>
                  ))}
                  {d.genders.map((g) => (
                    <option key={g} value={`gender:${g}`}>
                      {t(`results.gender.${g}`, { defaultValue: g })}
                    </option>
                  ))}
                  {d.ageGroups.map((g) => (
                    <option key={g} value={`age_group:${g}`}>
                      {t("promises.group.age", { range: g.replace("-", "–") })}
                    </option>
                  ))}
                </select>
                <label htmlFor={`akind-${i}`}>{t("promises.indicators.activityKind")}</label>
                <select id={`akind-${i}`} name="activityKind">
                  <option value="">–</option>
                  {ACTIVITY_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`promises.kind.${k}`)}
                    </option>
                  ))}
                </select>
                <label htmlFor={`target-${i}`}>{t("promises.indicators.target")}</label>
                <input id={`target-${i}`} name="target" type="number" min={0} inputMode="numeric" />
                <button type="submit">{t("promises.indicators.add")}</button>
              </StaffForm>
            </details>
          ) : null}
          {d.can.edit ? (
            <StaffForm method="post" className="inline-form">
              <input type="hidden" name="intent" value="draft-forward" />
              <input type="hidden" name="id" value={p.promise.id} />
              <button type="submit">{t("promises.draft.forward", { year: d.year + 1 })}</button>
            </StaffForm>
          ) : null}
        </section>
      ))}
      {d.fu.promises.length === 0 ? <p>{t("promises.staff.none", { year: d.year })}</p> : null}

      {d.can.edit && !frozen ? (
        <section aria-labelledby="new-promise">
          <h2 id="new-promise">{t("promises.new.heading")}</h2>
          <StaffForm className="stack form-narrow" method="post">
            <input type="hidden" name="intent" value="create-promise" />
            <PromiseFields d={d} />
            <button type="submit">{t("promises.new.submit")}</button>
          </StaffForm>
        </section>
      ) : null}

      {d.editing ? (
        <section aria-labelledby="edit-activity">
          <h2 id="edit-activity">{t("promises.activity.editHeading")}</h2>
          <StaffForm className="stack form-narrow" method="post">
            <input type="hidden" name="intent" value="edit-activity" />
            <input type="hidden" name="id" value={d.editing.id} />
            <input type="hidden" name="revision" value={d.editing.revision} />
            <ActivityFields d={d} a={d.editing} />
            <button type="submit">{t("promises.activity.save")}</button>
          </StaffForm>
          {d.history.length > 0 ? (
            <>
              <h3>{t("promises.activity.history")}</h3>
              <ul>
                {d.history.map((h) => (
                  <li key={h.revision}>
                    {t("promises.activity.version", { revision: h.revision, at: format.dateTime(h.replacedAt) })}: {format.date(h.activity.doneOn)}, {h.activity.place},{" "}
                    {t(`promises.kind.${h.activity.kind}`)}
                    {h.activity.vehiclesChecked !== null ? `, ${t("promises.count.vehicles_checked", { n: h.activity.vehiclesChecked })}` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {d.can.log ? (
        <section aria-labelledby="log-activity">
          <h2 id="log-activity">{t("promises.activity.logHeading")}</h2>
          <StaffForm className="stack form-narrow" method="post">
            <input type="hidden" name="intent" value="log-activity" />
            <ActivityFields d={d} />
            <button type="submit">{t("promises.activity.log")}</button>
          </StaffForm>
        </section>
      ) : null}

      <section aria-labelledby="activity-log">
        <h2 id="activity-log">{t("promises.activity.listHeading", { year: d.year })}</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="activity-log">
          <table className="results-table">
            <thead>
              <tr>
                <th scope="col">{t("promises.col.date")}</th>
                <th scope="col">{t("promises.col.kind")}</th>
                <th scope="col">{t("promises.col.place")}</th>
                <th scope="col">{t("promises.col.area")}</th>
                <th scope="col">{t("promises.col.party")}</th>
                <th scope="col">{t("promises.col.promise")}</th>
                <th scope="col">{t("promises.col.loggedBy")}</th>
                <th scope="col">{t("promises.col.source")}</th>
              </tr>
            </thead>
            <tbody>
              {d.fu.activities.map((a) => (
                <tr key={a.id}>
                  <td>{format.date(a.doneOn)}</td>
                  <td>{t(`promises.kind.${a.kind}`)}</td>
                  <td>{a.place}</td>
                  <td>{areaName(a.area)}</td>
                  <td>{a.party ? t(`promises.carrier.${a.party}`) : ""}</td>
                  <td>{a.promiseId ? (d.fu.promises.find((p) => p.promise.id === a.promiseId)?.promise.position ?? -1) + 1 : "–"}</td>
                  <td>{a.loggedBy && d.loggedBy[a.loggedBy] ? <bdi dir="ltr">{d.loggedBy[a.loggedBy]}</bdi> : "–"}</td>
                  <td>
                    {a.source === "session" ? (
                      t("promises.activity.fromSession")
                    ) : d.can.log ? (
                      <Link to={`?ar=${d.year}&aktivitet=${a.id}#edit-activity`}>{t("promises.activity.edit")}</Link>
                    ) : (
                      ""
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {d.can.sign && !frozen && d.fu.promises.length > 0 ? (
        <section aria-labelledby="sign">
          <h2 id="sign">{t("promises.sign.heading", { year: d.year })}</h2>
          <p>{t("promises.sign.intro")}</p>
          <StaffForm className="stack form-narrow" method="post">
            <input type="hidden" name="intent" value="sign" />
            <label htmlFor="signedOn">{t("promises.sign.date")}</label>
            <input id="signedOn" name="signedOn" type="date" required />
            <label htmlFor="role1">{t("promises.sign.role1")}</label>
            <input id="role1" name="role1" required defaultValue={d.lastSignatories[0]} />
            <label htmlFor="role2">{t("promises.sign.role2")}</label>
            <input id="role2" name="role2" required defaultValue={d.lastSignatories[1]} />
            <button type="submit">{t("promises.sign.submit")}</button>
          </StaffForm>
        </section>
      ) : null}
      <p>
        <Link to="/personal">{t("staff.backToStaff")}</Link>
      </p>
    </>
  );
}
