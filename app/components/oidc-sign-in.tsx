/**
 * "Logga in med <provider>" on the sign-in page when OIDC is configured: a link (GET) to
 * /logga-in/oidc, which redirects to the provider. A link, not a form: the site's CSP
 * (form-action 'self') would stop a form whose answer redirects to another site.
 */
import { useTranslation } from "~/i18n/react";

export function OidcSignInLink({ label, redirectTo, passwordsToo }: { label: string | null; redirectTo: string; passwordsToo: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="oidc-sign-in">
      <p>
        <a className="button-link" href={`/logga-in/oidc?redirectTo=${encodeURIComponent(redirectTo)}`}>
          {t("oidc.button", { name: label ?? t("oidc.defaultName") })}
        </a>
      </p>
      {passwordsToo ? <p className="or-divider">{t("oidc.orPassword")}</p> : null}
    </div>
  );
}
