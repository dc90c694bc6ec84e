/**
 * The pieces the two TOTP pages share (the second step of sign-in, and turning two-step sign-in on
 * from the staff pages): the QR code with its key for an authenticator app, and the code field
 * with its error. Each page wraps the fields in its own form (the sign-in step has no staff
 * session yet, so it cannot use StaffForm).
 */
import { useNavigation } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";

export function TotpEnrolment({ qr, secret }: { qr: string; secret: string }) {
  const { t } = useTranslation();
  return (
    <>
      <img src={qr} alt={t("secondFactor.qrAlt")} width={200} height={200} />
      <p>
        {t("secondFactor.key")} <code id="totp-secret">{secret}</code>
      </p>
    </>
  );
}

export function TotpCodeFields({ error, submitLabel }: { error: boolean; submitLabel: string }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  return (
    <>
      {error ? (
        <p className="notice notice-error" role="alert" id="code-error">
          {t("secondFactor.wrongCode")}
        </p>
      ) : null}
      <label htmlFor="code">{t("secondFactor.codeLabel")}</label>
      <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" required
        aria-describedby={error ? "code-error" : undefined} />
      <button type="submit" disabled={navigation.state === "submitting"}>
        {submitLabel}
      </button>
    </>
  );
}
