/**
 * Invitation codes for an edition's sample (issue 19, decisions 035-036): one code per person of
 * the sample, or N per area; each answers once. The anonymity rules:
 *
 * - `invitation` is written once and never updated; a code's use is its own row in
 *   `invitation_use` (the invitation's random id, the edition, the day, the channel).
 * - The response stores the code's area as its stratum and nothing else of the invitation; no
 *   column links a response to a code or a sample id, and neither keeps a time finer than the day.
 * - Order: `invitation_use` is keyed by a random id and on SQLite WITHOUT ROWID, so its storage
 *   order is the ids' order, not the order of use. On PostgreSQL a heap keeps insertion order
 *   (ctid) and every row written in one transaction carries its id (xmin), so the uses are
 *   rewritten in key order by `resealInvitationUses` (every few minutes while codes are used),
 *   which leaves all of them one xmin and no order of use.
 */
import { randomInt, randomUUID } from "node:crypto";
import { PostgresAdapter, sql, type Transaction } from "kysely";
import type { Db } from "~/db/db.server";
import type { Channel, Database, InvitationRow, SurveyEdition } from "~/db/schema";
import { isLanguage } from "~/i18n/languages";
import { questionsOf } from "~/surveys/edition-diff";
import { today } from "~/utils/clock.server";
import { parseCsv, toCsv } from "~/utils/csv";

/** 32 characters: digits and capitals without 0/O, 1/I (L stays: there is no 1 to mistake it for). */
export const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/** 10 characters of 5 bits: 50 bits from node:crypto. */
export const CODE_LENGTH = 10;

/** A new code, stored form (upper-case, no hyphen). */
export function newCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** The code as printed: two groups of five, XXXXX-XXXXX. */
export function formatCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * A typed or linked code in stored form: case, spaces and hyphens ignored; null when it cannot be
 * a code (wrong length or a character outside the alphabet).
 */
export function normalizeCode(input: unknown): string | null {
  if (typeof input !== "string" || input.length > 40) return null;
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== CODE_LENGTH) return null;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** The code was used before (409). */
export class CodeUsedError extends Error {
  constructor() {
    super("This invitation code has already been used to answer");
    this.name = "CodeUsedError";
  }
}

/** No such code for this edition (404): unknown, or another edition's (the same answer for both). */
export class CodeUnknownError extends Error {
  constructor() {
    super("Unknown invitation code for this survey");
    this.name = "CodeUnknownError";
  }
}

export interface SamplePerson {
  sampleId: string | null;
  area: string;
  ageGroup: string;
  gender: string;
  language: string | null;
}

/** What a sample file or a form may hold, checked against the edition's questionnaire. */
export class SampleError extends Error {
  constructor(readonly problems: string[]) {
    super(`The sample has ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.slice(0, 5).join("; ")}`);
    this.name = "SampleError";
  }
}

/** The codes (values) the edition's questionnaire allows for area, age_group and gender. */
function allowedValues(edition: Pick<SurveyEdition, "questionnaire_json">) {
  const questions = questionsOf(JSON.parse(edition.questionnaire_json));
  const values = (name: string) => new Set([...(questions.get(name)?.choices.keys() ?? [])]);
  return { area: values("area"), age_group: values("age_group"), gender: values("gender") };
}

const SAMPLE_COLUMNS = ["sample_id", "area", "age_group", "gender", "language"];

/**
 * Reads a sample CSV: `sample_id,area[,age_group,gender][,language]` (header required, any
 * order). Names and addresses are refused: a column outside these is an error. Every problem is
 * listed by line.
 */
export function parseSample(text: string, edition: Pick<SurveyEdition, "questionnaire_json">): SamplePerson[] {
  const records = parseCsv(text);
  if (records.length === 0) throw new SampleError(["the file is empty"]);
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const problems: string[] = [];
  for (const h of header) if (!SAMPLE_COLUMNS.includes(h)) problems.push(`unknown column "${h}" (allowed: ${SAMPLE_COLUMNS.join(", ")}; never names or addresses)`);
  for (const required of ["sample_id", "area"]) if (!header.includes(required)) problems.push(`the column "${required}" is missing`);
  if (problems.length > 0) throw new SampleError(problems);
  const allowed = allowedValues(edition);
  const col = (name: string) => header.indexOf(name);
  const seen = new Set<string>();
  const people: SamplePerson[] = [];
  for (const record of records.slice(1)) {
    const get = (name: string) => (col(name) >= 0 ? (record.fields[col(name)] ?? "").trim() : "");
    const person: SamplePerson = {
      sampleId: get("sample_id"),
      area: get("area"),
      ageGroup: get("age_group"),
      gender: get("gender"),
      language: get("language") || null,
    };
    const at = `line ${record.line}`;
    if (!person.sampleId) problems.push(`${at}: sample_id is empty`);
    else if (seen.has(person.sampleId)) problems.push(`${at}: sample_id ${person.sampleId} appears twice`);
    seen.add(person.sampleId ?? "");
    if (!allowed.area.has(person.area)) problems.push(`${at}: unknown area "${person.area}"`);
    if (person.ageGroup && allowed.age_group.size > 0 && !allowed.age_group.has(person.ageGroup)) problems.push(`${at}: unknown age_group "${person.ageGroup}"`);
    if (person.gender && allowed.gender.size > 0 && !allowed.gender.has(person.gender)) problems.push(`${at}: unknown gender "${person.gender}"`);
    if (person.language && !isLanguage(person.language)) problems.push(`${at}: unknown language "${person.language}" (sv, en, ar, fa, so, fi)`);
    people.push(person);
  }
  if (people.length === 0) problems.push("the file has a header but no people");
  if (problems.length > 0) throw new SampleError(problems);
  return people;
}

/** `perArea` anonymous codes for each of `areas` (every area of the edition when not given). */
export function peoplePerArea(edition: Pick<SurveyEdition, "questionnaire_json">, perArea: number, areas?: string[]): SamplePerson[] {
  if (!Number.isInteger(perArea) || perArea < 1 || perArea > 100_000) throw new SampleError(["the number of codes per area must be a whole number from 1 to 100000"]);
  const allowed = allowedValues(edition).area;
  const chosen = areas && areas.length > 0 ? areas : [...allowed];
  const unknown = chosen.filter((a) => !allowed.has(a));
  if (unknown.length > 0) throw new SampleError(unknown.map((a) => `unknown area "${a}"`));
  return chosen.flatMap((area) => Array.from({ length: perArea }, () => ({ sampleId: null, area, ageGroup: "", gender: "", language: null })));
}

/**
 * Makes one code per person and stores them; returns how many. A sample id already given a code
 * for this edition is refused (upload the new people only). Insertion order is shuffled by the
 * random ids (the primary key); a code clash (about 1 in 10^15 per pair) is drawn again.
 */
export async function createInvitations({ db, editionId, people }: { db: Db; editionId: string; people: SamplePerson[] }): Promise<number> {
  const ids = people.map((p) => p.sampleId).filter((s): s is string => Boolean(s));
  for (let i = 0; i < ids.length; i += 500) {
    const clash = await db.selectFrom("invitation").select("sample_id").where("edition_id", "=", editionId).where("sample_id", "in", ids.slice(i, i + 500)).execute();
    if (clash.length > 0) throw new SampleError(clash.map((c) => `sample_id ${c.sample_id} already has a code`));
  }
  const on = today();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < people.length; i += 1000) {
      const rows = people.slice(i, i + 1000).map((p) => ({
        id: randomUUID(),
        edition_id: editionId,
        code: newCode(),
        sample_id: p.sampleId,
        area: p.area,
        age_group: p.ageGroup,
        gender: p.gender,
        language: p.language,
        created_on: on,
      }));
      const inserted = await trx.insertInto("invitation").values(rows).onConflict((oc) => oc.column("code").doNothing()).returning("id").execute();
      if (inserted.length !== rows.length) {
        const done = new Set(inserted.map((r) => r.id));
        for (const row of rows.filter((r) => !done.has(r.id))) {
          await trx.insertInto("invitation").values({ ...row, code: newCode() }).execute();
        }
      }
    }
  });
  return people.length;
}

/** The invitation for a code (any edition), or undefined. */
export async function findInvitation({ db, code }: { db: Db; code: string }): Promise<InvitationRow | undefined> {
  const normalized = normalizeCode(code);
  if (!normalized) return undefined;
  return db.selectFrom("invitation").selectAll().where("code", "=", normalized).executeTakeFirst();
}

/**
 * Frees a code again (a paper form typed in by mistake and undone by the one who typed it): the
 * use is deleted; nothing links it to the response that was removed.
 */
export async function releaseInvitationUse({ db, code }: { db: Db; code: string }): Promise<boolean> {
  const invitation = await findInvitation({ db, code });
  if (!invitation) return false;
  const result = await db.deleteFrom("invitation_use").where("invitation_id", "=", invitation.id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Whether the code's use is stored (false for an unused or unknown id). */
export async function isInvitationUsed({ db, invitationId }: { db: Db; invitationId: string }): Promise<boolean> {
  return Boolean(await db.selectFrom("invitation_use").select("invitation_id").where("invitation_id", "=", invitationId).executeTakeFirst());
}

/** The link a letter carries: `<base>/enkat/<edition>?kod=XXXXX-XXXXX` (and `&lang=` for its language). */
export function invitationLink(baseUrl: string, invitation: Pick<InvitationRow, "edition_id" | "code" | "language">): string {
  const base = baseUrl.replace(/\/+$/, "");
  const lang = invitation.language ? `&lang=${invitation.language}` : "";
  return `${base}/enkat/${invitation.edition_id}?kod=${formatCode(invitation.code)}${lang}`;
}

export async function listInvitations({ db, editionId, unusedOnly = false }: { db: Db; editionId: string; unusedOnly?: boolean }) {
  let q = db
    .selectFrom("invitation")
    .leftJoin("invitation_use", "invitation_use.invitation_id", "invitation.id")
    .select(["invitation.id", "invitation.edition_id", "invitation.code", "invitation.sample_id", "invitation.area", "invitation.age_group", "invitation.gender", "invitation.language", "invitation_use.used_on"])
    .where("invitation.edition_id", "=", editionId);
  if (unusedOnly) q = q.where("invitation_use.invitation_id", "is", null);
  return q.orderBy("invitation.area").orderBy("invitation.sample_id").orderBy("invitation.code").execute();
}

/** The mail merge's CSV (UTF-8 with BOM): sample_id, area, code, link; `unusedOnly` for the reminder. */
export async function invitationsCsv({ db, editionId, baseUrl, unusedOnly = false }: { db: Db; editionId: string; baseUrl: string; unusedOnly?: boolean }) {
  const rows = await listInvitations({ db, editionId, unusedOnly });
  return {
    rows: rows.length,
    csv: toCsv(["sample_id", "area", "code", "link"], rows.map((r) => [r.sample_id ?? "", r.area, formatCode(r.code), invitationLink(baseUrl, r)])),
  };
}

/**
 * The invitation an input of the response writer came with: its id and area when the caller has
 * looked it up already (tests, tools), or just the normalised code (the API and paper entry),
 * which the writer then resolves in its transaction: one query for a whole batch instead of a
 * lookup per request before validation (issue 19: code checks must cost a submission little).
 */
export type InvitationRef = { id: string; area: string } | { code: string };

/** An input of the response writer that came with a code (the API's or the paper entry's). */
export interface ClaimInput {
  clientId: string;
  editionId: string;
  channel: Channel;
  invitation?: InvitationRef | null;
}

export interface Claims {
  /** Inputs that must not be stored: their code was unknown or used by someone else. */
  refused: Map<number, Error>;
  /** clientId → invitation id claimed in this transaction. */
  claimed: Map<string, string>;
  /** Input index → the area of its invitation (the response's stratum). */
  areas: Map<number, string>;
}

/**
 * Resolves the codes of a batch to their invitations with one query; a code unknown or of another
 * edition refuses its input with CodeUnknownError.
 */
async function resolveCodes(trx: Transaction<Database>, coded: { input: ClaimInput; index: number }[], claims: Claims) {
  const resolved = new Map<number, { id: string; area: string }>();
  const codes = [...new Set(coded.flatMap((c) => (c.input.invitation && "code" in c.input.invitation ? [c.input.invitation.code] : [])))];
  const byCode = new Map<string, { id: string; edition_id: string; area: string }>();
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await trx.selectFrom("invitation").select(["id", "code", "edition_id", "area"]).where("code", "in", codes.slice(i, i + 500)).execute();
    for (const r of rows) byCode.set(r.code, r);
  }
  for (const { input, index } of coded) {
    const ref = input.invitation!;
    if (!("code" in ref)) {
      resolved.set(index, ref);
      continue;
    }
    const found = byCode.get(ref.code);
    if (found && found.edition_id === input.editionId) resolved.set(index, { id: found.id, area: found.area });
    else claims.refused.set(index, new CodeUnknownError());
  }
  return resolved;
}

/**
 * Marks the codes of a batch used, inside the response writer's transaction (the hook paper entry
 * goes through too). Codes given as text are resolved first (resolveCodes). A clientId already
 * stored is a retry: its code's use is there already, and the writer answers with the stored
 * response. A code used by another clientId (before, or earlier in this batch) refuses that input
 * with CodeUsedError. Uses are inserted in key order (no deadlock between concurrent writers on
 * PostgreSQL).
 */
export async function claimInvitations(trx: Transaction<Database>, inputs: ClaimInput[], on: string): Promise<Claims> {
  const claims: Claims = { refused: new Map(), claimed: new Map(), areas: new Map() };
  const coded = inputs.map((input, index) => ({ input, index })).filter((c) => c.input.invitation);
  if (coded.length === 0) return claims;
  const resolved = await resolveCodes(trx, coded, claims);
  for (const [index, invitation] of resolved) claims.areas.set(index, invitation.area);
  // No lookup of stored clientIds first: a retry's code is already used, so its insert below
  // conflicts and the check after it finds the stored answer (one query less per batch).
  const byInvitation = new Map<string, { input: ClaimInput; index: number }>();
  for (const c of coded) {
    const invitation = resolved.get(c.index);
    if (!invitation) continue;
    const first = byInvitation.get(invitation.id);
    if (!first) byInvitation.set(invitation.id, c);
    else if (first.input.clientId !== c.input.clientId) claims.refused.set(c.index, new CodeUsedError());
  }
  if (byInvitation.size === 0) return claims;
  const rows = [...byInvitation.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, c]) => ({ invitation_id: id, edition_id: c.input.editionId, used_on: on, channel: c.input.channel }));
  const inserted = new Set(
    (await trx.insertInto("invitation_use").values(rows).onConflict((oc) => oc.column("invitation_id").doNothing()).returning("invitation_id").execute()).map(
      (r) => r.invitation_id,
    ),
  );
  const lost = [...byInvitation.entries()].filter(([id]) => !inserted.has(id));
  // A conflict can be this very clientId's retry, committed by a concurrent transaction meanwhile.
  const retried = lost.length > 0 ? await storedClientIds(trx, lost.map(([, c]) => c.input.clientId)) : new Set<string>();
  for (const [id, c] of byInvitation) {
    if (inserted.has(id)) claims.claimed.set(c.input.clientId, id);
    else if (!retried.has(c.input.clientId)) claims.refused.set(c.index, new CodeUsedError());
  }
  return claims;
}

/** Takes back claims whose response was not stored after all (its clientId was taken meanwhile). */
export async function releaseUnstoredClaims(trx: Transaction<Database>, claims: Claims, inserted: Set<string>): Promise<void> {
  const release = [...claims.claimed.entries()].filter(([clientId]) => !inserted.has(clientId)).map(([, id]) => id);
  if (release.length > 0) await trx.deleteFrom("invitation_use").where("invitation_id", "in", release).execute();
}

async function storedClientIds(trx: Transaction<Database>, clientIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < clientIds.length; i += 500) {
    const rows = await trx.selectFrom("response").select("client_id").where("client_id", "in", clientIds.slice(i, i + 500)).execute();
    for (const r of rows) found.add(r.client_id);
  }
  return found;
}

/**
 * PostgreSQL: rewrites invitation_use in key order in one transaction (all rows get its xmin,
 * their ctids follow the random ids), then CLUSTERs it into new files so the old row versions
 * leave the table's files. Blocks new uses for its few milliseconds. SQLite: nothing to do (the
 * table is WITHOUT ROWID and SQLite keeps no transaction ids). Without `force` it rewrites only
 * when uses carry more than one transaction id. Returns whether it rewrote.
 */
export async function resealInvitationUses({ db, force = false }: { db: Db; force?: boolean }): Promise<boolean> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return false;
  if (!force) {
    // Nothing to do while every use carries one transaction id (the last reseal's, or none).
    const { rows } = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from invitation_use`.execute(db);
    if ((rows[0]?.n ?? 0) <= 1) return false;
  }
  await db.transaction().execute(async (trx) => {
    await sql`lock table invitation_use in exclusive mode`.execute(trx);
    await sql`create temporary table invitation_use_copy on commit drop as select * from invitation_use`.execute(trx);
    await sql`delete from invitation_use`.execute(trx);
    await sql`insert into invitation_use select * from invitation_use_copy order by invitation_id`.execute(trx);
  });
  await sql`cluster invitation_use using invitation_use_pkey`.execute(db);
  return true;
}

/** How often the server reseals while codes are being used (decision 035). */
export const RESEAL_EVERY_MS = 5 * 60_000;
