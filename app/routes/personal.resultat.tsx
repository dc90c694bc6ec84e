/**
 * The analysts' dashboard (role analyst or admin): a year's figures, weighted or not, from the
 * results API's documents; every measure over the years; the problem picture; the breakdowns by
 * area, gender and age group. Tables are the source, charts a view of the same rows.
 */
import { SelectField, yearOptions } from "~/components/select-field";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ResultsChart } from "~/components/results/chart";
import { barsOf } from "~/components/results/chart-spec";
import { DataTable, type Cell } from "~/components/results/data-table";
import { changeClass, useFigures, type Figures } from "~/components/results/figures";
import { problemTable } from "~/components/results/public-results-page";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { languageDir } from "~/i18n/languages";
import { dashboardResults, type DashboardResults, type FigureRow } from "~/models/results-view.server";
import { BREAKDOWNS, HEADLINE_KEYS } from "~/utils/results-keys";
import { useLocale } from "~/root";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["analyst"]);
  const { language, t } = await translatorFor(request);
  const url = new URL(request.url);
  const yearText = url.searchParams.get("ar");
  const year = yearText && /^\d{4}$/.test(yearText) ? Number(yearText) : null;
  const weighted = url.searchParams.get("viktad") !== "0";
  const results = await dashboardResults({ db: getDb(), language, year, weighted, genderNames: (c) => t(`results.gender.${c}`, { defaultValue: c }) });
  return { title: t("dashboard.title", { year: results.year }), results };
}

function valueCell(f: Figures, r: FigureRow | null | undefined): Cell {
  if (!r) return { text: f.tooFew, numeric: true };
  return { text: `${f.value(r)}${r.lowPrecision ? ` ${f.lowPrecision(r)}` : ""}`, csv: f.valueCsv(r), numeric: true, figure: `${r.key}|${r.group}` };
}

function HeadlineSection({ data, f }: { data: DashboardResults; f: Figures }) {
  const { t } = f;
  const rows = [...data.headline, ...(data.problemIndex ? [data.problemIndex] : [])];
  return (
    <section aria-labelledby="headline">
      <h2 id="headline">{t("dashboard.headline.heading")}</h2>
      <DataTable
        id="dashboard-headline"
        caption={t("dashboard.headline.caption", { year: data.year })}
        columns={[
          { label: t("results.col.measure") },
          { label: t("results.col.value"), csv: t("results.col.valueCsv"), numeric: true },
          { label: t("results.col.interval"), csv: t("results.col.intervalLowCsv"), numeric: true },
          { label: t("results.col.n"), numeric: true },
          { label: t("results.col.change") },
          { label: t("dashboard.col.dontKnow"), csv: t("dashboard.col.dontKnowCsv"), numeric: true },
        ]}
        rows={rows.map((r) => [
          { text: f.measureName(r.key), header: true },
          valueCell(f, r),
          { text: f.interval(r), csv: f.intervalCsv(r).join("–"), numeric: true },
          { text: f.n(r), csv: f.nCsv(r), numeric: true },
          { text: f.change(r.change), className: changeClass(r.change) },
          { text: f.dontKnow(r), csv: r.dontKnowShare === null ? "" : f.format.number(r.dontKnowShare * 100, 1), numeric: true },
        ])}
        filename={`${data.seriesId}-${data.year}-nyckeltal.csv`}
      />
      <h3>{t("dashboard.definitions.heading")}</h3>
      {rows.map((r) => (
        <details key={r.key} className="definition">
          <summary>{t("dashboard.definitions.summary", { name: f.measureName(r.key) })}</summary>
          <p>{data.definitions[r.key]?.formula ?? ""}</p>
          {r.key === "problem_index" ? <p>{t("dashboard.definitions.levels")}</p> : <p>{t(`dashboard.formula.${r.kind === "mean" ? "mean" : "share"}`)}</p>}
        </details>
      ))}
    </section>
  );
}

function TrendSection({ data, f, rtl }: { data: DashboardResults; f: Figures; rtl: boolean }) {
  const { t } = f;
  return (
    <section aria-labelledby="trend">
      <h2 id="trend">{t("dashboard.trend.heading")}</h2>
      <div className="chart-grid">
        {[...HEADLINE_KEYS, "problem_index"].map((key) => {
          const points = data.trend[key] ?? [];
          const kind = points.find((p) => p.row)?.row?.kind ?? "share";
          const scale = f.scale({ kind });
          const name = f.measureName(key);
          const spec = {
            type: "lines" as const,
            labels: points.map((p) => String(p.year)),
            values: points.map((p) => (p.row?.estimate == null ? null : p.row.estimate * scale.factor)),
            low: points.map((p) => (p.row?.ci ? p.row.ci[0] * scale.factor : null)),
            high: points.map((p) => (p.row?.ci ? p.row.ci[1] * scale.factor : null)),
            max: scale.max,
            axis: name,
            lineLabel: name,
            bandLabel: t("dashboard.trend.band"),
            rtl,
          };
          const alt = `${t("dashboard.trend.chartAlt", { name })} ${points.map((p) => `${p.year}: ${p.row ? f.value(p.row) : f.tooFew}`).join("; ")}.`;
          return (
            <div key={key} className="trend-item">
              <h3>{name}</h3>
              <ResultsChart spec={spec} alt={alt} filename={`${data.seriesId}-${key}-over-tid.png`} />
              <DataTable
                caption={t("dashboard.trend.caption", { name })}
                columns={[
                  { label: t("dashboard.col.year") },
                  { label: t("results.col.value"), csv: t("results.col.valueCsv"), numeric: true },
                  { label: t("results.col.interval"), csv: t("results.col.intervalLowCsv"), numeric: true },
                  { label: t("results.col.n"), numeric: true },
                ]}
                rows={points.map((p) => [
                  { text: String(p.year), header: true },
                  p.row ? { ...valueCell(f, p.row), figure: `${key}||${p.year}` } : { text: f.tooFew },
                  { text: p.row ? f.interval(p.row) : "", csv: p.row ? f.intervalCsv(p.row).join("–") : "", numeric: true },
                  { text: p.row ? f.n(p.row) : "", csv: p.row ? f.nCsv(p.row) : "", numeric: true },
                ])}
                filename={`${data.seriesId}-${key}-over-tid.csv`}
              />
            </div>
          );
        })}
      </div>
    </section>
  );
}

function BreakdownSection({ data, f, by, rtl }: { data: DashboardResults; f: Figures; by: (typeof BREAKDOWNS)[number]; rtl: boolean }) {
  const { t } = f;
  const { groups, rows } = data.breakdowns[by];
  const find = (key: string, group: string) => rows.find((r) => r.key === key && r.group === group) ?? null;
  const safety = groups.map((g) => find("safety_index", g.code));
  const spec = barsOf({
    labels: groups.map((g, i) => (safety[i]?.estimate == null ? `${g.name} (${f.tooFew})` : g.name)),
    figures: safety,
    axis: f.measureName("safety_index"),
    rtl,
  });
  const title = t(`dashboard.by.${by}`);
  const alt = `${t("dashboard.by.chartAlt", { by: title })} ${groups.map((g, i) => `${g.name}: ${safety[i] ? f.value(safety[i]!) : f.tooFew}`).join("; ")}.`;
  return (
    <section aria-labelledby={`by-${by}`}>
      <h2 id={`by-${by}`}>{title}</h2>
      <ResultsChart spec={spec} alt={alt} filename={`${data.seriesId}-${data.year}-per-${by}.png`} />
      <DataTable
        id={`dashboard-by-${by}`}
        caption={t("dashboard.by.caption", { by: title, year: data.year })}
        columns={[
          { label: t("dashboard.col.group") },
          ...HEADLINE_KEYS.flatMap((k) => [
            { label: f.measureName(k), csv: `${f.measureName(k)}${k === "safety_index" ? "" : " (%)"}`, numeric: true },
            { label: t("results.col.interval"), csv: `${f.measureName(k)}: ${t("results.col.intervalLowCsv")}`, numeric: true },
          ]),
        ]}
        rows={groups.map((g) => [
          { text: g.name, header: true },
          ...HEADLINE_KEYS.flatMap((k) => {
            const r = find(k, g.code);
            return [valueCell(f, r), { text: r ? f.interval(r) : "", csv: r ? f.intervalCsv(r).join("–") : "", numeric: true }];
          }),
        ])}
        filename={`${data.seriesId}-${data.year}-per-${by}.csv`}
      />
    </section>
  );
}

/** A year with a sample: how many of those invited answered, in all and per area (issue 19). */
function ResponseRateSection({ data, f }: { data: DashboardResults; f: Figures }) {
  const { t } = f;
  const rates = data.responseRate;
  if (!rates) return null;
  const rate = (r: { rate: number | null }) => (r.rate === null ? "" : f.format.percent(r.rate, 1));
  const rateCsv = (r: { rate: number | null }) => (r.rate === null ? "" : f.format.number(r.rate * 100, 1));
  return (
    <section aria-labelledby="response-rate">
      <h2 id="response-rate">{t("surveyYear.rates.heading")}</h2>
      <p>{t("surveyYear.results.responseRate", { rate: rate(rates), answered: f.format.number(rates.answered), invited: f.format.number(rates.invited) })}</p>
      {rates.areas.length > 0 ? (
        <DataTable
          id="dashboard-response-rate"
          caption={t("surveyYear.rates.byArea")}
          columns={[
            { label: t("surveyYear.rates.column.group") },
            { label: t("surveyYear.rates.column.invited"), numeric: true },
            { label: t("surveyYear.rates.column.answered"), numeric: true },
            { label: t("surveyYear.rates.column.rate"), csv: `${t("surveyYear.rates.column.rate")} (%)`, numeric: true },
          ]}
          rows={rates.areas.map((a) => [
            { text: a.name, header: true },
            { text: f.format.number(a.invited), csv: String(a.invited), numeric: true },
            { text: f.format.number(a.answered), csv: String(a.answered), numeric: true },
            { text: rate(a), csv: rateCsv(a), numeric: true },
          ])}
          filename={`${data.seriesId}-${data.year}-svarsfrekvens.csv`}
        />
      ) : null}
    </section>
  );
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>().results as unknown as DashboardResults;
  const f = useFigures();
  const { t } = f;
  const rtl = languageDir(useLocale()) === "rtl";
  const problems = problemTable(f, data.problems);
  const problemSpec = barsOf({
    labels: data.problems.map((r) => (r.suppressed ? `${f.measureName(r.key)} (${f.tooFew})` : `${f.measureName(r.key)} · ${t("dashboard.problems.levelShort", { level: r.level ?? "" })}`)),
    figures: data.problems,
    axis: t("results.problems.axis"),
    rtl,
    factor: 100,
  });
  const problemAlt = `${t("results.problems.chartAlt")} ${data.problems.map((r) => `${f.measureName(r.key)}: ${f.value(r)}`).join("; ")}.`;
  return (
    <>
      <h1>{t("dashboard.heading", { year: data.year })}</h1>
      <Form method="get" className="filter-form no-print">
        <SelectField label={t("dashboard.form.year")} name="ar" value={String(data.year)} options={yearOptions(data.years)} />
        <SelectField label={t("dashboard.form.weighting")} name="viktad" value={data.weightedRequested ? "1" : "0"}
          options={[{ value: "1", label: t("dashboard.form.weighted") }, { value: "0", label: t("dashboard.form.unweighted") }]} />
        <button type="submit" className="primary-button">
          {t("dashboard.form.show")}
        </button>
      </Form>
      <p className="notice" id="weighting-note">
        {data.weighted
          ? t("dashboard.weighting.weighted")
          : data.weightedRequested
            ? t("dashboard.weighting.impossible", { reason: data.weighting?.reason ?? "", cells: (data.weighting?.missingCells ?? []).slice(0, 8).join(", ") })
            : t("dashboard.weighting.unweighted")}
      </p>
      <p>
        {t("dashboard.respondents", { n: f.format.number(data.respondents) })}{" "}
        {t("dashboard.rules", { minCount: data.minCount, lowPrecisionCount: data.lowPrecisionCount })}
        {data.open ? ` ${t("results.public.openYear", { time: f.format.date(new Date(data.computedAt)) })}` : ""}
      </p>
      <p className="no-print">
        <Link to={`/personal/fritext?ar=${data.year}`}>{t("dashboard.freeTextLink")}</Link> ·{" "}
        <Link to={`/resultat/${data.year}`}>{t("dashboard.publicLink")}</Link>
      </p>
      <HeadlineSection data={data} f={f} />
      <ResponseRateSection data={data} f={f} />
      <TrendSection data={data} f={f} rtl={rtl} />
      <section aria-labelledby="problems">
        <h2 id="problems">{t("results.problems.heading")}</h2>
        <p>{t("dashboard.problems.intro")}</p>
        <ResultsChart spec={problemSpec} alt={problemAlt} filename={`${data.seriesId}-${data.year}-problem.png`} />
        <DataTable id="dashboard-problems" caption={t("results.problems.caption", { place: t("results.municipality"), year: data.year })} columns={problems.columns} rows={problems.rows} filename={`${data.seriesId}-${data.year}-problem.csv`} />
      </section>
      {BREAKDOWNS.map((by) => (
        <BreakdownSection key={by} data={data} f={f} by={by} rtl={rtl} />
      ))}
    </>
  );
}
