/**
 * Changing one's own password: the current one, then a new one that meets the policy
 * (app/models/password.server.ts). The account's other sessions end; this one goes on.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useNavigation } from "@remix-run/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { recordAudit } from "~/models/audit.server";
import { deleteUserSessions } from "~/models/session.server";
import { changePassword, MIN_PASSWORD_LENGTH, ROLES } from "~/models/user.server";
import { useLocale } from "~/root";
import { getEnv } from "~/utils/env.server";
import { t } from "~/utils/i18n";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Byt lösenord – Trygghetsdialog" }];

function requirePasswords() {
  if (!getEnv().passwordSignIn) throw new Response("Not Found", { status: 404 });
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ROLES);
  requirePasswords();
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, form } = await requireStaffForm(request, ROLES);
  requirePasswords();
  const current = String(form.get("current") ?? "").slice(0, 1100);
  const next = String(form.get("next") ?? "").slice(0, 1100);
  if (next !== String(form.get("repeat") ?? "").slice(0, 1100)) return json({ ok: false as const, error: "mismatch" as const }, { status: 400 });
  const db = getDb();
  const result = await changePassword({ db, userId: user.id, current, next });
  if (!result.ok) return json({ ok: false as const, error: result.reason }, { status: 400 });
  await deleteUserSessions({ db, userId: user.id, except: user.session_id });
  await recordAudit({ db, event: "account-changed", accountId: user.id, email: user.email, address: context.clientAddress ?? "unknown", detail: { change: "password" } });
  return json({ ok: true as const, error: null });
}

export default function ChangePassword() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const locale = useLocale();
  const errors = {
    mismatch: { sv: "Det nya lösenordet och upprepningen är inte lika.", en: "The new password and its repetition differ." },
    "wrong-current": { sv: "Det nuvarande lösenordet stämmer inte.", en: "The current password is not right." },
    same: { sv: "Det nya lösenordet är samma som det gamla.", en: "The new password is the same as the old one." },
    "too-short": { sv: `Lösenordet måste ha minst ${MIN_PASSWORD_LENGTH} tecken.`, en: `The password needs at least ${MIN_PASSWORD_LENGTH} characters.` },
    "too-long": { sv: "Lösenordet är för långt.", en: "The password is too long." },
    common: { sv: "Lösenordet är ett av de vanligaste lösenorden och går lätt att gissa. Välj ett annat.", en: "The password is one of the most common ones and easy to guess. Choose another." },
    "contains-name": { sv: "Lösenordet består mest av ditt namn eller webbplatsens namn. Välj ett annat.", en: "The password is mostly your name or the site's name. Choose another." },
    repetitive: { sv: "Lösenordet är ett tecken eller ett kort mönster som upprepas. Välj ett annat.", en: "The password is one character or a short pattern repeated. Choose another." },
  };
  const error = result && !result.ok ? result.error : null;
  return (
    <>
      <h1>{t(locale, { sv: "Byt lösenord", en: "Change password" })}</h1>
      <p id="password-rules">
        {t(locale, {
          sv: `Minst ${MIN_PASSWORD_LENGTH} tecken. Mellanslag går bra: en mening eller några ord är lättare att komma ihåg och svårare att gissa. Vanliga lösenord tas inte emot.`,
          en: `At least ${MIN_PASSWORD_LENGTH} characters. Spaces are fine: a sentence or a few words is easier to remember and harder to guess. Common passwords are not accepted.`,
        })}
      </p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t(locale, { sv: "Lösenordet är bytt. Dina andra inloggningar har avslutats.", en: "The password is changed. Your other sessions have been ended." })}
        </p>
      ) : null}
      <StaffForm className="stack form-narrow">
        {error ? (
          <p className="notice notice-error" role="alert" id="password-error">
            {t(locale, errors[error])}
          </p>
        ) : null}
        <label htmlFor="current">{t(locale, { sv: "Nuvarande lösenord", en: "Current password" })}</label>
        <input id="current" name="current" type="password" autoComplete="current-password" required />
        <label htmlFor="next">{t(locale, { sv: "Nytt lösenord", en: "New password" })}</label>
        <input id="next" name="next" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH}
          aria-describedby={error ? "password-error password-rules" : "password-rules"} />
        <label htmlFor="repeat">{t(locale, { sv: "Upprepa det nya lösenordet", en: "Repeat the new password" })}</label>
        <input id="repeat" name="repeat" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t(locale, { sv: "Byt lösenord", en: "Change password" })}
        </button>
      </StaffForm>
      <p>
        <Link to="/personal">{t(locale, { sv: "Tillbaka till personalsidan", en: "Back to the staff page" })}</Link>
      </p>
    </>
  );
}
