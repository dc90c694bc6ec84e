/**
 * A seeded generator of synthetic safety-survey answers, for the clearly marked example data,
 * benchmarks and tests. Same seed, same answers. Areas differ in a latent level of insecurity
 * and answers are correlated through it, so figures differ between areas and years as real ones do.
 */
import type { Answers } from "~/stats/types";

/** mulberry32: a small, fast 32-bit PRNG; good enough for synthetic data, not for secrets. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROBLEMS = [
  "problem_littering",
  "problem_vandalism",
  "problem_poor_lighting",
  "problem_speeding",
  "problem_reckless_driving",
  "problem_mopeds",
  "problem_intoxicated",
  "problem_drug_dealing",
  "problem_drug_use",
  "problem_youth_groups",
  "problem_fights",
  "problem_harassment",
];
/** How common each problem is, on a common scale (speeding is everywhere, fights are rare). */
const PROBLEM_BASE = [0.55, 0.45, 0.4, 0.7, 0.5, 0.5, 0.3, 0.25, 0.25, 0.3, 0.15, 0.15];
const CRIMES = ["burglary", "theft", "vandalism", "violence", "threat", "fraud"];
const CRIME_RATE = [0.04, 0.1, 0.08, 0.03, 0.05, 0.08];
const AGE_GROUPS = ["16-24", "25-44", "45-64", "65-85"];
const AGE_WEIGHTS = [0.13, 0.32, 0.31, 0.24];
const GENDERS = ["woman", "man", "other", "no_answer"];
const GENDER_WEIGHTS = [0.52, 0.45, 0.01, 0.02];
const SUGGESTIONS = [
  "Bättre belysning på gångvägarna",
  "Fler poliser som syns på kvällarna",
  "Hastighetskontroller vid skolan",
  "Mindre nedskräpning i parken",
  "Fler aktiviteter för unga på kvällar och helger",
  "Klipp buskarna vid busshållplatsen",
];

function pick<T>(random: () => number, values: T[], weights: number[]): T {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < values.length; i++) {
    r -= weights[i];
    if (r < 0) return values[i];
  }
  return values[values.length - 1];
}

/** A 1–4 scale answer whose level rises with `pressure` (0–1). */
function scale4(random: () => number, pressure: number): number {
  const x = Math.min(0.999, Math.max(0, pressure + (random() - 0.5) * 0.7));
  return 1 + Math.floor(x * 4);
}

/** A stable per-area level of insecurity in [0.15, 0.6], derived from the area code. */
function areaLevel(area: string): number {
  let h = 2166136261;
  for (const ch of area) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return 0.15 + (h % 1000) / 1000 * 0.45;
}

export interface GenerateOptions {
  areas: string[];
  /** Relative sizes of the areas (defaults to equal). */
  areaWeights?: number[];
  year: number;
  count: number;
  seed: number;
  /** Share of questions left unanswered (default 0.03). */
  missingRate?: number;
  /** Share of free-text suggestions (default 0.15). */
  suggestionRate?: number;
}

/** Generates `count` valid answer sets for the annual safety survey. */
export function generateSurveyAnswers(options: GenerateOptions): Answers[] {
  const { areas, year, count, seed, missingRate = 0.03, suggestionRate = 0.15 } = options;
  const random = createRandom(seed ^ Math.imul(year, 2654435761));
  const areaWeights = options.areaWeights ?? areas.map(() => 1);
  const trend = (year - 2020) * -0.01; // a slow improvement over the years
  const out: Answers[] = [];
  for (let i = 0; i < count; i++) {
    const area = pick(random, areas, areaWeights);
    const age = pick(random, AGE_GROUPS, AGE_WEIGHTS);
    const gender = pick(random, GENDERS, GENDER_WEIGHTS);
    const personal = (random() - 0.5) * 0.3 + (gender === "woman" ? 0.06 : 0) + (age === "65-85" ? 0.04 : 0);
    const level = Math.min(0.95, Math.max(0.02, areaLevel(area) + personal + trend));
    const a: Answers = { area, age_group: age, gender };
    const maybe = (name: string, value: Answers[string]) => {
      if (random() >= missingRate) a[name] = value;
    };
    PROBLEMS.forEach((p, k) => {
      maybe(p, random() < 0.04 ? 9 : scale4(random, level * 0.8 + PROBLEM_BASE[k] * 0.45 - 0.15));
    });
    const evening = random() < 0.03 ? 6 : random() < 0.02 ? 9 : random() < level * 0.08 ? 5 : scale4(random, level - 0.1);
    maybe("safe_evening", evening);
    maybe("safe_centre", random() < 0.03 ? 9 : scale4(random, level));
    maybe("worry_burglary", random() < 0.02 ? 9 : scale4(random, level - 0.05));
    maybe("worry_assault", random() < 0.02 ? 9 : scale4(random, level - 0.15));
    maybe("worry_fraud", random() < 0.02 ? 9 : scale4(random, level + (age === "65-85" ? 0.15 : -0.05)));
    maybe("avoid_activity", random() < 0.02 ? 9 : scale4(random, level - 0.2));
    maybe("avoid_route", random() < 0.02 ? 9 : scale4(random, level - 0.15));
    const crimes = CRIMES.filter((_, k) => random() < CRIME_RATE[k] * (0.6 + level));
    if (random() >= missingRate) {
      a.victim = crimes.length > 0 ? crimes : ["none"];
      if (crimes.length > 0 && random() >= missingRate) a.reported = pick(random, [1, 2, 3], [0.3, 0.2, 0.5]);
    }
    maybe("police_cares", random() < 0.1 ? 9 : scale4(random, 0.35 + level * 0.3));
    maybe("municipality_cares", random() < 0.1 ? 9 : scale4(random, 0.4 + level * 0.3));
    if (random() < suggestionRate) a.suggestion = SUGGESTIONS[Math.floor(random() * SUGGESTIONS.length)];
    out.push(a);
  }
  return out;
}

/** A synthetic population table (area × age_group) with the given area sizes. */
export function generatePopulation(options: { areas: string[]; areaSizes: number[]; year: number; seed: number }) {
  const random = createRandom(options.seed ^ options.year);
  const rows: { area: string; age_group: string; count: number }[] = [];
  options.areas.forEach((area, i) => {
    AGE_GROUPS.forEach((age, k) => {
      const jitter = 0.95 + random() * 0.1;
      rows.push({ area, age_group: age, count: Math.round(options.areaSizes[i] * AGE_WEIGHTS[k] * jitter) });
    });
  });
  return rows;
}
