/** survey-core's Persian pack, with its loading message corrected ("creating the questionnaire"). */
import { surveyLocalization } from "survey-core";
import "survey-core/i18n/persian";

Object.assign(surveyLocalization.locales.fa, {
  loadingSurvey: "در حال بارگذاری پرسش‌نامه...",
});
