/**
 * The translator in React (decision 040): the provider the entries wrap the app in, the
 * `useTranslation()` hook and `<Trans>` for texts with markup (`Öppen till och med <0>{{date}}</0>`).
 * The names follow react-i18next's, which this replaces, so that pages read as before.
 */
import { cloneElement, createContext, Fragment, useContext, type ReactElement, type ReactNode } from "react";
import { createTranslator, interpolate, type TranslateOptions, type Translator } from "./translator";

const TranslatorContext = createContext<Translator>(createTranslator("sv", {}));

export function TranslatorProvider({ translator, children }: { translator: Translator; children?: ReactNode }) {
  return <TranslatorContext.Provider value={translator}>{children}</TranslatorContext.Provider>;
}

/** `{ t, i18n }` for the page's language: `i18n` is the translator (language, exists…). */
export function useTranslation(): { t: Translator["t"]; i18n: Translator } {
  const translator = useContext(TranslatorContext);
  return { t: translator.t, i18n: translator };
}

const TAG = /<(\d+)>(.*?)<\/\1>/gs;

/**
 * A text whose `<0>…</0>` parts are drawn by the element at that index of `components`, with
 * the part's text (values filled in) as its children; the rest is plain text. Only numbered,
 * unnested tags: what the catalogs use.
 */
export function Trans({ i18nKey, values, components = [] }: { i18nKey: string; values?: TranslateOptions; components?: ReactElement[] }) {
  const { i18n } = useTranslation();
  // Filled in after splitting, so that a value with "<0>" in it stays text.
  const text = i18n.template(i18nKey, values);
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    if (match.index > last) parts.push(interpolate(text.slice(last, match.index), values));
    const component = components[Number(match[1])];
    const inner = interpolate(match[2], values);
    parts.push(component ? cloneElement(component, { key: parts.length }, inner) : inner);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(interpolate(text.slice(last), values));
  return <Fragment>{parts.map((p, i) => (typeof p === "string" ? <Fragment key={i}>{p}</Fragment> : p))}</Fragment>;
}
