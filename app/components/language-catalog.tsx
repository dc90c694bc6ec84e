/**
 * The page language's catalog, written into the HTML as a JSON data block (nothing runs). It
 * carries the request's nonce all the same, so that every <script> element of a page has one and
 * the CSP checks stay simple. app/entry.client.tsx reads it before hydrating.
 *
 * How much of the catalog a page gets (decisions 039 and 040):
 * - signed-in users and the staff paths: all of it;
 * - a public page whose routes all declare the texts they draw (`handle.catalog`, catalog paths
 *   such as "survey" or "surveyYear.code"): those, and the base sections the root draws;
 * - any other public page: everything but the staff pages' sections.
 * The block says what it holds (`data-scope`, `data-sections`); should the browser then reach a
 * page whose texts it lacks without a page load, the root loads that page anew
 * (`needsOtherCatalog`) rather than draw it with keys.
 */
import { useLocation, useMatches } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import type { Catalog } from "~/i18n/translator";
import { useNonce } from "~/utils/nonce";

export const CATALOG_ELEMENT_ID = "i18n-catalog";

/** Catalog sections only staff pages use (top-level keys of app/locales/<lng>.json). */
export const STAFF_SECTIONS = ["staff", "dashboard", "freeText", "staffSessions", "changePassword", "securityAdmin", "auditLog", "walk"];

/** What the root draws on every page (header, footer, error pages): always sent. */
export const BASE_SECTIONS = ["layout", "common", "error"];

/**
 * A route module's `handle` naming the catalog paths its component and the components it renders
 * use, dynamic keys included (`t(\`surveyYear.code.${problem}\`)` needs "surveyYear.code").
 * Texts only loaders use need not be listed: loaders translate on the server, which has all.
 */
export interface CatalogHandle {
  catalog: readonly string[];
}

/**
 * What the survey page draws (its code form, notes, errors, the thank-you page it goes on to).
 * The start page sends them too: following its link to a survey then needs no new page load.
 */
export const SURVEY_PAGE_SECTIONS = ["survey", "surveyYear.code", "surveyYear.survey", "surveyYear.preview"];

/** Paths whose pages get the whole catalog: staff pages and the sign-in flow. */
const STAFF_PATHS = /^\/(?:personal|logga-in|logga-ut)(?:\/|$)/i;

/** "all", "public" (all but the staff sections), or the catalog paths a page declared. */
export type CatalogScope = "all" | "public" | { sections: string[] };

interface RouteMatch {
  id: string;
  handle?: unknown;
}

function declaredSections(handle: unknown): readonly string[] | undefined {
  const catalog = (handle as Partial<CatalogHandle> | undefined)?.catalog;
  return Array.isArray(catalog) ? catalog : undefined;
}

export function catalogScope(pathname: string, signedIn: boolean, matches: RouteMatch[]): CatalogScope {
  if (signedIn || STAFF_PATHS.test(pathname)) return "all";
  const routes = matches.filter((m) => m.id !== "root");
  const declared = routes.map((m) => declaredSections(m.handle));
  if (routes.length === 0 || declared.some((d) => d === undefined)) return "public";
  return { sections: [...new Set([...BASE_SECTIONS, ...declared.flatMap((d) => d ?? [])])].sort() };
}

/** Whether a catalog holding `held` (paths) has every text under `path`. */
function covers(held: string[], path: string): boolean {
  return held.some((h) => path === h || path.startsWith(`${h}.`));
}

/** The part of a catalog under these paths, nested as in the catalog. */
export function pickSections(catalog: Catalog, paths: readonly string[]): Catalog {
  const out: Catalog = {};
  const taken: string[] = [];
  // Shortest first, and a path inside one taken is skipped: the catalog's own objects are
  // shared, never written into.
  for (const path of [...paths].sort((a, b) => a.length - b.length)) {
    if (covers(taken, path)) continue;
    taken.push(path);
    const parts = path.split(".");
    let source: string | Catalog | undefined = catalog;
    for (const part of parts) source = typeof source === "object" ? source[part] : undefined;
    if (source === undefined) continue;
    let target = out;
    for (const part of parts.slice(0, -1)) {
      const next: string | Catalog | undefined = target[part];
      target = typeof next === "object" ? next : (target[part] = {});
    }
    target[parts[parts.length - 1]] = source;
  }
  return out;
}

/** What the browser's catalog holds: set once by app/entry.client.tsx from the page it loaded. */
let loadedScope: CatalogScope = "all";
export function setLoadedCatalogScope(scope: string | undefined, sections: string | undefined): void {
  loadedScope = scope === "public" ? "public" : scope === "sections" ? { sections: (sections ?? "").split(",").filter(Boolean) } : "all";
}

/** Whether `held` has every text a page of scope `needed` draws. */
export function scopeCovers(held: CatalogScope, needed: CatalogScope): boolean {
  if (held === "all") return true;
  if (needed === "all") return false;
  if (held === "public") return true;
  if (needed === "public") return false;
  return needed.sections.every((path) => covers(held.sections, path));
}

/** Whether this browser must load the page again to draw this path, user and routes in full. */
export function needsOtherCatalog(pathname: string, signedIn: boolean, matches: RouteMatch[]): boolean {
  return !scopeCovers(loadedScope, catalogScope(pathname, signedIn, matches));
}

export function LanguageCatalog({ signedIn }: { signedIn: boolean }) {
  const { i18n } = useTranslation();
  const nonce = useNonce();
  const { pathname } = useLocation();
  const matches = useMatches();
  const bundle = i18n.getResourceBundle(i18n.language) ?? {};
  // In the browser the block is written once, at the first render (suppressHydrationWarning):
  // the catalog the browser holds does not change until the next page load.
  const scope = catalogScope(pathname, signedIn, matches);
  const shown =
    scope === "all"
      ? bundle
      : scope === "public"
        ? Object.fromEntries(Object.entries(bundle).filter(([key]) => !STAFF_SECTIONS.includes(key)))
        : pickSections(bundle, scope.sections);
  // "<" escaped so that no text can end the element early.
  const json = JSON.stringify(shown).replace(/</g, "\\u003c");
  return (
    <script
      id={CATALOG_ELEMENT_ID}
      type="application/json"
      data-scope={typeof scope === "string" ? scope : "sections"}
      data-sections={typeof scope === "string" ? undefined : scope.sections.join(",")}
      nonce={nonce}
      dangerouslySetInnerHTML={{ __html: json }}
      suppressHydrationWarning
    />
  );
}
