import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useNavigate, useRouteError } from "@remix-run/react";
import { useCallback, useEffect, useState, type ComponentType } from "react";
import surveyStyles from "survey-core/survey-core.fontless.min.css";
import type { SurveyRunnerProps, SurveyStep } from "~/components/survey-runner.client";
import { getDb } from "~/db/db.server";
import { getEdition, isEditionOpen } from "~/models/survey.server";
import { useLocale } from "~/root";
import { t } from "~/utils/i18n";
import { flushOutbox, readOutbox, type SendResult } from "~/utils/outbox";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "title" in data ? `${data.title} – Trygghetsdialog` : "Enkät – Trygghetsdialog" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const id = params.edition ?? "";
  const edition = /^[a-z0-9-]{1,100}$/.test(id) ? await getEdition({ db: getDb(), id }) : undefined;
  if (!edition) throw new Response("Unknown survey", { status: 404 });
  const questionnaire = JSON.parse(edition.questionnaire_json) as { title?: { default?: string } | string };
  const title = typeof questionnaire.title === "string" ? questionnaire.title : (questionnaire.title?.default ?? edition.id);
  if (!isEditionOpen(edition)) {
    return { id: edition.id, year: edition.year, title, open: false as const, closesOn: edition.closes_on };
  }
  return { id: edition.id, year: edition.year, title, open: true as const, questionnaire };
}

export default function SurveyPage() {
  const data = useLoaderData<typeof loader>();
  const locale = useLocale();
  const navigate = useNavigate();
  const [Runner, setRunner] = useState<ComponentType<SurveyRunnerProps> | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [pending, setPending] = useState<SendResult | null>(null);
  const [retrying, setRetrying] = useState(false);

  useEffect(() => {
    if (!data.open) return;
    let cancelled = false;
    import("~/components/survey-runner.client")
      .then((m) => !cancelled && setRunner(() => m.SurveyRunner))
      .catch(() => !cancelled && setLoadFailed(true));
    return () => {
      cancelled = true;
    };
  }, [data.open]);

  const onStored = useCallback(() => navigate(`/enkat/${data.id}/tack`), [data.id, navigate]);

  // The <title> names the step and the page (WCAG 2.4.2): the server-rendered title knows only
  // the survey; the form tells which of its pages is shown, in the form's language.
  const onStep = useCallback((step: SurveyStep) => {
    document.title = `${step.progress}: ${step.page} – ${step.survey} – Trygghetsdialog`;
  }, []);

  const retry = useCallback(async () => {
    setRetrying(true);
    const mine = readOutbox().filter((item) => item.survey === data.id).map((item) => item.clientId);
    const { results } = await flushOutbox();
    setRetrying(false);
    const outcomes = mine.map((clientId) => results.get(clientId));
    const rejected = outcomes.find((r) => r?.status === "rejected");
    if (rejected) setPending(rejected);
    else if (outcomes.length > 0 && outcomes.every((r) => r?.status === "stored")) onStored();
  }, [data.id, onStored]);

  // Send whatever waits in the outbox when the connection comes back, and every 30 seconds.
  useEffect(() => {
    if (!pending || pending.status !== "retry") return;
    const onOnline = () => void retry();
    window.addEventListener("online", onOnline);
    const timer = window.setInterval(() => readOutbox().length > 0 && void retry(), 30_000);
    return () => {
      window.removeEventListener("online", onOnline);
      window.clearInterval(timer);
    };
  }, [pending, retry]);

  if (!data.open) {
    return (
      <>
        <h1>{data.title}</h1>
        <p role="status">
          {t(locale, {
            sv: "Den här enkäten är stängd och tar inte längre emot svar. Tack till alla som svarade!",
            en: "This survey is closed and no longer accepts answers. Thank you to everyone who answered!",
          })}
        </p>
        <p>
          <Link to="/">{t(locale, { sv: "Se öppna enkäter", en: "See open surveys" })}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <p className="privacy-note">
        {t(locale, {
          sv: "Du svarar anonymt. Dina svar sparas i webbläsaren medan du svarar, så du kan ladda om sidan utan att något försvinner.",
          en: "You answer anonymously. Your answers are kept in this browser while you answer, so reloading the page loses nothing.",
        })}
      </p>
      {pending ? (
        <div className={pending.status === "retry" ? "notice notice-warning" : "notice notice-error"} role="alert">
          {pending.status === "retry" ? (
            <>
              <p>
                {t(locale, {
                  sv: "Vi kunde inte skicka ditt svar just nu. Det är sparat på den här enheten och skickas automatiskt när anslutningen fungerar igen.",
                  en: "We could not send your answer right now. It is saved on this device and will be sent automatically when the connection works again.",
                })}
              </p>
              <button type="button" onClick={retry} disabled={retrying}>
                {retrying ? t(locale, { sv: "Skickar…", en: "Sending…" }) : t(locale, { sv: "Försök igen nu", en: "Try again now" })}
              </button>
            </>
          ) : pending.status === "rejected" ? (
            <>
              <p>
                {t(locale, {
                  sv: "Svaret kunde inte tas emot. Kontrollera dina svar och försök igen.",
                  en: "The answer could not be accepted. Check your answers and try again.",
                })}
              </p>
              <ul>
                {Object.entries(pending.fields).map(([name, messages]) => (
                  <li key={name}>
                    {name}: {messages.join(", ")}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="survey-host" aria-busy={!Runner}>
        {Runner ? (
          <Runner
            survey={data.id}
            json={data.questionnaire}
            locale={locale}
            onStored={onStored}
            onPending={setPending}
            onStep={onStep}
          />
        ) : loadFailed ? (
          <p role="alert">
            {t(locale, {
              sv: "Enkäten kunde inte laddas. Kontrollera anslutningen och ladda om sidan.",
              en: "The survey could not be loaded. Check your connection and reload the page.",
            })}
          </p>
        ) : (
          <>
            <p>{t(locale, { sv: "Laddar enkäten…", en: "Loading the survey…" })}</p>
            {/* Shown by CSS after a while, so it also appears when the page's scripts never load. */}
            <p className="load-slow" role="status">
              {t(locale, {
                sv: "Det tar ovanligt lång tid. Kontrollera anslutningen och ladda om sidan; svar du redan gett finns kvar.",
                en: "This is taking unusually long. Check your connection and reload the page; answers you already gave are kept.",
              })}
            </p>
          </>
        )}
      </div>
      <noscript>
        <p>
          {t(locale, {
            sv: "Enkäten behöver JavaScript. Slå på JavaScript eller be om en pappersenkät.",
            en: "The survey needs JavaScript. Turn JavaScript on or ask for a paper questionnaire.",
          })}
        </p>
      </noscript>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const locale = useLocale();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  if (!notFound) console.error(error);
  return (
    <>
      <h1>{notFound ? t(locale, { sv: "Enkäten finns inte", en: "Survey not found" }) : t(locale, { sv: "Något gick fel", en: "Something went wrong" })}</h1>
      <p>
        {notFound
          ? t(locale, {
              sv: "Vi hittar ingen enkät med den adressen. Kontrollera länken, eller välj bland de öppna enkäterna.",
              en: "We cannot find a survey at that address. Check the link, or choose among the open surveys.",
            })
          : t(locale, { sv: "Försök igen om en stund.", en: "Please try again shortly." })}
      </p>
      <p>
        <Link to="/">{t(locale, { sv: "Till öppna enkäter", en: "To open surveys" })}</Link>
      </p>
    </>
  );
}
