/**
 * The questionnaire's form, loaded in the browser only (SurveyJS renders on the client): the
 * runner's chunk and SurveyJS's own texts for the page's language, fetched together once the page
 * is ready for them. Shared by the survey page, /d/<code> and the kiosk, so there is one rendering.
 */
import { useEffect, useState, type ComponentType } from "react";
import type { SurveyRunnerProps } from "~/components/survey-runner.client";
import { loadSurveyLocale } from "~/surveys/locales";

export function useSurveyRunner(enabled: boolean, locale: string): { Runner: ComponentType<SurveyRunnerProps> | null; loadFailed: boolean } {
  const [Runner, setRunner] = useState<ComponentType<SurveyRunnerProps> | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    Promise.all([import("~/components/survey-runner.client"), loadSurveyLocale(locale)])
      .then(([m]) => !cancelled && setRunner(() => m.SurveyRunner))
      .catch(() => !cancelled && setLoadFailed(true));
    return () => {
      cancelled = true;
    };
  }, [enabled, locale]);
  return { Runner, loadFailed };
}
