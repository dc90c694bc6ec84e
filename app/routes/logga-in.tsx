import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getDb } from "~/db/db.server";
import { auditableEmail, recordAudit } from "~/models/audit.server";
import { attemptPasswordSignIn } from "~/models/user.server";
import { useTranslation } from "~/i18n/react";
import { translatorFor } from "~/i18n/i18n.server";
import { OidcSignInLink } from "~/components/oidc-sign-in";
import { oidcButtonLabel } from "~/utils/oidc.server";
import { CSRF_FIELD } from "~/utils/csrf";
import { getEnv } from "~/utils/env.server";
import { readForm } from "~/utils/http.server";
import {
  assertSignInFormToken,
  continueAfterPassword,
  getOptionalUser,
  safeRedirect,
  signInFormToken,
} from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** A delayed attempt's Retry-After reaches the page's answer too, not only data requests. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  const headers: Record<string, string> = {};
  if (retryAfter) headers["Retry-After"] = retryAfter;
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) return redirect("/personal");
  const { token, setCookie } = await signInFormToken(request);
  const { t } = await translatorFor(request);
  return json(
    { title: t("layout.titleSuffix", { title: t("signIn.meta.title") }), passwordSignIn: getEnv().passwordSignIn, formToken: token, oidc: oidcButtonLabel() },
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
  const { t } = useTranslation();
  const error = actionData?.error;
  return (
    <>
      <h1>{t("signIn.heading")}</h1>
      <p>
        {t("signIn.lead")}
      </p>
      {oidc ? <OidcSignInLink label={oidc.label} redirectTo={params.get("redirectTo") ?? "/personal"} passwordsToo={passwordSignIn} /> : null}
      {passwordSignIn ? (
        <Form method="post" className="stack form-narrow">
          <input type="hidden" name={CSRF_FIELD} value={formToken} />
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/personal"} />
          {error ? (
            <p className="notice notice-error" role="alert" id="login-error">
              {/* One message per kind, the same for every address tried: it never tells which accounts exist. */}
              {error === "throttled"
                ? t("signIn.error.throttled", { seconds: actionData?.retryAfter ?? 0 })
                : error === "disabled"
                  ? t("signIn.passwordOff")
                  : t(`signIn.error.${error}`)}
            </p>
          ) : null}
          <label htmlFor="email">{t("signIn.email")}</label>
          <input id="email" name="email" type="email" autoComplete="username" required
            aria-describedby={error ? "login-error" : undefined} />
          <label htmlFor="password">{t("signIn.password")}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
          <button type="submit" disabled={navigation.state === "submitting"}>
            {t("signIn.submit")}
          </button>
        </Form>
      ) : (
        <p className="notice" id="password-off">{t("signIn.passwordOff")}</p>
      )}
    </>
  );
}
