/** Public results of a year for one area (no sign-in; public figures only). */
import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PublicResultsPage } from "~/components/results/public-results-page";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { publicResults } from "~/models/results-view.server";
import { useLocale } from "~/root";
import { publicCacheControl, publicResultsHeaders, yearParam } from "~/utils/results-page.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);
export const headers: HeadersFunction = ({ loaderHeaders }) => publicResultsHeaders(loaderHeaders);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { language, t } = await translatorFor(request);
  const year = yearParam(params.year);
  const results = await publicResults({ db: getDb(), language, year, areaCode: params.area ?? "" });
  const title = t("results.public.title", { place: results.area?.name ?? "", year });
  return json({ title, results }, { headers: { "Cache-Control": publicCacheControl(results.open) } });
}

export default function PublicResultsRoute() {
  const { results } = useLoaderData<typeof loader>();
  return <PublicResultsPage data={results} language={useLocale()} />;
}
