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
import { useLocale } from "~/root";
import { formatDateTime, t } from "~/utils/i18n";
import { requireRole, requireStaffForm } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Säkerhet – Trygghetsdialog" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const db = getDb();
  const [throttles, required, users] = await Promise.all([listThrottles({ db }), isSecondFactorRequired({ db }), listUsers({ db })]);
  return { throttles, required, users };
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
  const locale = useLocale();
  return (
    <>
      <h1>{t(locale, { sv: "Säkerhet", en: "Security" })}</h1>
      {result?.done ? (
        <p className="notice" role="status">{t(locale, { sv: "Ändringen är sparad.", en: "The change is saved." })}</p>
      ) : null}

      <h2>{t(locale, { sv: "Fördröjda inloggningar", en: "Delayed sign-ins" })}</h2>
      <p>
        {t(locale, {
          sv: "Efter flera misslyckade inloggningar får nästa försök vänta, längre för varje nytt misslyckande: per e-postadress som provats (även adresser som inte har något konto) och per klientadress. Här kan du ta bort en fördröjning, till exempel när en kollega har skrivit fel lösenord för många gånger.",
          en: "After several failed sign-ins the next attempt has to wait, longer for each new failure: per e-mail address tried (also addresses without an account) and per client address. Here you can clear a delay, for instance when a colleague has typed a wrong password too often.",
        })}
      </p>
      {throttles.length === 0 ? (
        <p id="no-throttles">{t(locale, { sv: "Inga misslyckade inloggningar räknas just nu.", en: "No failed sign-ins are counted right now." })}</p>
      ) : (
        <>
          <table>
            <caption className="visually-hidden">{t(locale, { sv: "Misslyckade inloggningar", en: "Failed sign-ins" })}</caption>
            <thead>
              <tr>
                <th scope="col">{t(locale, { sv: "Gäller", en: "Applies to" })}</th>
                <th scope="col" className="num">{t(locale, { sv: "Misslyckade i rad", en: "Failures in a row" })}</th>
                <th scope="col">{t(locale, { sv: "Senaste försök", en: "Last attempt" })}</th>
                <th scope="col">{t(locale, { sv: "Väntetid kvar", en: "Delay left" })}</th>
                <th scope="col"><span className="visually-hidden">{t(locale, { sv: "Åtgärd", en: "Action" })}</span></th>
              </tr>
            </thead>
            <tbody>
              {throttles.map((row) => (
                <tr key={row.key}>
                  <th scope="row">
                    {row.kind === "account" ? t(locale, { sv: "E-post: ", en: "E-mail: " }) : t(locale, { sv: "Klientadress: ", en: "Client address: " })}
                    {row.subject}
                  </th>
                  <td className="num">{row.failures}</td>
                  <td>{formatDateTime(locale, row.lastAttemptAt)}</td>
                  <td>{row.waitSeconds > 0 ? `${row.waitSeconds} s` : t(locale, { sv: "ingen", en: "none" })}</td>
                  <td>
                    <StaffForm className="inline-form">
                      <input type="hidden" name="intent" value="clear" />
                      <input type="hidden" name="value" value={row.key} />
                      <button type="submit" aria-label={`${t(locale, { sv: "Nollställ", en: "Clear" })} ${row.subject}`}>
                        {t(locale, { sv: "Nollställ", en: "Clear" })}
                      </button>
                    </StaffForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <StaffForm>
            <input type="hidden" name="intent" value="clear-all" />
            <button type="submit">{t(locale, { sv: "Nollställ alla", en: "Clear all" })}</button>
          </StaffForm>
        </>
      )}

      <h2>{t(locale, { sv: "Tvåstegsverifiering", en: "Two-step verification" })}</h2>
      <p id="totp-required">
        {required
          ? t(locale, { sv: "Krävs för alla konton som loggar in med lösenord. Den som saknar den lägger till en vid nästa inloggning.", en: "Required for every account that signs in with a password. Anyone without one adds one at their next sign-in." })
          : t(locale, { sv: "Frivillig: var och en kan slå på den för sitt konto.", en: "Optional: everyone can turn it on for their own account." })}
      </p>
      <StaffForm>
        <input type="hidden" name="intent" value="require-totp" />
        <input type="hidden" name="value" value={required ? "off" : "on"} />
        <button type="submit">
          {required
            ? t(locale, { sv: "Sluta kräva tvåstegsverifiering", en: "Stop requiring two-step verification" })
            : t(locale, { sv: "Kräv tvåstegsverifiering för alla", en: "Require two-step verification for everyone" })}
        </button>
      </StaffForm>
      <table>
        <caption>{t(locale, { sv: "Konton", en: "Accounts" })}</caption>
        <thead>
          <tr>
            <th scope="col">{t(locale, { sv: "E-post", en: "E-mail" })}</th>
            <th scope="col">{t(locale, { sv: "Roll", en: "Role" })}</th>
            <th scope="col">{t(locale, { sv: "Tvåstegsverifiering", en: "Two-step verification" })}</th>
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
                    {t(locale, { sv: "på", en: "on" })}{" "}
                    <button type="submit" aria-label={`${t(locale, { sv: "Ta bort tvåstegsverifiering för", en: "Remove two-step verification for" })} ${u.email}`}>
                      {t(locale, { sv: "Ta bort", en: "Remove" })}
                    </button>
                  </StaffForm>
                ) : (
                  t(locale, { sv: "av", en: "off" })
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <Link to="/personal">{t(locale, { sv: "Tillbaka till personalsidan", en: "Back to the staff page" })}</Link>
      </p>
    </>
  );
}
