/**
 * Letters to print (admins): one A4 page per person with the survey's address, the code and a QR
 * code of the code's link (the qrcode package), 100 letters a page of the site (`?sida=`).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { formatCode, invitationLink, listInvitations } from "~/models/invitation.server";
import { getEdition, seriesTitle } from "~/models/survey.server";
import { qrDataUrl } from "~/utils/qr.server";
import { requireRole } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

const PER_PAGE = 100;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const { language, t } = await translatorFor(request);
  const id = params.edition ?? "";
  const edition = /^[a-z0-9-]{1,100}$/.test(id) ? await getEdition({ db: getDb(), id }) : undefined;
  if (!edition) throw new Response("Unknown edition", { status: 404 });
  const url = new URL(request.url);
  const unusedOnly = url.searchParams.get("oanvanda") === "1";
  const all = await listInvitations({ db: getDb(), editionId: edition.id, unusedOnly });
  const pages = Math.max(1, Math.ceil(all.length / PER_PAGE));
  const page = Math.min(pages, Math.max(1, Number(url.searchParams.get("sida")) || 1));
  const letters = await Promise.all(
    all.slice((page - 1) * PER_PAGE, page * PER_PAGE).map(async (i) => {
      const link = invitationLink(url.origin, i);
      return { id: i.id, code: formatCode(i.code), area: i.area, sampleId: i.sample_id, link, qr: await qrDataUrl(link) };
    }),
  );
  return {
    title: t("surveyYear.letters.title", { id: edition.id }),
    id: edition.id,
    survey: `${seriesTitle({ seriesId: edition.series_id, language, fallback: edition.series_id })} ${edition.year}`,
    address: `${url.origin}/`,
    closesOn: edition.closes_on,
    letters,
    page,
    pages,
  };
}

export default function Letters() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <div className="no-print">
        <h1>{t("surveyYear.letters.heading", { id: data.id })}</h1>
        <p>{t("surveyYear.letters.intro", { page: data.page, pages: data.pages })}</p>
        <p>
          {data.page > 1 ? <Link to={`?sida=${data.page - 1}`}>{t("surveyYear.letters.previous")}</Link> : null}{" "}
          {data.page < data.pages ? <Link to={`?sida=${data.page + 1}`}>{t("surveyYear.letters.next")}</Link> : null}{" "}
          <Link to={`/personal/utgavor/${data.id}`}>{t("surveyYear.codes.back")}</Link>
        </p>
      </div>
      {data.letters.map((l) => (
        <article key={l.id} className="letter">
          <h2>{data.survey}</h2>
          <p>{t("surveyYear.letters.body")}</p>
          <p>
            {t("surveyYear.letters.address")} <bdi dir="ltr">{data.address}</bdi>
          </p>
          <p className="letter-code">
            {t("surveyYear.letters.code")} <bdi dir="ltr"><strong>{l.code}</strong></bdi>
          </p>
          <img src={l.qr} alt={t("surveyYear.letters.qrAlt", { code: l.code })} width={160} height={160} />
          <p className="letter-ref">
            <bdi dir="ltr">{l.sampleId ?? ""} {l.area}</bdi>
          </p>
        </article>
      ))}
    </>
  );
}
