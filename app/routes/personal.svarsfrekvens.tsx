/**
 * Response rates of an edition with a sample (analysts and admins; issue 19): invited, answered
 * and the rate per area, age group and gender (where the sample gave them), answers by day over
 * the field period as a line with its table, web versus paper, and the unused codes for the
 * reminder letter.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { ResultsChart } from "~/components/results/chart";
import type { ChartSpec } from "~/components/results/chart-spec";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { languageDir } from "~/i18n/languages";
import { areaNames } from "~/models/results-view.server";
import { responseRates, type RateRow } from "~/models/response-rate.server";
import { getEdition } from "~/models/survey.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["analyst"]);
  const { language, t } = await translatorFor(request);
  const db = getDb();
  const withCodes = await db.selectFrom("invitation").select("edition_id").distinct().orderBy("edition_id", "desc").execute();
  const editions = withCodes.map((e) => e.edition_id);
  const asked = new URL(request.url).searchParams.get("utgava");
  const id = asked && editions.includes(asked) ? asked : (editions[0] ?? null);
  const edition = id ? await getEdition({ db, id }) : undefined;
  const rates = edition ? await responseRates({ db, editionId: edition.id }) : null;
  const names = edition ? areaNames(edition.series_id, language) : [];
  const areaName = (code: string) => names.find((a) => a.code === code)?.name ?? code;
  return {
    title: t("surveyYear.rates.title"),
    editions,
    id,
    isAdmin: user.role === "admin",
    rtl: languageDir(language) === "rtl",
    rates: rates && {
      ...rates,
      byArea: rates.byArea.map((r) => ({ ...r, label: areaName(r.key) })),
    },
  };
}

function RateTable({ caption, rows, label }: { caption: string; rows: (RateRow & { label?: string })[]; label: (r: RateRow & { label?: string }) => string }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("surveyYear.rates.column.group")}</th>
          <th scope="col" className="num">{t("surveyYear.rates.column.invited")}</th>
          <th scope="col" className="num">{t("surveyYear.rates.column.answered")}</th>
          <th scope="col" className="num">{t("surveyYear.rates.column.rate")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{label(r)}</th>
            <td className="num">{format.number(r.invited)}</td>
            <td className="num">{format.number(r.answered)}</td>
            <td className="num">{r.rate === null ? "–" : format.percent(r.rate, 1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function ResponseRates() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const rates = data.rates;
  const notGiven = t("surveyYear.rates.notGiven");
  const values = rates ? rates.byDay.map((d) => (d.cumulativeRate === null ? null : Math.round(d.cumulativeRate * 1000) / 10)) : [];
  const spec: ChartSpec | null = rates
    ? {
        type: "lines",
        labels: rates.byDay.map((d) => format.date(d.day)),
        values,
        low: values,
        high: values,
        max: Math.min(100, Math.max(10, Math.ceil((Math.max(0, ...values.map((v) => v ?? 0)) + 5) / 10) * 10)),
        axis: t("surveyYear.rates.chartAxis"),
        lineLabel: t("surveyYear.rates.column.cumulativeRate"),
        bandLabel: "",
        rtl: data.rtl,
      }
    : null;
  return (
    <>
      <h1>{t("surveyYear.rates.heading")}</h1>
      {data.editions.length === 0 ? (
        <p>{t("surveyYear.rates.none")}</p>
      ) : (
        <Form method="get" className="filter-form">
          <label>
            {t("surveyYear.rates.edition")}{" "}
            <select name="utgava" defaultValue={data.id ?? undefined}>
              {data.editions.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t("surveyYear.rates.show")}</button>
        </Form>
      )}
      {rates ? (
        <>
          <p className="lead">
            {t("surveyYear.rates.summary", {
              answered: format.number(rates.total.answered),
              invited: format.number(rates.total.invited),
              rate: rates.total.rate === null ? "–" : format.percent(rates.total.rate, 1),
              web: format.number(rates.byChannel.web),
              paper: format.number(rates.byChannel.paper),
            })}
          </p>
          <RateTable caption={t("surveyYear.rates.byArea")} rows={rates.byArea} label={(r) => r.label ?? r.key} />
          {rates.byAgeGroup.length > 0 ? <RateTable caption={t("surveyYear.rates.byAgeGroup")} rows={rates.byAgeGroup} label={(r) => r.key || notGiven} /> : null}
          {rates.byGender.length > 0 ? (
            <RateTable caption={t("surveyYear.rates.byGender")} rows={rates.byGender} label={(r) => (r.key ? t(`surveyYear.gender.${r.key}`, { defaultValue: r.key }) : notGiven)} />
          ) : null}
          <h2>{t("surveyYear.rates.byDay")}</h2>
          {spec && rates.byDay.length > 0 ? (
            <ResultsChart
              spec={spec}
              alt={t("surveyYear.rates.chartAlt", {
                points: rates.byDay.map((d) => `${format.date(d.day)}: ${d.cumulativeRate === null ? "–" : format.percent(d.cumulativeRate, 1)}`).join("; "),
              })}
              filename={`${data.id}-svarsfrekvens.png`}
            />
          ) : (
            <p>{t("surveyYear.rates.noAnswersYet")}</p>
          )}
          <table>
            <caption>{t("surveyYear.rates.byDayCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("surveyYear.rates.column.day")}</th>
                <th scope="col" className="num">{t("surveyYear.rates.column.web")}</th>
                <th scope="col" className="num">{t("surveyYear.rates.column.paper")}</th>
                <th scope="col" className="num">{t("surveyYear.rates.column.other")}</th>
                <th scope="col" className="num">{t("surveyYear.rates.column.cumulative")}</th>
                <th scope="col" className="num">{t("surveyYear.rates.column.cumulativeRate")}</th>
              </tr>
            </thead>
            <tbody>
              {rates.byDay.map((d) => (
                <tr key={d.day}>
                  <th scope="row">
                    <time dateTime={d.day}>{format.date(d.day)}</time>
                  </th>
                  <td className="num">{format.number(d.web)}</td>
                  <td className="num">{format.number(d.paper)}</td>
                  <td className="num">{format.number(d.other)}</td>
                  <td className="num">{format.number(d.cumulative)}</td>
                  <td className="num">{d.cumulativeRate === null ? "–" : format.percent(d.cumulativeRate, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.isAdmin ? (
            <p>
              <a href={`/personal/utgavor/${data.id}/koder?oanvanda=1`} download>
                {t("surveyYear.codes.downloadUnused")}
              </a>
            </p>
          ) : null}
        </>
      ) : null}
      <p>
        <Link to="/personal">{t("surveyYear.backToStaff")}</Link>
      </p>
    </>
  );
}
