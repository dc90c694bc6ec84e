import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getDb } from "~/db/db.server";
import { auditableEmail, recordAudit } from "~/models/audit.server";
import { attemptPasswordSignIn } from "~/models/user.server";
import { OidcSignInLink } from "~/components/oidc-sign-in";
import { oidcButtonLabel } from "~/utils/oidc.server";
import { useLocale } from "~/root";
import { CSRF_FIELD } from "~/utils/csrf";
import { getEnv } from "~/utils/env.server";
import { readForm } from "~/utils/http.server";
import { t } from "~/utils/i18n";
import {
  assertSignInFormToken,
  continueAfterPassword,
  getOptionalUser,
  safeRedirect,
  signInFormToken,
} from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Logga in – Trygghetsdialog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) return redirect("/personal");
  const { token, setCookie } = await signInFormToken(request);
  return json(
    { passwordSignIn: getEnv().passwordSignIn, formToken: token, oidc: oidcButtonLabel() },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!getEnv().passwordSignIn) return json({ error: "disabled" as const, retryAfter: 0 }, { status: 403 });
  const form = await readForm(request);
  await assertSignInFormToken(request, form);
  const email = String(form.get("email") ?? "").slice(0, 320);
  const password = String(form.get("password") ?? "").slice(0, 1024);
  const redirectTo = safeRedirect(form.get("redirectTo"), "/personal");
  if (!email || !password) return json({ error: "missing" as const, retryAfter: 0 }, { status: 400 });
  const clientKey = context.clientKey ?? "unknown";
  const result = await attemptPasswordSignIn({ db: getDb(), email, password, clientKey });
  const address = context.clientAddress ?? "unknown";
  if (result.ok) {
    const response = await continueAfterPassword({ user: result.user, request, redirectTo });
    // With a second factor the sign-in is complete only at /logga-in/kod, which records it there.
    if (!response.headers.get("Location")?.startsWith("/logga-in/kod")) {
      await recordAudit({ db: getDb(), event: "sign-in", accountId: result.user.id, email: result.user.email, address, detail: { method: "password", role: result.user.role } });
    }
    return response;
  }
  await recordAudit({ db: getDb(), event: "sign-in-failed", email: auditableEmail(email), address, detail: { method: "password", reason: result.reason } });
  if (result.reason === "throttled") {
    return json(
      { error: "throttled" as const, retryAfter: result.retryAfterSeconds },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  return json({ error: "invalid" as const, retryAfter: 0 }, { status: 200 });
}

export default function SignIn() {
  const { passwordSignIn, formToken, oidc } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const locale = useLocale();
  const seconds = actionData?.retryAfter ?? 0;
  const messages = {
    missing: { sv: "Fyll i både e-postadress och lösenord.", en: "Enter both e-mail address and password." },
    invalid: { sv: "Fel e-postadress eller lösenord.", en: "Wrong e-mail address or password." },
    // The same for every address tried, known or not: it never tells which accounts exist.
    throttled: {
      sv: `För många misslyckade försök. Vänta ${seconds} sekunder och försök igen.`,
      en: `Too many failed attempts. Wait ${seconds} seconds and try again.`,
    },
    disabled: {
      sv: "Inloggning med lösenord är avstängd här. Logga in via kommunens inloggningstjänst.",
      en: "Password sign-in is turned off here. Sign in through the municipality's identity provider.",
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
      {oidc ? <OidcSignInLink label={oidc.label} redirectTo={params.get("redirectTo") ?? "/personal"} passwordsToo={passwordSignIn} /> : null}
      {passwordSignIn ? (
        <Form method="post" className="stack form-narrow">
          <input type="hidden" name={CSRF_FIELD} value={formToken} />
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
      ) : (
        <p className="notice" id="password-off">{t(locale, messages.disabled)}</p>
      )}
    </>
  );
}
