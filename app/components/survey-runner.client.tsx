/**
 * The SurveyJS form, rendered in the browser only. Keeps a draft in localStorage on every
 * change, and sends the finished answer through the outbox (so a dropped connection only delays
 * it). In kiosk mode (one tablet, many residents) no draft is read or kept, browser autofill is
 * off, and the finished answer goes to the kiosk's device queue instead. The questionnaire's unmarked texts are Swedish; the form speaks the page's language, whose
 * SurveyJS pack the page loads first (app/surveys/locales).
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "~/i18n/react";
import { Model, settings, surveyLocalization, type DropdownListModel, type Question } from "survey-core";
// survey-react-ui with only the icons our questionnaires show (npm run build writes it; decision 043).
import { ReactElementFactory, Survey } from "~/vendor/survey-react-ui";
import type { Language } from "~/i18n/languages";
import type { Submission } from "~/surveys/submission";
import { enqueue, loadDraft, newClientId, saveDraft, send, type SendResult } from "~/utils/outbox";

// The questionnaires' unmarked ("default") texts are Swedish.
surveyLocalization.defaultLocale = "sv";

// The dropdown's arrow button (a pointer shortcut beside the combobox) is named by the locale
// string "selectCaption", which survey-core's Swedish pack gives as "Utvald" ("selected"): name
// what the button does, from the page's catalog (survey.showOptions), in the page's language pack
// once the page has loaded it.
function nameSelectCaption(language: Language, text: string) {
  const strings = surveyLocalization.locales[language] as Record<string, string> | undefined;
  if (strings) strings.selectCaption = text;
}

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
    // SurveyJS sizes everything from four base units in px, so the browser's text-size setting
    // never reaches the form. In rem (0.5rem = 8 px at the default 16 px) text, line heights and
    // controls (radio and checkbox boxes, buttons, the stepper) follow it. Spacing stays in px:
    // at 200 % on a phone, doubled padding would only take width from the text (decision 015).
    "--sjs2-base-unit-size": "0.5rem",
    "--sjs2-base-unit-font-size": "0.5rem",
    "--sjs2-base-unit-line-height": "0.5rem",
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
    // The text boxes and the area list show focus only as a thicker border by default: give them
    // the same ring as every other control.
    "--sjs2-border-effect-component-formbox-a11y": "var(--sjs2-border-effect-a11y)",
    // The stepper's dots and numbers (1.6:1 and 2.5:1 by default; WCAG 1.4.11 asks 3:1).
    "--sjs2-color-fg-basic-tertiary": "#5c616b",
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

/**
 * The page stepper followed by "Sida 2 av 6" (survey-core's own "progressText" string, so every
 * language pack has it): the stepper's dots carry the step names for screen readers only.
 * Replaces the component of SurveyJS's "progress-buttons" layout element.
 */
function ProgressSteps(props: { survey: Model; model: unknown; container: string }) {
  const { survey } = props;
  const [, redraw] = useState(0);
  useEffect(() => {
    const update = () => redraw((n) => n + 1);
    survey.onCurrentPageChanged.add(update);
    survey.onLocaleChangedEvent.add(update);
    return () => {
      survey.onCurrentPageChanged.remove(update);
      survey.onLocaleChangedEvent.remove(update);
    };
  }, [survey]);
  return (
    <>
      {ReactElementFactory.Instance.createElement("sv-progress-buttons", props)}
      <p className="td-progress-text">{survey.getProgressText()}</p>
    </>
  );
}
ReactElementFactory.Instance.registerElement("td-progress-steps", (props) => (
  <ProgressSteps {...(props as { survey: Model; model: unknown; container: string })} />
));

/** Where the resident is, in the survey's current language, for the page's <title>. */
export interface SurveyStep {
  /** "Sida 2 av 6" */
  progress: string;
  /** The page's title, e.g. "Problem i ditt område". */
  page: string;
  /** The questionnaire's title. */
  survey: string;
}

function currentStep(survey: Model): SurveyStep {
  return { progress: survey.getProgressText(), page: survey.currentPage?.processedTitle ?? "", survey: survey.processedTitle };
}

/**
 * A dropdown's list of choices is unnamed in SurveyJS: name it after its question. Its arrow
 * button's name is a localizable string that SurveyJS does not refresh when the language
 * changes (it stayed Swedish in English): refresh it here.
 */
function nameDropdownList(question: Question) {
  const dropdown = (question as Question & { dropdownListModel?: DropdownListModel }).dropdownListModel;
  if (!dropdown) return;
  dropdown.locStrsChanged();
  // The list shown in the dropdown's popup (a ListModel).
  const list = (dropdown.popupModel?.contentComponentData as { model?: { listAriaLabel: string } } | undefined)?.model;
  if (list) list.listAriaLabel = question.processedTitle;
}

export interface SurveyRunnerProps {
  survey: string;
  json: object;
  locale: Language;
  onStored: (id: string) => void;
  onPending: (result: SendResult) => void;
  /** Called when the shown page or the language changes. */
  onStep?: (step: SurveyStep) => void;
  /** The dialogue session the answer belongs to (/d/<code>, the kiosk). */
  sessionId?: string | null;
  channel?: "web" | "tablet";
  /**
   * Kiosk mode: nothing of the answer is kept in localStorage, text inputs refuse browser
   * autofill, every change is reported to `onActivity` (the idle timer), and the finished answer
   * goes to `onSubmit` (the device queue) instead of the outbox.
   */
  kiosk?: { onSubmit: (submission: Submission) => Promise<void>; onActivity?: () => void };
  /** The invitation code the page was opened with; sent with the answer (issue 19). */
  code?: string | null;
  /** A staff preview: nothing is kept or sent; onStored("") is called on completion. */
  preview?: boolean;
}

/** Browsers must not offer one resident's typing to the next on a shared tablet. */
function refuseAutofill(root: HTMLElement) {
  root.querySelectorAll("input, textarea").forEach((el) => el.setAttribute("autocomplete", "off"));
}

export function SurveyRunner({ survey, json, locale, onStored, onPending, onStep, sessionId = null, channel = "web", kiosk, code = null, preview = false }: SurveyRunnerProps) {
  const callbacks = useRef({ onStored, onPending, onStep, kiosk });
  callbacks.current = { onStored, onPending, onStep, kiosk };
  const isKiosk = Boolean(kiosk);
  const languageRef = useRef(locale);
  languageRef.current = locale;
  const { t } = useTranslation();
  const selectCaption = t("survey.showOptions");

  const model = useMemo(() => {
    // SurveyJS fades questions in and slides pages; it does not ask the system whether the
    // person wants motion. Someone who asked for less gets none (WCAG 2.3.3).
    settings.animationEnabled = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // The page's language before anything is drawn: SurveyJS's pop-ups (the area list on a phone,
    // with its Cancel button) take the language their question had when they were made.
    surveyLocalization.currentLocale = locale;
    nameSelectCaption(locale, selectCaption);
    const m = new Model(json);
    m.locale = locale;
    // applyTheme rewrites the variables object it is given: hand it a copy.
    m.applyTheme({ ...THEME, cssVariables: { ...THEME.cssVariables } } as never);
    m.onGetTitleTagName.add((_, options) => {
      options.tagName = TITLE_TAGS[options.element.getType()] ?? options.tagName;
    });
    const steps = m.findLayoutElement("progress-buttons");
    if (steps) steps.component = "td-progress-steps";
    m.onAfterRenderQuestion.add((_, options) => nameDropdownList(options.question));
    m.onLocaleChangedEvent.add((sender) => sender.getAllQuestions().forEach(nameDropdownList));
    const draft = isKiosk || preview ? null : loadDraft(survey);
    const clientId = draft?.clientId ?? newClientId();
    if (draft) {
      m.data = draft.data;
      if (draft.pageNo > 0 && draft.pageNo < m.visiblePages.length) m.currentPageNo = draft.pageNo;
    }
    if (isKiosk) {
      const activity = () => callbacks.current.kiosk?.onActivity?.();
      m.onValueChanged.add(activity);
      m.onCurrentPageChanged.add(activity);
      m.onAfterRenderQuestion.add((_, options) => refuseAutofill(options.htmlElement));
    } else if (!preview) {
      const save = () => saveDraft(survey, { clientId, data: m.data, pageNo: m.currentPageNo });
      m.onValueChanged.add(save);
      m.onCurrentPageChanged.add(save);
    }
    m.onCurrentPageChanged.add((sender) => focusPageTitle(sender.currentPage?.ariaTitleId));
    m.onCurrentPageChanged.add((sender) => callbacks.current.onStep?.(currentStep(sender)));
    m.onComplete.add(async (sender) => {
      if (preview) return callbacks.current.onStored("");
      const kioskMode = callbacks.current.kiosk;
      if (kioskMode) {
        const answers = sender.data as Record<string, unknown>;
        // The form forgets the answer before anything else happens.
        sender.clear(true, true);
        await kioskMode.onSubmit({ survey, clientId, answers, channel, sessionId, language: languageRef.current });
        return;
      }
      const item = {
        survey,
        clientId,
        answers: sender.data as Record<string, unknown>,
        channel,
        sessionId,
        language: languageRef.current,
        ...(code ? { code } : {}),
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
  }, [survey, json, locale, selectCaption, sessionId, channel, isKiosk, code, preview]);

  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // SurveyJS renders its default locale (here Swedish) as lang="en", and screen readers would
    // read the Swedish questions with English pronunciation: set the real language.
    host.current?.querySelector(".sd-root-modern")?.setAttribute("lang", locale);
    callbacks.current.onStep?.(currentStep(model));
  }, [model, locale]);

  return (
    <div ref={host} lang={locale}>
      <Survey model={model} />
    </div>
  );
}
