/**
 * The follow-up of a year's promises (issue 18): per promise, its activities by kind and month
 * against any target, its indicators' figures this survey year and the one before with the
 * change's significance, the safety walks' actions and their status, and the coordinators'
 * assessment. Every survey figure is a row of the results API's own documents
 * (results-view.server.ts → results-cache.server.ts, decision 024): the same number, suppression
 * and "ökning"/"minskning"/"ingen säkerställd förändring" as the dashboard, never a second
 * computation (decision 030).
 */
import type { Db } from "~/db/db.server";
import type { ActivityKind, WalkActionStatus } from "~/db/schema";
import {
  ACTIVITY_KINDS,
  getAssessment,
  getPromiseYear,
  listActivities,
  listPromises,
  PROMISE_SERIES,
  WALK_ACTIONS_DONE,
  type Activity,
  type Assessment,
  type Indicator,
  type PromiseRecord,
  type PromiseYear,
} from "~/models/promise.server";
import { publishedYears, yearFigures, type FigureRow } from "~/models/results-view.server";
import type { GroupBy } from "~/stats/types";

export interface MeasureFigure {
  indicator: Indicator;
  /** The survey year's row (suppressed rows carry no estimate) and the year before's, or null. */
  current: FigureRow | null;
  previous: FigureRow | null;
}

export interface CountFigure {
  indicator: Indicator;
  value: number;
  target: number | null;
}

export interface WalkActionRow {
  id: string;
  area: string;
  proposal: string;
  responsible: string;
  status: WalkActionStatus;
  statusOn: string;
  heldOn: string;
  place: string;
}

export interface PromiseFollowUp {
  promise: PromiseRecord;
  /** Activities per kind: twelve monthly counts and the total (kinds with at least one, or a target). */
  activities: { kind: ActivityKind; months: number[]; total: number; target: number | null }[];
  measures: MeasureFigure[];
  counts: CountFigure[];
  /** The walk actions of the year (only for a promise with a walk-actions indicator). */
  walkActions: WalkActionRow[] | null;
  assessment: Assessment | null;
}

export interface FollowUp {
  year: number;
  promiseYear: PromiseYear | null;
  /** The survey year the figures are from (the promise year, else the latest before it) and the one compared with. */
  surveyYear: number | null;
  previousYear: number | null;
  /** True while the survey year is still open for answers. */
  surveyOpen: boolean;
  promises: PromiseFollowUp[];
  activities: Activity[];
  walkActionsByStatus: Record<WalkActionStatus, number>;
}

/** The safety walks' actions from walks held in the year, oldest first. */
export async function listWalkActions({ db, year }: { db: Db; year: number }): Promise<WalkActionRow[]> {
  const rows = await db
    .selectFrom("walk_action")
    .innerJoin("walk_stop", "walk_stop.id", "walk_action.stop_id")
    .innerJoin("dialogue_session", "dialogue_session.id", "walk_stop.session_id")
    .select([
      "walk_action.id",
      "walk_action.area",
      "walk_action.proposal",
      "walk_action.responsible",
      "walk_action.status",
      "walk_action.status_on",
      "dialogue_session.held_on",
      "walk_stop.place_name",
    ])
    .where("dialogue_session.held_on", ">=", `${year}-01-01`)
    .where("dialogue_session.held_on", "<=", `${year}-12-31`)
    .orderBy("dialogue_session.held_on")
    .orderBy("walk_action.created_at")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    area: r.area,
    proposal: r.proposal,
    responsible: r.responsible,
    status: r.status,
    statusOn: r.status_on,
    heldOn: r.held_on,
    place: r.place_name,
  }));
}

/** Which survey year follows up a promise year: that year if published, else the latest before it. */
export function surveyYearFor(published: number[], year: number): { surveyYear: number | null; previousYear: number | null } {
  const upTo = published.filter((y) => y <= year).sort((a, b) => a - b);
  const surveyYear = upTo.at(-1) ?? null;
  const previousYear = upTo.at(-2) ?? null;
  return { surveyYear, previousYear };
}

/**
 * The survey figures for measure indicators, from the results documents (weighted where the
 * population allows, as the public pages): one document per grouping and year.
 */
export async function indicatorFigures({ db, year, indicators }: { db: Db; year: number; indicators: Indicator[] }) {
  const years = await publishedYears({ db, seriesId: PROMISE_SERIES });
  const { surveyYear, previousYear } = surveyYearFor(years.map((y) => y.year), year);
  const docs = new Map<string, Promise<FigureRow[]>>();
  const rowsOf = (y: number, by: GroupBy) => {
    const key = `${y}|${by ?? ""}`;
    if (!docs.has(key)) docs.set(key, yearFigures({ db, seriesId: PROMISE_SERIES, year: y, by, weighted: true, years }).then((d) => d.rows));
    return docs.get(key)!;
  };
  const find = async (y: number | null, i: Indicator) => {
    if (y === null) return null;
    const rows = await rowsOf(y, i.groupBy ?? null);
    return rows.find((r) => r.key === i.measureKey && r.group === (i.groupValue ?? "")) ?? null;
  };
  const figures: MeasureFigure[] = [];
  for (const i of indicators.filter((x) => x.kind === "measure")) {
    figures.push({ indicator: i, current: await find(surveyYear, i), previous: await find(previousYear, i) });
  }
  const surveyOpen = years.find((y) => y.year === surveyYear)?.open ?? false;
  return { surveyYear, previousYear, surveyOpen, figures };
}

function emptyStatusCounts(): Record<WalkActionStatus, number> {
  return { foreslagen: 0, beslutad: 0, atgardad: 0, avslutad: 0 };
}

/** The whole follow-up of a year (staff page, public report, tests). */
export async function followUp({ db, year }: { db: Db; year: number }): Promise<FollowUp> {
  const [promiseYear, promises, activities, walkActions] = await Promise.all([
    getPromiseYear({ db, year }),
    listPromises({ db, year }),
    listActivities({ db, year }),
    listWalkActions({ db, year }),
  ]);
  const allIndicators = promises.flatMap((p) => p.indicators);
  const { surveyYear, previousYear, surveyOpen, figures } = await indicatorFigures({ db, year, indicators: allIndicators });
  const walkActionsByStatus = emptyStatusCounts();
  for (const a of walkActions) walkActionsByStatus[a.status] += 1;
  const done = walkActions.filter((a) => (WALK_ACTIONS_DONE as readonly string[]).includes(a.status)).length;

  const out: PromiseFollowUp[] = [];
  for (const p of promises) {
    const own = activities.filter((a) => a.promiseId === p.id);
    const kinds = ACTIVITY_KINDS.filter(
      (k) => own.some((a) => a.kind === k) || p.indicators.some((i) => i.kind === "activities" && i.activityKind === k),
    );
    const perKind = kinds.map((kind) => {
      const months = Array.from({ length: 12 }, () => 0);
      for (const a of own.filter((x) => x.kind === kind)) months[Number(a.doneOn.slice(5, 7)) - 1] += 1;
      const target = p.indicators.find((i) => i.kind === "activities" && i.activityKind === kind)?.target ?? null;
      return { kind, months, total: months.reduce((s, n) => s + n, 0), target };
    });
    const counts: CountFigure[] = [];
    for (const i of p.indicators) {
      if (i.kind === "activities") counts.push({ indicator: i, value: own.filter((a) => a.kind === i.activityKind).length, target: i.target });
      if (i.kind === "vehicles_checked") counts.push({ indicator: i, value: own.reduce((s, a) => s + (a.vehiclesChecked ?? 0), 0), target: i.target });
      if (i.kind === "tip_sites") counts.push({ indicator: i, value: own.reduce((s, a) => s + (a.tipSites ?? 0), 0), target: i.target });
      if (i.kind === "walk_actions_done") counts.push({ indicator: i, value: done, target: i.target });
    }
    out.push({
      promise: p,
      activities: perKind,
      measures: figures.filter((f) => p.indicators.some((i) => i.id === f.indicator.id)),
      counts,
      walkActions: p.indicators.some((i) => i.kind === "walk_actions_done") ? walkActions : null,
      assessment: await getAssessment({ db, promiseId: p.id }),
    });
  }
  return { year, promiseYear, surveyYear, previousYear, surveyOpen, promises: out, activities, walkActionsByStatus };
}

/**
 * The follow-up as residents may see it (the public report and its PDF): no staff names or ids,
 * no free text (activity places, walk proposals and places, the assessment), no activity list;
 * figures as the results documents give them, suppressed groups without a number.
 */
export function publicFollowUp(fu: FollowUp): FollowUp {
  return {
    ...fu,
    activities: [],
    promiseYear: fu.promiseYear ? { ...fu.promiseYear } : null,
    promises: fu.promises.map((p) => ({
      ...p,
      promise: { ...p.promise, updatedBy: "", motivation: [] },
      assessment: null,
      walkActions: p.walkActions
        ? p.walkActions.map((a) => ({ id: "", area: "", proposal: "", responsible: "", status: a.status, statusOn: "", heldOn: "", place: "" }))
        : null,
    })),
  };
}
