/**
 * The invitation-code checks of POST /api/responses (issue 19), kept apart from the handler: a
 * code-only edition needs a code (403); a code must exist and belong to the edition (404, the
 * same answer for both, so a guess learns nothing about other surveys); wrong codes are limited
 * per client address. Whether the code was used is decided in the writer's transaction
 * (CodeUsedError, 409), where a retry of the same clientId is told apart from a second answer.
 */
import type { Db } from "~/db/db.server";
import type { SurveyEdition } from "~/db/schema";
import { CodeUsedError, findInvitation } from "~/models/invitation.server";
import { TokenBuckets } from "~/server/rate-limit";
import { HttpError } from "~/utils/http.server";

export { CodeUsedError };

/**
 * Wrong codes: 30 at once, then one every 20 seconds per address. Right codes give their token
 * back, so a school class typing their letters' codes behind one address is never held up. With
 * 2^50 codes possible, even unlimited guessing finds one of 10,000 real codes once in about 10^11
 * tries: the limit keeps guessing from loading the database.
 */
export const CODE_GUESS_LIMIT = { burst: 30, perSecond: 1 / 20 };

const guesses = new TokenBuckets(CODE_GUESS_LIMIT);
setInterval(() => guesses.sweep(), 60_000).unref();

/** The invitation to mark used with the answer, or null when the answer comes without a code. */
export async function checkInvitationCode({
  db,
  edition,
  code,
  client,
}: {
  db: Db;
  edition: Pick<SurveyEdition, "id" | "access">;
  code: string | null | undefined;
  client: string;
}): Promise<{ id: string; area: string } | null> {
  if (!code) {
    if (edition.access === "code") throw new HttpError(403, `The survey ${edition.id} is answered with the invitation code from the letter`, { reason: "code-required" });
    return null;
  }
  const taken = guesses.take(client);
  if (!taken.ok) {
    throw new HttpError(429, `Too many wrong invitation codes from this address; try again in ${taken.retryAfterSeconds} seconds`, { reason: "code-guesses" }, {
      "Retry-After": String(taken.retryAfterSeconds),
    });
  }
  const invitation = await findInvitation({ db, code });
  if (!invitation || invitation.edition_id !== edition.id) {
    throw new HttpError(404, "Unknown invitation code for this survey", { reason: "code-unknown", fields: { code: ["Unknown code"] } });
  }
  guesses.refund(client);
  return { id: invitation.id, area: invitation.area };
}
