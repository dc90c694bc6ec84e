/**
 * Paper questionnaires typed in (issue 17, item 8; decision 029): choose an open edition, then a
 * plain HTML form generated from its questionnaire, worked by keyboard alone (Tab or Enter to the
 * next question, a digit picks the answer with that code or at that position, Ctrl+Enter saves).
 * Each form goes through the submission API's own checks and writer (submitResponse: the same
 * validation as the web) with channel `paper`. The count of forms entered in this sitting and the
 * undo of the last one live in the tab (sessionStorage); an undo deletes the stored response and
 * its share of the cell statistics, and only with the token its save gave to this staff session.
 */
import { normalizeCode, releaseInvitationUse } from "~/models/invitation.server";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "~/i18n/react";
import { submitResponse } from "~/api/responses.server";
import { StaffForm, useCsrfToken } from "~/components/staff-form";
import { CSRF_FIELD } from "~/utils/csrf";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { deleteResponse } from "~/models/response.server";
import { getSigningKey } from "~/models/setting.server";
import { getEdition, isEditionOpen, listOpenEditions, seriesTitle } from "~/models/survey.server";
import { isUuid } from "~/surveys/submission";
import { questionsOf } from "~/walks/questionnaire-labels";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const links = () => [{ rel: "stylesheet", href: "/styles/walks.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

const ROLES = ["facilitator", "analyst"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, [...ROLES]);
  const { language, t } = await translatorFor(request);
  const db = getDb();
  const editions = (await listOpenEditions({ db })).map((e) => ({
    id: e.id,
    title: `${seriesTitle({ seriesId: e.series_id, language, fallback: e.title_sv })} ${e.year}`,
  }));
  const chosen = new URL(request.url).searchParams.get("enkat");
  const edition = chosen && editions.some((e) => e.id === chosen) ? await getEdition({ db, id: chosen }) : undefined;
  return {
    title: t("layout.titleSuffix", { title: t("walk.paper.title") }),
    editions,
    edition: edition
      ? {
          id: edition.id,
          title: editions.find((e) => e.id === edition.id)!.title,
          // Paper has every question on it: conditions are checked by the validation, not hidden here.
          questions: questionsOf(JSON.parse(edition.questionnaire_json), language).filter((q) =>
            ["radiogroup", "dropdown", "checkbox", "text", "comment"].includes(q.type),
          ),
        }
      : null,
  };
}

/** Binds an undo to this sign-in, the response and the invitation code it used (released with it). */
async function undoToken(sessionId: string, responseId: string, code: string | null): Promise<string> {
  const key = await getSigningKey({ db: getDb() });
  return createHmac("sha256", key).update(`td-paper-undo-v2:${sessionId}:${responseId}:${code ?? ""}`).digest("base64url");
}

/** The form's fields as answers: choice codes typed back to the definition's own values. */
function answersFrom(form: FormData, questions: ReturnType<typeof questionsOf>): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  const typed = (q: (typeof questions)[number], raw: string) => q.choices.find((c) => String(c.value) === raw)?.value ?? raw;
  for (const q of questions) {
    const field = `q_${q.name}`;
    if (q.type === "checkbox") {
      const values = form.getAll(field).map(String).filter(Boolean);
      if (values.length > 0) answers[q.name] = values.map((v) => typed(q, v));
    } else {
      const raw = String(form.get(field) ?? "").trim();
      if (raw) answers[q.name] = q.choices.length > 0 ? typed(q, raw) : raw;
    }
  }
  return answers;
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await requireStaffForm(request, [...ROLES]);
  const db = getDb();
  if (form.get("intent") === "undo") {
    const responseId = String(form.get("responseId") ?? "");
    const code = normalizeCode(form.get("invitationCode"));
    const token = Buffer.from(String(form.get("undoToken") ?? ""));
    const expected = Buffer.from(isUuid(responseId) ? await undoToken(user.session_id, responseId, code) : "");
    const valid = expected.length > 0 && token.length === expected.length && timingSafeEqual(token, expected);
    const undone = valid && (await deleteResponse({ db, id: responseId, channel: "paper" }));
    // The form's code may be typed in again with the corrected form.
    if (undone && code) await releaseInvitationUse({ db, code });
    return { intent: "undo" as const, undone, responseId };
  }
  const editionId = String(form.get("edition") ?? "");
  const clientId = String(form.get("clientId") ?? "");
  const edition = await getEdition({ db, id: editionId });
  if (!edition || !isEditionOpen(edition)) return { intent: "save" as const, clientId, closed: true as const };
  const questions = questionsOf(JSON.parse(edition.questionnaire_json), "sv");
  // The letter's invitation code, when the paper form carries one: used up as a web answer's is (issue 19).
  const typedCode = String(form.get("invitationCode") ?? "").trim();
  const code = typedCode ? (normalizeCode(typedCode) ?? typedCode) : null;
  const submission = { survey: edition.id, clientId, answers: answersFrom(form, questions), channel: "paper", sessionId: null, ...(code ? { code } : {}) };
  const answer = await submitResponse(submission, `paper:${user.id}`);
  if (answer.status === 200 || answer.status === 201) {
    const id = String(answer.body.id);
    return { intent: "save" as const, clientId, saved: { id, code, undoToken: await undoToken(user.session_id, id, code) } };
  }
  return {
    intent: "save" as const,
    clientId,
    error: String(answer.body.error ?? `HTTP ${answer.status}`),
    reason: typeof answer.body.reason === "string" ? answer.body.reason : null,
    fields: (answer.body.fields ?? {}) as Record<string, string[]>,
  };
}

interface Entered {
  id: string;
  /** The invitation code the form used (normalised), released again by an undo. */
  code?: string | null;
  undoToken: string;
}

const SITTING_KEY = "td:paper-sitting";

function readSitting(edition: string): Entered[] {
  try {
    const all = JSON.parse(sessionStorage.getItem(SITTING_KEY) ?? "{}") as Record<string, Entered[]>;
    return Array.isArray(all[edition]) ? all[edition] : [];
  } catch {
    return [];
  }
}

function writeSitting(edition: string, entered: Entered[]) {
  let all: Record<string, Entered[]> = {};
  try {
    all = JSON.parse(sessionStorage.getItem(SITTING_KEY) ?? "{}");
  } catch {
    all = {};
  }
  sessionStorage.setItem(SITTING_KEY, JSON.stringify({ ...all, [edition]: entered }));
}

/** Lower case without accents, for matching typed letters to a choice. */
function plainText(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function questionBlocks(form: HTMLFormElement): HTMLElement[] {
  return [...form.querySelectorAll<HTMLElement>(".paper-question")];
}

function focusBlock(block: HTMLElement | undefined) {
  if (!block) return;
  const target =
    block.querySelector<HTMLInputElement>("input[type=radio]:checked") ??
    block.querySelector<HTMLElement>("input, select, textarea");
  target?.focus();
}

export default function PaperEntry() {
  const { editions, edition } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const csrf = useCsrfToken();
  const [clientId, setClientId] = useState("");
  const [entered, setEntered] = useState<Entered[]>([]);
  const [message, setMessage] = useState<"saved" | "undone" | "cannotUndo" | null>(null);
  const handled = useRef<unknown>(null);
  const typed = useRef<{ text: string; at: number; target: HTMLSelectElement | null }>({ text: "", at: 0, target: null });

  // A fresh form when the edition changes; not when the page's data is merely reloaded after a
  // save (the loader's object is new then, and a form half typed would be thrown away).
  const editionId = edition?.id;
  useEffect(() => {
    if (!editionId) return;
    setEntered(readSitting(editionId));
    setClientId(crypto.randomUUID());
  }, [editionId]);

  useEffect(() => {
    if (!edition || !result || handled.current === result) return;
    handled.current = result;
    if (result.intent === "save" && "saved" in result && result.saved && result.clientId === clientId) {
      const next = [...readSitting(edition.id), result.saved];
      writeSitting(edition.id, next);
      setEntered(next);
      setMessage("saved");
      setClientId(crypto.randomUUID());
    } else if (result.intent === "undo") {
      if (result.undone) {
        const next = readSitting(edition.id).filter((e) => e.id !== result.responseId);
        writeSitting(edition.id, next);
        setEntered(next);
        setMessage("undone");
      } else setMessage("cannotUndo");
    } else {
      setMessage(null);
      // Focus the first question the check refused.
      const fields = "fields" in result && result.fields ? Object.keys(result.fields) : [];
      const block = formRef.current ? questionBlocks(formRef.current).find((b) => fields.includes(b.dataset.name ?? "")) : undefined;
      focusBlock(block);
    }
  }, [result, edition, clientId]);

  // A fresh form (new clientId): start at the first question.
  useEffect(() => {
    if (clientId && formRef.current) focusBlock(questionBlocks(formRef.current)[0]);
  }, [clientId]);

  // Ctrl+Enter while the last save is still settling (the page's data reloading) saves as soon as
  // it has: a fast typist's keypress is never lost.
  const busy = navigation.state !== "idle";
  // The form (its clientId) the deferred save is for: a second Ctrl+Enter on a form already being
  // saved must not save the fresh form that follows it.
  const saveWhenIdle = useRef<string | null>(null);
  useEffect(() => {
    if (busy || !saveWhenIdle.current) return;
    const wanted = saveWhenIdle.current;
    saveWhenIdle.current = null;
    if (wanted === clientId) formRef.current?.requestSubmit();
  }, [busy, clientId]);

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    const target = event.target as HTMLElement;
    const form = formRef.current;
    if (!form) return;
    const blocks = questionBlocks(form);
    const block = target.closest<HTMLElement>(".paper-question");
    const index = block ? blocks.indexOf(block) : -1;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (busy) saveWhenIdle.current = clientId;
      else form.requestSubmit();
      return;
    }
    if (event.key === "Enter" && target.tagName !== "TEXTAREA" && target.tagName !== "BUTTON" && index >= 0) {
      event.preventDefault();
      if (index + 1 < blocks.length) focusBlock(blocks[index + 1]);
      else form.querySelector<HTMLButtonElement>("button[type=submit]")?.focus();
      return;
    }
    // A list (the area): typed letters pick the first choice that starts with them, accents aside
    // ("ahus" finds Åhus); a pause of a second starts over.
    if (target instanceof HTMLSelectElement && /^\p{L}$/u.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      const now = Date.now();
      // Another list, or a new form, starts over too (a quick typist's "ahus" then "tol" is not "ahustol").
      const fresh = now - typed.current.at > 1000 || typed.current.target !== target;
      typed.current = fresh ? { text: event.key, at: now, target } : { text: typed.current.text + event.key, at: now, target };
      const wanted = plainText(typed.current.text);
      const option = [...target.options].find((o) => o.value && plainText(o.text).startsWith(wanted));
      if (option) target.value = option.value;
      return;
    }
    if (/^[0-9]$/.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey && block && target instanceof HTMLInputElement) {
      const inputs = [...block.querySelectorAll<HTMLInputElement>("input[type=radio], input[type=checkbox]")];
      if (inputs.length === 0) return;
      event.preventDefault();
      const chosen = inputs.find((i) => i.value === event.key) ?? inputs[Number(event.key) - 1];
      if (!chosen) return;
      if (chosen.type === "radio") {
        chosen.checked = true;
        if (index + 1 < blocks.length) focusBlock(blocks[index + 1]);
        else form.querySelector<HTMLButtonElement>("button[type=submit]")?.focus();
      } else {
        chosen.checked = !chosen.checked;
        chosen.focus();
      }
    }
  };

  const fieldErrors = result && result.intent === "save" && "fields" in result && result.clientId === clientId ? (result.fields ?? {}) : {};
  const refusedReason = result && result.intent === "save" && "reason" in result && result.clientId === clientId ? result.reason : null;
  const codeProblem = refusedReason === "code-used" ? "used" : refusedReason === "code-guesses" ? "guesses" : refusedReason?.startsWith("code-") || fieldErrors.code ? "unknown" : null;
  const last = entered.at(-1);

  return (
    <>
      <h1>{t("walk.paper.heading")}</h1>
      <p>{t("walk.paper.intro")}</p>
      {editions.length === 0 ? <p>{t("walk.paper.noOpen")}</p> : null}
      <Form method="get" className="filter-form">
        <label>
          {t("walk.paper.edition")}{" "}
          <select name="enkat" defaultValue={edition?.id ?? editions[0]?.id}>
            {editions.map((e) => (
              <option key={e.id} value={e.id}>{e.title}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary-button">{edition ? t("walk.paper.otherEdition") : t("walk.paper.start")}</button>
      </Form>
      {edition ? (
        <>
          <h2>{edition.title}</h2>
          <p role="status" aria-live="polite">
            {t("walk.paper.count", { count: entered.length })}
            {message ? ` ${t(`walk.paper.${message}`)}` : ""}
            {result && result.intent === "save" && "closed" in result ? ` ${t("walk.paper.closed")}` : ""}
            {result && result.intent === "save" && "error" in result && result.clientId === clientId ? ` ${t("walk.paper.invalid")}` : ""}
          </p>
          {last ? (
            <StaffForm method="post">
              <input type="hidden" name="intent" value="undo" />
              <input type="hidden" name="responseId" value={last.id} />
              <input type="hidden" name="undoToken" value={last.undoToken} />
              {last.code ? <input type="hidden" name="invitationCode" value={last.code} /> : null}
              <button type="submit" className="secondary-button" disabled={busy}>{t("walk.paper.undo")}</button>
            </StaffForm>
          ) : null}
          {clientId ? (
            <Form method="post" className="paper-form" key={clientId} ref={formRef} onKeyDown={onKeyDown} autoComplete="off" noValidate>
              <input type="hidden" name={CSRF_FIELD} value={csrf} />
              <input type="hidden" name="intent" value="save" />
              <input type="hidden" name="edition" value={edition.id} />
              <input type="hidden" name="clientId" value={clientId} />
              {edition.questions.map((q, i) => {
                const error = fieldErrors[q.name];
                const errorId = error ? `err-${q.name}` : undefined;
                const label = `${i + 1}. ${q.title}`;
                if (q.type === "radiogroup" || q.type === "checkbox") {
                  return (
                    <fieldset key={q.name} className="paper-question" data-name={q.name} aria-describedby={errorId} aria-invalid={error ? true : undefined}>
                      <legend className="paper-label">{label}</legend>
                      {q.choices.map((c) => (
                        <label key={String(c.value)} className="choice">
                          <input type={q.type === "radiogroup" ? "radio" : "checkbox"} name={`q_${q.name}`} value={String(c.value)} />{" "}
                          <span className="code">{String(c.value)}</span> {c.text}
                        </label>
                      ))}
                      {error ? <p id={errorId} className="field-error">{t("walk.paper.fieldError")} <span lang="en">{error.join("; ")}</span></p> : null}
                    </fieldset>
                  );
                }
                const id = `q-${q.name}`;
                return (
                  <div key={q.name} className="paper-question" data-name={q.name}>
                    <label htmlFor={id} className="paper-label">{label}</label>
                    {q.type === "dropdown" ? (
                      <select id={id} name={`q_${q.name}`} defaultValue="" aria-describedby={errorId} aria-invalid={error ? true : undefined}>
                        <option value="">–</option>
                        {q.choices.map((c) => (
                          <option key={String(c.value)} value={String(c.value)}>{c.text}</option>
                        ))}
                      </select>
                    ) : q.type === "comment" ? (
                      <textarea id={id} name={`q_${q.name}`} rows={3} maxLength={q.maxLength ?? 2000} aria-describedby={errorId} aria-invalid={error ? true : undefined} />
                    ) : (
                      <input id={id} type="text" name={`q_${q.name}`} maxLength={q.maxLength ?? 2000} aria-describedby={errorId} aria-invalid={error ? true : undefined} />
                    )}
                    {error ? <p id={errorId} className="field-error">{t("walk.paper.fieldError")} <span lang="en">{error.join("; ")}</span></p> : null}
                  </div>
                );
              })}
              <p>
                <label htmlFor="paper-code" className="paper-label">{t("walk.paper.invitationCode")}</label>
                <input id="paper-code" type="text" name="invitationCode" autoComplete="off" maxLength={40}
                  aria-describedby={codeProblem ? "err-code" : undefined} aria-invalid={codeProblem ? true : undefined} />
                {codeProblem ? <span id="err-code" className="field-error">{t(`walk.paper.codeProblem.${codeProblem}`)}</span> : null}
              </p>
              <p>
                <button type="submit" className="primary-button" disabled={busy}>{t("walk.paper.save")}</button>
              </p>
            </Form>
          ) : null}
        </>
      ) : null}
      <p>
        <Link to="/personal">{t("walk.paper.back")}</Link>
      </p>
    </>
  );
}
