import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { translatorFor } from "~/i18n/i18n.server";
import type { CatalogHandle } from "~/components/language-catalog";

/**
 * The catalog texts this page draws, dynamic keys included (decision 040). Its links to pages
 * that draw other sections are document loads (`reloadDocument`): they would reload anyway.
 */
export const handle: CatalogHandle = { catalog: ["survey.thankYou"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.meta.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await translatorFor(request);
  return { meta: { title: t("layout.titleSuffix", { title: t("survey.thankYou.meta.title") }) } };
}

export default function ThankYou() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("survey.thankYou.heading")}</h1>
      <p className="lead" role="status">
        {t("survey.thankYou.lead")}
      </p>
      <p>
        <Link to="/" reloadDocument>{t("common.toStartPage")}</Link>
      </p>
    </>
  );
}
