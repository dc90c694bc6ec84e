/**
 * The old language switch's address, kept for links and forms from pages cached before the
 * language links (decision 012): it only redirects, with `?lang=` so that the server keeps the
 * choice like on any other page.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLanguage, LANGUAGE_PARAM } from "~/i18n/languages";
import { readForm } from "~/utils/http.server";
import { safeRedirect } from "~/utils/session.server";

function withLanguage(to: string, language: unknown): string {
  if (!isLanguage(language)) return to;
  const url = new URL(to, "http://localhost");
  url.searchParams.set(LANGUAGE_PARAM, language);
  return `${url.pathname}${url.search}`;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  return redirect(withLanguage(safeRedirect(form.get("redirectTo")), form.get("lang")));
}

export async function loader({ request }: LoaderFunctionArgs) {
  return redirect(withLanguage("/", new URL(request.url).searchParams.get(LANGUAGE_PARAM)));
}
