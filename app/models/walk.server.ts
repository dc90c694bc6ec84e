/**
 * Safety walks (trygghetsvandringar, issue 17): the stops a walk records and the action each stop
 * proposes, with the action's status history (decision 028). The only code that writes walk_stop,
 * walk_action and walk_action_event.
 *
 * Who sees what: a facilitator sees and changes only the actions of their own sessions, an admin
 * all (`WalkViewer`); the routes pass the signed-in user through.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "~/db/db.server";
import type { Role } from "~/db/schema";
import { OPEN_STATUSES, type WalkResponsibleCode, type WalkStatusCode, type WalkStopInput } from "~/walks/stop";

/** Who is asking: admins see every walk, anyone else only the sessions they hold. */
export interface WalkViewer {
  id: string;
  role: Role;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A reason a walk stop or status change is refused; `status` is the HTTP status to answer with. */
export class WalkError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
    /** What the page says (a key under `walk.error` in the catalogs). */
    readonly key: string,
  ) {
    super(message);
    this.name = "WalkError";
  }
}

export interface WalkSession {
  id: string;
  code: string;
  kind: string;
  status: string;
  place: string;
  area: string;
  held_on: string;
  facilitator_id: string;
}

/** A session as the walk pages need it, or undefined. */
export async function getWalkSession({ db, id }: { db: Db; id: string }): Promise<WalkSession | undefined> {
  return db
    .selectFrom("dialogue_session")
    .select(["id", "code", "kind", "status", "place", "area", "held_on", "facilitator_id"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/**
 * The session a viewer may record stops on: it must exist (404), be the viewer's own unless they
 * are admin (403), be a trygghetsvandring (409) and be open (409).
 */
export async function requireOpenWalk({ db, sessionId, viewer }: { db: Db; sessionId: string; viewer: WalkViewer }): Promise<WalkSession> {
  const session = await getWalkSession({ db, id: sessionId });
  if (!session) throw new WalkError(404, `Unknown session: ${sessionId}`, "unknownSession");
  if (viewer.role !== "admin" && session.facilitator_id !== viewer.id) {
    throw new WalkError(403, "Only the session's facilitator or an admin may record its stops", "notYours");
  }
  if (session.kind !== "trygghetsvandring") throw new WalkError(409, "The session is not a safety walk", "notAWalk");
  if (session.status !== "open") throw new WalkError(409, "The session is not open", "notOpen");
  return session;
}

export interface RecordedStop {
  stopId: string;
  actionId: string;
  /** false when the stop's clientId was stored before: nothing new was written. */
  created: boolean;
}

/**
 * Stores a stop and its action (status föreslagen, with the first walk_action_event row) in one
 * transaction. Idempotent on the stop's clientId: sent again (the offline queue retries), the
 * stored ids come back with created=false. A clientId already used on another session is a 409.
 * The caller has checked the session (requireOpenWalk).
 */
export async function recordWalkStop({
  db,
  session,
  stop,
  userId,
  isDemo = false,
}: {
  db: Db;
  session: Pick<WalkSession, "id" | "area">;
  stop: WalkStopInput;
  userId: string;
  isDemo?: boolean;
}): Promise<RecordedStop> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const stopId = randomUUID();
    const inserted = await trx
      .insertInto("walk_stop")
      .values({
        id: stopId,
        session_id: session.id,
        client_id: stop.clientId,
        place_name: stop.placeName,
        latitude: stop.latitude,
        longitude: stop.longitude,
        category: stop.category,
        observation: stop.observation,
        recorded_on: stop.recordedOn,
        created_by: userId,
        created_at: now,
        is_demo: isDemo ? 1 : 0,
      })
      .onConflict((oc) => oc.column("client_id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) {
      const prior = await trx
        .selectFrom("walk_stop")
        .innerJoin("walk_action", "walk_action.stop_id", "walk_stop.id")
        .select(["walk_stop.id as stopId", "walk_stop.session_id", "walk_action.id as actionId"])
        .where("walk_stop.client_id", "=", stop.clientId)
        .executeTakeFirst();
      if (!prior || prior.session_id !== session.id) {
        throw new WalkError(409, `clientId ${stop.clientId} was already used for another session`, "clientIdUsed");
      }
      return { stopId: prior.stopId, actionId: prior.actionId, created: false };
    }
    const actionId = randomUUID();
    await trx
      .insertInto("walk_action")
      .values({
        id: actionId,
        stop_id: stopId,
        area: session.area,
        proposal: stop.proposal,
        responsible: stop.responsible,
        status: "foreslagen",
        status_on: stop.recordedOn,
        status_by: userId,
        created_at: now,
        is_demo: isDemo ? 1 : 0,
        version: 1,
      })
      .execute();
    await trx
      .insertInto("walk_action_event")
      .values({ id: randomUUID(), action_id: actionId, status: "foreslagen", status_on: stop.recordedOn, changed_by: userId, note: null, created_at: now })
      .execute();
    return { stopId, actionId, created: true };
  });
}

export type StatusChange =
  | { ok: true; version: number }
  /** Someone else changed the action since `expectedVersion`: nothing was written. */
  | { ok: false; conflict: { status: WalkStatusCode; statusOn: string; statusBy: string; version: number } };

/**
 * Sets an action's status (with the date it happened and who set it) and keeps the change in
 * walk_action_event. Optimistic: the update applies only while the action still has
 * `expectedVersion`, in one UPDATE … WHERE version = ? (atomic on SQLite and PostgreSQL alike), so
 * of two people changing the same action at once the second gets `conflict` and the current state.
 * 404 for an unknown action, 403 when the viewer may not change it (another facilitator's walk).
 */
export async function changeActionStatus({
  db,
  viewer,
  actionId,
  expectedVersion,
  status,
  statusOn = today(),
  note = null,
}: {
  db: Db;
  viewer: WalkViewer;
  actionId: string;
  expectedVersion: number;
  status: WalkStatusCode;
  statusOn?: string;
  note?: string | null;
}): Promise<StatusChange> {
  return db.transaction().execute(async (trx) => {
    const action = await trx
      .selectFrom("walk_action")
      .innerJoin("walk_stop", "walk_stop.id", "walk_action.stop_id")
      .innerJoin("dialogue_session", "dialogue_session.id", "walk_stop.session_id")
      .innerJoin("app_user", "app_user.id", "walk_action.status_by")
      .select([
        "walk_action.status",
        "walk_action.status_on",
        "walk_action.version",
        "app_user.email as status_by_email",
        "dialogue_session.facilitator_id",
      ])
      .where("walk_action.id", "=", actionId)
      .executeTakeFirst();
    if (!action) throw new WalkError(404, `Unknown action: ${actionId}`, "unknownAction");
    if (viewer.role !== "admin" && action.facilitator_id !== viewer.id) {
      throw new WalkError(403, "Only the session's facilitator or an admin may change this action", "notYours");
    }
    const conflict = () => ({
      ok: false as const,
      conflict: { status: action.status, statusOn: action.status_on, statusBy: action.status_by_email, version: action.version },
    });
    if (action.version !== expectedVersion) return conflict();
    const updated = await trx
      .updateTable("walk_action")
      .set({ status, status_on: statusOn, status_by: viewer.id, version: expectedVersion + 1 })
      .where("id", "=", actionId)
      .where("version", "=", expectedVersion)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const now = await trx
        .selectFrom("walk_action")
        .innerJoin("app_user", "app_user.id", "walk_action.status_by")
        .select(["walk_action.status", "walk_action.status_on", "walk_action.version", "app_user.email"])
        .where("walk_action.id", "=", actionId)
        .executeTakeFirstOrThrow();
      return { ok: false as const, conflict: { status: now.status, statusOn: now.status_on, statusBy: now.email, version: now.version } };
    }
    await trx
      .insertInto("walk_action_event")
      .values({
        id: randomUUID(),
        action_id: actionId,
        status,
        status_on: statusOn,
        changed_by: viewer.id,
        note: note && note.trim() ? note.trim().slice(0, 2000) : null,
        created_at: new Date().toISOString(),
      })
      .execute();
    return { ok: true as const, version: expectedVersion + 1 };
  });
}

export interface ActionRow {
  id: string;
  area: string;
  proposal: string;
  responsible: WalkResponsibleCode;
  status: WalkStatusCode;
  statusOn: string;
  statusBy: string;
  version: number;
  placeName: string;
  latitude: number | null;
  longitude: number | null;
  category: string;
  observation: string;
  recordedOn: string;
  sessionId: string;
  sessionPlace: string;
}

/**
 * Actions the viewer may see, newest stop first within area and responsible party: open ones
 * (föreslagen, beslutad, åtgärdad) unless `includeClosed`, optionally of one area, one
 * responsible party or one session.
 */
export async function listActions({
  db,
  viewer,
  area = null,
  responsible = null,
  sessionId = null,
  includeClosed = false,
}: {
  db: Db;
  viewer: WalkViewer;
  area?: string | null;
  responsible?: WalkResponsibleCode | null;
  sessionId?: string | null;
  includeClosed?: boolean;
}): Promise<ActionRow[]> {
  let query = db
    .selectFrom("walk_action")
    .innerJoin("walk_stop", "walk_stop.id", "walk_action.stop_id")
    .innerJoin("dialogue_session", "dialogue_session.id", "walk_stop.session_id")
    .innerJoin("app_user", "app_user.id", "walk_action.status_by")
    .select([
      "walk_action.id",
      "walk_action.area",
      "walk_action.proposal",
      "walk_action.responsible",
      "walk_action.status",
      "walk_action.status_on as statusOn",
      "app_user.email as statusBy",
      "walk_action.version",
      "walk_stop.place_name as placeName",
      "walk_stop.latitude",
      "walk_stop.longitude",
      "walk_stop.category",
      "walk_stop.observation",
      "walk_stop.recorded_on as recordedOn",
      "walk_stop.created_at as stopCreatedAt",
      "dialogue_session.id as sessionId",
      "dialogue_session.place as sessionPlace",
    ]);
  if (viewer.role !== "admin") query = query.where("dialogue_session.facilitator_id", "=", viewer.id);
  if (!includeClosed) query = query.where("walk_action.status", "in", [...OPEN_STATUSES]);
  if (area) query = query.where("walk_action.area", "=", area);
  if (responsible) query = query.where("walk_action.responsible", "=", responsible);
  if (sessionId) query = query.where("dialogue_session.id", "=", sessionId);
  const rows = await query
    .orderBy("walk_action.area")
    .orderBy("walk_action.responsible")
    .orderBy("walk_stop.recorded_on", "desc")
    .orderBy("walk_stop.created_at", "desc")
    .orderBy("walk_action.id")
    .execute();
  return rows.map(({ stopCreatedAt: _, ...r }) => ({
    ...r,
    latitude: r.latitude === null ? null : Number(r.latitude),
    longitude: r.longitude === null ? null : Number(r.longitude),
    version: Number(r.version),
  }));
}

export interface ActionEvent {
  status: WalkStatusCode;
  statusOn: string;
  changedBy: string;
  note: string | null;
  createdAt: string;
}

/** Every status an action has had, oldest first (empty unless the viewer may see the action). */
export async function actionHistory({ db, viewer, actionId }: { db: Db; viewer: WalkViewer; actionId: string }): Promise<ActionEvent[]> {
  return (await actionHistories({ db, viewer, actionIds: [actionId] })).get(actionId) ?? [];
}

/** Histories of several actions at once (the list page), keyed by action id, oldest first. */
export async function actionHistories({ db, viewer, actionIds }: { db: Db; viewer: WalkViewer; actionIds: string[] }) {
  const result = new Map<string, ActionEvent[]>();
  for (let i = 0; i < actionIds.length; i += 500) {
    let query = db
      .selectFrom("walk_action_event")
      .innerJoin("walk_action", "walk_action.id", "walk_action_event.action_id")
      .innerJoin("walk_stop", "walk_stop.id", "walk_action.stop_id")
      .innerJoin("dialogue_session", "dialogue_session.id", "walk_stop.session_id")
      .innerJoin("app_user", "app_user.id", "walk_action_event.changed_by")
      .select([
        "walk_action_event.action_id",
        "walk_action_event.status",
        "walk_action_event.status_on as statusOn",
        "app_user.email as changedBy",
        "walk_action_event.note",
        "walk_action_event.created_at as createdAt",
      ])
      .where("walk_action_event.action_id", "in", actionIds.slice(i, i + 500));
    if (viewer.role !== "admin") query = query.where("dialogue_session.facilitator_id", "=", viewer.id);
    for (const { action_id, ...e } of await query.orderBy("walk_action_event.created_at").orderBy("walk_action_event.id").execute()) {
      const list = result.get(action_id) ?? [];
      list.push(e);
      result.set(action_id, list);
    }
  }
  return result;
}

/** The stops recorded on one session so far, newest first (the walk page's list). */
export async function listSessionStops({ db, viewer, sessionId }: { db: Db; viewer: WalkViewer; sessionId: string }) {
  return listActions({ db, viewer, sessionId, includeClosed: true });
}
