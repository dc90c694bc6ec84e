/**
 * Fixtures for the walk tests: a published edition and dialogue sessions (made by the sessions'
 * own model, with an id of the test's choosing where a route policy names it).
 */
import { randomUUID } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { SessionKind, SessionStatus } from "~/db/schema";
import { createSession } from "~/models/dialogue-session.server";
import { publishEdition } from "~/models/survey.server";

export async function walkEdition(db: Db, seriesId = "trygghetsvandring") {
  return publishEdition({ db, seriesId, year: 2025, status: "open" });
}

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
  const session = await createSession({ db, kind, editionId: edition, place, area, heldOn: "2025-10-14", facilitatorId, status });
  await db.updateTable("dialogue_session").set({ id, closed_at: status === "closed" ? session.created_at : null }).where("id", "=", session.id).execute();
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
