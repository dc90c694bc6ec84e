/**
 * The second step of a password sign-in: a code from an authenticator app (TOTP). An account
 * without one, when an admin requires it, enrols here first: the secret as text and as a QR
 * code, confirmed by a code. Five wrong codes end the step (back to the password, whose delays
 * count the wrong codes too); the sign-in rate limit covers this form as well.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getDb } from "~/db/db.server";
import { recordAudit } from "~/models/audit.server";
import { recordCodeFailure, setPendingTotpSecret } from "~/models/session.server";
import { accountKey, addressKey, recordAttempt } from "~/models/throttle.server";
import { checkTotpCode, enableTotp, newTotpSecret, totpUri, useTotpStep } from "~/models/totp.server";
import { useLocale } from "~/root";
import { CSRF_FIELD } from "~/utils/csrf";
import { readForm } from "~/utils/http.server";
import { t } from "~/utils/i18n";
import { qrDataUrl } from "~/utils/qr.server";
import { assertCsrf, clearSecondFactorCookie, createStaffSession, getSecondFactorState, safeRedirect } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Kod från appen – Trygghetsdialog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const state = await getSecondFactorState(request);
  if (!state) return redirect("/logga-in");
  if (state.totp_secret) return json({ mode: "code" as const, csrf: state.csrf_token, secret: null, qr: null });
  let secret = state.pending_totp_secret;
  if (!secret) {
    secret = newTotpSecret();
    await setPendingTotpSecret({ db: getDb(), sessionId: state.session_id, secret });
  }
  return json({ mode: "enrol" as const, csrf: state.csrf_token, secret, qr: await qrDataUrl(totpUri({ secret, email: state.email })) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const state = await getSecondFactorState(request);
  if (!state) return redirect("/logga-in");
  const form = await readForm(request);
  assertCsrf(state, form);
  const db = getDb();
  const secret = state.totp_secret ?? state.pending_totp_secret;
  const step = secret ? checkTotpCode({ secret, code: String(form.get("code") ?? "").slice(0, 20), lastStep: state.totp_last_step }) : null;
  if (step === null) {
    await recordAttempt({ db, keys: [accountKey(state.email), addressKey(context.clientKey ?? "unknown")], countFailure: true });
    await recordAudit({ db, event: "sign-in-failed", accountId: state.id, email: state.email, address: context.clientAddress ?? "unknown", detail: { method: "totp", reason: "wrong-code" } });
    const ended = await recordCodeFailure({ db, sessionId: state.session_id, failures: state.failed_codes });
    if (ended) return redirect("/logga-in", { headers: { "Set-Cookie": await clearSecondFactorCookie() } });
    return json({ error: "wrong-code" as const }, { status: 400 });
  }
  if (state.totp_secret) await useTotpStep({ db, userId: state.id, step });
  else await enableTotp({ db, userId: state.id, secret: secret!, step });
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/personal");
  await recordAudit({ db, event: "sign-in", accountId: state.id, email: state.email, address: context.clientAddress ?? "unknown", detail: { method: state.totp_secret ? "password+totp" : "password+totp-enrolled", role: state.role } });
  return redirect(redirectTo, { headers: await createStaffSession({ userId: state.id, request }) });
}

export default function SecondFactor() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const locale = useLocale();
  const formAction = `/logga-in/kod${params.get("redirectTo") ? `?redirectTo=${encodeURIComponent(params.get("redirectTo")!)}` : ""}`;
  return (
    <>
      <h1>{t(locale, { sv: "Tvåstegsverifiering", en: "Two-step verification" })}</h1>
      {data.mode === "enrol" ? (
        <>
          <p>
            {t(locale, {
              sv: "En administratör kräver en kod från en autentiseringsapp (till exempel Microsoft Authenticator eller FreeOTP) vid inloggning. Lägg till kontot i appen genom att skanna QR-koden eller skriva in nyckeln, och skriv sedan in koden som appen visar.",
              en: "An administrator requires a code from an authenticator app (such as Microsoft Authenticator or FreeOTP) at sign-in. Add the account in the app by scanning the QR code or typing the key, then enter the code the app shows.",
            })}
          </p>
          <img src={data.qr!} alt={t(locale, { sv: "QR-kod för autentiseringsappen", en: "QR code for the authenticator app" })} width={200} height={200} />
          <p>
            {t(locale, { sv: "Nyckel:", en: "Key:" })} <code id="totp-secret">{data.secret}</code>
          </p>
        </>
      ) : (
        <p>{t(locale, { sv: "Skriv in koden som autentiseringsappen visar.", en: "Enter the code your authenticator app shows." })}</p>
      )}
      <Form method="post" action={formAction} className="stack form-narrow">
        <input type="hidden" name={CSRF_FIELD} value={data.csrf} />
        {actionData?.error ? (
          <p className="notice notice-error" role="alert" id="code-error">
            {t(locale, {
              sv: "Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och skriv in den nya koden.",
              en: "The code is not right. Check that the phone's clock is right and enter the new code.",
            })}
          </p>
        ) : null}
        <label htmlFor="code">{t(locale, { sv: "Kod (sex siffror)", en: "Code (six digits)" })}</label>
        <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" required
          aria-describedby={actionData?.error ? "code-error" : undefined} />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t(locale, { sv: "Fortsätt", en: "Continue" })}
        </button>
      </Form>
    </>
  );
}
