/**
 * The field for the invitation code from the letter (issue 19), on the start page and on a survey
 * page that needs one. A plain GET form: it works without JavaScript and the link it makes is the
 * letter's own (`?kod=…`).
 */
import { Form } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "~/i18n/react";

export function CodeForm({ action }: { action: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Form method="get" action={action} className="code-form">
      <label htmlFor={`${id}-code`}>{t("surveyYear.code.label")}</label>
      <p id={`${id}-hint`} className="hint">
        {t("surveyYear.code.hint", { example: "ABCDE-FGH23" })}
      </p>
      <input
        id={`${id}-code`}
        name="kod"
        type="text"
        inputMode="text"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={20}
        required
        aria-describedby={`${id}-hint`}
      />
      <button type="submit">{t("surveyYear.code.submit")}</button>
    </Form>
  );
}
