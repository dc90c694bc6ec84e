/** The i18next options shared by the server and the browser (decision 012). */
import type { InitOptions } from "i18next";
import { SOURCE_LANGUAGE, LANGUAGES, type Language } from "./languages";

export function i18nOptions(language: Language): InitOptions {
  return {
    lng: language,
    supportedLngs: [...LANGUAGES],
    fallbackLng: SOURCE_LANGUAGE,
    defaultNS: "translation",
    ns: ["translation"],
    // React escapes what it renders; the refusal pages escape their own HTML.
    interpolation: { escapeValue: false },
    // Catalogs are given as resources: everything is there synchronously, nothing is fetched.
    initImmediate: false,
    react: { useSuspense: false },
  };
}
