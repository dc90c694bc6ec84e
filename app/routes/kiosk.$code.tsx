/**
 * /kiosk/<code>: one tablet handed from resident to resident at a dialogue (issue 17). Full
 * screen with large touch targets; after each answer a thank-you, then a fresh questionnaire; an
 * idle form is discarded after a warning and a count-down; nothing of one resident reaches the
 * next (no draft, no autofill, no way back); leaving needs the facilitator's PIN (decision 027).
 * Works offline once opened online: a service worker keeps the page and its files, and answers
 * wait in the device's queue until the network returns (decision 026). Channel tablet.
 */
import { useSurveyRunner } from "~/components/use-survey-runner";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "~/i18n/react";
// SurveyJS's stylesheet without the components no questionnaire uses (npm run build writes it).
import surveyStyles from "~/styles/survey-core.pruned.css";
import { useFormat } from "~/i18n/format";
import { checkPin, clearPin, hasPin, isValidPin, setPin, waitBeforeTry } from "~/offline/kiosk-pin.client";
import { enqueue, flush, getStats, requestPersistentStorage, startAutoFlush, storageUse, STORAGE_WARNING_SHARE, type QueueStats } from "~/offline/queue.client";
import { useLocale } from "~/root";
import type { Submission } from "~/surveys/submission";
import { sessionPageData } from "~/utils/dialogue-page.server";
import type { CatalogHandle } from "~/components/language-catalog";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: surveyStyles },
  { rel: "stylesheet", href: "/styles/dialogue.css" },
];

/** The catalog texts this page draws, dynamic keys included (decision 040). */
export const handle: CatalogHandle = { catalog: ["survey", "dialogue.public", "dialogue.kiosk"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }, { name: "robots", content: "noindex" }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  return sessionPageData({ request, code: params.code ?? "", titleKey: "dialogue.kiosk.title" });
}

type Phase = "starting" | "setup" | "form" | "thanks" | "left";

/** Seconds from the address (?idle=, ?warn=), within bounds; the defaults otherwise. */
function secondsParam(name: string, fallback: number, min: number, max: number): number {
  if (typeof window === "undefined") return fallback;
  const value = Number(new URLSearchParams(window.location.search).get(name));
  return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/** Registers the kiosk's service worker and has it keep everything this page has loaded so far. */
async function prepareOffline(): Promise<boolean> {
  if (!("serviceWorker" in navigator)) return false;
  await navigator.serviceWorker.register("/kiosk-sw.js", { scope: "/kiosk/" });
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) return false;
  const urls = [window.location.href, ...performance.getEntriesByType("resource").map((e) => e.name)];
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(true);
    worker.postMessage({ type: "CACHE_URLS", urls }, [channel.port2]);
    window.setTimeout(() => resolve(false), 30_000);
  });
}

export default function KioskPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (data.state !== "open") {
    return (
      <div className="kiosk kiosk-message">
        <h1>{data.state === "unknown" ? t("dialogue.public.unknownTitle") : t("dialogue.public.closedTitle")}</h1>
        <p role="status">{data.state === "unknown" ? t("dialogue.public.unknownMessage") : t("dialogue.public.closedMessage")}</p>
      </div>
    );
  }
  return <Kiosk code={data.code} sessionId={data.sessionId} survey={data.survey} questionnaire={data.questionnaire} place={data.place} />;
}

function Kiosk({ code, sessionId, survey, questionnaire, place }: { code: string; sessionId: string; survey: string; questionnaire: object; place: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const format = useFormat();
  const [phase, setPhase] = useState<Phase>("starting");
  const [respondent, setRespondent] = useState(0);
  const { Runner } = useSurveyRunner(true, locale);
  const [stats, setStats] = useState<QueueStats | null>(null);
  const [offlineReady, setOfflineReady] = useState(false);
  const [storageFull, setStorageFull] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [countdown, setCountdown] = useState<number | null>(null);
  const idleTimer = useRef<number>();
  const dirty = useRef(false);
  const idleSeconds = useRef(90);
  const warnSeconds = useRef(20);

  // A PIN already set on this tablet (a reload, a restart): the kiosk goes on at once.
  useEffect(() => {
    idleSeconds.current = secondsParam("idle", 90, 3, 1800);
    warnSeconds.current = secondsParam("warn", 20, 2, 120);
    setPhase(hasPin(code) ? "form" : "setup");
  }, [code]);

  // Offline: once the form's code has loaded, the worker keeps the page and every file it used.
  useEffect(() => {
    if (!Runner) return;
    prepareOffline().then(setOfflineReady, () => setOfflineReady(false));
    void requestPersistentStorage();
  }, [Runner]);

  useEffect(() => {
    const stop = startAutoFlush({ onChange: setStats });
    const checkStorage = () => void storageUse().then((share) => setStorageFull(share !== null && share >= STORAGE_WARNING_SHARE));
    checkStorage();
    const timer = window.setInterval(checkStorage, 60_000);
    return () => {
      stop();
      window.clearInterval(timer);
    };
  }, []);

  // No way back into an earlier resident's answers: the browser's Back stays on the kiosk.
  useEffect(() => {
    if (phase === "starting" || phase === "setup" || phase === "left") return;
    window.history.pushState({ kiosk: true }, "", window.location.href);
    const onPop = () => window.history.pushState({ kiosk: true }, "", window.location.href);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [phase]);

  const nextRespondent = useCallback(() => {
    window.clearTimeout(idleTimer.current);
    dirty.current = false;
    setCountdown(null);
    setRespondent((n) => n + 1);
    setPhase("form");
  }, []);

  // Idle: after idleSeconds without a touch on a started form, a warning counts down
  // warnSeconds; at zero the form is discarded for a fresh one.
  const armIdle = useCallback(() => {
    window.clearTimeout(idleTimer.current);
    setCountdown(null);
    idleTimer.current = window.setTimeout(() => setCountdown(warnSeconds.current), idleSeconds.current * 1000);
  }, []);
  const onActivity = useCallback(() => {
    dirty.current = true;
    armIdle();
  }, [armIdle]);
  useEffect(() => {
    if (countdown === null) return;
    if (countdown <= 0) {
      nextRespondent();
      return;
    }
    const timer = window.setTimeout(() => setCountdown((c) => (c === null ? null : c - 1)), 1000);
    return () => window.clearTimeout(timer);
  }, [countdown, nextRespondent]);
  useEffect(() => () => window.clearTimeout(idleTimer.current), []);

  const onSubmit = useCallback(async (submission: Submission) => {
    window.clearTimeout(idleTimer.current);
    setCountdown(null);
    await enqueue({ url: "/api/responses", body: submission, clientId: submission.clientId });
    setPhase("thanks");
    setStats(await getStats());
    void flush().then(() => getStats().then(setStats)).catch(() => undefined);
  }, []);

  // The thank-you stays a few seconds, then the next person gets an empty form.
  useEffect(() => {
    if (phase !== "thanks") return;
    const timer = window.setTimeout(nextRespondent, 6000);
    return () => window.clearTimeout(timer);
  }, [phase, nextRespondent]);

  const status = (
    <div className="kiosk-status" aria-live="polite" data-offline-ready={offlineReady ? "true" : "false"}>
      <span data-testid="kiosk-waiting">{t("dialogue.kiosk.waiting", { n: format.number(stats?.waiting ?? 0) })}</span>
      {" · "}
      <span>{stats?.lastSentAt ? t("dialogue.kiosk.lastSent", { time: format.dateTime(stats.lastSentAt) }) : t("dialogue.kiosk.noneSent")}</span>
      {stats && stats.refused.length > 0 ? <strong className="kiosk-refused">{" · "}{t("dialogue.kiosk.refused", { n: format.number(stats.refused.length) })}</strong> : null}
      {storageFull ? <strong className="kiosk-refused">{" · "}{t("dialogue.kiosk.storageFull")}</strong> : null}
      {" · "}
      <span>{offlineReady ? t("dialogue.kiosk.offlineReady") : t("dialogue.kiosk.offlineNotReady")}</span>
    </div>
  );

  if (phase === "left") {
    return (
      <div className="kiosk kiosk-message">
        <h1>{t("dialogue.kiosk.leftHeading")}</h1>
        <p>{t("dialogue.kiosk.leftLead")}</p>
        {stats && stats.refused.length > 0 ? (
          <div className="notice notice-error">
            <p>{t("dialogue.kiosk.refusedLead", { n: format.number(stats.refused.length) })}</p>
            <ul>
              {stats.refused.map((item) => (
                <li key={item.clientId}>
                  {format.dateTime(item.queuedAt)}:{" "}
                  {String((item.refusedAnswer as { reason?: string } | null)?.reason ?? "").startsWith("session-")
                    ? t("dialogue.public.closedMessage")
                    : `${item.refusedStatus} ${String((item.refusedAnswer as { error?: string } | null)?.error ?? "")}`}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {status}
        <p>
          <a href={`/kiosk/${code}`} className="kiosk-button">{t("dialogue.kiosk.restart")}</a>
        </p>
        <p>
          <Link to="/personal/dialoger">{t("dialogue.kiosk.toSessions")}</Link>
        </p>
      </div>
    );
  }

  if (phase === "starting") {
    return (
      <div className="kiosk kiosk-message">
        <p>{t("survey.loading")}</p>
      </div>
    );
  }

  if (phase === "setup") {
    return (
      <div className="kiosk kiosk-message">
        <h1>{t("dialogue.kiosk.setupHeading", { place })}</h1>
        <SetPinForm
          onDone={async (pin) => {
            await setPin(code, pin);
            await document.documentElement.requestFullscreen?.().catch(() => undefined);
            nextRespondent();
          }}
        />
        {status}
      </div>
    );
  }

  return (
    <div className="kiosk" onPointerDown={() => dirty.current && armIdle()} onKeyDown={() => dirty.current && armIdle()}>
      <div className="kiosk-bar">
        <span className="kiosk-place">{place}</span>
        <button type="button" className="kiosk-leave" onClick={() => setLeaving(true)}>
          {t("dialogue.kiosk.leave")}
        </button>
      </div>
      {phase === "thanks" ? (
        <div className="kiosk-thanks" role="status">
          <h1>{t("survey.thankYou.heading")}</h1>
          <p>{t("dialogue.kiosk.thanksLead")}</p>
          <button type="button" className="kiosk-button" onClick={nextRespondent}>
            {t("dialogue.kiosk.next")}
          </button>
        </div>
      ) : Runner ? (
        <div className="survey-host kiosk-form" key={respondent}>
          <Runner
            survey={survey}
            json={questionnaire}
            locale={locale}
            sessionId={sessionId}
            channel="tablet"
            onStored={() => undefined}
            onPending={() => undefined}
            kiosk={{ onSubmit, onActivity }}
          />
        </div>
      ) : (
        <p>{t("survey.loading")}</p>
      )}
      {countdown !== null ? (
        <div className="kiosk-dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-heading">
          <h2 id="idle-heading">{t("dialogue.kiosk.idleHeading")}</h2>
          <p>{t("dialogue.kiosk.idleLead", { seconds: countdown })}</p>
          <button type="button" className="kiosk-button" autoFocus onClick={armIdle}>
            {t("dialogue.kiosk.idleContinue")}
          </button>
        </div>
      ) : null}
      {leaving ? (
        <LeaveDialog
          code={code}
          onCancel={() => setLeaving(false)}
          onLeft={() => {
            clearPin(code);
            setLeaving(false);
            if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
            setPhase("left");
          }}
        />
      ) : null}
      {status}
    </div>
  );
}

function SetPinForm({ onDone }: { onDone: (pin: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const pin = String(form.get("pin") ?? "");
    if (!isValidPin(pin)) return setError(t("dialogue.kiosk.pinInvalid"));
    if (pin !== String(form.get("pinAgain") ?? "")) return setError(t("dialogue.kiosk.pinMismatch"));
    setBusy(true);
    await onDone(pin);
  };
  return (
    <form className="kiosk-pin-form" onSubmit={submit} autoComplete="off">
      <p>{t("dialogue.kiosk.setupLead")}</p>
      <label htmlFor="pin">{t("dialogue.kiosk.pin")}</label>
      <input id="pin" name="pin" type="password" inputMode="numeric" autoComplete="off" required aria-describedby={error ? "pin-error" : undefined} />
      <label htmlFor="pinAgain">{t("dialogue.kiosk.pinAgain")}</label>
      <input id="pinAgain" name="pinAgain" type="password" inputMode="numeric" autoComplete="off" required />
      {error ? <p id="pin-error" className="notice notice-error" role="alert">{error}</p> : null}
      <button type="submit" className="kiosk-button" disabled={busy}>{t("dialogue.kiosk.start")}</button>
    </form>
  );
}

function LeaveDialog({ code, onCancel, onLeft }: { code: string; onCancel: () => void; onLeft: () => void }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("leavePin") as HTMLInputElement;
    const wait = waitBeforeTry(code);
    if (wait > 0) return setMessage(t("dialogue.kiosk.pinWait", { seconds: Math.ceil(wait / 1000) }));
    setBusy(true);
    const result = await checkPin(code, input.value);
    setBusy(false);
    input.value = "";
    if (result.ok) return onLeft();
    setMessage(result.waitMs > 0 ? t("dialogue.kiosk.pinWait", { seconds: Math.ceil(result.waitMs / 1000) }) : t("dialogue.kiosk.pinWrong"));
  };
  return (
    <div className="kiosk-dialog" role="dialog" aria-modal="true" aria-labelledby="leave-heading">
      <h2 id="leave-heading">{t("dialogue.kiosk.leaveHeading")}</h2>
      <form onSubmit={submit} autoComplete="off">
        <label htmlFor="leavePin">{t("dialogue.kiosk.pin")}</label>
        <input id="leavePin" name="leavePin" type="password" inputMode="numeric" autoComplete="off" autoFocus required />
        {message ? <p className="notice notice-error" role="alert">{message}</p> : null}
        <div className="kiosk-actions">
          <button type="submit" className="kiosk-button" disabled={busy}>{t("dialogue.kiosk.leaveConfirm")}</button>
          <button type="button" className="kiosk-button kiosk-button-secondary" onClick={onCancel}>{t("dialogue.kiosk.cancel")}</button>
        </div>
      </form>
    </div>
  );
}
