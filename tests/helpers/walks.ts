/**
 * Fixtures for the walk tests: a published edition and dialogue sessions written straight into
 * dialogue_session (the sessions' own model belongs to the dialogues work; these rows follow the
 * shared migration's contract).
 */
import { randomUUID } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { SessionKind, SessionStatus } from "~/db/schema";
import { publishEdition } from "~/models/survey.server";
import { randomUUID as uuid } from "node:crypto";

export async function walkEdition(db: Db, seriesId = "trygghetsvandring") {
  return publishEdition({ db, seriesId, year: 2025, status: "open" });
}

const CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export async function createTestSession(
  db: Db,
  {
    facilitatorId,
    kind = "trygghetsvandring",
    status = "open",
    area = "ahus",
    place = "Åhus centrum",
    editionId,
    id = randomUUID(),
  }: { facilitatorId: string; kind?: SessionKind; status?: SessionStatus; area?: string; place?: string; editionId?: string; id?: string },
): Promise<string> {
  const edition = editionId ?? (await walkEdition(db, kind === "trafiktips" ? "trafiktips" : "trygghetsvandring")).id;
  const bytes = uuid().replace(/-/g, "");
  const code = Array.from({ length: 6 }, (_, i) => CODE_LETTERS[parseInt(bytes.slice(i * 2, i * 2 + 2), 16) % CODE_LETTERS.length]).join("");
  await db
    .insertInto("dialogue_session")
    .values({
      id,
      code,
      kind,
      edition_id: edition,
      place,
      area,
      held_on: "2025-10-14",
      status,
      facilitator_id: facilitatorId,
      opened_at: status === "planned" ? null : new Date().toISOString(),
      closed_at: status === "closed" ? new Date().toISOString() : null,
      created_at: new Date().toISOString(),
      is_demo: 0,
    })
    .execute();
  return id;
}

export function stopInput(overrides: Record<string, unknown> = {}) {
  return {
    clientId: randomUUID(),
    placeName: "Gångtunneln vid stationen",
    latitude: 55.9271,
    longitude: 14.3071,
    category: "lighting",
    observation: "Två lampor trasiga, tunneln helt mörk",
    proposal: "Byt armaturer och lägg till en lampa vid norra mynningen",
    responsible: "kommunen",
    recordedOn: "2025-10-14",
    ...overrides,
  };
}
