/**
 * The citizen promises (medborgarlöften, issue 18): a year's promises with their indicators, the
 * activities police and municipality staff log, the coordinators' assessment, drafts for the next
 * year and the signing that freezes a year. The figures of the follow-up are in
 * promise-follow-up.server.ts; they come from the results API's documents, never a second
 * computation (decision 030).
 *
 * Concurrency: promises, activities and assessments carry a revision; an edit names the revision
 * it started from and is refused (PromiseError "conflict", with the current row) when someone
 * saved in between, so nothing is silently overwritten. An edited activity keeps its earlier
 * version (promise_activity_version) with who replaced it and when.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "~/db/db.server";
import type {
  ActivityKind,
  IndicatorKind,
  PromiseCarrier,
  PromiseStatus,
  Role,
} from "~/db/schema";
import { loadSeries } from "~/surveys/files.server";

export const PROMISE_SERIES = "trygghetsmatning";

/**
 * Who may do what with the promises (the one place; admins may do everything, as requireRole).
 * Police and municipality staff alike log activities, facilitators included (they run the walks);
 * the coordinators (analysts) write promises, indicators, assessments and drafts; an admin signs.
 */
export const PROMISE_ROLES: Record<"view" | "logActivity" | "editPromise" | "sign", Role[]> = {
  view: ["analyst", "facilitator"],
  logActivity: ["analyst", "facilitator"],
  editPromise: ["analyst"],
  sign: ["admin"],
};
export const CARRIERS: PromiseCarrier[] = ["polisen", "kommunen", "bada"];
export const PROMISE_STATUSES: PromiseStatus[] = ["planerat", "pagar", "genomfort", "installt"];
export const ACTIVITY_KINDS: ActivityKind[] = ["trafikkontroll", "trygghetsvandring", "platsbesok", "informationsinsats"];
export const INDICATOR_KINDS: IndicatorKind[] = ["measure", "activities", "vehicles_checked", "tip_sites", "walk_actions_done"];
export const GROUP_VARIABLES = ["area", "gender", "age_group"] as const;
export type GroupVariable = (typeof GROUP_VARIABLES)[number];
/** Dialogue sessions of these kinds count as activities of the same kind once closed. */
export const SESSION_ACTIVITY_KINDS: Record<string, ActivityKind> = { trygghetsvandring: "trygghetsvandring", platsbesok: "platsbesok" };
/** Walk actions in these statuses count as done. */
export const WALK_ACTIONS_DONE = ["atgardad", "avslutad"] as const;

export type PromiseErrorCode =
  | "not_found"
  | "frozen"
  | "conflict"
  | "invalid"
  | "unknown_measure"
  | "unknown_group"
  | "already_signed";

/** A refused change: `code` names it for the page's Swedish text, `message` is for logs and tests. */
export class PromiseError extends Error {
  constructor(
    readonly code: PromiseErrorCode,
    message: string,
    readonly status: 400 | 404 | 409 = code === "not_found" ? 404 : code === "conflict" || code === "frozen" || code === "already_signed" ? 409 : 400,
    readonly current?: unknown,
  ) {
    super(message);
  }
}

export interface IndicatorInput {
  kind: IndicatorKind;
  measureKey?: string | null;
  groupBy?: GroupVariable | null;
  groupValue?: string | null;
  activityKind?: ActivityKind | null;
  target?: number | null;
}

export interface Indicator extends Required<IndicatorInput> {
  id: string;
  seriesId: string | null;
}

export interface Motivation {
  measureKey: string;
  groupBy: GroupVariable | null;
  groupValue: string | null;
  year: number;
  estimate: number | null;
  change: string | null;
}

export interface PromiseRecord {
  id: string;
  year: number;
  position: number;
  text: string;
  carriedBy: PromiseCarrier;
  validFrom: string;
  validTo: string;
  status: PromiseStatus;
  draftedFrom: string | null;
  motivation: Motivation[];
  revision: number;
  updatedAt: string;
  updatedBy: string;
  isDemo: boolean;
  indicators: Indicator[];
}

export interface PromiseYear {
  year: number;
  signedOn: string | null;
  signatoryRoles: string[];
  signed: boolean;
  isDemo: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(s: unknown): s is string {
  return typeof s === "string" && DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}

function now(): string {
  return new Date().toISOString();
}

/** The measure keys a promise may be followed up by: the series' current measures and problem index. */
export function knownMeasureKeys(seriesId = PROMISE_SERIES): string[] {
  const set = loadSeries(seriesId).measures;
  if (!set) return [];
  return [...set.measures.map((m) => m.key), ...(set.problemIndex ? [set.problemIndex.key] : [])];
}

/** The codes of a grouping variable: the area list, or the questionnaire's choices. */
export function groupCodes(variable: GroupVariable, seriesId = PROMISE_SERIES): string[] {
  const def = loadSeries(seriesId);
  if (variable === "area") return def.areas?.areas.map((a) => a.code) ?? [];
  const out: string[] = [];
  const visit = (elements: unknown[] | undefined) => {
    for (const el of elements ?? []) {
      const e = el as { name?: string; choices?: ({ value: string } | string)[]; elements?: unknown[] };
      if (e.name === variable) out.push(...(e.choices ?? []).map((c) => (typeof c === "string" ? c : String(c.value))));
      visit(e.elements);
    }
  };
  for (const page of (def.questionnaire.pages as { elements?: unknown[] }[] | undefined) ?? []) visit(page.elements);
  return out;
}

/**
 * Checks an indicator on entry: a measure must exist in the series' measure set and a group must
 * be one of the variable's codes; an activity count names a kind where it counts activities.
 * Throws PromiseError (unknown_measure, unknown_group, invalid).
 */
export function checkIndicator(input: IndicatorInput): Omit<Indicator, "id"> {
  if (!INDICATOR_KINDS.includes(input.kind)) throw new PromiseError("invalid", `Unknown indicator kind ${String(input.kind)}`);
  const target = input.target === undefined || input.target === null ? null : Number(input.target);
  if (target !== null && (!Number.isInteger(target) || target < 0 || target > 1_000_000)) throw new PromiseError("invalid", "A target is a whole number ≥ 0");
  if (input.kind === "measure") {
    const key = (input.measureKey ?? "").trim();
    if (!knownMeasureKeys().includes(key)) throw new PromiseError("unknown_measure", `No measure ${key} in ${PROMISE_SERIES}`);
    const groupBy = input.groupBy ?? null;
    const groupValue = groupBy ? (input.groupValue ?? "").trim() : null;
    if (groupBy !== null) {
      if (!GROUP_VARIABLES.includes(groupBy)) throw new PromiseError("unknown_group", `Unknown grouping ${String(groupBy)}`);
      if (!groupCodes(groupBy).includes(groupValue ?? "")) throw new PromiseError("unknown_group", `No ${groupBy} ${groupValue}`);
    }
    return { kind: "measure", seriesId: PROMISE_SERIES, measureKey: key, groupBy, groupValue, activityKind: null, target: null };
  }
  const activityKind = input.activityKind ?? null;
  if (activityKind !== null && !ACTIVITY_KINDS.includes(activityKind)) throw new PromiseError("invalid", `Unknown activity kind ${activityKind}`);
  if (input.kind === "activities" && activityKind === null) throw new PromiseError("invalid", "An activity count names the kind of activity");
  return { kind: input.kind, seriesId: null, measureKey: null, groupBy: null, groupValue: null, activityKind: input.kind === "activities" ? activityKind : null, target };
}

export async function getPromiseYear({ db, year }: { db: Db; year: number }): Promise<PromiseYear | null> {
  const row = await db.selectFrom("promise_year").selectAll().where("year", "=", year).executeTakeFirst();
  if (!row) return null;
  return {
    year: Number(row.year),
    signedOn: row.signed_on,
    signatoryRoles: row.signatory_roles ? (JSON.parse(row.signatory_roles) as string[]) : [],
    signed: row.signed_on !== null,
    isDemo: Number(row.is_demo) === 1,
  };
}

/** The years that have promises, newest first. */
export async function listPromiseYears({ db }: { db: Db }): Promise<PromiseYear[]> {
  const rows = await db.selectFrom("promise_year").select("year").orderBy("year", "desc").execute();
  const out: PromiseYear[] = [];
  for (const r of rows) out.push((await getPromiseYear({ db, year: Number(r.year) }))!);
  return out;
}

async function ensureYear(db: Db, year: number, isDemo: boolean): Promise<PromiseYear> {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new PromiseError("invalid", `Not a year: ${year}`);
  const existing = await getPromiseYear({ db, year });
  if (existing) return existing;
  await db
    .insertInto("promise_year")
    .values({ year, signed_on: null, signatory_roles: null, signed_by: null, signed_at: null, is_demo: isDemo ? 1 : 0 })
    .onConflict((oc) => oc.column("year").doNothing())
    .execute();
  return (await getPromiseYear({ db, year }))!;
}

async function requireOpenYear(db: Db, year: number): Promise<void> {
  const y = await getPromiseYear({ db, year });
  if (y?.signed) throw new PromiseError("frozen", `The promises of ${year} were signed on ${y.signedOn} and cannot change`);
}

type PromiseRow = {
  id: string;
  year: number;
  position: number;
  text: string;
  carried_by: PromiseCarrier;
  valid_from: string;
  valid_to: string;
  status: PromiseStatus;
  drafted_from: string | null;
  motivation_json: string | null;
  revision: number;
  updated_at: string;
  updated_by: string;
  is_demo: number;
};

async function withIndicators(db: Db, rows: PromiseRow[]): Promise<PromiseRecord[]> {
  const ids = rows.map((r) => r.id);
  const indicators = ids.length
    ? await db.selectFrom("promise_indicator").selectAll().where("promise_id", "in", ids).orderBy("position").execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    year: Number(r.year),
    position: Number(r.position),
    text: r.text,
    carriedBy: r.carried_by,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    status: r.status,
    draftedFrom: r.drafted_from,
    motivation: r.motivation_json ? (JSON.parse(r.motivation_json) as Motivation[]) : [],
    revision: Number(r.revision),
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    isDemo: Number(r.is_demo) === 1,
    indicators: indicators
      .filter((i) => i.promise_id === r.id)
      .map((i) => ({
        id: i.id,
        kind: i.kind,
        seriesId: i.series_id,
        measureKey: i.measure_key,
        groupBy: i.group_by,
        groupValue: i.group_value,
        activityKind: i.activity_kind,
        target: i.target === null ? null : Number(i.target),
      })),
  }));
}

/** A year's promises in their order, each with its indicators. */
export async function listPromises({ db, year }: { db: Db; year: number }): Promise<PromiseRecord[]> {
  const rows = await db.selectFrom("promise").selectAll().where("year", "=", year).orderBy("position").execute();
  return withIndicators(db, rows as PromiseRow[]);
}

export async function getPromise({ db, id }: { db: Db; id: string }): Promise<PromiseRecord> {
  const row = await db.selectFrom("promise").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new PromiseError("not_found", `No promise ${id}`);
  return (await withIndicators(db, [row as PromiseRow]))[0];
}

export interface PromiseInput {
  text: string;
  carriedBy: PromiseCarrier;
  validFrom: string;
  validTo: string;
  status: PromiseStatus;
  indicators: IndicatorInput[];
}

function checkPromise(input: PromiseInput, year: number): void {
  const text = input.text?.trim() ?? "";
  if (text.length < 3 || text.length > 2000) throw new PromiseError("invalid", "A promise's text is 3–2000 characters");
  if (!CARRIERS.includes(input.carriedBy)) throw new PromiseError("invalid", `Unknown carrier ${String(input.carriedBy)}`);
  if (!PROMISE_STATUSES.includes(input.status)) throw new PromiseError("invalid", `Unknown status ${String(input.status)}`);
  if (!isDate(input.validFrom) || !isDate(input.validTo) || input.validFrom > input.validTo) {
    throw new PromiseError("invalid", "The validity period is two dates, the first not after the second");
  }
  if (Number(input.validFrom.slice(0, 4)) > year || Number(input.validTo.slice(0, 4)) < year) {
    throw new PromiseError("invalid", `The validity period must overlap ${year}`);
  }
}

async function writeIndicators(db: Db, promiseId: string, indicators: IndicatorInput[]): Promise<void> {
  const checked = indicators.map(checkIndicator);
  await db.deleteFrom("promise_indicator").where("promise_id", "=", promiseId).execute();
  let position = 0;
  for (const i of checked) {
    await db
      .insertInto("promise_indicator")
      .values({
        id: randomUUID(),
        promise_id: promiseId,
        position: position++,
        kind: i.kind,
        series_id: i.seriesId,
        measure_key: i.measureKey,
        group_by: i.groupBy,
        group_value: i.groupValue,
        activity_kind: i.activityKind,
        target: i.target,
      })
      .execute();
  }
}

/** Adds a promise to a year that is not signed yet. Its first status is an event of the feed. */
export async function createPromise({
  db,
  year,
  input,
  userId,
  draftedFrom = null,
  motivation = [],
  isDemo = false,
}: {
  db: Db;
  year: number;
  input: PromiseInput;
  userId: string;
  draftedFrom?: string | null;
  motivation?: Motivation[];
  isDemo?: boolean;
}): Promise<PromiseRecord> {
  checkPromise(input, year);
  input.indicators.forEach(checkIndicator);
  await ensureYear(db, year, isDemo);
  await requireOpenYear(db, year);
  const id = randomUUID();
  const at = now();
  await db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom("promise").select((eb) => eb.fn.max("position").as("p")).where("year", "=", year).executeTakeFirst();
    await trx
      .insertInto("promise")
      .values({
        id,
        year,
        position: last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1,
        text: input.text.trim(),
        carried_by: input.carriedBy,
        valid_from: input.validFrom,
        valid_to: input.validTo,
        status: input.status,
        drafted_from: draftedFrom,
        motivation_json: motivation.length ? JSON.stringify(motivation) : null,
        revision: 1,
        created_at: at,
        updated_at: at,
        updated_by: userId,
        is_demo: isDemo ? 1 : 0,
      })
      .execute();
    await writeIndicators(trx as unknown as Db, id, input.indicators);
    await trx.insertInto("promise_event").values({ id: randomUUID(), promise_id: id, year, status: input.status, at }).execute();
  });
  return getPromise({ db, id });
}

/**
 * Changes a promise (text, carrier, period, status, indicators) if its year is not signed and
 * nobody saved it since `revision`. A status change is an event of the public feed.
 */
export async function updatePromise({ db, id, revision, input, userId }: { db: Db; id: string; revision: number; input: PromiseInput; userId: string }) {
  const before = await getPromise({ db, id });
  checkPromise(input, before.year);
  input.indicators.forEach(checkIndicator);
  await requireOpenYear(db, before.year);
  const at = now();
  await db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable("promise")
      .set({
        text: input.text.trim(),
        carried_by: input.carriedBy,
        valid_from: input.validFrom,
        valid_to: input.validTo,
        status: input.status,
        revision: revision + 1,
        updated_at: at,
        updated_by: userId,
      })
      .where("id", "=", id)
      .where("revision", "=", revision)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) {
      throw new PromiseError("conflict", `Promise ${id} was changed by someone else (revision ${revision} is not the latest)`);
    }
    await writeIndicators(trx as unknown as Db, id, input.indicators);
    if (input.status !== before.status) {
      await trx.insertInto("promise_event").values({ id: randomUUID(), promise_id: id, year: before.year, status: input.status, at }).execute();
    }
  }).catch(async (error: unknown) => {
    if (error instanceof PromiseError && error.code === "conflict") {
      throw new PromiseError("conflict", error.message, 409, await getPromise({ db, id }));
    }
    throw error;
  });
  return getPromise({ db, id });
}

/** The status changes of a year's promises, newest first (the Atom feed). */
export async function listStatusEvents({ db, year }: { db: Db; year: number }) {
  const rows = await db
    .selectFrom("promise_event")
    .innerJoin("promise", "promise.id", "promise_event.promise_id")
    .select(["promise_event.id", "promise_event.promise_id", "promise_event.status", "promise_event.at", "promise.position", "promise.text"])
    .where("promise_event.year", "=", year)
    .orderBy("promise_event.at", "desc")
    .orderBy("promise_event.id")
    .execute();
  return rows.map((r) => ({ id: r.id, promiseId: r.promise_id, status: r.status, at: r.at, position: Number(r.position), text: r.text }));
}

/**
 * Signs a year: its date and the two signatories' roles (never names). Afterwards the year's
 * promises and indicators cannot change; activities and assessments still can (that is the
 * follow-up). Admins only (the route's guard).
 */
export async function signYear({ db, year, signedOn, roles, userId }: { db: Db; year: number; signedOn: string; roles: [string, string]; userId: string }) {
  if (!isDate(signedOn)) throw new PromiseError("invalid", "The signing date is YYYY-MM-DD");
  const clean = roles.map((r) => (r ?? "").trim());
  if (clean.length !== 2 || clean.some((r) => r.length < 2 || r.length > 200)) throw new PromiseError("invalid", "Two signatories' roles are needed");
  const y = await getPromiseYear({ db, year });
  if (!y) throw new PromiseError("not_found", `No promises for ${year}`);
  if (y.signed) throw new PromiseError("already_signed", `${year} was signed on ${y.signedOn}`);
  const count = await db.selectFrom("promise").select((eb) => eb.fn.countAll<number>().as("n")).where("year", "=", year).executeTakeFirstOrThrow();
  if (Number(count.n) === 0) throw new PromiseError("invalid", `${year} has no promises to sign`);
  await db
    .updateTable("promise_year")
    .set({ signed_on: signedOn, signatory_roles: JSON.stringify(clean), signed_by: userId, signed_at: now() })
    .where("year", "=", year)
    .where("signed_on", "is", null)
    .execute();
  return (await getPromiseYear({ db, year }))!;
}

// ---------------------------------------------------------------- activities

export interface ActivityInput {
  promiseId: string | null;
  doneOn: string;
  kind: ActivityKind;
  place: string;
  area: string;
  party: "polisen" | "kommunen";
  vehiclesChecked?: number | null;
  tipSites?: number | null;
  participants?: number | null;
}

export interface Activity {
  id: string;
  /** "logged" by staff here, or a closed walk/site visit from the dialogues ("session"). */
  source: "logged" | "session";
  year: number;
  promiseId: string | null;
  doneOn: string;
  kind: ActivityKind;
  place: string;
  area: string;
  party: "polisen" | "kommunen" | null;
  vehiclesChecked: number | null;
  tipSites: number | null;
  participants: number | null;
  loggedBy: string | null;
  revision: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export type ActivityWarning = "outside_period";

function count(v: unknown): number | null {
  if (v === undefined || v === null || v === "") return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new PromiseError("invalid", "Counts are whole numbers ≥ 0");
  return n;
}

async function checkActivity(db: Db, input: ActivityInput) {
  if (!isDate(input.doneOn)) throw new PromiseError("invalid", "The date is YYYY-MM-DD");
  if (!ACTIVITY_KINDS.includes(input.kind)) throw new PromiseError("invalid", `Unknown activity kind ${String(input.kind)}`);
  if (input.party !== "polisen" && input.party !== "kommunen") throw new PromiseError("invalid", "The party is polisen or kommunen");
  const place = (input.place ?? "").trim();
  if (place.length < 2 || place.length > 200) throw new PromiseError("invalid", "A place is 2–200 characters");
  if (!groupCodes("area").includes(input.area)) throw new PromiseError("unknown_group", `No area ${input.area}`);
  const year = Number(input.doneOn.slice(0, 4));
  const warnings: ActivityWarning[] = [];
  if (input.promiseId) {
    const p = await getPromise({ db, id: input.promiseId });
    if (input.doneOn < p.validFrom || input.doneOn > p.validTo) warnings.push("outside_period");
  }
  return {
    values: {
      year,
      promise_id: input.promiseId || null,
      done_on: input.doneOn,
      kind: input.kind,
      place,
      area: input.area,
      party: input.party,
      vehicles_checked: count(input.vehiclesChecked),
      tip_sites: count(input.tipSites),
      participants: count(input.participants),
    },
    warnings,
  };
}

type ActivityRow = Awaited<ReturnType<typeof activityRows>>[number];

function activityRows(db: Db) {
  return db.selectFrom("promise_activity").selectAll().execute();
}

function toActivity(r: ActivityRow): Activity {
  return {
    id: r.id,
    source: "logged",
    year: Number(r.year),
    promiseId: r.promise_id,
    doneOn: r.done_on,
    kind: r.kind,
    place: r.place,
    area: r.area,
    party: r.party,
    vehiclesChecked: r.vehicles_checked === null ? null : Number(r.vehicles_checked),
    tipSites: r.tip_sites === null ? null : Number(r.tip_sites),
    participants: r.participants === null ? null : Number(r.participants),
    loggedBy: r.logged_by,
    revision: Number(r.revision),
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

export async function getActivity({ db, id }: { db: Db; id: string }): Promise<Activity> {
  const r = await db.selectFrom("promise_activity").selectAll().where("id", "=", id).executeTakeFirst();
  if (!r) throw new PromiseError("not_found", `No activity ${id}`);
  return toActivity(r);
}

/**
 * Logs an activity. An activity dated outside its promise's validity period is stored with the
 * warning "outside_period" (shown to the person, never silently moved).
 */
export async function logActivity({ db, input, userId, isDemo = false }: { db: Db; input: ActivityInput; userId: string; isDemo?: boolean }) {
  const { values, warnings } = await checkActivity(db, input);
  const id = randomUUID();
  const at = now();
  await db
    .insertInto("promise_activity")
    .values({ id, ...values, logged_by: userId, revision: 1, created_at: at, updated_at: at, updated_by: userId, is_demo: isDemo ? 1 : 0 })
    .execute();
  return { activity: await getActivity({ db, id }), warnings };
}

/**
 * Changes an activity if nobody saved it since `revision`; the version it replaces is kept with
 * who replaced it. A stale revision throws PromiseError "conflict" carrying the current activity.
 */
export async function updateActivity({ db, id, revision, input, userId }: { db: Db; id: string; revision: number; input: ActivityInput; userId: string }) {
  const { values, warnings } = await checkActivity(db, input);
  const at = now();
  try {
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom("promise_activity").selectAll().where("id", "=", id).executeTakeFirst();
      if (!before) throw new PromiseError("not_found", `No activity ${id}`);
      if (Number(before.revision) !== revision) throw new PromiseError("conflict", `Activity ${id} was changed by someone else`);
      const done = await trx
        .updateTable("promise_activity")
        .set({ ...values, revision: revision + 1, updated_at: at, updated_by: userId })
        .where("id", "=", id)
        .where("revision", "=", revision)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new PromiseError("conflict", `Activity ${id} was changed by someone else`);
      await trx
        .insertInto("promise_activity_version")
        .values({ id: randomUUID(), activity_id: id, revision: Number(before.revision), snapshot_json: JSON.stringify(toActivity(before)), replaced_at: at, replaced_by: userId })
        .execute();
    });
  } catch (error) {
    if (error instanceof PromiseError && error.code === "conflict") {
      throw new PromiseError("conflict", error.message, 409, await getActivity({ db, id }));
    }
    throw error;
  }
  return { activity: await getActivity({ db, id }), warnings };
}

/** An activity's earlier versions, newest first, each with who replaced it and when. */
export async function activityHistory({ db, id }: { db: Db; id: string }) {
  const rows = await db.selectFrom("promise_activity_version").selectAll().where("activity_id", "=", id).orderBy("revision", "desc").execute();
  return rows.map((r) => ({ revision: Number(r.revision), activity: JSON.parse(r.snapshot_json) as Activity, replacedAt: r.replaced_at, replacedBy: r.replaced_by }));
}

/**
 * A year's activities, oldest first: those logged here and every closed safety walk or site
 * visit of the dialogues held that year (counted without typing it twice; source "session").
 * A session is attributed to the year's promise that counts activities of its kind, if one does.
 */
export async function listActivities({ db, year }: { db: Db; year: number }): Promise<Activity[]> {
  const [logged, sessions, promises] = await Promise.all([
    db.selectFrom("promise_activity").selectAll().where("year", "=", year).orderBy("done_on").orderBy("created_at").execute(),
    db
      .selectFrom("dialogue_session")
      .select(["id", "kind", "place", "area", "held_on", "facilitator_id", "closed_at"])
      .where("kind", "in", Object.keys(SESSION_ACTIVITY_KINDS) as ("trygghetsvandring" | "platsbesok")[])
      .where("status", "=", "closed")
      .where("held_on", ">=", `${year}-01-01`)
      .where("held_on", "<=", `${year}-12-31`)
      .orderBy("held_on")
      .execute(),
    listPromises({ db, year }),
  ]);
  const promiseFor = (kind: ActivityKind) =>
    promises.find((p) => p.indicators.some((i) => i.kind === "activities" && i.activityKind === kind))?.id ?? null;
  const derived: Activity[] = sessions.map((s) => {
    const kind = SESSION_ACTIVITY_KINDS[s.kind];
    return {
      id: `session:${s.id}`,
      source: "session",
      year,
      promiseId: promiseFor(kind),
      doneOn: s.held_on,
      kind,
      place: s.place,
      area: s.area,
      party: null,
      vehiclesChecked: null,
      tipSites: null,
      participants: null,
      loggedBy: s.facilitator_id,
      revision: 0,
      updatedAt: s.closed_at,
      updatedBy: null,
    };
  });
  return [...logged.map(toActivity), ...derived].sort((a, b) => a.doneOn.localeCompare(b.doneOn));
}

// ---------------------------------------------------------------- assessment

export interface Assessment {
  promiseId: string;
  text: string;
  revision: number;
  updatedAt: string;
  updatedBy: string;
}

export async function getAssessment({ db, promiseId }: { db: Db; promiseId: string }): Promise<Assessment | null> {
  const r = await db.selectFrom("promise_assessment").selectAll().where("promise_id", "=", promiseId).executeTakeFirst();
  return r ? { promiseId: r.promise_id, text: r.text, revision: Number(r.revision), updatedAt: r.updated_at, updatedBy: r.updated_by } : null;
}

/**
 * Saves the coordinators' assessment of a promise's year. `revision` 0 = a first assessment;
 * a stale revision throws "conflict" with the current text (nothing lost).
 */
export async function saveAssessment({ db, promiseId, text, revision, userId }: { db: Db; promiseId: string; text: string; revision: number; userId: string }) {
  await getPromise({ db, id: promiseId });
  const clean = text.trim();
  if (clean.length > 4000) throw new PromiseError("invalid", "An assessment is at most 4000 characters");
  const at = now();
  const current = await getAssessment({ db, promiseId });
  if ((current?.revision ?? 0) !== revision) throw new PromiseError("conflict", `The assessment of ${promiseId} was changed by someone else`, 409, current);
  if (!current) {
    try {
      await db.insertInto("promise_assessment").values({ promise_id: promiseId, text: clean, revision: 1, updated_at: at, updated_by: userId }).execute();
    } catch {
      throw new PromiseError("conflict", `The assessment of ${promiseId} was written by someone else`, 409, await getAssessment({ db, promiseId }));
    }
  } else {
    const done = await db
      .updateTable("promise_assessment")
      .set({ text: clean, revision: revision + 1, updated_at: at, updated_by: userId })
      .where("promise_id", "=", promiseId)
      .where("revision", "=", revision)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new PromiseError("conflict", `The assessment of ${promiseId} was changed by someone else`, 409, await getAssessment({ db, promiseId }));
  }
  return (await getAssessment({ db, promiseId }))!;
}
