/**
 * `application/json`, optionally with `charset=utf-8`, and nothing else (the same rule as
 * POST /api/responses, app/api/responses.server.ts, which is not imported here to keep the
 * submission handler out of the Remix routes' bundle).
 */
export const JSON_CONTENT_TYPE = /^\s*application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
