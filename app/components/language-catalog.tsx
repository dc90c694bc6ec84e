/**
 * The page language's catalog, written into the HTML as a JSON data block (not a script: the CSP
 * does not apply, nothing runs). app/entry.client.tsx reads it before hydrating.
 */
import { useTranslation } from "react-i18next";

export const CATALOG_ELEMENT_ID = "i18n-catalog";

export function LanguageCatalog() {
  const { i18n } = useTranslation();
  const bundle = i18n.getResourceBundle(i18n.language, "translation") as object | undefined;
  // "<" escaped so that no text can end the element early.
  const json = JSON.stringify(bundle ?? {}).replace(/</g, "\\u003c");
  return <script id={CATALOG_ELEMENT_ID} type="application/json" dangerouslySetInnerHTML={{ __html: json }} suppressHydrationWarning />;
}
