/**
 * The database schema as TypeScript types (Kysely's `Database` interface).
 * Types only: importing this file opens nothing.
 *
 * Portable across SQLite and PostgreSQL: text ids (random UUIDs), ISO-8601
 * text timestamps, integers for flags, double precision for sums.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface SurveySeriesTable {
  id: string;
  kind: string;
  title_sv: string;
  title_en: string;
  created_at: string;
}

export type EditionStatus = "draft" | "open" | "closed";

export interface SurveyEditionTable {
  /** `<series>-<year>`, e.g. `trygghetsmatning-2025`. */
  id: string;
  series_id: string;
  year: number;
  status: EditionStatus;
  opens_on: string | null;
  closes_on: string | null;
  /** The SurveyJS definition as published (areas injected); never edited afterwards. */
  questionnaire_json: string;
  /** The measure set as published (surveys/<series>/measures.json at publish time). */
  measures_json: string | null;
  measures_version: string | null;
  /** sha256 of questionnaire_json, to tell editions apart in logs and caches. */
  definition_hash: string;
  published_at: string;
  is_demo: number;
  /** Set when the year's raw answers were deleted; its figures remain. */
  answers_deleted_on: string | null;
  /** Who may answer: anyone, only with an invitation code, or both (issue 19). */
  access: Generated<EditionAccess>;
}

export type EditionAccess = "open" | "code" | "both";

export type Channel = "web" | "tablet" | "paper" | "import";

export interface ResponseTable {
  /** Random UUID: says nothing about order or time of submission. */
  id: string;
  edition_id: string;
  /** Made by the browser; makes a retried submission idempotent. */
  client_id: string;
  channel: Channel;
  /** A dialogue session or safety walk; null for the ordinary survey. */
  session_id: string | null;
  /** Background variables copied out of the answers for grouping ('' = unanswered). */
  area: string;
  gender: string;
  age_group: string;
  answers_json: string;
  /**
   * The response's value for each measure it is valid for, and the measures it answered "vet ej"
   * to: {"v": {"safety_index": 66.7, …}, "dk": ["avoid_share"]}. Written at submission and import
   * time; rebuilt by `cli recompute`. Null only for rows stored before the column existed.
   */
  scores_json: string | null;
  /**
   * The interface language the answer was given in (sv, en, ar, fa, so, fi); null before the
   * column existed, for imports and example data. Never a grouping of published figures
   * (decision 012).
   */
  language: string | null;
  /** Date only (YYYY-MM-DD): a finer time could be linked to an invitation. */
  submitted_on: string;
  is_demo: number;
}

/**
 * Sufficient statistics per edition, measure and cell (area × gender × age_group),
 * maintained in the same transaction as the responses. measure_key '*' counts all
 * respondents of the cell (the design). Survives deletion of raw answers.
 */
export interface CellStatTable {
  edition_id: string;
  measure_key: string;
  area: string;
  gender: string;
  age_group: string;
  n: number;
  sum_y: number;
  sum_y2: number;
  n_dont_know: number;
}

export interface PopulationCellTable {
  edition_id: string;
  area: string;
  gender: string;
  age_group: string;
  count: number;
}

export interface PopulationTableTable {
  edition_id: string;
  /** JSON array of the weighting variables the table is given by. */
  variables: string;
  source: string;
  imported_at: string;
}

export type Role = "admin" | "analyst" | "facilitator";

export interface AppUserTable {
  id: string;
  email: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash`: the cost travels with the hash, so old ones are upgraded at sign-in. */
  password_hash: string;
  created_at: string;
  is_demo: number;
  /** Base32 TOTP secret once a second factor is enrolled. */
  totp_secret: string | null;
  /** The last TOTP time step accepted: a code is never taken twice. */
  totp_last_step: number | null;
  password_changed_at: string | null;
}

export interface UserSessionTable {
  /** sha256 of the cookie's token: a leaked table does not give sessions away. */
  id: string;
  user_id: string;
  /** sha256 of the session's CSRF token (the token itself is derived from the cookie's). */
  csrf_token: string;
  /** The absolute end (SESSION_MAX_HOURS after sign-in). */
  expires_at: string;
  created_at: string;
  /** Renewed on activity; idle longer than SESSION_IDLE_MINUTES and the session is over. */
  last_seen_at: string;
  /** A summary such as "Firefox på Windows", never the raw header. */
  user_agent: string;
  /** 'active', or 'second_factor' between a right password and a right code. */
  stage: SessionStage;
  failed_codes: number;
  /** A TOTP secret shown for enrolment, kept until a code from it confirms it. */
  pending_totp_secret: string | null;
}

export type SessionStage = "active" | "second_factor";

/** Growing delays after failed sign-ins, per e-mail address tried and per client address. */
export interface SignInThrottleTable {
  /** `account:<e-mail as typed, normalised>` or `address:<client key>`. */
  key: string;
  failures: number;
  blocked_until: string;
  last_attempt_at: string;
}

export interface AppSettingTable {
  key: string;
  value: string;
}

/** The OpenID provider's identity behind a staff account (decision 022). */
export interface OidcIdentityTable {
  user_id: string;
  /** The provider's issuer identifier, exactly as in its id_tokens. */
  issuer: string;
  /** The provider's stable id of the person (`sub`): the key, never the e-mail. */
  subject: string;
  /** From the latest sign-in, for display only. */
  email: string | null;
  name: string | null;
  created_at: string;
  last_sign_in_at: string;
}

/** One security-relevant event (decision 023). Never a password, token or survey answer. */
export interface AuditEventTable {
  id: string;
  at: string;
  event: string;
  account_id: string | null;
  email: string | null;
  /** The client's address as the server saw it, or `cli (<user>)` for the command line. */
  address: string;
  /** A small JSON object of allowed keys (app/models/audit.server.ts). */
  detail: string | null;
}

export type SessionKind = "medborgardialog" | "trygghetsvandring" | "platsbesok" | "trafiktips";
export type SessionStatus = "planned" | "open" | "closed";

/** A dialogue session, site visit, safety walk or tip collection run by a facilitator (issue 17). */
export interface DialogueSessionTable {
  /** Random UUID; answers carry it as response.session_id. */
  id: string;
  /** Six characters from an alphabet without look-alikes, stored upper-case; read aloud, typed on a tablet. */
  code: string;
  kind: SessionKind;
  /** The questionnaire answered in the session (an open edition). */
  edition_id: string;
  place: string;
  area: string;
  /** Date only (YYYY-MM-DD). */
  held_on: string;
  status: SessionStatus;
  facilitator_id: string;
  opened_at: string | null;
  closed_at: string | null;
  created_at: string;
  is_demo: number;
}

export type WalkCategory = string;
export type WalkResponsible = "kommunen" | "polisen" | "fastighetsagare" | "annan";
export type WalkActionStatus = "foreslagen" | "beslutad" | "atgardad" | "avslutad";

/** A stop on a safety walk: what was seen where. */
export interface WalkStopTable {
  id: string;
  session_id: string;
  /** Made by the tablet; makes a stop sent again from the offline queue idempotent. */
  client_id: string;
  place_name: string;
  latitude: number | null;
  longitude: number | null;
  /** A problem item code of the safety survey (problem_*), or lighting, vegetation, other. */
  category: WalkCategory;
  observation: string;
  recorded_on: string;
  /** app_user.id of the facilitator who recorded it. */
  created_by: string;
  created_at: string;
  is_demo: number;
}

/** What should be done about a stop, by whom, and how far it has come. */
export interface WalkActionTable {
  id: string;
  stop_id: string;
  /** The session's area, copied for the open-actions list by area. */
  area: string;
  proposal: string;
  responsible: WalkResponsible;
  status: WalkActionStatus;
  /** Date only: when the current status was set. */
  status_on: string;
  /** app_user.id of who set the current status. */
  status_by: string;
  created_at: string;
  is_demo: number;
  /** Raised by every status change: the optimistic check against concurrent changes (migration 1320). */
  version: number;
}

/** Every status an action has had (the first is föreslagen, written with the action). */
export interface WalkActionEventTable {
  id: string;
  action_id: string;
  status: WalkActionStatus;
  status_on: string;
  changed_by: string;
  note: string | null;
  created_at: string;
}

export type PromiseCarrier = "polisen" | "kommunen" | "bada";
export type PromiseStatus = "planerat" | "pagar" | "genomfort" | "installt";
export type ActivityKind = "trafikkontroll" | "trygghetsvandring" | "platsbesok" | "informationsinsats";
export type IndicatorKind = "measure" | "activities" | "vehicles_checked" | "tip_sites" | "walk_actions_done";

/** A year of citizen promises; signing (date and the two signatories' roles) freezes its promises. */
export interface PromiseYearTable {
  year: number;
  signed_on: string | null;
  /** JSON array of the two signatories' roles (never names). */
  signatory_roles: string | null;
  signed_by: string | null;
  signed_at: string | null;
  is_demo: number;
}

/** One citizen promise (medborgarlöfte). */
export interface PromiseTable {
  id: string;
  year: number;
  position: number;
  text: string;
  carried_by: PromiseCarrier;
  valid_from: string;
  valid_to: string;
  status: PromiseStatus;
  /** The promise of an earlier year this draft was copied from. */
  drafted_from: string | null;
  /** JSON: the figures that motivated a draft (measure, group, year, estimate, change). */
  motivation_json: string | null;
  /** Optimistic concurrency: an edit names the revision it started from. */
  revision: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
  is_demo: number;
}

/** What a promise is followed up by: a survey measure (optionally one group) or an activity count. */
export interface PromiseIndicatorTable {
  id: string;
  promise_id: string;
  position: number;
  kind: IndicatorKind;
  series_id: string | null;
  measure_key: string | null;
  group_by: "area" | "gender" | "age_group" | null;
  group_value: string | null;
  activity_kind: ActivityKind | null;
  target: number | null;
}

/** A promise's status as it changed (the public Atom feed). */
export interface PromiseEventTable {
  id: string;
  promise_id: string;
  year: number;
  status: PromiseStatus;
  at: string;
}

/** The coordinators' assessment of a promise's year. */
export interface PromiseAssessmentTable {
  promise_id: string;
  text: string;
  revision: number;
  updated_at: string;
  updated_by: string;
}

/** An activity logged by police or municipality staff. */
export interface PromiseActivityTable {
  id: string;
  year: number;
  promise_id: string | null;
  done_on: string;
  kind: ActivityKind;
  place: string;
  area: string;
  party: "polisen" | "kommunen";
  vehicles_checked: number | null;
  tip_sites: number | null;
  participants: number | null;
  logged_by: string;
  revision: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
  is_demo: number;
}

/** An earlier version of an activity, kept when it was edited. */
export interface PromiseActivityVersionTable {
  id: string;
  activity_id: string;
  revision: number;
  snapshot_json: string;
  replaced_at: string;
  replaced_by: string;
}

/**
 * One person of an edition's sample (or one of N codes made for an area): the code printed on
 * their letter. Written once, never updated: using the code writes invitation_use instead.
 */
export interface InvitationTable {
  /** Random UUID. */
  id: string;
  edition_id: string;
  /** Ten characters without look-alikes, stored upper-case without the hyphen. */
  code: string;
  /** The sample's own id for the person (never a name or address); null for codes made per area. */
  sample_id: string | null;
  /** The stratum: a response given with the code stores this area. */
  area: string;
  age_group: string;
  gender: string;
  /** The letter's language, when the sample gives one. */
  language: string | null;
  created_on: string;
}

/**
 * A code's use: the day and the channel, nothing else. Keyed by the invitation's random id and,
 * on SQLite, WITHOUT ROWID: it keeps no insertion order to line up with the responses' (decision
 * 035). No response column points here and no column here points to a response.
 */
export interface InvitationUseTable {
  invitation_id: string;
  edition_id: string;
  /** Date only (YYYY-MM-DD). */
  used_on: string;
  channel: Channel;
}

export interface Database {
  survey_series: SurveySeriesTable;
  survey_edition: SurveyEditionTable;
  response: ResponseTable;
  cell_stat: CellStatTable;
  population_cell: PopulationCellTable;
  population_table: PopulationTableTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  sign_in_throttle: SignInThrottleTable;
  app_setting: AppSettingTable;
  oidc_identity: OidcIdentityTable;
  audit_event: AuditEventTable;
  dialogue_session: DialogueSessionTable;
  walk_stop: WalkStopTable;
  walk_action: WalkActionTable;
  walk_action_event: WalkActionEventTable;
  promise_year: PromiseYearTable;
  promise: PromiseTable;
  promise_indicator: PromiseIndicatorTable;
  promise_event: PromiseEventTable;
  promise_assessment: PromiseAssessmentTable;
  promise_activity: PromiseActivityTable;
  promise_activity_version: PromiseActivityVersionTable;
  invitation: InvitationTable;
  invitation_use: InvitationUseTable;
}

export type SurveyEdition = Selectable<SurveyEditionTable>;
export type NewSurveyEdition = Insertable<SurveyEditionTable>;
export type ResponseRow = Selectable<ResponseTable>;
export type NewResponse = Insertable<ResponseTable>;
export type CellStatRow = Selectable<CellStatTable>;
export type AppUser = Selectable<AppUserTable>;
export type AppUserUpdate = Updateable<AppUserTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type InvitationRow = Selectable<InvitationTable>;
