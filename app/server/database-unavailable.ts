/**
 * Pages and the results API while the database is away (a PostgreSQL restart or failover, a
 * SQLite file locked by another process): 503 with Retry-After, at once, instead of a 500 with a
 * stack trace in the log. Every loader and action of the build is wrapped here, in one place, so
 * no route has to remember it. A page gets the root ErrorBoundary's Swedish (or English) text
 * for 503; a resource route (no component: the results API) gets JSON with an English `error`.
 * The submission API answers 503 itself (app/api/responses.server.ts).
 */
import type { ServerBuild } from "@remix-run/node";
import { describeDatabaseError, isTransientDatabaseError } from "~/db/errors";

export const RETRY_AFTER_SECONDS = 5;
export const UNAVAILABLE_MESSAGE = "The service is temporarily unavailable; try again shortly";

type DataFunction = (args: { request: Request }) => unknown;

function unavailable(resource: boolean): Response {
  const headers = { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" };
  if (resource) {
    return new Response(JSON.stringify({ error: UNAVAILABLE_MESSAGE }), {
      status: 503,
      headers: { ...headers, "Content-Type": "application/json; charset=utf-8" },
    });
  }
  return new Response(UNAVAILABLE_MESSAGE, { status: 503, statusText: "Service Unavailable", headers });
}

function guard(fn: DataFunction, resource: boolean): DataFunction {
  return async (args) => {
    try {
      return await fn(args);
    } catch (error) {
      if (!isTransientDatabaseError(error)) throw error;
      const { pathname } = new URL(args.request.url);
      console.error(`Database unavailable (503) for ${args.request.method} ${pathname}: ${describeDatabaseError(error)}`);
      throw unavailable(resource);
    }
  };
}

/** The build with every loader and action answering 503 on a temporary database failure. */
export function answerUnavailableDatabase(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module };
    const resource = module.default === undefined;
    if (module.loader) module.loader = guard(module.loader as DataFunction, resource) as typeof module.loader;
    if (module.action) module.action = guard(module.action as DataFunction, resource) as typeof module.action;
    routes[id] = { ...route, module };
  }
  return { ...build, routes };
}
