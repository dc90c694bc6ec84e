/**
 * Telling a temporary database failure (locked, full, connection lost, server restarting) from a
 * real one: the first answers 503 with Retry-After and is worth retrying, the second is a bug.
 */
const TRANSIENT_CODES = new Set([
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_FULL",
  "SQLITE_IOERR",
  "SQLITE_CANTOPEN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01", // admin_shutdown: the server was stopped or restarted under the connection
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: the server is starting or shutting down
  "53100", // disk_full
  "53300", // too_many_connections
  "40001", // serialization_failure
  "40P01", // deadlock_detected
]);

const TRANSIENT_MESSAGE = new RegExp(
  [
    "SQLITE_(BUSY|LOCKED|FULL|IOERR)",
    "database is locked",
    "disk is full",
    // node-postgres, when the socket closes or a connection cannot be had in time:
    "Connection terminated",
    "timeout exceeded when trying to connect",
    "not queryable",
    "the database system is (starting up|shutting down|in recovery mode)",
  ].join("|"),
  "i",
);

/** Whether a database error is temporary (locked, full disk, connection lost): answer 503. */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && (TRANSIENT_CODES.has(code) || code.startsWith("08"))) return true; // 08: connection exceptions
  const message = error instanceof Error ? error.message : "";
  return TRANSIENT_MESSAGE.test(message);
}

/** One line for the log: the message and its code, no stack. */
export function describeDatabaseError(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message : String(error);
  return typeof e?.code === "string" ? `${message} (${e.code})` : message;
}
