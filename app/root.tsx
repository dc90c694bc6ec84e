import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import { StaffForm } from "~/components/staff-form";
import { INVALID_FORM_TOKEN } from "~/utils/csrf";
import { useEffect, useRef } from "react";
import { useTranslation } from "~/i18n/react";
import { LanguageCatalog, needsOtherCatalog } from "~/components/language-catalog";
import { LanguageLinks } from "~/components/language-links";
import { translatorFor } from "~/i18n/i18n.server";
import { isLanguage, languageDir, SOURCE_LANGUAGE, type Language } from "~/i18n/languages";
import { flushOutbox, readOutbox } from "~/utils/outbox";
import { getOptionalUser } from "~/utils/session.server";
import { hasDemoData } from "~/models/demo.server";
import { getDb } from "~/db/db.server";
import { useNonce } from "~/utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/styles/app.css" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { language: locale, t } = await translatorFor(request);
  const user = await getOptionalUser(request);
  const demo = await hasDemoData({ db: getDb() });
  return {
    locale,
    /** Page titles for the error pages, whose routes have no loader data to take a title from. */
    errorTitles: {
      error: t("layout.titleSuffix", { title: t("error.title") }),
      notFound: t("layout.titleSuffix", { title: t("error.notFound.title") }),
      forbidden: t("layout.titleSuffix", { title: t("error.forbidden.title") }),
    },
    demo,
    user: user ? { email: user.email, role: user.role } : null,
    /** The session's CSRF token, for <StaffForm>'s hidden input; only for signed-in users. */
    csrf: user ? user.csrf_token : null,
  };
}

/**
 * The `<title>` of an error page in the page's language: for a route's `meta` when it has no
 * data because its loader threw (and for the root's own error page).
 */
export function errorMeta(matches: { id: string; data: unknown }[], error: unknown) {
  const titles = (matches.find((m) => m.id === "root")?.data as { errorTitles?: Record<string, string> } | undefined)?.errorTitles;
  if (!titles) return [{ title: "Trygghetsdialog" }];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return [{ title: status === 404 ? titles.notFound : status === 403 ? titles.forbidden : titles.error }];
}

export const meta: MetaFunction<typeof loader> = ({ matches, error }) => (error ? errorMeta(matches, error) : []);

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

/** The page's language (the root loader's, which the server rendered the page in). */
export function useLocale(): Language {
  const { i18n } = useTranslation();
  return useRootData()?.locale ?? (isLanguage(i18n.language) ? i18n.language : SOURCE_LANGUAGE);
}

function Shell({ locale, children }: { locale: Language; children: React.ReactNode }) {
  const data = useRootData();
  const nonce = useNonce();
  const { t } = useTranslation();
  return (
    <html lang={locale} dir={languageDir(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("layout.skipToContent")}
        </a>
        <header className="site-header">
          <div className="wrap header-row">
            <Link to="/" className="brand" lang="sv" dir="ltr">
              Trygghetsdialog
            </Link>
            <nav aria-label={t("layout.mainMenu")} className="site-nav">
              <Link to="/">{t("layout.nav.surveys")}</Link>
              {data?.user ? (
                <>
                  <Link to="/personal">{t("layout.nav.staff")}</Link>
                  <StaffForm action="/logga-ut" className="inline-form">
                    <button type="submit" className="link-button">
                      {t("layout.nav.signOut")}
                    </button>
                  </StaffForm>
                </>
              ) : (
                <Link to="/logga-in" reloadDocument>
                  {t("layout.nav.signIn")}
                </Link>
              )}
            </nav>
            <LanguageLinks current={locale} />
          </div>
        </header>
        {data?.demo ? (
          <div className="demo-banner" role="note">
            <div className="wrap">{t("layout.demoBanner")}</div>
          </div>
        ) : null}
        <main id="main" className="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">{t("layout.footer")}</div>
        </footer>
        <LanguageCatalog signedIn={Boolean(data?.user)} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * The browser holds only the catalog of the language the page was loaded in. Should the root
 * loader ever answer in another (the cookie changed in another tab), load the page anew.
 */
function useReloadOnLanguageChange(locale: Language) {
  const { i18n } = useTranslation();
  useEffect(() => {
    if (i18n.language !== locale) window.location.reload();
  }, [i18n.language, locale]);
}

/**
 * The browser holds the catalog of the page it loaded (decisions 039, 040): all of it, all but
 * the staff sections, or only the sections that page's routes declared. Reaching a page that
 * needs texts it lacks (a staff page, signing in, a public page with other sections) without a
 * page load loads that page anew. Until then the page's own part is not drawn, so no raw key
 * ever shows; the header and footer (base sections) stay.
 */
function useCatalogReload(signedIn: boolean): boolean {
  const { pathname } = useLocation();
  const matches = useMatches();
  const reload = needsOtherCatalog(pathname, signedIn, matches);
  useEffect(() => {
    if (reload) window.location.reload();
  }, [reload, pathname]);
  return reload;
}

/**
 * After a client-side navigation (e.g. from the last survey page to the thank-you page) focus
 * would stay on a button that no longer exists, and screen readers would say nothing: start the
 * new page at its main content, as a full page load does.
 */
function useFocusMainOnNavigation() {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.getElementById("main")?.focus();
  }, [pathname]);
}

/**
 * Answers finished on this device while the network was down wait in the outbox; send them
 * whenever the site is opened again or the connection returns, whatever page the visitor is on.
 */
function useSendWaitingAnswers() {
  useEffect(() => {
    const flush = () => {
      if (readOutbox().length > 0) void flushOutbox();
    };
    flush();
    window.addEventListener("online", flush);
    return () => window.removeEventListener("online", flush);
  }, []);
}

export default function App() {
  const locale = useLocale();
  useReloadOnLanguageChange(locale);
  const reloading = useCatalogReload(Boolean(useRootData()?.user));
  useFocusMainOnNavigation();
  useSendWaitingAnswers();
  return <Shell locale={locale}>{reloading ? null : <Outlet />}</Shell>;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const locale = useLocale();
  const { t } = useTranslation();
  let title = t("error.title");
  let message = t("error.message");
  if (isRouteErrorResponse(error) && error.status === 404) {
    title = t("error.notFound.title");
    message = t("error.notFound.message");
  } else if (isRouteErrorResponse(error) && error.status === 503) {
    title = t("error.unavailable.title");
    message = t("error.unavailable.message");
  } else if (isRouteErrorResponse(error) && error.status === 403) {
    title = t("error.forbidden.title");
    message = error.data === INVALID_FORM_TOKEN ? t("error.forbidden.formToken") : t("error.forbidden.noAccess");
  } else if (!isRouteErrorResponse(error)) {
    console.error(error);
  }
  return (
    <Shell locale={locale}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t("common.toStartPage")}</Link>
      </p>
    </Shell>
  );
}
