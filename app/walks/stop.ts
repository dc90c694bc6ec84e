/**
 * A safety-walk stop as the tablet sends it (POST /api/walk-stops) and the page's form builds it:
 * one schema for both sides (decision 028). Pure and isomorphic: no database, no React.
 */

/** Where the tablet sends a stop (app/routes/api.walk-stops.ts). */
export const WALK_STOPS_PATH = "/api/walk-stops";

/** The safety survey's problem items (surveys/trygghetsmatning/questionnaire.json, problem_*). */
export const PROBLEM_CATEGORIES = [
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

/** A stop's category: a problem item, or what a walk sees that the survey does not ask about. */
export const WALK_CATEGORIES = [...PROBLEM_CATEGORIES, "lighting", "vegetation", "other"] as const;
export type WalkCategoryCode = (typeof WALK_CATEGORIES)[number];

export const WALK_RESPONSIBLE = ["kommunen", "polisen", "fastighetsagare", "annan"] as const;
export type WalkResponsibleCode = (typeof WALK_RESPONSIBLE)[number];

/** In order: proposed, decided, done, closed. Every status but the last counts as open. */
export const WALK_STATUSES = ["foreslagen", "beslutad", "atgardad", "avslutad"] as const;
export type WalkStatusCode = (typeof WALK_STATUSES)[number];
export const OPEN_STATUSES: readonly WalkStatusCode[] = ["foreslagen", "beslutad", "atgardad"];

export const MAX_PLACE_LENGTH = 200;
export const MAX_TEXT_LENGTH = 2000;

export interface WalkStopInput {
  clientId: string;
  placeName: string;
  latitude: number | null;
  longitude: number | null;
  category: WalkCategoryCode;
  observation: string;
  proposal: string;
  responsible: WalkResponsibleCode;
  /** YYYY-MM-DD, the day the stop was recorded on the tablet (it may arrive later). */
  recordedOn: string;
}

export type WalkStopParse =
  | { ok: true; value: WalkStopInput }
  | { ok: false; error: string; fields: Record<string, string[]> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KEYS = new Set(["clientId", "placeName", "latitude", "longitude", "category", "observation", "proposal", "responsible", "recordedOn"]);

function isRealDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function coordinate(value: unknown, limit: number): number | null | undefined {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && Math.abs(n) <= limit ? n : undefined;
}

/**
 * Checks a stop; the messages (English, the API's `error` and `fields`) say what was wrong.
 * Coordinates are optional but come in pairs. Texts are trimmed; `recordedOn` defaults to `today`.
 */
export function parseWalkStop(body: unknown, today = new Date().toISOString().slice(0, 10)): WalkStopParse {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, error: "The body must be a JSON object", fields: {} };
  }
  const input = body as Record<string, unknown>;
  const fields: Record<string, string[]> = Object.create(null);
  const fail = (key: string, message: string) => (fields[key] = [message]);
  for (const key of Object.keys(input)) if (!KEYS.has(key)) fail(key, "Unknown field");
  if (typeof input.clientId !== "string" || !UUID.test(input.clientId)) fail("clientId", "Expected a UUID made by the tablet");
  const text = (key: string, max: number) => {
    const value = typeof input[key] === "string" ? (input[key] as string).trim() : "";
    if (!value) fail(key, "Required");
    else if (value.length > max) fail(key, `At most ${max} characters`);
    return value;
  };
  const placeName = text("placeName", MAX_PLACE_LENGTH);
  const observation = text("observation", MAX_TEXT_LENGTH);
  const proposal = text("proposal", MAX_TEXT_LENGTH);
  const latitude = coordinate(input.latitude, 90);
  const longitude = coordinate(input.longitude, 180);
  if (latitude === undefined) fail("latitude", "Expected a latitude between -90 and 90");
  if (longitude === undefined) fail("longitude", "Expected a longitude between -180 and 180");
  if ((latitude === null) !== (longitude === null) && latitude !== undefined && longitude !== undefined) {
    fail(latitude === null ? "latitude" : "longitude", "Give both coordinates or neither");
  }
  if (!(WALK_CATEGORIES as readonly unknown[]).includes(input.category)) fail("category", `Expected one of ${WALK_CATEGORIES.join(", ")}`);
  if (!(WALK_RESPONSIBLE as readonly unknown[]).includes(input.responsible)) fail("responsible", `Expected one of ${WALK_RESPONSIBLE.join(", ")}`);
  const recordedOn = input.recordedOn ?? today;
  if (typeof recordedOn !== "string" || !isRealDate(recordedOn)) fail("recordedOn", "Expected a date YYYY-MM-DD");
  if (Object.keys(fields).length > 0) return { ok: false, error: "Invalid walk stop", fields };
  return {
    ok: true,
    value: {
      clientId: (input.clientId as string).toLowerCase(),
      placeName,
      latitude: latitude ?? null,
      longitude: longitude ?? null,
      category: input.category as WalkCategoryCode,
      observation,
      proposal,
      responsible: input.responsible as WalkResponsibleCode,
      recordedOn: recordedOn as string,
    },
  };
}

export function isWalkStatus(value: unknown): value is WalkStatusCode {
  return (WALK_STATUSES as readonly unknown[]).includes(value);
}
export function isWalkResponsible(value: unknown): value is WalkResponsibleCode {
  return (WALK_RESPONSIBLE as readonly unknown[]).includes(value);
}
export function isDate(value: unknown): value is string {
  return typeof value === "string" && isRealDate(value);
}
