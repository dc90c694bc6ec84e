/**
 * Measure definitions as data (statistics.md, "Default measures"): scoring one response,
 * fingerprinting a definition for comparability, validating a measure set.
 */
import type {
  AnswerValue,
  Answers,
  MeanMeasure,
  MeasureDefinition,
  MeasureSet,
  ShareMeasure,
} from "./types";

/** measureKey of the cell row that counts ALL respondents of a cell (the design). */
export const DESIGN_MEASURE_KEY = "*";

export type MeasureScore = { y: number | null; dontKnow: boolean };

/** An answer as the comparable strings it holds: [] when unanswered. Numbers and "1" compare equal. */
function answerStrings(value: AnswerValue): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((v) => v !== "");
  const s = String(value).trim();
  return s === "" ? [] : [s];
}

function toStringSet(values: (string | number)[] | undefined): Set<string> {
  return new Set((values ?? []).map((v) => String(v).trim()));
}

function scoreShare(def: ShareMeasure, answers: Answers): MeasureScore {
  const values = answerStrings(answers[def.item]);
  const validValues = def.valid === "answered" ? null : toStringSet(def.valid);
  const valid = validValues === null ? values.length > 0 : values.some((v) => validValues.has(v));
  if (valid) {
    const positive = toStringSet(def.positive);
    return { y: values.some((v) => positive.has(v)) ? 1 : 0, dontKnow: false };
  }
  const dontKnow = toStringSet(def.dontKnow);
  return { y: null, dontKnow: values.some((v) => dontKnow.has(v)) };
}

function scoreMean(def: MeanMeasure, answers: Answers): MeasureScore {
  let count = 0;
  let sum = 0;
  let dontKnow = false;
  for (const [item, scores] of Object.entries(def.items)) {
    const values = answerStrings(answers[item]);
    // A scored item holds one value; for an (unexpected) array the first scored element counts.
    const scored = values.find((v) => Object.prototype.hasOwnProperty.call(scores, v));
    if (scored !== undefined) {
      count += 1;
      sum += scores[scored];
    } else if (def.dontKnow?.[item]) {
      const dk = toStringSet(def.dontKnow[item]);
      if (values.some((v) => dk.has(v))) dontKnow = true;
    }
  }
  if (count >= def.minValid && count > 0) return { y: sum / count, dontKnow: false };
  return { y: null, dontKnow };
}

/**
 * Scores one response for every measure of the set: y = the respondent's value (share: 1 or 0;
 * mean: the mean of the valid item scores) or null when not valid for the measure; dontKnow =
 * not valid and at least one of the measure's items holds one of its "vet ej" values.
 * Answers compare as trimmed strings (numbers from the web API, strings from CSV).
 * Share, valid values: "answered" = any non-empty answer; for arrays, valid when ANY element is
 * a valid value and positive when ANY element is a positive value.
 * Reference: statistics.md, "Default measures".
 */
export function scoreResponse(set: MeasureSet, answers: Answers): Map<string, MeasureScore> {
  const out = new Map<string, MeasureScore>();
  for (const def of set.measures) {
    out.set(def.key, def.kind === "share" ? scoreShare(def, answers) : scoreMean(def, answers));
  }
  return out;
}

/**
 * scoreResponse with each definition's value sets built once instead of per response (an import
 * scores millions). Same verdicts: the same comparisons in the same order, so the same y values
 * to the last bit. Calls `visit` per measure in the set's order. The set must not change while
 * the returned function is in use (it keeps what it read).
 */
export function compileScoreResponse(
  set: MeasureSet,
): (answers: Answers, visit: (key: string, y: number | null, dontKnow: boolean) => void) => void {
  const scorers = set.measures.map((def): ((answers: Answers) => MeasureScore) => {
    if (def.kind === "share") {
      const validValues = def.valid === "answered" ? null : toStringSet(def.valid);
      const positive = toStringSet(def.positive);
      const dontKnow = toStringSet(def.dontKnow);
      return (answers) => {
        const values = answerStrings(answers[def.item]);
        const valid = validValues === null ? values.length > 0 : values.some((v) => validValues.has(v));
        if (valid) return { y: values.some((v) => positive.has(v)) ? 1 : 0, dontKnow: false };
        return { y: null, dontKnow: values.some((v) => dontKnow.has(v)) };
      };
    }
    const items = Object.entries(def.items).map(([item, scores]) => ({
      item,
      scores,
      dontKnow: def.dontKnow?.[item] ? toStringSet(def.dontKnow[item]) : null,
    }));
    return (answers) => {
      let count = 0;
      let sum = 0;
      let dontKnow = false;
      for (const { item, scores, dontKnow: dk } of items) {
        const values = answerStrings(answers[item]);
        const scored = values.find((v) => Object.prototype.hasOwnProperty.call(scores, v));
        if (scored !== undefined) {
          count += 1;
          sum += scores[scored];
        } else if (dk) {
          if (values.some((v) => dk.has(v))) dontKnow = true;
        }
      }
      if (count >= def.minValid && count > 0) return { y: sum / count, dontKnow: false };
      return { y: null, dontKnow };
    };
  });
  const keys = set.measures.map((def) => def.key);
  return (answers, visit) => {
    for (let i = 0; i < scorers.length; i++) {
      const score = scorers[i](answers);
      visit(keys[i], score.y, score.dontKnow);
    }
  };
}

function sortedStrings(values: (string | number)[]): string[] {
  return [...toStringSet(values)].sort();
}

/**
 * The parts of a definition that decide its figures, as canonical JSON (sorted keys and values,
 * values as strings): kind, item(s), valid and positive values, scores, minValid. Names, formula
 * texts, scale and "vet ej" values are left out: they do not change an estimate.
 */
export function canonicalMeasureDefinition(def: MeasureDefinition): string {
  if (def.kind === "share") {
    return JSON.stringify({
      kind: "share",
      item: def.item,
      valid: def.valid === "answered" ? "answered" : sortedStrings(def.valid),
      positive: sortedStrings(def.positive),
    });
  }
  const items = Object.keys(def.items)
    .sort()
    .map((item) => {
      const scores = def.items[item];
      return [item, Object.keys(scores).map((v) => String(v).trim()).sort().map((v) => [v, scores[v]])];
    });
  return JSON.stringify({ kind: "mean", items, minValid: def.minValid });
}

// BigInt() calls rather than 123n literals: no bundler target can reject them.
const FNV_PRIME = BigInt("0x100000001b3");
const FNV_OFFSET = BigInt("0xcbf29ce484222325");
const MASK_64 = BigInt("0xffffffffffffffff");

/** FNV-1a, 64 bit, over the UTF-8 bytes of s, as 16 hex digits. */
export function fnv1a64(s: string): string {
  const prime = FNV_PRIME;
  const mask = MASK_64;
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(s)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, "0");
}

/**
 * A stable fingerprint of what a measure computes: "v1:" + FNV-1a 64 of
 * `canonicalMeasureDefinition(def)`. Two years are comparable for a measure only when the
 * fingerprints are equal (statistics.md, "Year-over-year comparison"). Renaming a measure or
 * rewording its formula text keeps the fingerprint; changing an item, a valid value or a score
 * changes it. Reference: Fowler–Noll–Vo FNV-1a (IETF draft-eastlake-fnv).
 */
export function measureFingerprint(def: MeasureDefinition): string {
  return `v1:${fnv1a64(canonicalMeasureDefinition(def))}`;
}

/** Fingerprints of every measure of a set, by key (for `compareResults`). */
export function measureFingerprints(set: MeasureSet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const def of set.measures) out[def.key] = measureFingerprint(def);
  return out;
}

export type MeasureSetProblem = { path: string; message: string };

function checkText(value: unknown, path: string, problems: MeasureSetProblem[]): void {
  const t = value as { sv?: unknown; en?: unknown } | undefined;
  for (const locale of ["sv", "en"] as const) {
    if (!t || typeof t[locale] !== "string" || (t[locale] as string).trim() === "") {
      problems.push({ path: `${path}.${locale}`, message: "text is missing" });
    }
  }
}

function isValueList(value: unknown): value is (string | number)[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number");
}

/**
 * Checks a measure set before it is published; returns its problems (an empty list = usable).
 * Checks: version, unique non-empty keys (not "*"), names and formula texts in sv and en, known
 * items (when `questionNames` is given), non-empty valid/positive value lists, positive values
 * that are valid, "vet ej" values that are not valid, finite scores inside the scale,
 * 1 ≤ minValid ≤ number of items, and that problem_index refers to share measures and has a
 * band table with increasing cut points ending in an "otherwise" band.
 */
export function validateMeasureSet(set: MeasureSet, questionNames?: Iterable<string>): MeasureSetProblem[] {
  const problems: MeasureSetProblem[] = [];
  const known = questionNames ? new Set(questionNames) : null;
  const checkItem = (item: unknown, path: string) => {
    if (typeof item !== "string" || item === "") problems.push({ path, message: "item is missing" });
    else if (known && !known.has(item)) problems.push({ path, message: `unknown item "${item}"` });
  };
  if (!set || typeof set !== "object") return [{ path: "", message: "measure set is not an object" }];
  if (typeof set.version !== "string" || set.version.trim() === "") {
    problems.push({ path: "version", message: "version is missing" });
  }
  if (!Array.isArray(set.measures) || set.measures.length === 0) {
    problems.push({ path: "measures", message: "no measures" });
    return problems;
  }
  const seen = new Set<string>();
  set.measures.forEach((def, i) => {
    const path = `measures[${i}]${typeof def?.key === "string" && def.key ? `(${def.key})` : ""}`;
    if (typeof def?.key !== "string" || def.key.trim() === "") {
      problems.push({ path, message: "key is missing" });
    } else if (def.key === DESIGN_MEASURE_KEY || def.key === "problem_index") {
      problems.push({ path, message: `key "${def.key}" is reserved` });
    } else if (seen.has(def.key)) {
      problems.push({ path, message: `duplicate key "${def.key}"` });
    } else {
      seen.add(def.key);
    }
    checkText(def?.name, `${path}.name`, problems);
    checkText(def?.formula, `${path}.formula`, problems);
    if (def?.kind === "share") {
      checkItem(def.item, `${path}.item`);
      const validList = def.valid === "answered" ? null : def.valid;
      if (def.valid !== "answered" && (!isValueList(def.valid) || def.valid.length === 0)) {
        problems.push({ path: `${path}.valid`, message: 'valid must be "answered" or a non-empty list of values' });
      }
      if (!isValueList(def.positive) || def.positive.length === 0) {
        problems.push({ path: `${path}.positive`, message: "positive must be a non-empty list of values" });
      } else if (isValueList(validList) && validList.length > 0) {
        const valid = toStringSet(validList);
        const outside = def.positive.filter((v) => !valid.has(String(v).trim()));
        if (outside.length > 0) {
          problems.push({ path: `${path}.positive`, message: `positive values not valid: ${outside.join(", ")}` });
        }
      }
      if (def.dontKnow !== undefined) {
        if (!isValueList(def.dontKnow)) {
          problems.push({ path: `${path}.dontKnow`, message: "dontKnow must be a list of values" });
        } else if (isValueList(validList)) {
          const valid = toStringSet(validList);
          const overlap = def.dontKnow.filter((v) => valid.has(String(v).trim()));
          if (overlap.length > 0) {
            problems.push({ path: `${path}.dontKnow`, message: `"vet ej" values are also valid: ${overlap.join(", ")}` });
          }
        }
      }
    } else if (def?.kind === "mean") {
      const items = def.items && typeof def.items === "object" ? Object.keys(def.items) : [];
      if (items.length === 0) problems.push({ path: `${path}.items`, message: "no items" });
      const scale = def.scale;
      const scaleOk =
        Array.isArray(scale) && scale.length === 2 && Number.isFinite(scale[0]) && Number.isFinite(scale[1]) && scale[0] < scale[1];
      if (!scaleOk) problems.push({ path: `${path}.scale`, message: "scale must be [low, high] with low < high" });
      for (const item of items) {
        checkItem(item, `${path}.items.${item}`);
        const scores = def.items[item];
        const entries = scores && typeof scores === "object" ? Object.entries(scores) : [];
        if (entries.length === 0) problems.push({ path: `${path}.items.${item}`, message: "no scored values" });
        for (const [value, score] of entries) {
          if (typeof score !== "number" || !Number.isFinite(score)) {
            problems.push({ path: `${path}.items.${item}.${value}`, message: "score is not a finite number" });
          } else if (scaleOk && (score < scale[0] || score > scale[1])) {
            problems.push({ path: `${path}.items.${item}.${value}`, message: `score ${score} is outside the scale` });
          }
        }
      }
      if (!Number.isInteger(def.minValid) || def.minValid < 1 || def.minValid > Math.max(items.length, 1)) {
        problems.push({ path: `${path}.minValid`, message: `minValid must be an integer from 1 to ${items.length}` });
      }
      for (const [item, values] of Object.entries(def.dontKnow ?? {})) {
        if (!items.includes(item)) {
          problems.push({ path: `${path}.dontKnow.${item}`, message: `"vet ej" values for an item that is not scored` });
        } else if (!isValueList(values)) {
          problems.push({ path: `${path}.dontKnow.${item}`, message: "dontKnow must be a list of values" });
        } else {
          const overlap = values.filter((v) => Object.prototype.hasOwnProperty.call(def.items[item], String(v).trim()));
          if (overlap.length > 0) {
            problems.push({ path: `${path}.dontKnow.${item}`, message: `"vet ej" values are also scored: ${overlap.join(", ")}` });
          }
        }
      }
    } else {
      problems.push({ path: `${path}.kind`, message: 'kind must be "share" or "mean"' });
    }
  });
  const pi = set.problemIndex;
  if (pi !== undefined) {
    const path = "problemIndex";
    if (pi.key !== "problem_index") problems.push({ path: `${path}.key`, message: 'key must be "problem_index"' });
    checkText(pi.name, `${path}.name`, problems);
    checkText(pi.formula, `${path}.formula`, problems);
    if (!Array.isArray(pi.measures) || pi.measures.length === 0) {
      problems.push({ path: `${path}.measures`, message: "no measures" });
    } else {
      for (const key of pi.measures) {
        const def = set.measures.find((m) => m.key === key);
        if (!def) problems.push({ path: `${path}.measures`, message: `unknown measure "${key}"` });
        else if (def.kind !== "share") problems.push({ path: `${path}.measures`, message: `"${key}" is not a share` });
      }
    }
    if (!Array.isArray(pi.bands) || pi.bands.length === 0) {
      problems.push({ path: `${path}.bands`, message: "no bands" });
    } else {
      let previous = -Infinity;
      pi.bands.forEach((band, i) => {
        const last = i === pi.bands.length - 1;
        if (!Number.isFinite(band?.level)) {
          problems.push({ path: `${path}.bands[${i}].level`, message: "level is not a finite number" });
        }
        if (band?.below === null) {
          if (!last) problems.push({ path: `${path}.bands[${i}]`, message: 'only the last band may be "otherwise" (below: null)' });
        } else {
          if (typeof band?.below !== "number" || !Number.isFinite(band.below) || band.below <= previous) {
            problems.push({ path: `${path}.bands[${i}].below`, message: "cut points must be finite and increasing" });
          } else {
            previous = band.below;
          }
          if (last) problems.push({ path: `${path}.bands[${i}]`, message: 'the last band must be "otherwise" (below: null)' });
        }
      });
    }
  }
  return problems;
}
