import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { getDb } from "~/db/db.server";
import { verifyLogin } from "~/models/user.server";
import { useTranslation } from "react-i18next";
import { translatorFor } from "~/i18n/i18n.server";
import { getOptionalUser, safeRedirect, startSession } from "~/utils/session.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.meta.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) return redirect("/personal");
  const { t } = await translatorFor(request);
  return { meta: { title: t("layout.titleSuffix", { title: t("signIn.meta.title") }) } };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = String(form.get("email") ?? "").slice(0, 320);
  const password = String(form.get("password") ?? "").slice(0, 1024);
  const redirectTo = safeRedirect(form.get("redirectTo"), "/personal");
  if (!email || !password) return { error: "missing" as const };
  const result = await verifyLogin({ db: getDb(), email, password });
  if (result.ok) return startSession(result.user.id, redirectTo);
  return { error: result.reason };
}

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const messages = {
    missing: t("signIn.error.missing"),
    invalid: t("signIn.error.invalid"),
    locked: t("signIn.error.locked"),
  };
  return (
    <>
      <h1>{t("signIn.heading")}</h1>
      <p>{t("signIn.intro")}</p>
      <Form method="post" className="stack form-narrow">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/personal"} />
        {actionData?.error ? (
          <p className="notice notice-error" role="alert" id="login-error">
            {messages[actionData.error as keyof typeof messages]}
          </p>
        ) : null}
        <label htmlFor="email">{t("signIn.email")}</label>
        <input id="email" name="email" type="email" autoComplete="username" required
          aria-describedby={actionData?.error ? "login-error" : undefined} />
        <label htmlFor="password">{t("signIn.password")}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("signIn.submit")}
        </button>
      </Form>
    </>
  );
}
