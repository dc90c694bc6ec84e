/**
 * The problem picture for next year's promises (issue 18): staff only (analysts and admins), the
 * base of the municipality's local situation report. Each table downloads as CSV; the page prints
 * to A4 and downloads as a PDF (decision 031); a coordinator drafts next year's promise from a
 * problem here, the draft keeping the figures that motivated it.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { useGroupName, useMeasureName } from "~/components/promises/follow-up";
import { DataTable } from "~/components/results/data-table";
import { changeClass, useFigures } from "~/components/results/figures";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { problemPicture } from "~/models/problem-picture.server";
import { PROMISE_ROLES, PromiseError } from "~/models/promise.server";
import { draftFromProblem } from "~/models/promise-draft.server";
import { areaNames, RESULTS_SERIES } from "~/models/results-view.server";
import { yearParam } from "~/utils/results-page.server";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, PROMISE_ROLES.editPromise);
  const year = yearParam(params.year);
  return pageData(request, year);
}

async function pageData(request: Request, year: number) {
  const { language, t } = await translatorFor(request);
  const picture = await problemPicture({ db: getDb(), year });
  return { title: t("layout.titleSuffix", { title: t("promises.problem.title", { year }) }), picture, areas: areaNames(RESULTS_SERIES, language) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, form } = await requireStaffForm(request, PROMISE_ROLES.editPromise);
  const { t } = await translatorFor(request);
  const year = yearParam(params.year);
  const measureKey = String(form.get("measureKey") ?? "");
  const name = t(`results.measure.${measureKey}`, { defaultValue: t(`promises.measure.${measureKey}`, { defaultValue: measureKey }) });
  try {
    const draft = await draftFromProblem({ db: getDb(), year, measureKey, text: t("promises.problem.draftText", { problem: name }), userId: user.id });
    return json({ ok: true as const, year: draft.year, error: null });
  } catch (error) {
    if (error instanceof PromiseError) return json({ ok: false as const, year: null, error: error.code }, { status: error.status });
    throw error;
  }
}

export default function ProblemPicturePage() {
  const { picture: p, areas } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const f = useFigures();
  const { t, format } = f;
  const { t: tt } = useTranslation();
  const measureName = useMeasureName();
  const groupName = useGroupName();
  const areaName = (code: string) => areas.find((a) => a.code === code)?.name ?? code;
  const valueCell = (r: (typeof p.ranking)[number]) => ({ text: f.value(r), csv: f.valueCsv(r), numeric: true, figure: `${r.key}|${r.group}` });
  return (
    <>
      <h1>{t("promises.problem.heading", { year: p.year })}</h1>
      <p className="lead">{t("promises.problem.lead")}</p>
      {p.surveyYear !== null ? <p>{t("promises.problem.figuresFrom", { year: p.surveyYear, previous: p.previousYear ?? "–" })}</p> : <p>{t("promises.followUp.noSurvey")}</p>}
      <p className="no-print">
        <a href={`/personal/problembild/${p.year}/pdf`} download>
          {t("promises.problem.pdf")}
        </a>{" "}
        · <Link to={`/personal/loften?ar=${p.year + 1}`}>{t("promises.staff.nextYear", { year: p.year + 1 })}</Link>
      </p>
      {result ? (
        result.ok ? (
          <p className="notice" role="status">
            {t("promises.problem.drafted", { year: result.year })} <Link to={`/personal/loften?ar=${result.year}`}>{t("promises.staff.nextYear", { year: result.year })}</Link>
          </p>
        ) : (
          <p className="notice notice-error" role="alert">
            {t(`promises.error.${result.error}`)}
          </p>
        )
      ) : null}

      <section aria-labelledby="rank">
        <h2 id="rank">{t("promises.problem.rankHeading")}</h2>
        <DataTable
          id="problem-ranking"
          caption={t("promises.problem.rankCaption")}
          columns={[
            { label: t("promises.problem.col.problem") },
            { label: t("promises.problem.col.share"), numeric: true },
            { label: t("promises.problem.col.level"), numeric: true },
            { label: t("promises.problem.col.change") },
          ]}
          rows={p.ranking.map((r) => [
            { text: measureName(r.key), header: true },
            valueCell(r),
            { text: r.level === null || r.level === undefined ? "" : format.number(r.level), numeric: true },
            { text: f.change(r.change), className: changeClass(r.change) },
          ])}
          filename={`problembild-${p.year}-problem.csv`}
        />
        <ul className="no-print draft-list">
          {p.ranking.slice(0, 6).map((r) => (
            <li key={r.key}>
              <StaffForm method="post" className="inline-form">
                <input type="hidden" name="measureKey" value={r.key} />
                <button type="submit">
                  {t("promises.problem.draftButton", { year: p.year + 1 })}: {measureName(r.key)}
                </button>
              </StaffForm>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="areas">
        <h2 id="areas">{t("promises.problem.areaHeading")}</h2>
        {p.areaChanges.length === 0 ? (
          <p>{t("promises.problem.noChanges")}</p>
        ) : (
          <DataTable
            id="problem-areas"
            caption={t("promises.problem.areaCaption")}
            columns={[{ label: t("promises.problem.col.area") }, { label: t("promises.problem.col.problem") }, { label: t("promises.problem.col.share"), numeric: true }, { label: t("promises.problem.col.change") }]}
            rows={p.areaChanges.flatMap((a) =>
              a.rows.map((r) => [{ text: areaName(a.area), header: true }, { text: measureName(r.key) }, valueCell(r), { text: f.change(r.change), className: changeClass(r.change) }]),
            )}
            filename={`problembild-${p.year}-omraden.csv`}
          />
        )}
      </section>

      <section aria-labelledby="dialogues">
        <h2 id="dialogues">{t("promises.problem.dialogueHeading")}</h2>
        {p.dialogueResponses === 0 ? (
          <p>{t("promises.problem.dialogueNone")}</p>
        ) : (
          <>
            <DataTable
              id="problem-dialogues"
              caption={t("promises.problem.dialogueCaption")}
              columns={[{ label: t("promises.problem.col.problem") }, { label: t("promises.problem.col.count"), numeric: true }]}
              rows={[
                ...p.dialogueProblems.map((d) => [{ text: measureName(d.key), header: true }, { text: format.number(d.count), numeric: true }]),
                ...p.tipProblems.map((d) => [{ text: tt(`promises.problem.tip.${d.code}`, { defaultValue: d.code }), header: true }, { text: format.number(d.count), numeric: true }]),
              ]}
              filename={`problembild-${p.year}-dialoger.csv`}
            />
            {p.tipPlaces.length > 0 ? (
              <DataTable
                id="problem-tip-places"
                caption={t("promises.problem.tipCaption")}
                columns={[{ label: t("promises.problem.col.place") }, { label: t("promises.problem.col.count"), numeric: true }]}
                rows={p.tipPlaces.map((d) => [{ text: d.place, header: true }, { text: format.number(d.count), numeric: true }])}
                filename={`problembild-${p.year}-tipsplatser.csv`}
              />
            ) : null}
          </>
        )}
      </section>

      <section aria-labelledby="avoid">
        <h2 id="avoid">{t("promises.problem.avoidHeading")}</h2>
        <DataTable
          id="problem-avoid"
          caption={t("promises.problem.avoidCaption")}
          columns={[{ label: t("promises.problem.col.group") }, { label: t("promises.problem.col.share"), numeric: true }, { label: t("promises.problem.col.change") }]}
          rows={p.avoid.flatMap((g) =>
            g.rows.map((r) => [
              { text: groupName(g.by, r.group, areaName), header: true },
              valueCell(r),
              { text: f.change(r.change), className: changeClass(r.change) },
            ]),
          )}
          filename={`problembild-${p.year}-avstar.csv`}
        />
      </section>

      <section aria-labelledby="indicators">
        <h2 id="indicators">{t("promises.problem.indicatorsHeading")}</h2>
        <DataTable
          id="problem-indicators"
          caption={t("promises.problem.indicatorsCaption")}
          columns={[{ label: t("promises.problem.col.promise"), numeric: true }, { label: t("promises.col.indicator") }, { label: t("promises.col.group") }, { label: t("promises.problem.col.share"), numeric: true }, { label: t("promises.problem.col.change") }]}
          rows={p.indicators.map((m) => [
            { text: format.number(m.promisePosition + 1), numeric: true },
            { text: measureName(m.indicator.measureKey ?? ""), header: true },
            { text: groupName(m.indicator.groupBy, m.indicator.groupValue, areaName) },
            m.current ? valueCell(m.current) : { text: f.tooFew, numeric: true },
            { text: `${t(`promises.problem.direction.${m.direction}`)} (${f.change(m.current?.change ?? null)})`, className: changeClass(m.current?.change ?? null) },
          ])}
          filename={`problembild-${p.year}-indikatorer.csv`}
        />
      </section>
      <p className="no-print">
        <Link to="/personal/loften">{t("promises.staffLink")}</Link>
      </p>
    </>
  );
}
