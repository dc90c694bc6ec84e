/**
 * Types of the statistics engine (spec: statistics.md). Pure data, shared by the server,
 * the client and the tests.
 */

export type Locale = "sv" | "en";
export type Text = { sv: string; en: string };
export type AnswerValue = string | number | boolean | string[] | undefined | null;
export type Answers = Record<string, AnswerValue>;

/** A share (0–1): y = 1 when the item's answer is positive, 0 when valid but not positive. */
export type ShareMeasure = {
  key: string;
  kind: "share";
  name: Text;
  formula: Text;
  item: string;
  /** "answered" = any non-empty answer (for multi-select arrays: a non-empty array). */
  valid: (string | number)[] | "answered";
  /** For array answers: positive if ANY element is listed. */
  positive: (string | number)[];
  dontKnow?: (string | number)[];
};

/** A mean of item scores per respondent (e.g. the safety index, 0–100). */
export type MeanMeasure = {
  key: string;
  kind: "mean";
  name: Text;
  formula: Text;
  /** item -> (answer value as string -> score); values not listed are not valid. */
  items: Record<string, Record<string, number>>;
  /** A respondent is valid when at least this many items are valid. */
  minValid: number;
  scale: [number, number];
  dontKnow?: Record<string, (string | number)[]>;
};

export type MeasureDefinition = ShareMeasure | MeanMeasure;

export type ProblemIndexDefinition = {
  key: "problem_index";
  name: Text;
  formula: Text;
  /** The problem_share.* keys it averages. */
  measures: string[];
  /** Share in % → level: the first band whose `below` exceeds the share; below = null = otherwise. */
  bands: { below: number | null; level: number }[];
};

export type MeasureSet = {
  version: string;
  measures: MeasureDefinition[];
  problemIndex?: ProblemIndexDefinition;
};

/**
 * Sufficient statistics of one measure in one cell (area × gender × age_group, "" = missing).
 * measureKey "*" (DESIGN_MEASURE_KEY) holds in `n` the number of ALL respondents of the cell.
 */
export type CellStat = {
  measureKey: string;
  area: string;
  gender: string;
  age_group: string;
  n: number;
  sumY: number;
  sumY2: number;
  nDontKnow: number;
};

/** One row of a population table, e.g. { area: "ahus", age_group: "16-24", count: 1353 }. */
export type PopulationRow = Record<string, string | number> & { count: number };

export type CellVariable = "area" | "gender" | "age_group";
export type GroupBy = CellVariable | null;

/** {} = everyone; otherwise the one grouping variable and its value. */
export type ResultGroup = Partial<Record<CellVariable, string>>;

export type ResultRow = {
  key: string;
  group: ResultGroup;
  /** Respondents in the domain (valid for the measure and in the group), unweighted. */
  n: number;
  /** null when suppressed. Shares are fractions 0–1. */
  estimate: number | null;
  /** null when suppressed, and always for problem_index. */
  se: number | null;
  ci: [number, number] | null;
  suppressed: boolean;
  reason?: "too_few";
  /** Shown, but n < lowPrecisionCount. Always false for suppressed rows. */
  lowPrecision: boolean;
  /** "Vet ej": count, and share of the group's respondents (weighted when the row is). */
  dontKnow: { n: number | null; share: number | null };
};

export type WeightingInfo = {
  requested: boolean;
  applied: boolean;
  reason?: string;
  missingCells?: string[];
  /** Respondents left out of the weighted figures because a weighting variable is missing. */
  excludedRespondents: number;
};

export type Results = {
  /** Whether weighting was actually applied. */
  weighted: boolean;
  weighting?: WeightingInfo;
  measures: ResultRow[];
};

export type ComparisonRow =
  | {
      key: string;
      group: ResultGroup;
      comparable: true;
      diff: number;
      se: number;
      ci: [number, number];
      p: number | null;
      significant: boolean | null;
    }
  | {
      key: string;
      group: ResultGroup;
      comparable: false;
      reason: "definition_changed" | "suppressed" | "missing" | "no_standard_error" | "weighting_differs";
    };

/**
 * The results document: what GET /api/results/<series> and `cli results` answer (statistics.md).
 * Here, below both the model that builds it and the CSV writer that flattens it.
 */
export interface ResponseRateFigures {
  invited: number;
  answered: number;
  /** answered / invited; null when nobody was invited. */
  rate: number | null;
}

export interface ResultsDocument {
  series: string;
  year: number;
  by: GroupBy;
  /** Whether the figures are weighted (false when weighting was asked for but impossible). */
  weighted: boolean;
  weighting: Results["weighting"];
  measureSetVersion: string | null;
  minCount: number;
  lowPrecisionCount: number;
  respondents: number;
  measures: Results["measures"];
  comparison?: { from: number; to: number; weighted: boolean; measures: ComparisonRow[] };
  /**
   * A year that had a sample with invitation codes (issue 19): codes made and used, and the rate;
   * `groups` per group of `by` (keyed by the group's code, like the measures' groups) where the
   * sample gave that variable.
   */
  responseRate?: ResponseRateFigures & { groups?: Record<string, ResponseRateFigures> };
}
