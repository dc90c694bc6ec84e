/**
 * The public report on a year's citizen promises (issue 18): what was promised, what was done
 * (activities by kind and month), how the survey's figures moved, in plain language and every
 * site language. No staff names, no free text; suppressed groups say "för få svar". Prints to A4
 * (the site's print CSS) and downloads as a PDF made from this page (decision 031); its status
 * changes are an Atom feed (decision 032).
 */
import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { PromiseFollowUpTables } from "~/components/promises/follow-up";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { followUp, publicFollowUp } from "~/models/promise-follow-up.server";
import { areaNames, RESULTS_SERIES } from "~/models/results-view.server";
import { publicCacheControl, publicResultsHeaders, yearParam } from "~/utils/results-page.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: data.title },
        { tagName: "link", rel: "alternate", type: "application/atom+xml", title: data.feedTitle, href: `/medborgarloften/${data.fu.year}/feed.xml` },
      ]
    : [];
export const headers: HeadersFunction = ({ loaderHeaders }) => publicResultsHeaders(loaderHeaders);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { language, t } = await translatorFor(request);
  const year = yearParam(params.year);
  const fu = publicFollowUp(await followUp({ db: getDb(), year }));
  if (fu.promises.length === 0) throw new Response("No promises for that year", { status: 404 });
  return json(
    {
      title: t("layout.titleSuffix", { title: t("promises.public.title", { year }) }),
      feedTitle: t("promises.feed.title", { year }),
      fu,
      areas: areaNames(RESULTS_SERIES, language),
    },
    { headers: { "Cache-Control": publicCacheControl(fu.surveyOpen) } },
  );
}

export default function PublicPromises() {
  const { fu, areas } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const areaName = (code: string) => areas.find((a) => a.code === code)?.name ?? code;
  return (
    <>
      <h1>{t("promises.public.heading", { year: fu.year })}</h1>
      <p className="lead">{t("promises.public.lead")}</p>
      {fu.promiseYear?.signed ? (
        <p>{t("promises.public.signed", { date: format.date(fu.promiseYear.signedOn!), roles: fu.promiseYear.signatoryRoles.join(t("promises.public.and")) })}</p>
      ) : (
        <p>{t("promises.public.draft")}</p>
      )}
      {fu.surveyYear !== null ? (
        <p>{t("promises.public.figuresFrom", { year: fu.surveyYear, previous: fu.previousYear ?? "–" })}</p>
      ) : null}
      <p className="no-print">
        <a href={`/medborgarloften/${fu.year}/rapport.pdf`} download>
          {t("promises.public.pdf")}
        </a>{" "}
        · <a href={`/medborgarloften/${fu.year}/feed.xml`}>{t("promises.public.feed")}</a>
      </p>
      {fu.promises.map((p, i) => (
        <section key={i} className="card promise" aria-labelledby={`promise-${i}`}>
          <h2 id={`promise-${i}`}>{t("promises.promiseHeading", { n: i + 1 })}</h2>
          <p className="promise-text" lang="sv" dir="ltr">
            {p.promise.text}
          </p>
          <p>
            {t("promises.public.carriedBy", { who: t(`promises.carrier.${p.promise.carriedBy}`) })} {t("promises.public.status", { status: t(`promises.status.${p.promise.status}`) })}
          </p>
          <PromiseFollowUpTables fu={fu} p={p} areaName={areaName} publicView idPrefix={`p${i}`} />
        </section>
      ))}
      <h2>{t("promises.public.howHeading")}</h2>
      <p>{t("promises.public.how")}</p>
    </>
  );
}
