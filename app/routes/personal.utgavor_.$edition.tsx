/**
 * An edition's sample and invitation codes (admins; issue 19): upload the sample (CSV) or make N
 * codes per area, then download the mail merge's CSV, the unused codes for the reminder, or
 * print the letters with a QR code each.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { createInvitations, parseSample, peoplePerArea, SampleError } from "~/models/invitation.server";
import { responseRates } from "~/models/response-rate.server";
import { getEdition } from "~/models/survey.server";
import { decodeUtf8File } from "~/utils/csv";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

async function editionOr404(id: string | undefined) {
  const edition = id && /^[a-z0-9-]{1,100}$/.test(id) ? await getEdition({ db: getDb(), id }) : undefined;
  if (!edition) throw new Response("Unknown edition", { status: 404 });
  return edition;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const { t } = await translatorFor(request);
  const edition = await editionOr404(params.edition);
  const rates = await responseRates({ db: getDb(), editionId: edition.id });
  return {
    title: t("surveyYear.codes.title", { id: edition.id }),
    id: edition.id,
    access: edition.access,
    invited: rates?.total.invited ?? 0,
    answered: rates?.total.answered ?? 0,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { form } = await requireStaffForm(request, ["admin"]);
  const { t } = await translatorFor(request);
  const edition = await editionOr404(params.edition);
  try {
    let people;
    const file = form.get("sample");
    if (form.get("intent") === "sample") {
      if (!(file instanceof File) || file.size === 0) return { ok: false as const, message: t("surveyYear.codes.noFile"), problems: [] };
      people = parseSample(decodeUtf8File(new Uint8Array(await file.arrayBuffer()), file.name), edition);
    } else {
      people = peoplePerArea(edition, Number(form.get("perArea")));
    }
    const made = await createInvitations({ db: getDb(), editionId: edition.id, people });
    return { ok: true as const, message: t("surveyYear.codes.made", { n: made }), problems: [] };
  } catch (error) {
    if (error instanceof SampleError) return { ok: false as const, message: t("surveyYear.codes.sampleProblems"), problems: error.problems.slice(0, 50) };
    if (error instanceof Error && /not UTF-8/.test(error.message)) return { ok: false as const, message: t("surveyYear.codes.notUtf8", { format: "CSV UTF-8" }), problems: [] };
    throw error;
  }
}

export default function Codes() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <h1>{t("surveyYear.codes.heading", { id: data.id })}</h1>
      <p>{t("surveyYear.codes.intro")}</p>
      {data.access === "open" ? <p className="notice notice-warning">{t("surveyYear.codes.openNote")}</p> : null}
      {result ? (
        <div role={result.ok ? "status" : "alert"} className={result.ok ? "notice" : "notice notice-error"}>
          <p>{result.message}</p>
          {result.problems.length > 0 ? (
            <ul>
              {result.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <p>{t("surveyYear.codes.status", { invited: format.number(data.invited), answered: format.number(data.answered) })}</p>

      <h2>{t("surveyYear.codes.sampleHeading")}</h2>
      <p>{t("surveyYear.codes.sampleIntro", { format: "CSV (UTF-8)", required: "sample_id, area", optional: "age_group, gender, language" })}</p>
      <StaffForm method="post" encType="multipart/form-data" className="stacked-form">
        <input type="hidden" name="intent" value="sample" />
        <label>
          {t("surveyYear.codes.sampleFile")} <input type="file" name="sample" accept=".csv,text/csv" required />
        </label>
        <button type="submit">{t("surveyYear.codes.sampleSubmit")}</button>
      </StaffForm>

      <h2>{t("surveyYear.codes.perAreaHeading")}</h2>
      <StaffForm method="post" className="stacked-form">
        <input type="hidden" name="intent" value="per-area" />
        <label>
          {t("surveyYear.codes.perArea")} <input type="number" name="perArea" min={1} max={100000} required />
        </label>
        <button type="submit">{t("surveyYear.codes.perAreaSubmit")}</button>
      </StaffForm>

      {data.invited > 0 ? (
        <>
          <h2>{t("surveyYear.codes.downloadHeading")}</h2>
          <ul>
            <li>
              <a href={`/personal/utgavor/${data.id}/koder`} download>
                {t("surveyYear.codes.downloadAll")}
              </a>
            </li>
            <li>
              <a href={`/personal/utgavor/${data.id}/koder?oanvanda=1`} download>
                {t("surveyYear.codes.downloadUnused")}
              </a>
            </li>
            <li>
              <Link to={`/personal/utgavor/${data.id}/brev`}>{t("surveyYear.codes.letters")}</Link>
            </li>
            <li>
              <Link to={`/personal/svarsfrekvens?utgava=${data.id}`}>{t("surveyYear.editions.rates")}</Link>
            </li>
          </ul>
        </>
      ) : null}
      <p>
        <Link to="/personal/utgavor">{t("surveyYear.codes.back")}</Link>
      </p>
    </>
  );
}
