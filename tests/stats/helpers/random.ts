/** Seeded random survey data for the cross-check of the cell-based estimator. */
import type { Answers, PopulationRow } from "~/stats/types";
import { createRandom } from "~/surveys/synthetic";
import { PROBLEM_ITEMS } from "./default-measures";
import type { Respondent } from "./fixtures";

/** The app's seeded PRNG (mulberry32), uniform on [0, 1). */
export const mulberry32 = createRandom;

const AREAS = ["a-large", "b-medium", "c-small", "d-tiny", "e-single"];
const AREA_WEIGHTS = [0.5, 0.3, 0.15, 0.04, 0.01];
const GENDERS = ["woman", "man", "other", "no_answer"];
const GENDER_WEIGHTS = [0.48, 0.46, 0.02, 0.04];
const AGES = ["16-24", "25-44", "45-64", "65-85"];
const CRIMES = ["burglary", "theft", "vandalism", "violence", "threat", "fraud"];

export type RandomOptions = { size: number; missingBackground: number; missingAnswer: number };

export function randomRespondents(rng: () => number, { size, missingBackground, missingAnswer }: RandomOptions): Respondent[] {
  const pick = (values: string[], weights?: number[]) => {
    let u = rng();
    if (!weights) return values[Math.floor(u * values.length)];
    for (let i = 0; i < values.length; i++) {
      if (u < weights[i]) return values[i];
      u -= weights[i];
    }
    return values[values.length - 1];
  };
  // Answers as numbers (web) or strings (CSV) at random; unanswered, 9 and off-scale values too.
  const scale = (values: number[]) => {
    const u = rng();
    if (u < missingAnswer) return undefined;
    if (u < missingAnswer + 0.06) return rng() < 0.5 ? 9 : "9";
    const v = values[Math.floor(rng() * values.length)];
    return rng() < 0.5 ? v : String(v);
  };
  return Array.from({ length: size }, () => {
    const answers: Answers = {};
    for (const item of PROBLEM_ITEMS) answers[item] = scale([1, 2, 3, 4]);
    answers.safe_evening = scale([1, 2, 3, 4, 5, 6]);
    answers.safe_centre = scale([1, 2, 3, 4, 5, 6]);
    answers.worry_burglary = scale([1, 2, 3, 4]);
    answers.worry_assault = scale([1, 2, 3, 4]);
    answers.worry_fraud = scale([1, 2, 3, 4]);
    answers.avoid_activity = scale([1, 2, 3, 4]);
    answers.police_cares = scale([1, 2, 3, 4]);
    const v = rng();
    if (v < missingAnswer) answers.victim = undefined;
    else if (v < 0.6) answers.victim = ["none"];
    else answers.victim = CRIMES.filter(() => rng() < 0.3);
    return {
      area: pick(AREAS, AREA_WEIGHTS),
      gender: rng() < missingBackground ? "" : pick(GENDERS, GENDER_WEIGHTS),
      age_group: rng() < missingBackground ? "" : pick(AGES),
      answers,
    };
  });
}

/** A population table with a random N_h ≥ n_h for exactly the area × age_group cells that have respondents. */
export function randomPopulation(rng: () => number, respondents: Respondent[]): PopulationRow[] {
  const cells = new Map<string, PopulationRow>();
  for (const r of respondents) {
    if (r.area === "" || r.age_group === "") continue;
    const id = `${r.area}|${r.age_group}`;
    if (!cells.has(id)) cells.set(id, { area: r.area, age_group: r.age_group, count: 0 });
  }
  for (const row of cells.values()) row.count = 20 + Math.floor(rng() * 5000);
  return [...cells.values()];
}
