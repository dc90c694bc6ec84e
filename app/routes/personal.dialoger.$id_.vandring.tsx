/**
 * Recording a safety walk's stops on the tablet (issue 17, item 6; decision 028): the place (name;
 * coordinates from the tablet when the person allows it), the category, what was seen, the
 * proposed action and who is responsible. Stops go to POST /api/walk-stops through the device
 * queue (app/offline/queue.client.ts: IndexedDB, one sender across tabs, back-off), so a walk
 * where the network drops loses nothing: a stop waits on the tablet and is sent when the network
 * comes back. A stop the server refuses is kept aside and shown; one refused because the
 * facilitator had been signed out (401) can be sent again after signing in. The session's
 * facilitator or an admin only.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "~/i18n/react";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { areaNames } from "~/models/results-view.server";
import { getWalkSession, listSessionStops } from "~/models/walk.server";
import { dismissRefused, enqueue, flush, getStats, requestPersistentStorage, startAutoFlush, type QueueItem, type QueueStats } from "~/offline/queue.client";
import { MAX_PLACE_LENGTH, MAX_TEXT_LENGTH, parseWalkStop, WALK_CATEGORIES, WALK_RESPONSIBLE, WALK_STOPS_PATH } from "~/walks/stop";
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

type Notice = { kind: "sent" } | { kind: "queued"; waiting: number } | { kind: "refused" } | { kind: "invalid"; fields: string[] };

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
  const [stats, setStats] = useState<QueueStats | null>(null);
  // The form works through script only: marked ready once hydrated (the e2e tests wait for it).
  const [ready, setReady] = useState(false);
  const lastSent = useRef<string | null>(null);

  const onStats = useCallback(
    (next: QueueStats) => {
      setStats(next);
      // Something was accepted since the last look: show the stored stops.
      if (next.lastSentAt !== lastSent.current) {
        if (lastSent.current !== null || next.lastSentAt !== null) revalidator.revalidate();
        lastSent.current = next.lastSentAt;
      }
    },
    [revalidator],
  );

  useEffect(() => {
    setReady(true);
    void requestPersistentStorage();
    return startAutoFlush({ onChange: onStats });
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
    await enqueue({ url: WALK_STOPS_PATH, body: { sessionId: session.id, ...parsed.value }, clientId: stop.clientId });
    formRef.current?.reset();
    setCoords(null);
    formRef.current?.querySelector<HTMLInputElement>("input[name=placeName]")?.focus();
    await flush({ force: true }).catch(() => undefined);
    const after = await getStats();
    onStats(after);
    if (after.refused.some((i) => i.clientId === stop.clientId)) setNotice({ kind: "refused" });
    else if (after.waiting > 0) setNotice({ kind: "queued", waiting: after.waiting });
    else setNotice({ kind: "sent" });
  };

  const resend = async (item: QueueItem) => {
    await dismissRefused(item.clientId);
    await enqueue({ url: item.url, body: item.body, clientId: item.clientId });
    await flush({ force: true }).catch(() => undefined);
    onStats(await getStats());
  };

  const refused = (stats?.refused ?? []).filter((i) => i.url === WALK_STOPS_PATH);
  const signedOut = refused.filter((i) => i.refusedStatus === 401).length;
  const waiting = stats?.waiting ?? 0;

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
            {notice?.kind === "refused" ? <p>{t("walk.queue.refusedHeading")}</p> : null}
            {notice?.kind === "invalid" ? (
              <p>{t("walk.notice.invalid", { fields: notice.fields.map((f) => t(`walk.field.${f}`, { defaultValue: f })).join(", ") })}</p>
            ) : null}
          </div>
        </form>
      )}
      {waiting > 0 ? <p className="notice">{t("walk.queue.waiting", { count: waiting })}</p> : null}
      {refused.length > 0 ? (
        <section className="notice" aria-labelledby="walk-refused">
          <h2 id="walk-refused">{t("walk.queue.refusedHeading")}</h2>
          {signedOut > 0 ? <p>{t("walk.notice.signedOut", { count: signedOut })}</p> : null}
          <ul>
            {refused.map((item) => {
              const body = item.body as { placeName?: string };
              const answer = item.refusedAnswer as { error?: string } | null | undefined;
              return (
                <li key={item.clientId}>
                  <bdi>{String(body.placeName ?? "")}</bdi>: <span lang="en">{answer?.error ?? item.lastError}</span>{" "}
                  {item.refusedStatus === 401 ? (
                    <button type="button" className="secondary-button" onClick={() => void resend(item)}>
                      {t("walk.queue.resend")}
                    </button>
                  ) : (
                    <button type="button" className="secondary-button" onClick={() => void dismissRefused(item.clientId).then(async () => onStats(await getStats()))}>
                      {t("walk.queue.discard")}
                    </button>
                  )}
                </li>
              );
            })}
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
