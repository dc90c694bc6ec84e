/**
 * survey-core's Arabic pack, with the strings it writes in visual (left-to-right) order
 * corrected to logical order: in a right-to-left page ".يرجى" shows its period at the start and
 * "{1} صفحة {0} من" reads "2 page 1 of". Also "اختار" (he chose) where "اختر" (choose) is meant.
 */
import { surveyLocalization } from "survey-core";
import "survey-core/i18n/arabic";

Object.assign(surveyLocalization.locales.ar, {
  progressText: "الصفحة {0} من {1}",
  loadingSurvey: "جارٍ تحميل الاستطلاع...",
  placeholder: "اختر...",
  ratingOptionsCaption: "اختر...",
  buttongroupOptionsCaption: "اختر...",
  requiredError: "يُرجى الإجابة عن هذا السؤال.",
});
