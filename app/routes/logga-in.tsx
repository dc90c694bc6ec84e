import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { OidcSignInLink } from "~/components/oidc-sign-in";
import { getDb } from "~/db/db.server";
import { auditableEmail, recordAudit } from "~/models/audit.server";
import { verifyLogin } from "~/models/user.server";
import { useLocale } from "~/root";
import { t } from "~/utils/i18n";
import { getOptionalUser, safeRedirect, startSession } from "~/utils/session.server";
import { oidcButtonLabel } from "~/utils/oidc.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Logga in – Trygghetsdialog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) return redirect("/personal");
  return { oidc: oidcButtonLabel() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = String(form.get("email") ?? "").slice(0, 320);
  const password = String(form.get("password") ?? "").slice(0, 1024);
  const redirectTo = safeRedirect(form.get("redirectTo"), "/personal");
  if (!email || !password) return { error: "missing" as const };
  const result = await verifyLogin({ db: getDb(), email, password });
  const address = context.clientAddress ?? "unknown";
  if (result.ok) {
    await recordAudit({ db: getDb(), event: "sign-in", accountId: result.user.id, email: result.user.email, address, detail: { method: "password", role: result.user.role } });
    return startSession(result.user.id, redirectTo);
  }
  await recordAudit({ db: getDb(), event: "sign-in-failed", email: auditableEmail(email), address, detail: { method: "password", reason: result.reason } });
  return { error: result.reason };
}

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const locale = useLocale();
  const { oidc } = useLoaderData<typeof loader>();
  const messages = {
    missing: { sv: "Fyll i både e-postadress och lösenord.", en: "Enter both e-mail address and password." },
    invalid: { sv: "Fel e-postadress eller lösenord.", en: "Wrong e-mail address or password." },
    locked: {
      sv: "Kontot är tillfälligt låst efter flera misslyckade försök. Vänta en kvart och försök igen.",
      en: "The account is temporarily locked after several failed attempts. Wait a quarter of an hour and try again.",
    },
  };
  return (
    <>
      <h1>{t(locale, { sv: "Logga in för personal", en: "Staff sign-in" })}</h1>
      <p>
        {t(locale, {
          sv: "För analytiker, samtalsledare och administratörer. Invånare behöver inget konto för att svara.",
          en: "For analysts, facilitators and administrators. Residents need no account to answer.",
        })}
      </p>
      {oidc ? <OidcSignInLink label={oidc.label} redirectTo={params.get("redirectTo") ?? "/personal"} /> : null}
      <Form method="post" className="stack form-narrow">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/personal"} />
        {actionData?.error ? (
          <p className="notice notice-error" role="alert" id="login-error">
            {t(locale, messages[actionData.error as keyof typeof messages])}
          </p>
        ) : null}
        <label htmlFor="email">{t(locale, { sv: "E-postadress", en: "E-mail address" })}</label>
        <input id="email" name="email" type="email" autoComplete="username" required
          aria-describedby={actionData?.error ? "login-error" : undefined} />
        <label htmlFor="password">{t(locale, { sv: "Lösenord", en: "Password" })}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t(locale, { sv: "Logga in", en: "Sign in" })}
        </button>
      </Form>
    </>
  );
}
