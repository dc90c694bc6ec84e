/**
 * GET /logga-in/oidc: starts a sign-in at the municipality's OpenID provider (a 302 there).
 * Shown as a page only when the provider cannot be reached.
 */
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { translatorFor } from "~/i18n/i18n.server";
import { beginOidcSignIn, requireOidcConfig } from "~/utils/oidc.server";
import { safeRedirect } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.meta.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  requireOidcConfig();
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/personal");
  try {
    return await beginOidcSignIn(request, redirectTo);
  } catch (error) {
    if (error instanceof Response) throw error;
    console.warn(`OpenID provider unreachable: ${error instanceof Error ? error.message : String(error)}`);
    const { t } = await translatorFor(request);
    return json({ meta: { title: t("oidc.meta.title") } }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}

export default function OidcUnavailable() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("oidc.unavailable.title")}</h1>
      <p className="notice notice-error" role="alert">
        {t("oidc.unavailable.text")}
      </p>
      <p>
        <Link to="/logga-in">{t("oidc.toSignIn")}</Link>
      </p>
    </>
  );
}
