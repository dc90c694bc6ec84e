/**
 * msw for outside services only (one handler file per service). Requests to this machine's own
 * servers (the app under test, PostgreSQL's HTTP-less peers) pass through; anything else that
 * is not handled fails the test.
 */
import { setupServer } from "msw/node";
import { handlers } from "./handlers";

export const server = setupServer(...handlers);

export function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host === "::1";
}
