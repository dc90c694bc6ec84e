/**
 * "Logga in med <provider>" on the sign-in page when OIDC is configured: a link (GET) to
 * /logga-in/oidc, which redirects to the provider.
 */
import { useLocale } from "~/root";
import { t } from "~/utils/i18n";

export function OidcSignInLink({ label, redirectTo, passwordsToo }: { label: string | null; redirectTo: string; passwordsToo: boolean }) {
  const locale = useLocale();
  const name = label ?? t(locale, { sv: "kommunens konto", en: "the municipality's account" });
  return (
    <div className="oidc-sign-in">
      <p>
        <a className="button-link" href={`/logga-in/oidc?redirectTo=${encodeURIComponent(redirectTo)}`}>
          {t(locale, { sv: `Logga in med ${name}`, en: `Sign in with ${name}` })}
        </a>
      </p>
      {passwordsToo ? <p className="or-divider">{t(locale, { sv: "eller med e-postadress och lösenord", en: "or with e-mail address and password" })}</p> : null}
    </div>
  );
}
