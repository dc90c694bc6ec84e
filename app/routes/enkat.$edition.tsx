import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useSurveyRunner } from "~/components/use-survey-runner";
import { isRouteErrorResponse, Link, useLoaderData, useNavigate, useRouteError } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { Trans, useTranslation } from "~/i18n/react";
import { CodeForm } from "~/components/code-form";
import { useFormat } from "~/i18n/format";
// SurveyJS's stylesheet without the components no questionnaire uses (npm run build writes it).
import surveyStyles from "~/styles/survey-core.pruned.css";
import type { SurveyStep } from "~/components/survey-runner.client";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { checkCodeForPage } from "~/api/invitation-code.server";
import { editionPhase, getEdition } from "~/models/survey.server";
import { getOptionalUser } from "~/utils/session.server";
import { errorMeta, useLocale } from "~/root";
import { isSurveyLanguage, SURVEY_LOCALE_SOURCES } from "~/surveys/locales";
import { chunksOf } from "~/utils/build-chunks.server";
import { questionnaireInLanguage } from "~/surveys/translations";
import { flushOutbox, readOutbox, type SendResult } from "~/utils/outbox";
import { SURVEY_PAGE_SECTIONS, type CatalogHandle } from "~/components/language-catalog";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyStyles }];

/**
 * The catalog texts this page draws, dynamic keys included (decision 040). Its links to pages
 * that draw other sections are document loads (`reloadDocument`): they would reload anyway.
 */
export const handle: CatalogHandle = { catalog: SURVEY_PAGE_SECTIONS };

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) =>
  data ? [{ title: data.meta.title }] : errorMeta(matches, error);

type LocalizedText = string | Partial<Record<string, string>> | undefined;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { language, t } = await translatorFor(request);
  const id = params.edition ?? "";
  const edition = /^[a-z0-9-]{1,100}$/.test(id) ? await getEdition({ db: getDb(), id }) : undefined;
  if (!edition) throw new Response("Unknown survey", { status: 404 });
  const questionnaire = JSON.parse(edition.questionnaire_json) as { title?: LocalizedText };
  // The questionnaire's own title in the page's language (its "default" is Swedish).
  const texts = questionnaire.title;
  const title = (typeof texts === "string" ? texts : (texts?.[language] ?? texts?.default)) ?? t("survey.meta.fallbackTitle");
  const meta = { title: t("layout.titleSuffix", { title }) };
  const url = new URL(request.url);
  // A staff preview (issue 19): the real page, whatever the dates, answers neither kept nor sent.
  const user = url.searchParams.has("forhandsvisning") ? await getOptionalUser(request) : null;
  const preview = user !== null && (user.role === "admin" || user.role === "analyst");
  const phase = editionPhase(edition);
  const base = { id: edition.id, year: edition.year, title, meta, opensOn: edition.opens_on, closesOn: edition.closes_on };
  if (!preview && phase !== "open") return { ...base, open: false as const, phase, codeProblem: null };
  let code: string | null = null;
  const typed = url.searchParams.get("kod");
  if (!preview && typed) {
    const client = (context as { clientKey?: string } | undefined)?.clientKey ?? "unknown";
    const check = await checkCodeForPage({ db: getDb(), editionId: edition.id, code: typed, client });
    if (check.status !== "ok") return { ...base, open: false as const, phase, codeProblem: check.status };
    code = check.code;
  } else if (!preview && edition.access === "code") {
    return { ...base, open: false as const, phase, codeProblem: "required" as const };
  }
  // Only Swedish (SurveyJS's fallback) and the page's language go to the browser.
  // The form's chunks and the language's SurveyJS pack, imported after hydration: preloaded.
  const localePack = isSurveyLanguage(language) ? SURVEY_LOCALE_SOURCES[language] : null;
  const preload = chunksOf([/app\/components\/survey-runner\.client\.tsx$/, ...(localePack ? [localePack] : [])]);
  return { ...base, open: true as const, preview, code, questionnaire: questionnaireInLanguage(questionnaire, language), preload };
}

export default function SurveyPage() {
  const data = useLoaderData<typeof loader>();
  const locale = useLocale();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { Runner, loadFailed } = useSurveyRunner(data.open, locale);
  const [pending, setPending] = useState<SendResult | null>(null);
  const [retrying, setRetrying] = useState(false);
  const [previewDone, setPreviewDone] = useState(false);
  const format = useFormat();

  const isPreview = data.open && data.preview;
  const onStored = useCallback(() => (isPreview ? setPreviewDone(true) : navigate(`/enkat/${data.id}/tack`)), [data.id, navigate, isPreview]);

  // The <title> names the step and the page (WCAG 2.4.2): the server-rendered title knows only
  // the survey; the form tells which of its pages is shown, in the form's language.
  const onStep = useCallback((step: SurveyStep) => {
    document.title = t("layout.titleSuffix", { title: t("survey.stepTitle", { ...step }) });
  }, [t]);

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
    if (data.codeProblem) {
      return (
        <>
          <h1>{data.title}</h1>
          <p role={data.codeProblem === "required" ? undefined : "alert"} className={data.codeProblem === "required" ? undefined : "notice notice-error"}>
            {t(`surveyYear.code.${data.codeProblem}`, { example: "ABCDE-FGH23" })}
          </p>
          {data.codeProblem !== "used" ? <CodeForm action={`/enkat/${data.id}`} /> : null}
          <p>
            <Link to="/" reloadDocument>{t("survey.seeOpenSurveys")}</Link>
          </p>
        </>
      );
    }
    return (
      <>
        <h1>{data.title}</h1>
        <p role="status">
          {data.phase === "before" && data.opensOn ? (
            <Trans i18nKey="surveyYear.survey.opensOn" values={{ date: format.date(data.opensOn) }} components={[<time key="d" dateTime={data.opensOn} />]} />
          ) : (
            t("survey.closed")
          )}
        </p>
        <p>
          <Link to="/" reloadDocument>{t("survey.seeOpenSurveys")}</Link>
        </p>
      </>
    );
  }

  if (previewDone) {
    return (
      <>
        <h1>{data.title}</h1>
        <p role="status" className="notice">{t("surveyYear.preview.done")}</p>
        <p>
          <Link to="/personal/utgavor">{t("surveyYear.preview.back")}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      {data.preload.map((href) => (
        <link key={href} rel="modulepreload" href={href} />
      ))}
      {data.preview ? (
        <p className="notice notice-warning" role="note">
          {t("surveyYear.preview.banner")}
        </p>
      ) : null}
      <p className="privacy-note">{t("survey.privacyNote")}</p>
      {pending ? (
        <div className={pending.status === "retry" ? "notice notice-warning" : "notice notice-error"} role="alert">
          {pending.status === "retry" ? (
            <>
              <p>{t("survey.pending.retry")}</p>
              <button type="button" onClick={retry} disabled={retrying}>
                {retrying ? t("survey.pending.sending") : t("survey.pending.tryAgain")}
              </button>
            </>
          ) : pending.status === "rejected" && pending.reason === "code-used" ? (
            <p>{t("surveyYear.code.used")}</p>
          ) : pending.status === "rejected" ? (
            <>
              <p>{t("survey.pending.rejected")}</p>
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
            code={data.code}
            preview={data.preview}
          />
        ) : loadFailed ? (
          <p role="alert">{t("survey.loadFailed")}</p>
        ) : (
          <>
            <p>{t("survey.loading")}</p>
            {/* Shown by CSS after a while, so it also appears when the page's scripts never load. */}
            <p className="load-slow" role="status">
              {t("survey.loadSlow")}
            </p>
          </>
        )}
      </div>
      <noscript>
        <p>{t("survey.noscript")}</p>
      </noscript>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  if (!notFound) console.error(error);
  const title = notFound ? t("survey.notFound.title") : t("error.title");
  return (
    <>
      <h1>{title}</h1>
      <p>{notFound ? t("survey.notFound.message") : t("survey.error.message")}</p>
      <p>
        <Link to="/" reloadDocument>{t("survey.toOpenSurveys")}</Link>
      </p>
    </>
  );
}
