import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { StaffForm } from "~/components/staff-form";
import { INVALID_FORM_TOKEN } from "~/utils/csrf";
import { useEffect, useRef } from "react";
import { flushOutbox, readOutbox } from "~/utils/outbox";
import { getOptionalUser } from "~/utils/session.server";
import { localeFromRequest, t, type Locale } from "~/utils/i18n";
import { hasDemoData } from "~/models/demo.server";
import { getDb } from "~/db/db.server";
import { useNonce } from "~/utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/styles/app.css" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request);
  const user = await getOptionalUser(request);
  const demo = await hasDemoData({ db: getDb() });
  return {
    locale,
    demo,
    user: user ? { email: user.email, role: user.role } : null,
    /** The session's CSRF token, for <StaffForm>'s hidden input; only for signed-in users. */
    csrf: user ? user.csrf_token : null,
  };
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

export function useLocale(): Locale {
  return useRootData()?.locale ?? "sv";
}

function LanguageSwitch({ locale }: { locale: Locale }) {
  const location = useLocation();
  const other: Locale = locale === "sv" ? "en" : "sv";
  return (
    <Form method="post" action="/sprak" className="lang-switch">
      <input type="hidden" name="lang" value={other} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button type="submit" lang={other}>
        {other === "en" ? "In English" : "På svenska"}
      </button>
    </Form>
  );
}

function Shell({ locale, children }: { locale: Locale; children: React.ReactNode }) {
  const data = useRootData();
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t(locale, { sv: "Hoppa till innehållet", en: "Skip to content" })}
        </a>
        <header className="site-header">
          <div className="wrap header-row">
            <Link to="/" className="brand">
              Trygghetsdialog
            </Link>
            <nav aria-label={t(locale, { sv: "Huvudmeny", en: "Main menu" })} className="site-nav">
              <Link to="/">{t(locale, { sv: "Enkäter", en: "Surveys" })}</Link>
              {data?.user ? (
                <>
                  <Link to="/personal">{t(locale, { sv: "Personal", en: "Staff" })}</Link>
                  <StaffForm action="/logga-ut" className="inline-form">
                    <button type="submit" className="link-button">
                      {t(locale, { sv: "Logga ut", en: "Sign out" })}
                    </button>
                  </StaffForm>
                </>
              ) : (
                <Link to="/logga-in">{t(locale, { sv: "Logga in (personal)", en: "Staff sign-in" })}</Link>
              )}
            </nav>
            <LanguageSwitch locale={locale} />
          </div>
        </header>
        {data?.demo ? (
          <div className="demo-banner" role="note">
            <div className="wrap">
              {t(locale, {
                sv: "Exempeldata: svaren och siffrorna på den här webbplatsen är påhittade för att visa hur den fungerar.",
                en: "Example data: the answers and figures on this site are made up to show how it works.",
              })}
            </div>
          </div>
        ) : null}
        <main id="main" className="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            {t(locale, {
              sv: "Kristianstads kommun och Polisen – medborgarlöften för ökad trygghet.",
              en: "Kristianstad municipality and the Police – citizen promises for safety.",
            })}
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
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
  useFocusMainOnNavigation();
  useSendWaitingAnswers();
  return (
    <Shell locale={locale}>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const locale = useLocale();
  let title = t(locale, { sv: "Något gick fel", en: "Something went wrong" });
  let message = t(locale, {
    sv: "Ett oväntat fel inträffade. Försök igen om en stund.",
    en: "An unexpected error occurred. Please try again shortly.",
  });
  if (isRouteErrorResponse(error) && error.status === 404) {
    title = t(locale, { sv: "Sidan finns inte", en: "Page not found" });
    message = t(locale, {
      sv: "Vi hittar inte sidan du söker. Kontrollera adressen eller gå till startsidan.",
      en: "We cannot find the page you are looking for. Check the address or go to the start page.",
    });
  } else if (isRouteErrorResponse(error) && error.status === 503) {
    title = t(locale, { sv: "Tjänsten är tillfälligt otillgänglig", en: "The service is temporarily unavailable" });
    message = t(locale, {
      sv: "Webbplatsen kan inte hämta sina uppgifter just nu. Försök igen om en liten stund.",
      en: "The site cannot reach its data right now. Please try again in a little while.",
    });
  } else if (isRouteErrorResponse(error) && error.status === 403) {
    title = t(locale, { sv: "Åtkomst nekad", en: "Access denied" });
    message =
      error.data === INVALID_FORM_TOKEN
        ? t(locale, {
            sv: "Formuläret kunde inte tas emot: sidan var för gammal eller kom från en annan flik där du loggat ut. Ladda om sidan och försök igen.",
            en: "The form could not be accepted: the page was too old or came from a tab where you signed out. Reload the page and try again.",
          })
        : t(locale, {
            sv: "Ditt konto har inte behörighet till den här sidan. Fråga en administratör om du behöver den.",
            en: "Your account does not have access to this page. Ask an administrator if you need it.",
          });
  } else if (!isRouteErrorResponse(error)) {
    console.error(error);
  }
  return (
    <Shell locale={locale}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t(locale, { sv: "Till startsidan", en: "To the start page" })}</Link>
      </p>
    </Shell>
  );
}
