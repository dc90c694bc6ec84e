/**
 * GET /logga-in/oidc/callback: the provider sends the browser back here. A checked answer with a
 * mapped group starts a session; anything else shows why, in words, and starts nothing.
 */
import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale } from "~/root";
import { t } from "~/utils/i18n";
import { finishOidcSignIn, type OidcFailure } from "~/utils/oidc.server";
import { createStaffSession } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Inloggning – Trygghetsdialog" }];

const STATUS: Record<OidcFailure, number> = { expired: 400, denied: 403, failed: 400, "no-role": 403 };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const result = await finishOidcSignIn(request, context.clientAddress ?? "unknown");
  if (!result.ok) {
    return json({ reason: result.reason }, { status: STATUS[result.reason], headers: { "Set-Cookie": result.clearCookie, "Cache-Control": "no-store" } });
  }
  // A new session id, the request's old session ended (the same path as a password sign-in).
  const headers = await createStaffSession({ userId: result.userId, request });
  headers.append("Set-Cookie", result.clearCookie);
  headers.set("Cache-Control", "no-store");
  return redirect(result.redirectTo, { headers });
}

const MESSAGES: Record<OidcFailure, { title: { sv: string; en: string }; text: { sv: string; en: string } }> = {
  "no-role": {
    title: { sv: "Ditt konto har ingen behörighet här", en: "Your account has no access here" },
    text: {
      sv: "Du loggade in hos kommunens inloggningstjänst, men ditt konto tillhör ingen grupp som ger behörighet till Trygghetsdialog. Be IT-avdelningen eller din chef att lägga till dig i rätt grupp och logga sedan in igen.",
      en: "You signed in at the municipality's sign-in service, but your account is in no group that gives access to Trygghetsdialog. Ask the IT department or your manager to add you to the right group, then sign in again.",
    },
  },
  denied: {
    title: { sv: "Inloggningen avbröts", en: "Sign-in was cancelled" },
    text: {
      sv: "Inloggningen avbröts hos kommunens inloggningstjänst. Du är inte inloggad.",
      en: "Sign-in was cancelled at the municipality's sign-in service. You are not signed in.",
    },
  },
  expired: {
    title: { sv: "Inloggningen kunde inte slutföras", en: "Sign-in could not be completed" },
    text: {
      sv: "Inloggningen tog för lång tid, eller startades i en annan webbläsare eller flik. Börja om från inloggningssidan.",
      en: "Sign-in took too long, or was started in another browser or tab. Start again from the sign-in page.",
    },
  },
  failed: {
    title: { sv: "Inloggningen kunde inte slutföras", en: "Sign-in could not be completed" },
    text: {
      sv: "Svaret från kommunens inloggningstjänst kunde inte godtas. Börja om från inloggningssidan. Om felet består, kontakta IT-avdelningen.",
      en: "The answer from the municipality's sign-in service could not be accepted. Start again from the sign-in page. If it persists, contact the IT department.",
    },
  },
};

export default function OidcCallback() {
  const { reason } = useLoaderData<typeof loader>() as { reason: OidcFailure };
  const locale = useLocale();
  const message = MESSAGES[reason] ?? MESSAGES.failed;
  return (
    <>
      <h1>{t(locale, message.title)}</h1>
      <p className="notice notice-error" role="alert" id="oidc-error">
        {t(locale, message.text)}
      </p>
      <p>
        <Link to="/logga-in">{t(locale, { sv: "Till inloggningssidan", en: "To the sign-in page" })}</Link>
      </p>
    </>
  );
}
