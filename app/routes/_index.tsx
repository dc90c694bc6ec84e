import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "~/i18n/react";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { listOpenEditions, listUpcomingEditions, seriesTitle } from "~/models/survey.server";
import { checkCodeForPage } from "~/api/invitation-code.server";
import { CodeForm } from "~/components/code-form";
import { listPromiseYears } from "~/models/promise.server";
import { SURVEY_PAGE_SECTIONS, type CatalogHandle } from "~/components/language-catalog";

/**
 * The catalog texts this page draws, dynamic keys included (decision 040). Its links to pages
 * that draw other sections are document loads (`reloadDocument`): they would reload anyway.
 */
export const handle: CatalogHandle = {
  catalog: ["start", "surveyYear.start", "promises.startLink", "results.startLink", ...SURVEY_PAGE_SECTIONS],
};

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.meta.title }, { name: "description", content: data.meta.description }] : [];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { language, t } = await translatorFor(request);
  // The code from a letter, typed in the start page's field: to its survey, in the letter's language.
  const typed = new URL(request.url).searchParams.get("kod");
  let codeProblem: "unknown" | "used" | "limited" | null = null;
  if (typed) {
    const client = (context as { clientKey?: string } | undefined)?.clientKey ?? "unknown";
    const check = await checkCodeForPage({ db: getDb(), editionId: null, code: typed, client });
    if (check.status === "ok") {
      const lang = check.language ? `&lang=${check.language}` : "";
      throw redirect(`/enkat/${check.editionId}?kod=${encodeURIComponent(check.code)}${lang}`);
    }
    codeProblem = check.status;
  }
  const editions = await listOpenEditions({ db: getDb() });
  const promiseYear = (await listPromiseYears({ db: getDb() }))[0]?.year ?? null;
  const upcoming = await listUpcomingEditions({ db: getDb() });
  return {
    promiseYear,
    codeProblem,
    upcoming: upcoming.map((e) => ({ id: e.id, year: e.year, opensOn: e.opens_on!, title: seriesTitle({ seriesId: e.series_id, language, fallback: e.series_id }) })),
    meta: { title: t("start.meta.title"), description: t("start.meta.description") },
    surveys: editions
      .filter((e) => e.kind === "survey" || e.kind === "tips")
      .map((e) => ({
        id: e.id,
        year: e.year,
        kind: e.kind,
        title: seriesTitle({ seriesId: e.series_id, language, fallback: e.title_sv }),
        closesOn: e.closes_on,
      })),
  };
}

export default function Index() {
  const { surveys, upcoming, codeProblem, promiseYear } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <h1>{t("start.heading")}</h1>
      <p className="lead">{t("start.lead")}</p>
      <p>
        <Link to="/resultat" reloadDocument>{t("results.startLink")}</Link>
      </p>
      {promiseYear !== null ? (
        <p>
          <Link to={`/medborgarloften/${promiseYear}`} reloadDocument>{t("promises.startLink")}</Link>
        </p>
      ) : null}
      <h2>{t("start.openSurveys")}</h2>
      {surveys.length === 0 ? (
        <p>{t("start.noOpenSurvey")}</p>
      ) : (
        <ul className="card-list">
          {surveys.map((s) => (
            <li key={s.id} className="card">
              <h3>
                <Link to={`/enkat/${s.id}`}>
                  {s.title} <bdi>{s.year}</bdi>
                </Link>
              </h3>
              {s.closesOn ? (
                <p>
                  <Trans
                    i18nKey="start.openUntil"
                    values={{ date: format.date(s.closesOn) }}
                    components={[<time key="date" dateTime={s.closesOn} />]}
                  />
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {upcoming.length > 0 ? (
        <ul className="upcoming">
          {upcoming.map((u) => (
            <li key={u.id}>
              <Trans
                i18nKey="surveyYear.start.upcoming"
                values={{ title: u.title, year: u.year, date: format.date(u.opensOn) }}
                components={[<time key="date" dateTime={u.opensOn} />]}
              />
            </li>
          ))}
        </ul>
      ) : null}
      <h2>{t("surveyYear.code.startHeading")}</h2>
      {codeProblem ? (
        <p role="alert" className="notice notice-error">
          {t(`surveyYear.code.${codeProblem}`, { example: "ABCDE-FGH23" })}
        </p>
      ) : null}
      <CodeForm action="/" />
    </>
  );
}
