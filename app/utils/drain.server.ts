/**
 * Discarding a request body nobody will read. Closing a connection with unread data resets it,
 * and a client still uploading would then see a dropped connection instead of the answer; so the
 * rest is read and thrown away, and a client that keeps sending longer than DRAIN_SECONDS after
 * the answer is out is cut off.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

const DRAIN_SECONDS = 5;

/** Discards the rest of `req`'s body; once `res` is out, gives the client a few seconds. */
export function drainThenClose(req: IncomingMessage, res: ServerResponse, destroy: () => void): void {
  req.removeAllListeners("data");
  req.resume();
  res.once("finish", () => {
    if (!req.complete) setTimeout(() => req.complete || destroy(), DRAIN_SECONDS * 1000).unref();
  });
}
