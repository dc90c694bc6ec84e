/**
 * Every address no other route matches (a mistyped link, an old bookmark, a scanner): the root
 * ErrorBoundary's 404 page. A route of its own rather than Remix's "no route matches", so that the
 * root loader runs (the page comes in the visitor's language) and the log gets one line, not the
 * stack trace of an internal error.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { CatalogHandle } from "~/components/language-catalog";

/** The catalog texts this page draws, dynamic keys included (decision 040). */
export const handle: CatalogHandle = { catalog: [] };

export async function loader({ request }: LoaderFunctionArgs): Promise<never> {
  const { pathname } = new URL(request.url);
  console.log(`404 ${request.method} ${pathname}: no such page`);
  throw new Response("Not Found", { status: 404, statusText: "Not Found" });
}

/** A form posted to an unknown address gets the same 404, not a 405. */
export const action = loader;

/** Never rendered (the loader always throws); a component makes this a page, not a resource route. */
export default function NotFound() {
  return null;
}
