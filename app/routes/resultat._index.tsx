/** /resultat: the latest year with figures to show, or a note that there are none yet. */
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { latestPublicYear } from "~/models/results-view.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  const year = await latestPublicYear({ db: getDb() });
  const search = new URL(request.url).search;
  if (year !== null) throw redirect(`/resultat/${year}${search}`);
  const { t } = await translatorFor(request);
  return { title: t("results.public.noneTitle") };
}

export default function NoResultsYet() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("results.public.noneTitle")}</h1>
      <p>{t("results.public.none")}</p>
    </>
  );
}
