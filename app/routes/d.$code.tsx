/**
 * /d/<code>: a dialogue session's questionnaire on a resident's own phone (the QR code on the
 * facilitator's screen or poster). The survey page's runner, channel web, with the session; an
 * unknown code answers 404 and a closed session 410, each with a page in the visitor's language.
 */
import { useSurveyRunner } from "~/components/use-survey-runner";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "~/i18n/react";
// SurveyJS's stylesheet without the components no questionnaire uses (npm run build writes it).
import surveyStyles from "~/styles/survey-core.pruned.css";
import { useLocale } from "~/root";
import { sessionPageData } from "~/utils/dialogue-page.server";
import { flushOutbox, type SendResult } from "~/utils/outbox";
import type { CatalogHandle } from "~/components/language-catalog";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyStyles }];

/**
 * The catalog texts this page draws, dynamic keys included (decision 040). Its links to pages
 * that draw other sections are document loads (`reloadDocument`): they would reload anyway.
 */
export const handle: CatalogHandle = { catalog: ["survey", "dialogue.public"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  return sessionPageData({ request, code: params.code ?? "", titleKey: "dialogue.public.title" });
}

export default function DialoguePhonePage() {
  const data = useLoaderData<typeof loader>();
  const locale = useLocale();
  const { t } = useTranslation();
  const { Runner, loadFailed } = useSurveyRunner(data.state === "open", locale);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState<SendResult | null>(null);

  // An answer that waits for the network is sent when it comes back (the outbox keeps it).
  useEffect(() => {
    if (pending?.status !== "retry") return;
    const retry = async () => {
      const { waiting } = await flushOutbox();
      if (waiting === 0) {
        setPending(null);
        setDone(true);
      }
    };
    window.addEventListener("online", retry);
    const timer = window.setInterval(retry, 30_000);
    return () => {
      window.removeEventListener("online", retry);
      window.clearInterval(timer);
    };
  }, [pending]);

  if (data.state !== "open") {
    return (
      <>
        <h1>{data.state === "unknown" ? t("dialogue.public.unknownTitle") : t("dialogue.public.closedTitle")}</h1>
        <p role="status">{data.state === "unknown" ? t("dialogue.public.unknownMessage") : t("dialogue.public.closedMessage")}</p>
        <p>
          <Link to="/" reloadDocument>{t("survey.toOpenSurveys")}</Link>
        </p>
      </>
    );
  }
  if (done) {
    return (
      <>
        <h1>{t("survey.thankYou.heading")}</h1>
        <p className="lead" role="status">{t("survey.thankYou.lead")}</p>
      </>
    );
  }
  return (
    <>
      <p className="privacy-note">{t("dialogue.public.lead", { place: data.place })}</p>
      {pending ? (
        <div className={pending.status === "retry" ? "notice notice-warning" : "notice notice-error"} role="alert">
          <p>
            {pending.status === "retry"
              ? t("survey.pending.retry")
              : pending.status === "rejected" && pending.reason?.startsWith("session-")
                ? t("dialogue.public.closedMessage")
                : t("survey.pending.rejected")}
          </p>
        </div>
      ) : null}
      <div className="survey-host" aria-busy={!Runner}>
        {Runner ? (
          <Runner
            survey={data.survey}
            json={data.questionnaire}
            locale={locale}
            sessionId={data.sessionId}
            channel="web"
            onStored={() => setDone(true)}
            onPending={setPending}
          />
        ) : loadFailed ? (
          <p role="alert">{t("survey.loadFailed")}</p>
        ) : (
          <p>{t("survey.loading")}</p>
        )}
      </div>
      <noscript>
        <p>{t("survey.noscript")}</p>
      </noscript>
    </>
  );
}
