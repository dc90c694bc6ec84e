/**
 * The old language switch's address, kept for forms and links from pages cached before the
 * language links (decision 012): a posted choice is kept in the cookie, then back to the page.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { languageCookie } from "~/i18n/i18n.server";
import { isLanguage, LANGUAGE_PARAM } from "~/i18n/languages";
import { readForm } from "~/utils/http.server";
import { safeRedirect } from "~/utils/session.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const language = form.get("lang");
  const to = safeRedirect(form.get("redirectTo"));
  return redirect(to, isLanguage(language) ? { headers: { "Set-Cookie": languageCookie(language) } } : undefined);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const language = new URL(request.url).searchParams.get(LANGUAGE_PARAM);
  return redirect(isLanguage(language) ? `/?${LANGUAGE_PARAM}=${language}` : "/");
}
