/**
 * The invitation-code checks of POST /api/responses (issue 19), kept apart from the handler: a
 * code-only edition needs a code (403); a code must exist and belong to the edition (404, the
 * same answer for both, so a guess learns nothing about other surveys); wrong codes are limited
 * per client address. Before validation only what needs no database is checked (presence, form,
 * the address's guess budget); the code is looked up and marked used in the writer's transaction,
 * one query for a whole batch (CodeUnknownError 404, CodeUsedError 409: there a retry of the same
 * clientId is told apart from a second answer), and a wrong code then takes a guess token
 * (wrongCode).
 */
import type { Db } from "~/db/db.server";
import type { SurveyEdition } from "~/db/schema";
import { CodeUnknownError, CodeUsedError, findInvitation, formatCode, isInvitationUsed, normalizeCode } from "~/models/invitation.server";
import { TokenBuckets } from "~/server/rate-limit";
import { HttpError } from "~/utils/http.server";

export { CodeUnknownError, CodeUsedError };

/**
 * Wrong codes: 30 at once, then one every 20 seconds per address. Right codes do not count, so a
 * school class typing their letters' codes behind one address is never held up. With
 * 2^50 codes possible, even unlimited guessing finds one of 10,000 real codes once in about 10^11
 * tries: the limit keeps guessing from loading the database. Right codes never take a token.
 */
export const CODE_GUESS_LIMIT = { burst: 30, perSecond: 1 / 20 };

const guesses = new TokenBuckets(CODE_GUESS_LIMIT);
setInterval(() => guesses.sweep(), 60_000).unref();

/** The code to claim with the answer (normalised), or null when the answer comes without one. */
export function checkInvitationCode({
  edition,
  code,
  client,
}: {
  edition: Pick<SurveyEdition, "id" | "access">;
  code: string | null | undefined;
  client: string;
}): { code: string } | null {
  if (!code) {
    if (edition.access === "code") throw new HttpError(403, `The survey ${edition.id} is answered with the invitation code from the letter`, { reason: "code-required" });
    return null;
  }
  const blocked = guessesLeft(client);
  if (blocked) throw tooManyGuesses(blocked);
  const normalized = normalizeCode(code);
  if (!normalized) throw wrongCode(client);
  return { code: normalized };
}

/** The refusal of a code that is not one of the edition's: 404, or 429 once the address's guesses are spent. */
export function wrongCode(client: string): HttpError {
  const taken = guesses.take(client);
  if (!taken.ok) return tooManyGuesses(taken.retryAfterSeconds);
  return new HttpError(404, "Unknown invitation code for this survey", { reason: "code-unknown", fields: { code: ["Unknown code"] } });
}

/**
 * 0 while the address may still try codes, else the seconds until it may. Only wrong codes take
 * a token (after the lookup), so any number of right codes may be in flight at once from one
 * address; an address out of tokens is refused before its code is looked up.
 */
function guessesLeft(client: string): number {
  const peek = guesses.take(client);
  if (!peek.ok) return peek.retryAfterSeconds;
  guesses.refund(client);
  return 0;
}

function tooManyGuesses(seconds: number): HttpError {
  return new HttpError(429, `Too many wrong invitation codes from this address; try again in ${seconds} seconds`, { reason: "code-guesses" }, {
    "Retry-After": String(seconds),
  });
}

export type PageCodeCheck =
  | { status: "ok"; code: string; language: string | null; editionId: string }
  | { status: "unknown" | "used" | "limited" };

/**
 * A code opened on a page (the letter's link or the start page's field): the same guess limit as
 * the API, so the page is no way around it. `editionId` null accepts a code of any edition (the
 * start page's field, which then goes to the code's survey).
 */
export async function checkCodeForPage({ db, editionId, code, client }: { db: Db; editionId: string | null; code: string; client: string }): Promise<PageCodeCheck> {
  if (guessesLeft(client) > 0) return { status: "limited" };
  const invitation = await findInvitation({ db, code });
  if (!invitation || (editionId !== null && invitation.edition_id !== editionId)) return guesses.take(client).ok ? { status: "unknown" } : { status: "limited" };
  if (await isInvitationUsed({ db, invitationId: invitation.id })) return { status: "used" };
  return { status: "ok", code: formatCode(invitation.code), language: invitation.language, editionId: invitation.edition_id };
}
