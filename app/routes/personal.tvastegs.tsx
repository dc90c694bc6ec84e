/**
 * Turning on one's own second factor (TOTP): the secret as text and as a QR code, confirmed by a
 * code from the app. Once on, every password sign-in asks for a code; an admin can remove it
 * (a lost phone) on /personal/sakerhet.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { StaffForm } from "~/components/staff-form";
import { TotpCodeFields, TotpEnrolment } from "~/components/totp-fields";
import { getDb } from "~/db/db.server";
import { setPendingTotpSecret } from "~/models/session.server";
import { isSecondFactorRequired } from "~/models/setting.server";
import { checkTotpCode, enableTotp, newTotpSecret, totpUri } from "~/models/totp.server";
import { ROLES } from "~/models/user.server";
import { useTranslation } from "~/i18n/react";
import { translatorFor } from "~/i18n/i18n.server";
import { qrDataUrl } from "~/utils/qr.server";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ROLES);
  const db = getDb();
  const required = await isSecondFactorRequired({ db });
  const title = (await translatorFor(request)).t("secondFactor.meta.title");
  if (user.totp_secret) return json({ title, enabled: true, required, secret: null, qr: null });
  let secret = user.pending_totp_secret;
  if (!secret) {
    secret = newTotpSecret();
    await setPendingTotpSecret({ db, sessionId: user.session_id, secret });
  }
  return json({ title, enabled: false, required, secret, qr: await qrDataUrl(totpUri({ secret, email: user.email })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, form } = await requireStaffForm(request, ROLES);
  if (user.totp_secret) return json({ error: null, done: true });
  const secret = user.pending_totp_secret;
  const step = secret ? checkTotpCode({ secret, code: String(form.get("code") ?? "").slice(0, 20), lastStep: null }) : null;
  if (!secret || step === null) return json({ error: "wrong-code" as const, done: false }, { status: 400 });
  const db = getDb();
  await enableTotp({ db, userId: user.id, secret, step });
  await setPendingTotpSecret({ db, sessionId: user.session_id, secret: null });
  return json({ error: null, done: true });
}

export default function SecondFactorSettings() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("secondFactor.heading")}</h1>
      {data.enabled || result?.done ? (
        <p className="notice" role="status" id="totp-on">
          {t("secondFactor.on")}
        </p>
      ) : (
        <>
          <p>
            {data.required ? t("secondFactor.required") : t("secondFactor.optional")} {t("secondFactor.addApp")}
          </p>
          <TotpEnrolment qr={data.qr!} secret={data.secret!} />
          <StaffForm className="stack form-narrow">
            <TotpCodeFields error={Boolean(result?.error)} submitLabel={t("secondFactor.turnOn")} />
          </StaffForm>
        </>
      )}
      <p>
        <Link to="/personal">{t("staff.backToStaff")}</Link>
      </p>
    </>
  );
}
