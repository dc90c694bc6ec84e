/**
 * GET /logga-in/oidc: starts a sign-in at the municipality's OpenID provider (a 302 there).
 * Shown as a page only when the provider cannot be reached. A link, not a form: the site's CSP
 * (form-action 'self') would stop a form whose answer redirects to another site.
 */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useLocale } from "~/root";
import { t } from "~/utils/i18n";
import { beginOidcSignIn, requireOidcConfig } from "~/utils/oidc.server";
import { safeRedirect } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Logga in – Trygghetsdialog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  requireOidcConfig();
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/personal");
  try {
    return await beginOidcSignIn(request, redirectTo);
  } catch (error) {
    if (error instanceof Response) throw error;
    console.warn(`OpenID provider unreachable: ${error instanceof Error ? error.message : String(error)}`);
    return json({ unavailable: true }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}

export default function OidcUnavailable() {
  const locale = useLocale();
  return (
    <>
      <h1>{t(locale, { sv: "Inloggningen är inte tillgänglig just nu", en: "Sign-in is not available right now" })}</h1>
      <p className="notice notice-error" role="alert">
        {t(locale, {
          sv: "Vi når inte kommunens inloggningstjänst. Försök igen om en stund. Om felet består, kontakta IT-avdelningen.",
          en: "We cannot reach the municipality's sign-in service. Try again shortly. If it persists, contact the IT department.",
        })}
      </p>
      <p>
        <Link to="/logga-in">{t(locale, { sv: "Tillbaka till inloggningen", en: "Back to sign-in" })}</Link>
      </p>
    </>
  );
}
