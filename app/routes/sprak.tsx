/** The language switch: remembers the choice in a cookie and goes back to the page. */
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parseLocale } from "~/utils/i18n";
import { safeRedirect } from "~/utils/session.server";
import { readForm } from "~/utils/http.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const lang = parseLocale(String(form.get("lang") ?? ""));
  const to = safeRedirect(form.get("redirectTo"));
  return redirect(to, {
    headers: { "Set-Cookie": `lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax` },
  });
}

export async function loader() {
  return redirect("/");
}
