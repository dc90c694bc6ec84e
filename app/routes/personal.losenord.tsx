/**
 * Changing one's own password: the current one, then a new one that meets the policy
 * (app/models/password.server.ts). The account's other sessions end; this one goes on.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { recordAudit } from "~/models/audit.server";
import { deleteUserSessions } from "~/models/session.server";
import { changePassword, MIN_PASSWORD_LENGTH, ROLES } from "~/models/user.server";
import { useTranslation } from "~/i18n/react";
import { translatorFor } from "~/i18n/i18n.server";
import { getEnv } from "~/utils/env.server";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

function requirePasswords() {
  if (!getEnv().passwordSignIn) throw new Response("Not Found", { status: 404 });
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ROLES);
  requirePasswords();
  const { t } = await translatorFor(request);
  return { title: t("changePassword.meta.title"), minLength: MIN_PASSWORD_LENGTH };
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
  const { t } = useTranslation();
  const { minLength } = useLoaderData<typeof loader>();
  const errorKeys = {
    mismatch: "mismatch",
    "wrong-current": "wrongCurrent",
    same: "same",
    "too-short": "tooShort",
    "too-long": "tooLong",
    common: "common",
    "contains-name": "containsName",
    repetitive: "repetitive",
  } as const;
  const error = result && !result.ok ? result.error : null;
  return (
    <>
      <h1>{t("changePassword.heading")}</h1>
      <p id="password-rules">
        {t("changePassword.rules", { min: minLength })}
      </p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t("changePassword.done")}
        </p>
      ) : null}
      <StaffForm className="stack form-narrow">
        {error ? (
          <p className="notice notice-error" role="alert" id="password-error">
            {t(`changePassword.error.${errorKeys[error]}`, { min: minLength })}
          </p>
        ) : null}
        <label htmlFor="current">{t("changePassword.current")}</label>
        <input id="current" name="current" type="password" autoComplete="current-password" required />
        <label htmlFor="next">{t("changePassword.next")}</label>
        <input id="next" name="next" type="password" autoComplete="new-password" required minLength={minLength}
          aria-describedby={error ? "password-error password-rules" : "password-rules"} />
        <label htmlFor="repeat">{t("changePassword.repeat")}</label>
        <input id="repeat" name="repeat" type="password" autoComplete="new-password" required minLength={minLength} />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("changePassword.submit")}
        </button>
      </StaffForm>
      <p>
        <Link to="/personal">{t("staff.backToStaff")}</Link>
      </p>
    </>
  );
}
