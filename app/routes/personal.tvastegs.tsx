/**
 * Turning on one's own second factor (TOTP): the secret as text and as a QR code, confirmed by a
 * code from the app. Once on, every password sign-in asks for a code; an admin can remove it
 * (a lost phone) on /personal/sakerhet.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { setPendingTotpSecret } from "~/models/session.server";
import { isSecondFactorRequired } from "~/models/setting.server";
import { checkTotpCode, enableTotp, newTotpSecret, totpUri } from "~/models/totp.server";
import { ROLES } from "~/models/user.server";
import { useLocale } from "~/root";
import { t } from "~/utils/i18n";
import { qrDataUrl } from "~/utils/qr.server";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Tvåstegsverifiering – Trygghetsdialog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ROLES);
  const db = getDb();
  const required = await isSecondFactorRequired({ db });
  if (user.totp_secret) return json({ enabled: true, required, secret: null, qr: null });
  let secret = user.pending_totp_secret;
  if (!secret) {
    secret = newTotpSecret();
    await setPendingTotpSecret({ db, sessionId: user.session_id, secret });
  }
  return json({ enabled: false, required, secret, qr: await qrDataUrl(totpUri({ secret, email: user.email })) });
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
  const navigation = useNavigation();
  const locale = useLocale();
  return (
    <>
      <h1>{t(locale, { sv: "Tvåstegsverifiering", en: "Two-step verification" })}</h1>
      {data.enabled || result?.done ? (
        <p className="notice" role="status" id="totp-on">
          {t(locale, {
            sv: "Tvåstegsverifiering är på: vid inloggning med lösenord frågar vi också efter en kod från din autentiseringsapp. Har du tappat bort telefonen? Be en administratör ta bort den, så lägger du till en ny vid nästa inloggning.",
            en: "Two-step verification is on: at password sign-in we also ask for a code from your authenticator app. Lost your phone? Ask an administrator to remove it, and add a new one at your next sign-in.",
          })}
        </p>
      ) : (
        <>
          <p>
            {data.required
              ? t(locale, { sv: "En administratör kräver tvåstegsverifiering för alla konton med lösenord.", en: "An administrator requires two-step verification for every password account." })
              : t(locale, { sv: "Med tvåstegsverifiering räcker det inte att någon får reda på ditt lösenord.", en: "With two-step verification, knowing your password is not enough to sign in as you." })}{" "}
            {t(locale, {
              sv: "Lägg till kontot i en autentiseringsapp (till exempel Microsoft Authenticator eller FreeOTP) genom att skanna QR-koden eller skriva in nyckeln, och skriv sedan in koden som appen visar.",
              en: "Add the account in an authenticator app (such as Microsoft Authenticator or FreeOTP) by scanning the QR code or typing the key, then enter the code the app shows.",
            })}
          </p>
          <img src={data.qr!} alt={t(locale, { sv: "QR-kod för autentiseringsappen", en: "QR code for the authenticator app" })} width={200} height={200} />
          <p>
            {t(locale, { sv: "Nyckel:", en: "Key:" })} <code id="totp-secret">{data.secret}</code>
          </p>
          <StaffForm className="stack form-narrow">
            {result?.error ? (
              <p className="notice notice-error" role="alert" id="code-error">
                {t(locale, { sv: "Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen.", en: "The code is not right. Check that the phone's clock is right and try again." })}
              </p>
            ) : null}
            <label htmlFor="code">{t(locale, { sv: "Kod från appen (sex siffror)", en: "Code from the app (six digits)" })}</label>
            <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" required
              aria-describedby={result?.error ? "code-error" : undefined} />
            <button type="submit" disabled={navigation.state === "submitting"}>
              {t(locale, { sv: "Slå på tvåstegsverifiering", en: "Turn on two-step verification" })}
            </button>
          </StaffForm>
        </>
      )}
      <p>
        <Link to="/personal">{t(locale, { sv: "Tillbaka till personalsidan", en: "Back to the staff page" })}</Link>
      </p>
    </>
  );
}
