/**
 * The second step of a password sign-in: a code from an authenticator app (TOTP). An account
 * without one, when an admin requires it, enrols here first: the secret as text and as a QR
 * code, confirmed by a code. Five wrong codes end the step (back to the password, whose delays
 * count the wrong codes too); the sign-in rate limit covers this form as well.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { TotpCodeFields, TotpEnrolment } from "~/components/totp-fields";
import { getDb } from "~/db/db.server";
import { recordAudit } from "~/models/audit.server";
import { recordCodeFailure, setPendingTotpSecret } from "~/models/session.server";
import { accountKey, addressKey, recordAttempt } from "~/models/throttle.server";
import { checkTotpCode, enableTotp, newTotpSecret, totpUri, useTotpStep } from "~/models/totp.server";
import { useTranslation } from "~/i18n/react";
import { translatorFor } from "~/i18n/i18n.server";
import { CSRF_FIELD } from "~/utils/csrf";
import { readForm } from "~/utils/http.server";
import { qrDataUrl } from "~/utils/qr.server";
import { assertCsrf, clearSecondFactorCookie, createStaffSession, getSecondFactorState, safeRedirect } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  const state = await getSecondFactorState(request);
  const { t } = await translatorFor(request);
  const title = t("secondFactor.meta.title");
  // Without a right password first there is no step to take: say so (a public page, no redirect).
  if (!state) return json({ title, mode: "none" as const, csrf: "", secret: null, qr: null });
  if (state.totp_secret) return json({ title, mode: "code" as const, csrf: state.csrf_token, secret: null, qr: null });
  let secret = state.pending_totp_secret;
  if (!secret) {
    secret = newTotpSecret();
    await setPendingTotpSecret({ db: getDb(), sessionId: state.session_id, secret });
  }
  return json({ title, mode: "enrol" as const, csrf: state.csrf_token, secret, qr: await qrDataUrl(totpUri({ secret, email: state.email })) });
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
  const { t } = useTranslation();
  const formAction = `/logga-in/kod${params.get("redirectTo") ? `?redirectTo=${encodeURIComponent(params.get("redirectTo")!)}` : ""}`;
  if (data.mode === "none") {
    return (
      <>
        <h1>{t("secondFactor.heading")}</h1>
        <p id="no-second-factor-step">{t("secondFactor.noSignIn")}</p>
        <p>
          <Link to="/logga-in">{t("secondFactor.toSignIn")}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t("secondFactor.heading")}</h1>
      {data.mode === "enrol" ? (
        <>
          <p>
            {t("secondFactor.enrolRequired")} {t("secondFactor.addApp")}
          </p>
          <TotpEnrolment qr={data.qr!} secret={data.secret!} />
        </>
      ) : (
        <p>{t("secondFactor.enterCode")}</p>
      )}
      <Form method="post" action={formAction} className="stack form-narrow">
        <input type="hidden" name={CSRF_FIELD} value={data.csrf} />
        <TotpCodeFields error={Boolean(actionData?.error)} submitLabel={t("secondFactor.continue")} />
      </Form>
    </>
  );
}
