/**
 * What /d/<code> and /kiosk/<code> load: the session's questionnaire in the page's language, or
 * why there is none (unknown code: 404; closed session or closed questionnaire: 410), for the page
 * to say in the visitor's language.
 */
import { json } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { findSessionByCode } from "~/models/dialogue-session.server";
import { getEdition, isEditionOpen } from "~/models/survey.server";
import { questionnaireInLanguage } from "~/surveys/translations";

type LocalizedText = string | Partial<Record<string, string>> | undefined;

export async function sessionPageData({ request, code, titleKey }: { request: Request; code: string; titleKey: string }) {
  const { t, language } = await translatorFor(request);
  const db = getDb();
  const session = await findSessionByCode({ db, code });
  const edition = session ? await getEdition({ db, id: session.edition_id }) : undefined;
  if (!session || !edition) {
    return json({ state: "unknown" as const, title: t("layout.titleSuffix", { title: t("dialogue.public.unknownTitle") }) }, { status: 404 });
  }
  if (session.status !== "open" || !isEditionOpen(edition)) {
    return json({ state: "closed" as const, title: t("layout.titleSuffix", { title: t("dialogue.public.closedTitle") }), place: session.place }, { status: 410 });
  }
  const questionnaire = JSON.parse(edition.questionnaire_json) as { title?: LocalizedText };
  const texts = questionnaire.title;
  const surveyTitle = (typeof texts === "string" ? texts : (texts?.[language] ?? texts?.default)) ?? edition.id;
  return json(
    {
      state: "open" as const,
      title: t("layout.titleSuffix", { title: t(titleKey, { survey: surveyTitle }) }),
      code: session.code,
      sessionId: session.id,
      survey: edition.id,
      place: session.place,
      questionnaire: questionnaireInLanguage(questionnaire, language),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
