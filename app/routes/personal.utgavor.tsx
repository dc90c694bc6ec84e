/**
 * Publishing the survey year (admins; issue 19, decision 034): every series' editions with their
 * dates, access mode and answers; what publishing next year from surveys/ would change (the diff
 * from last year, breaking measure changes flagged); the publish form; links to the preview, the
 * invitation codes and the response rates.
 */
import { SelectField } from "~/components/select-field";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { countResponses } from "~/models/response.server";
import { previewPublication, publishYear, PublishError } from "~/models/publishing.server";
import { ACCESS_MODES, isAccessMode } from "~/surveys/access";
import { editionPhase, listEditions, seriesTitle } from "~/models/survey.server";
import { listSeriesIds, loadSeries } from "~/surveys/files.server";
import { today } from "~/utils/clock.server";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

function surveySeries(): string[] {
  return listSeriesIds().filter((id) => loadSeries(id).series.kind === "survey");
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const { language, t } = await translatorFor(request);
  const db = getDb();
  const url = new URL(request.url);
  const seriesIds = surveySeries();
  const series = [];
  for (const id of seriesIds) {
    const editions = await listEditions({ db, seriesId: id });
    series.push({
      id,
      title: seriesTitle({ seriesId: id, language, fallback: id }),
      editions: await Promise.all(
        editions.map(async (e) => ({
          id: e.id,
          year: e.year,
          phase: editionPhase(e),
          opensOn: e.opens_on,
          closesOn: e.closes_on,
          access: e.access,
          answers: await countResponses({ db, editionId: e.id }),
          demo: e.is_demo === 1,
        })),
      ),
    });
  }
  const chosen = url.searchParams.get("serie");
  const yearText = url.searchParams.get("ar") ?? "";
  const nextYear = Number(today().slice(0, 4)) + 1;
  const diffSeries = chosen && seriesIds.includes(chosen) ? chosen : (seriesIds[0] ?? null);
  const diffYear = /^\d{4}$/.test(yearText) ? Number(yearText) : nextYear;
  const preview = diffSeries ? await previewPublication({ db, seriesId: diffSeries, year: diffYear }) : null;
  return { title: t("surveyYear.editions.title"), series, preview, nextYear, today: today() };
}

export async function action({ request }: ActionFunctionArgs) {
  const { form } = await requireStaffForm(request, ["admin"]);
  const { t } = await translatorFor(request);
  const seriesId = String(form.get("series") ?? "");
  const year = Number(form.get("year"));
  const access = String(form.get("access") ?? "open");
  if (!surveySeries().includes(seriesId) || !Number.isInteger(year) || year < 2000 || year > 2200 || !isAccessMode(access)) {
    return { ok: false as const, message: t("surveyYear.editions.badForm") };
  }
  try {
    const { edition, action } = await publishYear({
      db: getDb(),
      seriesId,
      year,
      opensOn: String(form.get("opens") ?? ""),
      closesOn: String(form.get("closes") ?? ""),
      access,
    });
    return { ok: true as const, message: t(`surveyYear.editions.done.${action}`, { id: edition.id }) };
  } catch (error) {
    if (error instanceof PublishError) {
      const hasAnswers = /has answers/.test(error.message);
      return { ok: false as const, message: hasAnswers ? t("surveyYear.editions.hasAnswers") : t("surveyYear.editions.badDates") };
    }
    throw error;
  }
}

export default function Editions() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const format = useFormat();
  const date = (d: string | null) => (d ? format.date(d) : "–");
  const diff = data.preview?.diff;
  const seriesOptions = data.series.map((s) => ({ value: s.id, label: s.title }));
  return (
    <>
      <h1>{t("surveyYear.editions.heading")}</h1>
      <p>{t("surveyYear.editions.intro")}</p>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "notice" : "notice notice-error"}>
          {result.message}
        </p>
      ) : null}
      {data.series.map((s) => (
        <section key={s.id}>
          <h2>{s.title}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("surveyYear.editions.column.edition")}</th>
                <th scope="col">{t("surveyYear.editions.column.phase")}</th>
                <th scope="col">{t("surveyYear.editions.column.opens")}</th>
                <th scope="col">{t("surveyYear.editions.column.closes")}</th>
                <th scope="col">{t("surveyYear.editions.column.access")}</th>
                <th scope="col" className="num">{t("surveyYear.editions.column.answers")}</th>
                <th scope="col">{t("surveyYear.editions.column.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {s.editions.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <bdi>{e.year}</bdi>
                    {e.demo ? ` (${t("staff.exampleData")})` : ""}
                  </th>
                  <td>{t(`surveyYear.phase.${e.phase}`)}</td>
                  <td>{date(e.opensOn)}</td>
                  <td>{date(e.closesOn)}</td>
                  <td>{t(`surveyYear.access.${e.access}`)}</td>
                  <td className="num">{format.number(e.answers)}</td>
                  <td>
                    <Link to={`/enkat/${e.id}?forhandsvisning=1`}>{t("surveyYear.editions.preview")}</Link>
                    {" · "}
                    <Link to={`/personal/utgavor/${e.id}`}>{t("surveyYear.editions.codes")}</Link>
                    {" · "}
                    <Link to={`/personal/svarsfrekvens?utgava=${e.id}`}>{t("surveyYear.editions.rates")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}

      <h2>{t("surveyYear.editions.publishHeading")}</h2>
      <p>{t("surveyYear.editions.publishIntro")}</p>
      <StaffForm method="post" className="stacked-form">
        <SelectField label={t("surveyYear.editions.form.series")} name="series" value={data.preview?.seriesId ?? data.series[0]?.id ?? ""} options={seriesOptions} />
        <label>
          {t("surveyYear.editions.form.year")} <input name="year" type="number" min={2000} max={2200} required defaultValue={data.preview?.year ?? data.nextYear} />
        </label>
        <label>
          {t("surveyYear.editions.form.opens")} <input name="opens" type="date" required />
        </label>
        <label>
          {t("surveyYear.editions.form.closes")} <input name="closes" type="date" required />
        </label>
        <fieldset>
          <legend>{t("surveyYear.editions.form.access")}</legend>
          {ACCESS_MODES.map((mode) => (
            <label key={mode} className="choice">
              <input type="radio" name="access" value={mode} defaultChecked={mode === "open"} /> {t(`surveyYear.access.${mode}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t("surveyYear.editions.form.submit")}</button>
      </StaffForm>

      <h2>{t("surveyYear.diff.heading")}</h2>
      <Form method="get" className="filter-form">
        <SelectField label={t("surveyYear.editions.form.series")} name="serie" value={data.preview?.seriesId ?? data.series[0]?.id ?? ""} options={seriesOptions} />
        <label>
          {t("surveyYear.editions.form.year")} <input name="ar" type="number" min={2000} max={2200} defaultValue={data.preview?.year ?? data.nextYear} />
        </label>
        <button type="submit">{t("surveyYear.diff.show")}</button>
      </Form>
      {!data.preview?.previous || !diff ? (
        <p>{t("surveyYear.diff.noPrevious")}</p>
      ) : (
        <>
          <p>{t("surveyYear.diff.comparedWith", { id: data.preview.id, previous: data.preview.previous.id })}</p>
          {diff.same ? <p>{t("surveyYear.diff.same")}</p> : null}
          {diff.breaking ? (
            <p role="alert" className="notice notice-warning">
              {t("surveyYear.diff.breaking")}
            </p>
          ) : null}
          {diff.questions.length > 0 ? (
            <>
              <h3>{t("surveyYear.diff.questions")}</h3>
              <ul>
                {diff.questions.map((q) => (
                  <li key={`${q.kind}-${q.question}`}>
                    {t(`surveyYear.diff.kind.${q.kind}`)}: <code>{q.question}</code> – {q.text}
                    {q.before ? ` (${t("surveyYear.diff.before")}: ${q.before})` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {diff.choices.length > 0 ? (
            <>
              <h3>{t("surveyYear.diff.choices")}</h3>
              <ul>
                {diff.choices.map((c) => (
                  <li key={`${c.kind}-${c.question}-${c.value}`}>
                    {t(`surveyYear.diff.kind.${c.kind}`)}: <code>{c.question}</code> = <code>{c.value}</code> – {c.text}
                    {c.before ? ` (${t("surveyYear.diff.before")}: ${c.before})` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {diff.measures.length > 0 ? (
            <>
              <h3>{t("surveyYear.diff.measures")}</h3>
              <ul>
                {diff.measures.map((m) => (
                  <li key={`${m.kind}-${m.measure}`}>
                    {t(`surveyYear.diff.kind.${m.kind}`)}: <code>{m.measure}</code>
                    {m.breaking ? ` – ${t("surveyYear.diff.breaksComparison")}` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
      <p>
        <Link to="/personal">{t("surveyYear.backToStaff")}</Link>
      </p>
    </>
  );
}
