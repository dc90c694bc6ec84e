/**
 * The default measure set of the annual safety survey, written out by hand from statistics.md
 * ("Default measures") so the tests do not depend on surveys/…/measures.json.
 */
import type { MeanMeasure, MeasureSet, ShareMeasure } from "~/stats/types";

export const PROBLEM_ITEMS = [
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
] as const;

const safeScores = { "1": 100, "2": 200 / 3, "3": 100 / 3, "4": 0, "5": 0 };
const worryScores = { "1": 100, "2": 200 / 3, "3": 100 / 3, "4": 0 };

const safetyIndex: MeanMeasure = {
  key: "safety_index",
  kind: "mean",
  name: { sv: "Trygghetsindex (0–100, högre är tryggare)", en: "Safety index (0–100, higher is safer)" },
  formula: {
    sv: "Medelvärdet av de giltiga poängen (1→100, 2→66,67, 3→33,33, 4 och 5→0) för minst 3 av 5 frågor",
    en: "Mean of the valid item scores (1→100, 2→66.67, 3→33.33, 4 and 5→0) for at least 3 of 5 items",
  },
  items: {
    safe_evening: safeScores,
    safe_centre: safeScores,
    worry_burglary: worryScores,
    worry_assault: worryScores,
    worry_fraud: worryScores,
  },
  minValid: 3,
  scale: [0, 100],
  dontKnow: { safe_evening: [9], safe_centre: [9], worry_burglary: [9], worry_assault: [9], worry_fraud: [9] },
};

const problemShares: ShareMeasure[] = PROBLEM_ITEMS.map((item) => ({
  key: `problem_share.${item}`,
  kind: "share",
  name: { sv: `Andel som ser ett stort problem: ${item}`, en: `Share who see a big problem: ${item}` },
  formula: { sv: "Andel 3 eller 4 av svaren 1–4", en: "Share of 3 or 4 among answers 1–4" },
  item,
  valid: [1, 2, 3, 4],
  positive: [3, 4],
  dontKnow: [9],
}));

export function defaultMeasureSet(): MeasureSet {
  return {
    version: "test-1",
    measures: [
      safetyIndex,
      {
        key: "avoid_share",
        kind: "share",
        name: { sv: "Andel som avstått från aktiviteter", en: "Share who avoided activities" },
        formula: { sv: "Andel 3 eller 4 av svaren 1–4", en: "Share of 3 or 4 among answers 1–4" },
        item: "avoid_activity",
        valid: [1, 2, 3, 4],
        positive: [3, 4],
        dontKnow: [9],
      },
      {
        key: "unsafe_evening_share",
        kind: "share",
        name: { sv: "Andel otrygga ute sent en kväll", en: "Share unsafe out late in the evening" },
        formula: { sv: "Andel 3, 4 eller 5 av svaren 1–5", en: "Share of 3, 4 or 5 among answers 1–5" },
        item: "safe_evening",
        valid: [1, 2, 3, 4, 5],
        positive: [3, 4, 5],
        dontKnow: [9],
      },
      ...problemShares,
      {
        key: "victim_share",
        kind: "share",
        name: { sv: "Andel utsatta för brott", en: "Share victims of crime" },
        formula: { sv: "Andel som angett minst ett brott", en: "Share who reported at least one crime" },
        item: "victim",
        valid: "answered",
        positive: ["burglary", "theft", "vandalism", "violence", "threat", "fraud"],
      },
      {
        key: "police_confidence_share",
        kind: "share",
        name: { sv: "Andel som instämmer: polisen bryr sig", en: "Share who agree: the police care" },
        formula: { sv: "Andel 1 eller 2 av svaren 1–4", en: "Share of 1 or 2 among answers 1–4" },
        item: "police_cares",
        valid: [1, 2, 3, 4],
        positive: [1, 2],
        dontKnow: [9],
      },
    ],
    problemIndex: {
      key: "problem_index",
      name: { sv: "Problemindex (0–6, lägre är bättre)", en: "Problem index (0–6, lower is better)" },
      formula: {
        sv: "Medelvärdet av nivåerna (andel i %: <5→0, <10→1, <20→2, <30→3, <45→4, <60→5, annars 6)",
        en: "Mean of the levels (share in %: <5→0, <10→1, <20→2, <30→3, <45→4, <60→5, otherwise 6)",
      },
      measures: PROBLEM_ITEMS.map((item) => `problem_share.${item}`),
      bands: [
        { below: 5, level: 0 },
        { below: 10, level: 1 },
        { below: 20, level: 2 },
        { below: 30, level: 3 },
        { below: 45, level: 4 },
        { below: 60, level: 5 },
        { below: null, level: 6 },
      ],
    },
  };
}

/** Every question code of safety-survey.md. */
export const QUESTION_NAMES = [
  "area",
  "gender",
  "age_group",
  ...PROBLEM_ITEMS,
  "safe_evening",
  "safe_centre",
  "worry_burglary",
  "worry_assault",
  "worry_fraud",
  "avoid_activity",
  "avoid_route",
  "victim",
  "reported",
  "police_cares",
  "municipality_cares",
  "suggestion",
];
