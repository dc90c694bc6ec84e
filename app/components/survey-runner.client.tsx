/**
 * The SurveyJS form, rendered in the browser only. Keeps a draft in localStorage on every
 * change, and sends the finished answer through the outbox (so a dropped connection only delays
 * it). Swedish is the default; the language follows the site's language switch.
 */
import { useEffect, useMemo, useRef } from "react";
import { Model, settings, surveyLocalization } from "survey-core";
import "survey-core/i18n/swedish";
import { Survey } from "survey-react-ui";
import type { Language } from "~/i18n/languages";
import { enqueue, loadDraft, newClientId, saveDraft, send, type SendResult } from "~/utils/outbox";

// The questionnaires' unmarked ("default") texts are Swedish.
surveyLocalization.defaultLocale = "sv";

/** Heading levels under the page's own structure: survey title h1, page h2, panel h3. */
const TITLE_TAGS: Record<string, string> = { survey: "h1", page: "h2", panel: "h3" };

/**
 * Colours chosen for WCAG AA contrast: text 4.5:1 or more against its background, and the
 * outlines of radio buttons, checkboxes and text boxes 3:1 or more (SurveyJS draws them in the
 * light border colour, about 1.6:1, which fails WCAG 1.4.11 non-text contrast).
 */
const THEME = {
  themeName: "trygghetsdialog",
  colorPalette: "light",
  isPanelless: false,
  cssVariables: {
    "--sjs-general-backcolor": "#ffffff",
    "--sjs-general-backcolor-dim": "#f3f4f6",
    "--sjs-general-backcolor-dim-light": "#f8f9fb",
    "--sjs-general-forecolor": "#1a1a1a",
    "--sjs-general-forecolor-light": "#4a4f57",
    "--sjs-general-dim-forecolor": "#1a1a1a",
    "--sjs-general-dim-forecolor-light": "#4a4f57",
    "--sjs-primary-backcolor": "#1d4f91",
    "--sjs-primary-backcolor-light": "rgba(29, 79, 145, 0.1)",
    "--sjs-primary-backcolor-dark": "#163d70",
    "--sjs-primary-forecolor": "#ffffff",
    "--sjs-secondary-backcolor": "#b35900",
    "--sjs-border-default": "#767b85",
    "--sjs-border-light": "#c5c9d0",
    "--sjs-special-red": "#b3261e",
    "--sjs-font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    // SurveyJS 3 variables (no legacy name maps onto these): form-control outlines, and the
    // keyboard focus ring (by default a 60 % transparent light blue, hard to see): dark with a
    // white gap, visible on white, grey and the blue of a chosen answer alike.
    "--sjs2-color-component-radio-false-default-border": "#767b85",
    "--sjs2-color-component-checkbox-false-default-border": "#767b85",
    "--sjs2-color-component-formbox-default-border": "#767b85",
    "--sjs2-border-effect-a11y": "0 0 0 2px #ffffff, 0 0 0 5px #1a1a1a",
  },
};

/**
 * After Next/Previous, focus stays on a button at the foot of the old page, so the next Tab
 * leaves the form. Move it to the new page's title instead (once SurveyJS has drawn it): screen
 * readers announce the page, and Tab goes on to its first question.
 */
function focusPageTitle(id: string | undefined, attempts = 10) {
  if (!id) return;
  window.requestAnimationFrame(() => {
    const title = document.getElementById(id);
    if (!title) {
      if (attempts > 1) focusPageTitle(id, attempts - 1);
      return;
    }
    title.tabIndex = -1;
    title.focus();
  });
}

export interface SurveyRunnerProps {
  survey: string;
  json: object;
  locale: Language;
  onStored: (id: string) => void;
  onPending: (result: SendResult) => void;
}

export function SurveyRunner({ survey, json, locale, onStored, onPending }: SurveyRunnerProps) {
  const callbacks = useRef({ onStored, onPending });
  callbacks.current = { onStored, onPending };

  const model = useMemo(() => {
    // SurveyJS fades questions in and slides pages; it does not ask the system whether the
    // person wants motion. Someone who asked for less gets none (WCAG 2.3.3).
    settings.animationEnabled = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const m = new Model(json);
    // applyTheme rewrites the variables object it is given: hand it a copy.
    m.applyTheme({ ...THEME, cssVariables: { ...THEME.cssVariables } } as never);
    m.onGetTitleTagName.add((_, options) => {
      options.tagName = TITLE_TAGS[options.element.getType()] ?? options.tagName;
    });
    const draft = loadDraft(survey);
    const clientId = draft?.clientId ?? newClientId();
    if (draft) {
      m.data = draft.data;
      if (draft.pageNo > 0 && draft.pageNo < m.visiblePages.length) m.currentPageNo = draft.pageNo;
    }
    const save = () => saveDraft(survey, { clientId, data: m.data, pageNo: m.currentPageNo });
    m.onValueChanged.add(save);
    m.onCurrentPageChanged.add(save);
    m.onCurrentPageChanged.add((sender) => focusPageTitle(sender.currentPage?.ariaTitleId));
    m.onComplete.add(async (sender) => {
      const item = {
        survey,
        clientId,
        answers: sender.data as Record<string, unknown>,
        channel: "web" as const,
        queuedAt: new Date().toISOString(),
      };
      enqueue(item);
      const result = await send(item);
      if (result.status === "stored") {
        callbacks.current.onStored(result.id);
      } else {
        callbacks.current.onPending(result);
      }
    });
    return m;
  }, [survey, json]);

  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    model.locale = locale === "en" ? "en" : "sv";
    // SurveyJS renders its default locale (here Swedish) as lang="en", and screen readers would
    // read the Swedish questions with English pronunciation: set the real language.
    host.current?.querySelector(".sd-root-modern")?.setAttribute("lang", locale);
  }, [model, locale]);

  return (
    <div ref={host} lang={locale}>
      <Survey model={model} />
    </div>
  );
}
