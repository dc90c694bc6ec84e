import { PassThrough } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { TranslatorProvider } from "~/i18n/react";
import { translatorIn, languageCookieFor, languageFromRequest } from "~/i18n/i18n.server";
import { NonceContext } from "~/utils/nonce";

// The submission API is a plain Node handler served from this build, so that it shares the
// build's database, caches and validation pool with the pages; app/server/main.ts mounts it
// (decision 010).
export { handleSubmission } from "~/api/responses.server";
// The JSON results API's cached answers, likewise outside Remix (decision 038).
export { handleResultsApi } from "~/api/results.server";

const ABORT_DELAY = 5_000;

/**
 * What Remix logs. A request for a page that does not exist (a browser asking for an icon, a
 * mistyped address) is one line, not a stack trace; a real error keeps its stack.
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs): void {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status >= 400 && error.status < 500) {
    const { pathname } = new URL(request.url);
    console.log(`${error.status} ${request.method} ${pathname}: ${error.statusText || "client error"}`);
    return;
  }
  console.error(error);
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Every inline script React or Remix writes carries the request's nonce (the CSP allows no other).
  const nonce = loadContext.cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  // The page renders in the request's language (the root loader detects the same one).
  const translator = translatorIn(await languageFromRequest(request));
  const cookie = await languageCookieFor(request);
  if (cookie) responseHeaders.append("Set-Cookie", cookie);
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <TranslatorProvider translator={translator}>
        <NonceContext.Provider value={nonce}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </NonceContext.Provider>
      </TranslatorProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          // The database is away (app/server/database-unavailable.ts): say when to come back.
          if (responseStatusCode === 503) responseHeaders.set("Retry-After", "5");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are logged here; before it, Remix's ErrorBoundary handles them.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * `?lang=` on a client-side navigation (the data request of a link) keeps the choice too, as it
 * does on a full page load above.
 */
export async function handleDataRequest(response: Response, { request }: { request: Request }) {
  const cookie = await languageCookieFor(request);
  if (cookie) response.headers.append("Set-Cookie", cookie);
  return response;
}
