/**
 * SurveyJS's own texts (buttons, progress, validation messages) per language. The survey page
 * calls `loadSurveyLocale(lng)` before showing the form in `lng`; each pack is its own chunk, so
 * a page downloads only its language's. English is built into survey-core; Somali is ours
 * (survey-core 3.0.0 has none); the others are survey-core's packs, Arabic and Persian with a few
 * strings corrected (ar.ts, fa.ts).
 */

/** The languages the questionnaires are written in, Swedish (the source) first. */
export const SURVEY_LANGUAGES = ["sv", "en", "ar", "fa", "so", "fi"] as const;
export type SurveyLanguage = (typeof SURVEY_LANGUAGES)[number];

const packs: Record<SurveyLanguage, () => Promise<unknown>> = {
  sv: () => import("survey-core/i18n/swedish"),
  en: async () => undefined,
  ar: () => import("./ar"),
  fa: () => import("./fa"),
  so: () => import("./so"),
  fi: () => import("survey-core/i18n/finnish"),
};

/** The source file of each language's pack as the client build names it (for preloading it). */
export const SURVEY_LOCALE_SOURCES: Record<SurveyLanguage, RegExp | null> = {
  sv: /survey-core\/.*i18n\/swedish\.m?js$/,
  en: null,
  ar: /app\/surveys\/locales\/ar\.ts$/,
  fa: /app\/surveys\/locales\/fa\.ts$/,
  so: /app\/surveys\/locales\/so\.ts$/,
  fi: /survey-core\/.*i18n\/finnish\.m?js$/,
};

const loading = new Map<SurveyLanguage, Promise<void>>();

export function isSurveyLanguage(lng: string): lng is SurveyLanguage {
  return (SURVEY_LANGUAGES as readonly string[]).includes(lng);
}

/**
 * Registers SurveyJS's texts for `lng` with survey-core (once; later calls share the first
 * load). A language without a pack resolves at once and SurveyJS shows its default texts. A
 * failed download rejects, and the next call tries again.
 */
export function loadSurveyLocale(lng: string): Promise<void> {
  if (!isSurveyLanguage(lng)) return Promise.resolve();
  let pending = loading.get(lng);
  if (!pending) {
    pending = packs[lng]().then(
      () => undefined,
      (error: unknown) => {
        loading.delete(lng);
        throw error;
      },
    );
    loading.set(lng, pending);
  }
  return pending;
}
