/**
 * Recording a safety walk's stops on the tablet (issue 17, item 6; decision 028): the place (name;
 * coordinates from the tablet when the person allows it), the category, what was seen, the
 * proposed action and who is responsible. Stops go to POST /api/walk-stops through the tablet's
 * queue (app/walks/stop-queue.client.ts), so a walk where the network drops loses nothing: a stop
 * waits on the tablet and is sent when the network comes back. The session's facilitator or an
 * admin only.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { areaNames } from "~/models/results-view.server";
import { getWalkSession, listSessionStops } from "~/models/walk.server";
import { flushStops, queuedStops, queueStop, discardRefused, type QueuedStop } from "~/walks/stop-queue.client";
import { MAX_PLACE_LENGTH, MAX_TEXT_LENGTH, parseWalkStop, WALK_CATEGORIES, WALK_RESPONSIBLE } from "~/walks/stop";
import { requireRole } from "~/utils/session.server";

export const links = () => [{ rel: "stylesheet", href: "/styles/walks.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["facilitator"]);
  const { language, t } = await translatorFor(request);
  const db = getDb();
  const id = (params.id ?? "").toLowerCase();
  const session = /^[0-9a-f-]{36}$/.test(id) ? await getWalkSession({ db, id }) : undefined;
  if (!session) throw new Response("Not found", { status: 404 });
  if (user.role !== "admin" && session.facilitator_id !== user.id) throw new Response("Forbidden", { status: 403 });
  const stops = await listSessionStops({ db, viewer: user, sessionId: session.id });
  const area = areaNames("trygghetsmatning", language).find((a) => a.code === session.area)?.name ?? session.area;
  return {
    title: t("layout.titleSuffix", { title: t("walk.page.title", { place: session.place }) }),
    session: { id: session.id, place: session.place, area, heldOn: session.held_on, status: session.status, kind: session.kind },
    canRecord: session.kind === "trygghetsvandring" && session.status === "open",
    stops,
  };
}

type Notice =
  | { kind: "sent" }
  | { kind: "queued"; waiting: number }
  | { kind: "signedOut"; waiting: number }
  | { kind: "invalid"; fields: string[] };

function localDate(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export default function WalkStops() {
  const { session, canRecord, stops } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  const revalidator = useRevalidator();
  const formRef = useRef<HTMLFormElement>(null);
  const [coords, setCoords] = useState<{ latitude: number; longitude: number } | null>(null);
  const [geoState, setGeoState] = useState<"idle" | "asking" | "denied" | "unavailable">("idle");
  const [notice, setNotice] = useState<Notice | null>(null);
  const [waiting, setWaiting] = useState<QueuedStop[]>([]);
  // The form works through script only: marked ready once hydrated (the e2e tests wait for it).
  const [ready, setReady] = useState(false);

  const refreshQueue = useCallback(() => setWaiting(queuedStops().filter((s) => s.body.sessionId === session.id)), [session.id]);

  const flush = useCallback(async () => {
    const outcome = await flushStops();
    refreshQueue();
    if (outcome.sent > 0) revalidator.revalidate();
    return outcome;
  }, [refreshQueue, revalidator]);

  useEffect(() => {
    setReady(true);
    refreshQueue();
    void flush();
    const onOnline = () => void flush();
    window.addEventListener("online", onOnline);
    const timer = window.setInterval(() => void flush(), 30_000);
    return () => {
      window.removeEventListener("online", onOnline);
      window.clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const askPosition = () => {
    if (!("geolocation" in navigator)) return setGeoState("unavailable");
    setGeoState("asking");
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setCoords({ latitude: Math.round(p.coords.latitude * 1e6) / 1e6, longitude: Math.round(p.coords.longitude * 1e6) / 1e6 });
        setGeoState("idle");
      },
      (error) => setGeoState(error.code === error.PERMISSION_DENIED ? "denied" : "unavailable"),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const stop = {
      clientId: crypto.randomUUID(),
      placeName: String(form.get("placeName") ?? ""),
      latitude: coords?.latitude ?? null,
      longitude: coords?.longitude ?? null,
      category: String(form.get("category") ?? ""),
      observation: String(form.get("observation") ?? ""),
      proposal: String(form.get("proposal") ?? ""),
      responsible: String(form.get("responsible") ?? ""),
      recordedOn: localDate(),
    };
    const parsed = parseWalkStop(stop);
    if (!parsed.ok) {
      setNotice({ kind: "invalid", fields: Object.keys(parsed.fields) });
      return;
    }
    queueStop({ sessionId: session.id, ...parsed.value });
    refreshQueue();
    formRef.current?.reset();
    setCoords(null);
    formRef.current?.querySelector<HTMLInputElement>("input[name=placeName]")?.focus();
    const outcome = await flush();
    const stillWaiting = queuedStops().some((s) => s.clientId === stop.clientId && !s.refused);
    if (!stillWaiting) setNotice(outcome.refused > 0 && queuedStops().some((s) => s.clientId === stop.clientId) ? null : { kind: "sent" });
    else setNotice(outcome.signedOut ? { kind: "signedOut", waiting: outcome.waiting } : { kind: "queued", waiting: outcome.waiting });
  };

  const refused = waiting.filter((s) => s.refused);
  const pending = waiting.filter((s) => !s.refused);

  return (
    <>
      <h1>{t("walk.page.heading", { place: session.place })}</h1>
      <p>{t("walk.page.sessionLine", { area: session.area, date: format.date(session.heldOn) })}</p>
      {!canRecord ? (
        <p className="notice" role="status">{session.kind !== "trygghetsvandring" ? t("walk.page.notAWalk") : t("walk.page.notOpen")}</p>
      ) : (
        <form ref={formRef} onSubmit={onSubmit} className="walk-form" noValidate data-ready={ready ? "true" : undefined}>
          <p>
            <label htmlFor="walk-place">{t("walk.form.place")}</label>
            <input id="walk-place" name="placeName" type="text" required maxLength={MAX_PLACE_LENGTH} autoComplete="off" />
          </p>
          <p>
            <button type="button" onClick={askPosition} className="secondary-button">{t("walk.form.usePosition")}</button>{" "}
            <span role="status">
              {coords
                ? t("walk.form.position", { latitude: format.number(coords.latitude, 5), longitude: format.number(coords.longitude, 5) })
                : geoState === "asking"
                  ? t("walk.form.positionAsking")
                  : geoState === "denied"
                    ? t("walk.form.positionDenied")
                    : geoState === "unavailable"
                      ? t("walk.form.positionUnavailable")
                      : t("walk.form.positionNone")}
            </span>
          </p>
          <p>
            <label htmlFor="walk-category">{t("walk.form.category")}</label>
            <select id="walk-category" name="category" required defaultValue="">
              <option value="" disabled>{t("walk.form.choose")}</option>
              {WALK_CATEGORIES.map((c) => (
                <option key={c} value={c}>{t(`walk.category.${c}`)}</option>
              ))}
            </select>
          </p>
          <p>
            <label htmlFor="walk-observation">{t("walk.form.observation")}</label>
            <textarea id="walk-observation" name="observation" required maxLength={MAX_TEXT_LENGTH} rows={3} />
          </p>
          <p>
            <label htmlFor="walk-proposal">{t("walk.form.proposal")}</label>
            <textarea id="walk-proposal" name="proposal" required maxLength={MAX_TEXT_LENGTH} rows={3} />
          </p>
          <fieldset>
            <legend>{t("walk.form.responsible")}</legend>
            {WALK_RESPONSIBLE.map((r, i) => (
              <label key={r} className="choice">
                <input type="radio" name="responsible" value={r} defaultChecked={i === 0} /> {t(`walk.responsible.${r}`)}
              </label>
            ))}
          </fieldset>
          <p>
            <button type="submit" className="primary-button">{t("walk.form.save")}</button>
          </p>
          <div role="status" aria-live="polite" className="walk-notice">
            {notice?.kind === "sent" ? <p>{t("walk.notice.sent")}</p> : null}
            {notice?.kind === "queued" ? <p>{t("walk.notice.queued", { count: notice.waiting })}</p> : null}
            {notice?.kind === "signedOut" ? <p>{t("walk.notice.signedOut", { count: notice.waiting })}</p> : null}
            {notice?.kind === "invalid" ? (
              <p>{t("walk.notice.invalid", { fields: notice.fields.map((f) => t(`walk.field.${f}`, { defaultValue: f })).join(", ") })}</p>
            ) : null}
          </div>
        </form>
      )}
      {pending.length > 0 ? <p className="notice">{t("walk.queue.waiting", { count: pending.length })}</p> : null}
      {refused.length > 0 ? (
        <section className="notice" aria-labelledby="walk-refused">
          <h2 id="walk-refused">{t("walk.queue.refusedHeading")}</h2>
          <ul>
            {refused.map((s) => (
              <li key={s.clientId}>
                <bdi>{String(s.body.placeName)}</bdi>: <span lang="en">{s.refused}</span>{" "}
                <button type="button" className="secondary-button" onClick={() => { discardRefused(s.clientId); refreshQueue(); }}>
                  {t("walk.queue.discard")}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>{t("walk.page.stopsHeading", { count: stops.length })}</h2>
      {stops.length > 0 ? (
        <table>
          <caption className="visually-hidden">{t("walk.page.stopsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("walk.column.place")}</th>
              <th scope="col">{t("walk.column.category")}</th>
              <th scope="col">{t("walk.column.observation")}</th>
              <th scope="col">{t("walk.column.proposal")}</th>
              <th scope="col">{t("walk.column.responsible")}</th>
              <th scope="col">{t("walk.column.status")}</th>
            </tr>
          </thead>
          <tbody>
            {stops.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.placeName}</th>
                <td>{t(`walk.category.${s.category}`)}</td>
                <td>{s.observation}</td>
                <td>{s.proposal}</td>
                <td>{t(`walk.responsible.${s.responsible}`)}</td>
                <td>{t(`walk.status.${s.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("walk.page.noStops")}</p>
      )}
      <p>
        <Link to="/personal/atgarder">{t("walk.page.toActions")}</Link>
      </p>
    </>
  );
}
