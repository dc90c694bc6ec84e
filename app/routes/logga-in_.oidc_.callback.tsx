/**
 * GET /logga-in/oidc/callback: the provider sends the browser back here. A checked answer with a
 * mapped group starts a session; anything else shows why, in words, and starts nothing.
 */
import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { translatorFor } from "~/i18n/i18n.server";
import { finishOidcSignIn, type OidcFailure } from "~/utils/oidc.server";
import { createStaffSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.meta.title }] : []);

const STATUS: Record<OidcFailure, number> = { expired: 400, denied: 403, failed: 400, "no-role": 403 };
/** The catalog section (`oidc.<section>.title`, `.text`) that words each failure. */
const SECTION: Record<OidcFailure, string> = { expired: "expired", denied: "denied", failed: "failed", "no-role": "noRole" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const result = await finishOidcSignIn(request, context.clientAddress ?? "unknown");
  if (!result.ok) {
    const { t } = await translatorFor(request);
    return json(
      { section: SECTION[result.reason], meta: { title: t("oidc.meta.title") } },
      { status: STATUS[result.reason], headers: { "Set-Cookie": result.clearCookie, "Cache-Control": "no-store" } },
    );
  }
  // A new session id, the request's old session ended (the same path as a password sign-in).
  const headers = await createStaffSession({ userId: result.userId, request });
  headers.append("Set-Cookie", result.clearCookie);
  headers.set("Cache-Control", "no-store");
  return redirect(result.redirectTo, { headers });
}

export default function OidcCallback() {
  const { section } = useLoaderData<typeof loader>() as { section: string };
  const { t } = useTranslation();
  return (
    <>
      <h1>{t(`oidc.${section}.title`)}</h1>
      <p className="notice notice-error" role="alert" id="oidc-error">
        {t(`oidc.${section}.text`)}
      </p>
      <p>
        <Link to="/logga-in">{t("oidc.toSignIn")}</Link>
      </p>
    </>
  );
}
