import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { TranslatorProvider } from "~/i18n/react";
import { CATALOG_ELEMENT_ID, setLoadedCatalogScope } from "~/components/language-catalog";
import { isLanguage, SOURCE_LANGUAGE } from "~/i18n/languages";
import { createTranslator, type Catalog } from "~/i18n/translator";

// The page's language and its catalog come with the HTML (root.tsx): nothing is fetched, and the
// browser never holds another language's texts. A language change is a new page load.
const lang = document.documentElement.lang;
const language = isLanguage(lang) ? lang : SOURCE_LANGUAGE;
const catalogElement = document.getElementById(CATALOG_ELEMENT_ID);
const catalog = JSON.parse(catalogElement?.textContent || "{}") as Catalog;
setLoadedCatalogScope(catalogElement?.dataset.scope, catalogElement?.dataset.sections);
const translator = createTranslator(language, { [language]: catalog });

startTransition(() => {
  hydrateRoot(
    document,
    <TranslatorProvider translator={translator}>
      <StrictMode>
        <RemixBrowser />
      </StrictMode>
    </TranslatorProvider>,
  );
});
