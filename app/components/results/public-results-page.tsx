/**
 * The public results of a year, for the municipality or one area (routes resultat.$year and
 * resultat.$year_.$area): plain-language sentences, the change from last year in the
 * significance wording, tables (each with its CSV) and charts over the same rows (each with its
 * PNG). Only public figures: suppressed groups say "för få svar" and show no number.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { languageDir, type Language } from "~/i18n/languages";
import type { FigureRow, PublicResults } from "~/models/results-view.server";
import { ResultsChart } from "./chart";
import { barsOf } from "./chart-spec";
import { DataTable, type Cell } from "./data-table";
import { changeClass, useFigures, type Figures } from "./figures";

function problemChart(f: Figures, rows: FigureRow[], rtl: boolean) {
  return {
    spec: barsOf({
      labels: rows.map((r) => (r.suppressed ? `${f.measureName(r.key)} (${f.tooFew})` : f.measureName(r.key))),
      figures: rows,
      axis: f.t("results.problems.axis"),
      rtl,
      factor: 100,
    }),
    alt: `${f.t("results.problems.chartAlt")} ${rows.map((r) => `${f.measureName(r.key)}: ${f.value(r)}`).join("; ")}.`,
  };
}

export function problemTable(f: Figures, rows: FigureRow[]): { columns: { label: string; csv?: string; numeric?: boolean }[]; rows: Cell[][] } {
  return {
    columns: [
      { label: f.t("results.col.problem") },
      { label: f.t("results.col.bigProblem"), csv: f.t("results.col.bigProblemCsv"), numeric: true },
      { label: f.t("results.col.interval"), csv: f.t("results.col.intervalLowCsv"), numeric: true },
      { label: f.t("results.col.level"), numeric: true },
      { label: f.t("results.col.n"), numeric: true },
    ],
    rows: rows.map((r) => [
      { text: f.measureName(r.key), header: true },
      { text: `${f.value(r)}${r.lowPrecision ? ` ${f.lowPrecision(r)}` : ""}`, csv: f.valueCsv(r), numeric: true, figure: `${r.key}|${r.group}` },
      { text: f.interval(r), csv: f.intervalCsv(r).join("–"), numeric: true },
      { text: r.level === null || r.level === undefined ? "" : f.format.number(r.level), numeric: true },
      { text: f.n(r), csv: f.nCsv(r), numeric: true },
    ]),
  };
}

function Sentence({ row, data, f }: { row: FigureRow; data: PublicResults; f: Figures }) {
  if (row.suppressed) {
    return (
      <p className="sentence">
        <strong>{f.measureName(row.key)}:</strong> {f.tooFew}
      </p>
    );
  }
  const outOfTen = data.outOfTen[row.key];
  const margin = data.margin[row.key];
  const text =
    row.key === "safety_index"
      ? f.t("results.plain.safety_index", { value: f.value(row) })
      : f.t(`results.plain.${row.key}`, { value: outOfTen ?? 0 });
  const marginText =
    margin === null
      ? ""
      : row.kind === "share"
        ? f.t("results.plain.marginShare", { margin: f.format.number(margin * 100, 0) })
        : f.t("results.plain.marginIndex", { margin: f.format.number(margin, 1) });
  return (
    <div className="sentence">
      <p>
        <strong>{text}</strong>{" "}
        {row.kind !== "share" ? "" : row.key === "unsafe_evening_share" ? `(${f.t("results.plain.unsafeNote", { value: f.value(row) })})` : `(${f.value(row)})`}
      </p>
      <p className="muted">
        {marginText} <span className={changeClass(row.change)}>{f.change(row.change)}</span>
        {row.lowPrecision ? ` ${f.t("results.lowPrecisionNote")}` : ""}
      </p>
    </div>
  );
}

export function PublicResultsPage({ data, language }: { data: PublicResults; language: Language }) {
  const { t } = useTranslation();
  const f = useFigures();
  const rtl = languageDir(language) === "rtl";
  const place = data.area?.name ?? t("results.municipality");
  const base = `/resultat/${data.year}`;
  const file = `trygghetsmatning-${data.year}${data.area ? `-${data.area.code}` : ""}`;
  const problems = problemChart(f, data.problems, rtl);
  const pt = problemTable(f, data.problems);
  const headlineCols = [
    { label: t("results.col.measure") },
    { label: t("results.col.value"), csv: t("results.col.valueCsv"), numeric: true },
    { label: t("results.col.interval"), csv: t("results.col.intervalLowCsv"), numeric: true },
    { label: t("results.col.n"), numeric: true },
    { label: t("results.col.change") },
  ];
  const headlineRows: Cell[][] = data.headline.map((r) => [
    { text: f.measureName(r.key), header: true },
    { text: `${f.value(r)}${r.lowPrecision ? ` ${f.lowPrecision(r)}` : ""}`, csv: f.valueCsv(r), numeric: true, figure: `${r.key}|${r.group}` },
    { text: f.interval(r), csv: f.intervalCsv(r).join("–"), numeric: true },
    { text: f.n(r), csv: f.nCsv(r), numeric: true },
    { text: f.change(r.change), className: changeClass(r.change) },
  ]);
  return (
    <article className="public-results">
      <nav aria-label={t("results.nav.label")} className="no-print results-nav">
        <p>
          {t("results.nav.years")}{" "}
          {data.years.map((y) => (
            <span key={y}>
              {y === data.year ? <strong aria-current="page">{y}</strong> : <Link to={`/resultat/${y}${data.area ? `/${data.area.code}` : ""}`}>{y}</Link>}{" "}
            </span>
          ))}
        </p>
        <details>
          <summary>{t("results.nav.areas")}</summary>
          <ul className="area-links">
            <li>{data.area ? <Link to={base}>{t("results.municipality")}</Link> : <strong>{t("results.municipality")}</strong>}</li>
            {data.areas.map((a) => (
              <li key={a.code}>{a.code === data.area?.code ? <strong>{a.name}</strong> : <Link to={`${base}/${a.code}`}>{a.name}</Link>}</li>
            ))}
          </ul>
        </details>
      </nav>
      <h1>{t("results.public.heading", { place, year: data.year })}</h1>
      {data.open ? <p className="notice">{t("results.public.openYear", { time: f.format.date(new Date(data.computedAt)) })}</p> : null}
      {data.suppressed ? (
        <p className="notice notice-warning">{t("results.public.tooFewArea", { place, minCount: data.minCount })}</p>
      ) : (
        <>
          <p className="lead">{t("results.public.answers", { n: f.format.number(data.respondents) })}</p>
          {data.responseRate && data.responseRate.rate !== null ? (
            <p>
              {t("surveyYear.results.responseRate", {
                rate: f.format.percent(data.responseRate.rate, 0),
                answered: f.format.number(data.responseRate.answered),
                invited: f.format.number(data.responseRate.invited),
              })}
            </p>
          ) : null}
          <p>{data.weighted ? t("results.public.weighted") : t("results.public.unweighted")}</p>
          <section aria-labelledby="sentences" className="print-block">
            <h2 id="sentences">{t("results.public.inShort")}</h2>
            {data.headline.map((r) => (
              <Sentence key={r.key} row={r} data={data} f={f} />
            ))}
          </section>
        </>
      )}
      <section aria-labelledby="figures" className="print-block">
        <h2 id="figures">{t("results.public.figures")}</h2>
        <DataTable id="headline-table" caption={t("results.public.headlineCaption", { place, year: data.year })} columns={headlineCols} rows={headlineRows} filename={`${file}-nyckeltal.csv`} />
      </section>
      {data.areaTable.length > 0 ? <AreaSection data={data} f={f} rtl={rtl} file={file} /> : null}
      <section aria-labelledby="problems" className="print-block">
        <h2 id="problems">{t("results.problems.heading")}</h2>
        <p>{t("results.problems.intro")}</p>
        <ResultsChart spec={problems.spec} alt={problems.alt} filename={`${file}-problem.png`} />
        <DataTable id="problem-table" caption={t("results.problems.caption", { place, year: data.year })} columns={pt.columns} rows={pt.rows} filename={`${file}-problem.csv`} />
      </section>
      <section aria-labelledby="about" className="print-block">
        <h2 id="about">{t("results.public.aboutHeading")}</h2>
        <p>{t("results.public.about", { minCount: data.minCount })}</p>
      </section>
    </article>
  );
}

function AreaSection({ data, f, rtl, file }: { data: PublicResults; f: Figures; rtl: boolean; file: string }) {
  const { t } = f;
  const rows = data.areaTable;
  const safety = rows.map((a) => a.safety);
  const spec = barsOf({
    labels: rows.map((a) => (a.safety?.suppressed !== false ? `${a.name} (${f.tooFew})` : a.name)),
    figures: safety,
    axis: f.measureName("safety_index"),
    rtl,
  });
  const alt = `${t("results.areas.chartAlt")} ${rows.map((a) => `${a.name}: ${a.safety ? f.value(a.safety) : f.tooFew}`).join("; ")}.`;
  const cells: Cell[][] = rows.map((a) => [
    { text: a.name, header: true },
    { text: a.safety ? `${f.value(a.safety)}${a.safety.lowPrecision ? ` ${f.lowPrecision(a.safety)}` : ""}` : f.tooFew, csv: a.safety ? f.valueCsv(a.safety) : f.tooFew, numeric: true, figure: `safety_index|${a.code}` },
    { text: a.safety ? f.interval(a.safety) : "", csv: a.safety ? f.intervalCsv(a.safety).join("–") : "", numeric: true },
    { text: a.unsafe ? `${f.value(a.unsafe)}${a.unsafe.lowPrecision ? ` ${f.lowPrecision(a.unsafe)}` : ""}` : f.tooFew, csv: a.unsafe ? f.valueCsv(a.unsafe) : f.tooFew, numeric: true, figure: `unsafe_evening_share|${a.code}` },
    { text: a.safety ? f.n(a.safety) : "", csv: a.safety ? f.nCsv(a.safety) : "", numeric: true },
  ]);
  return (
    <section aria-labelledby="areas" className="print-block">
      <h2 id="areas">{t("results.areas.heading")}</h2>
      <ResultsChart spec={spec} alt={alt} filename={`${file}-omraden.png`} />
      <DataTable
        id="area-table"
        caption={t("results.areas.caption", { year: data.year })}
        columns={[
          { label: t("results.col.area") },
          { label: f.measureName("safety_index"), numeric: true },
          { label: t("results.col.interval"), csv: t("results.col.intervalLowCsv"), numeric: true },
          { label: f.measureName("unsafe_evening_share"), csv: `${f.measureName("unsafe_evening_share")} (%)`, numeric: true },
          { label: t("results.col.n"), numeric: true },
        ]}
        rows={cells}
        filename={`${file}-omraden.csv`}
      />
      <p className="no-print">
        {t("results.areas.perArea")}{" "}
        {rows.map((a, i) => (
          <span key={a.code}>
            <Link to={`/resultat/${data.year}/${a.code}`}>{a.name}</Link>
            {i < rows.length - 1 ? ", " : ""}
          </span>
        ))}
      </p>
    </section>
  );
}
