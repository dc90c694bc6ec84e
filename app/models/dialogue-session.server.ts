/**
 * Dialogue sessions (issue 17): a citizen dialogue, site visit, safety walk or tip collection that
 * a facilitator runs, with a UUID that answers carry (response.session_id) and a short code that
 * can be read aloud and typed on a tablet (/d/<code>, /kiosk/<code>). A facilitator sees and
 * changes only their own sessions; an admin all (decision 025).
 */
import { randomInt, randomUUID } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { DialogueSessionTable, Role, SessionKind, SessionStatus } from "~/db/schema";
import type { Selectable } from "kysely";
import { getEdition, isEditionOpen } from "./survey.server";

export type DialogueSession = Selectable<DialogueSessionTable>;

export const SESSION_KINDS: SessionKind[] = ["medborgardialog", "trygghetsvandring", "platsbesok", "trafiktips"];

/**
 * No 0/O, 1/I/L, 2/Z, 5/S, 8/B: 25 letters and digits that cannot be mistaken for each other when
 * read aloud or typed from a poster. 25^6 ≈ 244 million codes.
 */
export const CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY";
export const CODE_LENGTH = 6;
const CODE_PATTERN = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

export function isSessionKind(value: unknown): value is SessionKind {
  return typeof value === "string" && (SESSION_KINDS as string[]).includes(value);
}

/** A new code: CODE_LENGTH characters of CODE_ALPHABET, each from node:crypto's uniform randomInt. */
export function newSessionCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** The code as stored (upper case, spaces and dashes dropped), or null when it cannot be one. */
export function normalizeSessionCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, "").toUpperCase();
  return CODE_PATTERN.test(code) ? code : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SessionInputError extends Error {}

/**
 * Creates a session in status "open" on an open edition. Throws SessionInputError for an unknown
 * kind, a missing or closed edition, an empty place or area or a date not YYYY-MM-DD. A code that
 * collides with an existing one (unique index) is drawn again, up to five times.
 */
export async function createSession({
  db,
  kind,
  editionId,
  place,
  area,
  heldOn,
  facilitatorId,
  status = "open",
  now = new Date(),
}: {
  db: Db;
  kind: string;
  editionId: string;
  place: string;
  area: string;
  heldOn: string;
  facilitatorId: string;
  status?: SessionStatus;
  now?: Date;
}): Promise<DialogueSession> {
  if (!isSessionKind(kind)) throw new SessionInputError(`Unknown kind "${kind}" (use ${SESSION_KINDS.join(", ")})`);
  const edition = await getEdition({ db, id: editionId });
  if (!edition) throw new SessionInputError(`Unknown survey edition "${editionId}"`);
  if (!isEditionOpen(edition)) throw new SessionInputError(`The survey edition "${editionId}" is not open`);
  if (!place.trim() || place.length > 200) throw new SessionInputError("The place must be 1-200 characters");
  if (!/^[a-z0-9-]{1,100}$/.test(area)) throw new SessionInputError(`Not an area code: "${area}"`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(heldOn) || Number.isNaN(Date.parse(heldOn))) throw new SessionInputError("The date must be YYYY-MM-DD");
  const at = now.toISOString();
  for (let attempt = 1; ; attempt++) {
    const row: DialogueSession = {
      id: randomUUID(),
      code: newSessionCode(),
      kind,
      edition_id: edition.id,
      place: place.trim(),
      area,
      held_on: heldOn,
      status,
      facilitator_id: facilitatorId,
      opened_at: status === "open" ? at : null,
      closed_at: null,
      created_at: at,
      is_demo: 0,
    };
    try {
      await db.insertInto("dialogue_session").values(row).execute();
      return row;
    } catch (error) {
      const taken = await db.selectFrom("dialogue_session").select("id").where("code", "=", row.code).executeTakeFirst();
      if (!taken || attempt >= 5) throw error;
    }
  }
}

/** The session with this code, typed in any case (with or without spaces); undefined if none. */
export async function findSessionByCode({ db, code }: { db: Db; code: string }): Promise<DialogueSession | undefined> {
  const normalized = normalizeSessionCode(code);
  if (!normalized) return undefined;
  return db.selectFrom("dialogue_session").selectAll().where("code", "=", normalized).executeTakeFirst();
}

/** The session with this id; undefined for an unknown or malformed id. */
export async function findSessionById({ db, id }: { db: Db; id: string }): Promise<DialogueSession | undefined> {
  if (!UUID.test(id)) return undefined;
  return db.selectFrom("dialogue_session").selectAll().where("id", "=", id.toLowerCase()).executeTakeFirst();
}

export interface Viewer {
  id: string;
  role: Role;
}

/** Whether the viewer may see and change the session: its facilitator, or any admin. */
export function canManageSession(viewer: Viewer, session: Pick<DialogueSession, "facilitator_id">): boolean {
  return viewer.role === "admin" || session.facilitator_id === viewer.id;
}

/** Sessions the viewer may see (own; all for an admin), newest date first, with their answer counts. */
export async function listSessions({ db, viewer }: { db: Db; viewer: Viewer }) {
  let query = db
    .selectFrom("dialogue_session as s")
    .leftJoin("app_user as u", "u.id", "s.facilitator_id")
    .selectAll("s")
    .select("u.email as facilitator_email")
    .select((eb) =>
      eb
        .selectFrom("response as r")
        .select((e) => e.fn.countAll<number | string>().as("n"))
        .whereRef("r.session_id", "=", "s.id")
        .as("answers"),
    )
    .orderBy("s.held_on", "desc")
    .orderBy("s.created_at", "desc");
  if (viewer.role !== "admin") query = query.where("s.facilitator_id", "=", viewer.id);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, answers: Number(r.answers ?? 0) }));
}

/** The session if the viewer may see it; undefined both when it does not exist and when it is another's. */
export async function getSessionForViewer({ db, id, viewer }: { db: Db; id: string; viewer: Viewer }) {
  const session = await findSessionById({ db, id });
  return session && canManageSession(viewer, session) ? session : undefined;
}

async function setStatus({ db, id, viewer, status, now }: { db: Db; id: string; viewer: Viewer; status: "open" | "closed"; now: Date }) {
  const session = await getSessionForViewer({ db, id, viewer });
  if (!session) return undefined;
  const at = now.toISOString();
  await db
    .updateTable("dialogue_session")
    .set(status === "open" ? { status, opened_at: session.opened_at ?? at, closed_at: null } : { status, closed_at: at })
    .where("id", "=", session.id)
    .execute();
  return findSessionById({ db, id: session.id });
}

/** Opens the session (answers accepted again); undefined when it is unknown or not the viewer's. */
export function openSession({ db, id, viewer, now = new Date() }: { db: Db; id: string; viewer: Viewer; now?: Date }) {
  return setStatus({ db, id, viewer, status: "open", now });
}

/** Closes the session (answers refused with 409); undefined when it is unknown or not the viewer's. */
export function closeSession({ db, id, viewer, now = new Date() }: { db: Db; id: string; viewer: Viewer; now?: Date }) {
  return setStatus({ db, id, viewer, status: "closed", now });
}

/** Number of responses stored with the session. */
export async function countSessionResponses({ db, sessionId }: { db: Db; sessionId: string }): Promise<number> {
  const row = await db
    .selectFrom("response")
    .select((e) => e.fn.countAll<number | string>().as("n"))
    .where("session_id", "=", sessionId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type SessionCheck =
  | { ok: true; session: DialogueSession }
  | { ok: false; status: 404 | 409; reason: "unknown" | "closed" | "other-survey"; error: string };

/**
 * Whether an answer to edition `survey` may be stored with `sessionId`: 404 for an unknown
 * session, 409 for one not open or whose questionnaire is another edition.
 */
export async function checkSessionForAnswer({ db, sessionId, survey }: { db: Db; sessionId: string; survey: string }): Promise<SessionCheck> {
  const session = await findSessionById({ db, id: sessionId });
  if (!session) return { ok: false, status: 404, reason: "unknown", error: `Unknown session: ${sessionId}` };
  if (session.status !== "open") return { ok: false, status: 409, reason: "closed", error: "The session is closed; answers are no longer taken" };
  if (session.edition_id !== survey) {
    return { ok: false, status: 409, reason: "other-survey", error: `The session collects answers to ${session.edition_id}, not ${survey}` };
  }
  return { ok: true, session };
}
