import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { translatorFor } from "~/i18n/i18n.server";

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
        <Link to="/">{t("common.toStartPage")}</Link>
      </p>
    </>
  );
}
