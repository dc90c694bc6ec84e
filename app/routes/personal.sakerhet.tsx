/**
 * The admin's security page: sign-in delays in force (per e-mail address tried and per client
 * address) with a way to clear them, the switch that requires a second factor for every password
 * account, and removing an account's second factor (a lost phone).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { StaffForm } from "~/components/staff-form";
import { getDb } from "~/db/db.server";
import { recordAudit } from "~/models/audit.server";
import { isSecondFactorRequired, setSecondFactorRequired } from "~/models/setting.server";
import { clearAllThrottles, clearThrottle, listThrottles } from "~/models/throttle.server";
import { removeTotp } from "~/models/totp.server";
import { listUsers } from "~/models/user.server";
import { useTranslation } from "~/i18n/react";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const db = getDb();
  const [throttles, required, users] = await Promise.all([listThrottles({ db }), isSecondFactorRequired({ db }), listUsers({ db })]);
  const { t } = await translatorFor(request);
  return { title: t("securityAdmin.meta.title"), throttles, required, users };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { form, user } = await requireStaffForm(request, ["admin"]);
  const db = getDb();
  const intent = String(form.get("intent") ?? "");
  const value = String(form.get("value") ?? "").slice(0, 500);
  if (intent === "clear") await clearThrottle({ db, key: value });
  else if (intent === "clear-all") await clearAllThrottles({ db });
  else if (intent === "require-totp") await setSecondFactorRequired({ db, required: value === "on" });
  else if (intent === "remove-totp") await removeTotp({ db, userId: value });
  else return json({ done: null }, { status: 400 });
  if (["clear", "clear-all", "require-totp", "remove-totp"].includes(intent)) {
    await recordAudit({ db, event: "account-changed", accountId: user.id, email: user.email, address: context.clientAddress ?? "unknown", detail: { change: intent, target: value || null, source: "admin" } });
  }
  return json({ done: intent });
}

export default function SecurityAdmin() {
  const { throttles, required, users } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <h1>{t("securityAdmin.heading")}</h1>
      {result?.done ? (
        <p className="notice" role="status">{t("securityAdmin.saved")}</p>
      ) : null}

      <h2>{t("securityAdmin.delays.heading")}</h2>
      <p>
        {t("securityAdmin.delays.lead")}
      </p>
      {throttles.length === 0 ? (
        <p id="no-throttles">{t("securityAdmin.delays.none")}</p>
      ) : (
        <>
          <table>
            <caption className="visually-hidden">{t("securityAdmin.delays.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("securityAdmin.delays.appliesTo")}</th>
                <th scope="col" className="num">{t("securityAdmin.delays.failures")}</th>
                <th scope="col">{t("securityAdmin.delays.lastAttempt")}</th>
                <th scope="col">{t("securityAdmin.delays.delayLeft")}</th>
                <th scope="col"><span className="visually-hidden">{t("securityAdmin.delays.action")}</span></th>
              </tr>
            </thead>
            <tbody>
              {throttles.map((row) => (
                <tr key={row.key}>
                  <th scope="row">
                    {t(row.kind === "account" ? "securityAdmin.delays.account" : "securityAdmin.delays.address", { subject: row.subject })}
                  </th>
                  <td className="num">{row.failures}</td>
                  <td>{format.dateTime(row.lastAttemptAt)}</td>
                  <td>{row.waitSeconds > 0 ? t("securityAdmin.delays.seconds", { seconds: row.waitSeconds }) : t("securityAdmin.delays.noDelay")}</td>
                  <td>
                    <StaffForm className="inline-form">
                      <input type="hidden" name="intent" value="clear" />
                      <input type="hidden" name="value" value={row.key} />
                      <button type="submit" aria-label={t("securityAdmin.delays.clearFor", { subject: row.subject })}>
                        {t("securityAdmin.delays.clear")}
                      </button>
                    </StaffForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <StaffForm>
            <input type="hidden" name="intent" value="clear-all" />
            <button type="submit">{t("securityAdmin.delays.clearAll")}</button>
          </StaffForm>
        </>
      )}

      <h2>{t("securityAdmin.totp.heading")}</h2>
      <p id="totp-required">
        {required ? t("securityAdmin.totp.required") : t("securityAdmin.totp.optional")}
      </p>
      <StaffForm>
        <input type="hidden" name="intent" value="require-totp" />
        <input type="hidden" name="value" value={required ? "off" : "on"} />
        <button type="submit">
          {required ? t("securityAdmin.totp.stopRequiring") : t("securityAdmin.totp.require")}
        </button>
      </StaffForm>
      <table>
        <caption>{t("securityAdmin.accounts.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("securityAdmin.accounts.email")}</th>
            <th scope="col">{t("securityAdmin.accounts.role")}</th>
            <th scope="col">{t("securityAdmin.accounts.secondFactor")}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.email}</th>
              <td>{u.role}</td>
              <td>
                {u.secondFactor ? (
                  <StaffForm className="inline-form">
                    <input type="hidden" name="intent" value="remove-totp" />
                    <input type="hidden" name="value" value={u.id} />
                    {t("securityAdmin.accounts.on")}{" "}
                    <button type="submit" aria-label={t("securityAdmin.accounts.removeFor", { email: u.email })}>
                      {t("securityAdmin.accounts.remove")}
                    </button>
                  </StaffForm>
                ) : (
                  t("securityAdmin.accounts.off")
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <Link to="/personal">{t("staff.backToStaff")}</Link>
      </p>
    </>
  );
}
