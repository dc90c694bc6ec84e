/**
 * Drafting next year's promises (issue 18): copy a promise forward, or start one from a problem
 * of the problem picture. Each draft keeps the link to what motivated it: the promise it came from
 * (drafted_from) and a snapshot of the figures (measure, group, survey year, estimate, the
 * change's significance) as the results documents gave them when the draft was made.
 */
import type { Db } from "~/db/db.server";
import {
  checkIndicator,
  createPromise,
  getPromise,
  type GroupVariable,
  type IndicatorInput,
  type Motivation,
  type PromiseRecord,
} from "~/models/promise.server";
import { indicatorFigures } from "~/models/promise-follow-up.server";

async function motivationFor(db: Db, year: number, indicators: IndicatorInput[]): Promise<Motivation[]> {
  const checked = indicators.filter((i) => i.kind === "measure").map((i, n) => ({ ...checkIndicator(i), id: `m${n}` }));
  const { surveyYear, figures } = await indicatorFigures({ db, year, indicators: checked });
  if (surveyYear === null) return [];
  return figures.map((f) => ({
    measureKey: f.indicator.measureKey!,
    groupBy: f.indicator.groupBy as GroupVariable | null,
    groupValue: f.indicator.groupValue,
    year: surveyYear,
    estimate: f.current?.estimate ?? null,
    change: f.current?.change?.kind ?? null,
  }));
}

/** Copies a promise into the next year as a draft (status planerat), with its indicators and figures. */
export async function draftFromPromise({ db, promiseId, userId }: { db: Db; promiseId: string; userId: string }): Promise<PromiseRecord> {
  const from = await getPromise({ db, id: promiseId });
  const year = from.year + 1;
  const indicators = from.indicators.map(({ id: _id, seriesId: _s, ...rest }) => rest);
  return createPromise({
    db,
    year,
    input: { text: from.text, carriedBy: from.carriedBy, validFrom: `${year}-01-01`, validTo: `${year}-12-31`, status: "planerat", indicators },
    userId,
    draftedFrom: from.id,
    motivation: await motivationFor(db, from.year, indicators),
  });
}

/** Starts a draft for `year + 1` from a problem (a measure, optionally for one group) of `year`'s figures. */
export async function draftFromProblem({
  db,
  year,
  measureKey,
  groupBy = null,
  groupValue = null,
  text,
  userId,
}: {
  db: Db;
  year: number;
  measureKey: string;
  groupBy?: GroupVariable | null;
  groupValue?: string | null;
  text: string;
  userId: string;
}): Promise<PromiseRecord> {
  const indicators: IndicatorInput[] = [{ kind: "measure", measureKey, groupBy, groupValue }];
  const next = year + 1;
  return createPromise({
    db,
    year: next,
    input: { text, carriedBy: "bada", validFrom: `${next}-01-01`, validTo: `${next}-12-31`, status: "planerat", indicators },
    userId,
    motivation: await motivationFor(db, year, indicators),
  });
}
