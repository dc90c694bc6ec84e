/**
 * One dialogue session for its facilitator (or an admin): open or close it, the /d/<code> link as
 * a QR code for a screen or a poster, the kiosk link, and the live tally (the count, and from 10
 * answers the closed questions' figures, marked as self-selected; never free text).
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import QRCode from "qrcode";
import { useEffect } from "react";
import { useTranslation } from "~/i18n/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { closeSession, getSessionForViewer, openSession, sessionSummary } from "~/models/dialogue-session.server";
import { getEdition, seriesTitle } from "~/models/survey.server";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/dialogue.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

const ROLES = ["facilitator" as const];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ROLES);
  const { t, language } = await translatorFor(request);
  const db = getDb();
  // Another facilitator's session answers exactly as a missing one: 404.
  const session = await getSessionForViewer({ db, id: params.id ?? "", viewer: user });
  if (!session) throw new Response("Not found", { status: 404 });
  const edition = await getEdition({ db, id: session.edition_id });
  const link = `${new URL(request.url).origin}/d/${session.code}`;
  const qrSvg = await QRCode.toString(link, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return {
    title: t("layout.titleSuffix", { title: `${session.place} – ${t("dialogue.detail.title")}` }),
    session: { id: session.id, code: session.code, kind: session.kind, place: session.place, area: session.area, heldOn: session.held_on, status: session.status },
    editionTitle: edition ? `${seriesTitle({ seriesId: edition.series_id, language, fallback: edition.series_id })} ${edition.year}` : session.edition_id,
    link,
    qr: `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString("base64")}`,
    summary: await sessionSummary({ db, session, language }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, form } = await requireStaffForm(request, ROLES);
  const change = form.get("intent") === "open" ? openSession : closeSession;
  const session = await change({ db: getDb(), id: params.id ?? "", viewer: user });
  if (!session) throw new Response("Not found", { status: 404 });
  return { status: session.status };
}

export default function DialogueSessionPage() {
  const { session, editionTitle, link, qr, summary } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const revalidator = useRevalidator();
  // The tally follows the answers as they arrive (every 15 s while the page is shown).
  useEffect(() => {
    const timer = window.setInterval(() => document.visibilityState === "visible" && revalidator.state === "idle" && revalidator.revalidate(), 15_000);
    return () => window.clearInterval(timer);
  }, [revalidator]);
  const open = session.status === "open";
  return (
    <>
      <h1>{session.place}</h1>
      <dl className="dialogue-facts">
        <dt>{t("dialogue.field.kind")}</dt>
        <dd>{t(`dialogue.kind.${session.kind}`)}</dd>
        <dt>{t("dialogue.field.edition")}</dt>
        <dd>{editionTitle}</dd>
        <dt>{t("dialogue.field.date")}</dt>
        <dd>{format.date(session.heldOn)}</dd>
        <dt>{t("dialogue.field.code")}</dt>
        <dd><bdi dir="ltr" className="session-code">{session.code}</bdi></dd>
        <dt>{t("dialogue.field.status")}</dt>
        <dd>{t(`dialogue.status.${session.status}`)}</dd>
      </dl>
      <StaffForm>
        <input type="hidden" name="intent" value={open ? "close" : "open"} />
        <button type="submit">{open ? t("dialogue.detail.close") : t("dialogue.detail.open")}</button>
      </StaffForm>

      <h2>{t("dialogue.detail.tallyHeading")}</h2>
      <p className="dialogue-tally" role="status">
        {t("dialogue.detail.answers", { n: format.number(summary.respondents) })}
      </p>
      {summary.suppressed ? (
        <p>{t("dialogue.detail.tooFew", { min: summary.minCount })}</p>
      ) : summary.measures.length > 0 ? (
        <>
          <p className="notice">{t("dialogue.detail.selfSelected")}</p>
          <table>
            <caption>{t("dialogue.detail.summaryCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dialogue.detail.measure")}</th>
                <th scope="col" className="num">{t("dialogue.detail.share")}</th>
                <th scope="col" className="num">{t("dialogue.field.answers")}</th>
              </tr>
            </thead>
            <tbody>
              {summary.measures.map((m) => (
                <tr key={m.key}>
                  <th scope="row">{m.name}</th>
                  <td className="num">{m.suppressed || m.estimate === null ? t("dialogue.detail.suppressed") : m.key.includes("index") ? format.number(m.estimate, 1) : format.percent(m.estimate)}</td>
                  <td className="num">{format.number(m.n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      <h2>{t("dialogue.detail.phonesHeading")}</h2>
      <p>{t("dialogue.detail.phonesLead")}</p>
      <p>
        <a href={link}><bdi dir="ltr">{link}</bdi></a>
      </p>
      <img className="dialogue-qr" src={qr} width={240} height={240} alt={t("dialogue.detail.qrAlt", { link })} />

      <h2>{t("dialogue.detail.kioskHeading")}</h2>
      <p>{t("dialogue.detail.kioskLead")}</p>
      <p>
        <a href={`/kiosk/${session.code}`} className="button-link">{t("dialogue.detail.openKiosk")}</a>
      </p>
      {session.kind === "trygghetsvandring" && session.status === "open" ? (
        <p>
          <Link to={`/personal/dialoger/${session.id}/vandring`} className="button-link">{t("dialogue.detail.recordWalk")}</Link>
        </p>
      ) : null}
      <p>
        <Link to="/personal/dialoger">{t("dialogue.detail.back")}</Link>
      </p>
    </>
  );
}
