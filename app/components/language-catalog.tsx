/**
 * The page language's catalog, written into the HTML as a JSON data block (nothing runs). It
 * carries the request's nonce all the same, so that every <script> element of a page has one and
 * the CSP checks stay simple. app/entry.client.tsx reads it before hydrating.
 *
 * A visitor who is not signed in, on a page outside the staff paths, gets the catalog without the
 * staff pages' sections (decision 039: about half of it, kilobytes on every public page). The
 * block says which it holds (`data-scope`); should such a browser then reach a staff page or
 * sign in without a page load, the root reloads the page (`needsFullCatalog`).
 */
import { useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useNonce } from "~/utils/nonce";

export const CATALOG_ELEMENT_ID = "i18n-catalog";

/** Catalog sections only staff pages use (top-level keys of app/locales/<lng>.json). */
export const STAFF_SECTIONS = ["staff", "dashboard", "freeText", "staffSessions", "changePassword", "securityAdmin", "auditLog", "walk"];

/** Paths whose pages get the whole catalog: staff pages and the sign-in flow. */
const STAFF_PATHS = /^\/(?:personal|logga-in|logga-ut)(?:\/|$)/i;

export type CatalogScope = "public" | "all";

export function catalogScope(pathname: string, signedIn: boolean): CatalogScope {
  return signedIn || STAFF_PATHS.test(pathname) ? "all" : "public";
}

/** What the browser's catalog holds: set once by app/entry.client.tsx from the page it loaded. */
let loadedScope: CatalogScope = "all";
export function setLoadedCatalogScope(scope: string | undefined): void {
  loadedScope = scope === "public" ? "public" : "all";
}

/** Whether this browser must load the page again to show this path and user in full. */
export function needsFullCatalog(pathname: string, signedIn: boolean): boolean {
  return loadedScope === "public" && catalogScope(pathname, signedIn) === "all";
}

export function LanguageCatalog({ signedIn }: { signedIn: boolean }) {
  const { i18n } = useTranslation();
  const nonce = useNonce();
  const { pathname } = useLocation();
  const bundle = (i18n.getResourceBundle(i18n.language, "translation") ?? {}) as Record<string, unknown>;
  // In the browser the block is written once, at the first render (suppressHydrationWarning):
  // the catalog the browser holds does not change until the next page load.
  const scope = catalogScope(pathname, signedIn);
  const shown = scope === "all" ? bundle : Object.fromEntries(Object.entries(bundle).filter(([key]) => !STAFF_SECTIONS.includes(key)));
  // "<" escaped so that no text can end the element early.
  const json = JSON.stringify(shown).replace(/</g, "\\u003c");
  return (
    <script
      id={CATALOG_ELEMENT_ID}
      type="application/json"
      data-scope={scope}
      nonce={nonce}
      dangerouslySetInnerHTML={{ __html: json }}
      suppressHydrationWarning
    />
  );
}
