/**
 * Free-text answers (analysts and admins only; never public): a year's answers by area,
 * searchable and paged. React escapes every text; nothing here is ever cached publicly.
 */
import { SelectField, yearOptions } from "~/components/select-field";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { listFreeTextAnswers } from "~/models/free-text.server";
import { areaNames, latestPublicYear, publishedYears, RESULTS_SERIES } from "~/models/results-view.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["analyst"]);
  const { language, t } = await translatorFor(request);
  const db = getDb();
  const url = new URL(request.url);
  const years = (await publishedYears({ db, seriesId: RESULTS_SERIES })).map((y) => y.year);
  const yearText = url.searchParams.get("ar") ?? "";
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : ((await latestPublicYear({ db })) ?? years.at(-1) ?? new Date().getFullYear());
  const areas = areaNames(RESULTS_SERIES, language);
  const areaText = url.searchParams.get("omrade") ?? "";
  const area = areas.some((a) => a.code === areaText) ? areaText : null;
  const search = (url.searchParams.get("sok") ?? "").slice(0, 200);
  const page = Math.max(1, Number(url.searchParams.get("sida")) || 1);
  const result = await listFreeTextAnswers({ db, seriesId: RESULTS_SERIES, year, area, search, page });
  return { title: t("freeText.title", { year }), year, years, areas, area, search, ...result };
}

export default function FreeText() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const areaName = (code: string) => data.areas.find((a) => a.code === code)?.name ?? code;
  const pageLink = (page: number) => {
    const q = new URLSearchParams({ ar: String(data.year), sida: String(page) });
    if (data.area) q.set("omrade", data.area);
    if (data.search) q.set("sok", data.search);
    return `?${q}`;
  };
  return (
    <>
      <h1>{t("freeText.heading", { year: data.year })}</h1>
      <p>{t("freeText.intro")}</p>
      <Form method="get" className="filter-form">
        <SelectField label={t("freeText.form.year")} name="ar" value={String(data.year)} options={yearOptions(data.years)} />
        <SelectField label={t("freeText.form.area")} name="omrade" value={data.area ?? ""}
          options={[{ value: "", label: t("freeText.form.allAreas") }, ...data.areas.map((a) => ({ value: a.code, label: a.name }))]} />
        <label>
          {t("freeText.form.search")} <input type="search" name="sok" defaultValue={data.search} />
        </label>
        <button type="submit" className="primary-button">
          {t("freeText.form.submit")}
        </button>
      </Form>
      <p role="status">{t("freeText.count", { n: format.number(data.total) })}</p>
      {data.answers.length > 0 ? (
        <ul className="free-text-list">
          {data.answers.map((a) => (
            <li key={`${a.responseId}-${a.question}`} className="card">
              <p className="free-text">{a.text}</p>
              <p className="muted">{areaName(a.area) || t("freeText.noArea")}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {data.pages > 1 ? (
        <nav aria-label={t("freeText.pages")} className="pager">
          {data.page > 1 ? <Link to={pageLink(data.page - 1)}>{t("freeText.previous")}</Link> : null}{" "}
          <span>{t("freeText.pageOf", { page: data.page, pages: data.pages })}</span>{" "}
          {data.page < data.pages ? <Link to={pageLink(data.page + 1)}>{t("freeText.next")}</Link> : null}
        </nav>
      ) : null}
      <p>
        <Link to={`/personal/resultat?ar=${data.year}`}>{t("freeText.toDashboard")}</Link>
      </p>
    </>
  );
}
