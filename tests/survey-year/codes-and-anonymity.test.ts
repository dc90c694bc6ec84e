/**
 * Invitation codes in the model (issue 19): the code format, one answer per code inside the
 * response writer, retries, the stratum, and what the database keeps: no column linking a
 * response to a code or a sample id, and no storage order or transaction id that lines a code's
 * use up with a response (decision 035). Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL).
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabaseKind, getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import {
  CODE_ALPHABET,
  CodeUsedError,
  createInvitations,
  findInvitation,
  formatCode,
  newCode,
  normalizeCode,
  parseSample,
  peoplePerArea,
  resealInvitationUses,
  SampleError,
} from "~/models/invitation.server";
import { publishYear } from "~/models/publishing.server";
import { storeResponses, type ResponseInput } from "~/models/response.server";
import { editionMeasures, getEdition } from "~/models/survey.server";
import type { Answers } from "~/stats/types";
import { validAnswers } from "../helpers/answers";

const EDITION = "trygghetsmatning-2026";
const postgres = () => getDatabaseKind() === "postgres";

beforeAll(async () => {
  await migrateToLatest(getDb());
  await publishYear({ db: getDb(), seriesId: "trygghetsmatning", year: 2026, opensOn: "2026-03-01", closesOn: "2026-04-15", access: "both" });
});

async function input(code: string, clientId = randomUUID(), channel: ResponseInput["channel"] = "web"): Promise<ResponseInput> {
  const edition = (await getEdition({ db: getDb(), id: EDITION }))!;
  const invitation = (await findInvitation({ db: getDb(), code }))!;
  return {
    editionId: EDITION,
    clientId,
    answers: validAnswers({ area: "tollarp" }) as Answers,
    measures: editionMeasures(edition),
    channel,
    invitation: { id: invitation.id, area: invitation.area },
  };
}

/** Spearman's rank correlation of two orderings of the same items (ties impossible here). */
function spearman(a: string[], b: string[]): number {
  const rank = new Map(b.map((x, i) => [x, i]));
  const n = a.length;
  let d2 = 0;
  a.forEach((x, i) => (d2 += (i - rank.get(x)!) ** 2));
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe("codes", () => {
  it("are ten characters from 32 without look-alikes (50 bits), grouped, typed in any case", () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[01IO]/);
    const codes = new Set(Array.from({ length: 2000 }, newCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    // Every character of the alphabet turns up in every position (a uniform draw would).
    const first = new Set([...codes].map((c) => c[0]));
    expect(first.size).toBe(32);
    const code = [...codes][0];
    expect(formatCode(code)).toBe(`${code.slice(0, 5)}-${code.slice(5)}`);
    expect(normalizeCode(` ${formatCode(code).toLowerCase()} `)).toBe(code);
    expect(normalizeCode("ABCDE-FGHI0")).toBeNull();
    expect(normalizeCode("ABCDE")).toBeNull();
  });

  it("reads a sample of ids, areas, age groups, genders and languages, refusing anything else by line", async () => {
    const edition = (await getEdition({ db: getDb(), id: EDITION }))!;
    const people = parseSample("\uFEFFsample_id,area,age_group,gender,language\r\nA1,ahus,16-24,woman,ar\r\nA2,tollarp,,,\r\n", edition);
    expect(people).toEqual([
      { sampleId: "A1", area: "ahus", ageGroup: "16-24", gender: "woman", language: "ar" },
      { sampleId: "A2", area: "tollarp", ageGroup: "", gender: "", language: null },
    ]);
    expect(() => parseSample("sample_id,area,name\nA1,ahus,Anna\n", edition)).toThrow(/unknown column "name"/);
    try {
      parseSample("sample_id,area\nA1,nowhere\nA1,ahus\n", edition);
      expect.unreachable();
    } catch (error) {
      expect((error as SampleError).problems).toEqual(['line 2: unknown area "nowhere"', "line 3: sample_id A1 appears twice"]);
    }
    expect(peoplePerArea(edition, 2, ["ahus"])).toHaveLength(2);
  });
});

describe("one answer per code", () => {
  it("stores the code's area as the stratum, marks the code used with the day only, refuses a second answer and answers a retry with the stored id", async () => {
    const db = getDb();
    await createInvitations({ db, editionId: EDITION, people: [{ sampleId: "S-1", area: "ahus", ageGroup: "", gender: "", language: null }] });
    const { code } = (await db.selectFrom("invitation").select("code").where("sample_id", "=", "S-1").executeTakeFirstOrThrow());
    const first = await input(code);
    const [stored] = await storeResponses(db, [first]);
    expect(stored).toMatchObject({ created: true });
    const row = await db.selectFrom("response").selectAll().where("client_id", "=", first.clientId).executeTakeFirstOrThrow();
    expect(row.area).toBe("ahus"); // the code's area, not the "tollarp" answered
    const use = await db.selectFrom("invitation_use").selectAll().execute();
    expect(use).toHaveLength(1);
    expect(use[0].used_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(use[0].channel).toBe("web");

    // The same clientId again (a lost connection): the stored answer, never a refusal.
    const [retry] = await storeResponses(db, [first]);
    expect(retry).toEqual({ id: (stored as { id: string }).id, created: false });
    // Another answer with the same code: refused, nothing stored.
    const [second] = await storeResponses(db, [await input(code)]);
    expect(second).toBeInstanceOf(CodeUsedError);
    // Two answers with one code in the same batch: the first is stored, the other refused.
    await createInvitations({ db, editionId: EDITION, people: [{ sampleId: "S-2", area: "tollarp", ageGroup: "", gender: "", language: null }] });
    const other = (await db.selectFrom("invitation").select("code").where("sample_id", "=", "S-2").executeTakeFirstOrThrow()).code;
    const both = await storeResponses(db, [await input(other), await input(other, randomUUID(), "paper")]);
    expect(both[0]).toMatchObject({ created: true });
    expect(both[1]).toBeInstanceOf(CodeUsedError);
    expect(Number((await db.selectFrom("response").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n)).toBe(2);
  });

  it("keeps no column that links a response to a code or a sample id (schema)", async () => {
    const tables = await getDb().introspection.getTables();
    const columns = (name: string) => tables.find((t) => t.name === name)!.columns.map((c) => c.name);
    expect(columns("response")).not.toEqual(expect.arrayContaining(["invitation_id"]));
    for (const column of columns("response")) expect(column).not.toMatch(/code|invitation|sample/);
    expect(columns("invitation_use").sort()).toEqual(["channel", "edition_id", "invitation_id", "used_on"]);
    // No other table holds both a response's and an invitation's key.
    for (const table of tables) {
      const names = table.columns.map((c) => c.name);
      const toResponse = names.some((n) => /response_id|client_id/.test(n));
      const toInvitation = names.some((n) => /invitation_id|^code$|sample_id/.test(n));
      expect(toResponse && toInvitation, table.name).toBe(false);
    }
  });

  it("leaves no order or transaction id that lines up the uses of 50 codes with their responses", async () => {
    const db = getDb();
    const people = Array.from({ length: 50 }, (_, i) => ({ sampleId: `ORD-${i}`, area: "fjalkinge", ageGroup: "", gender: "", language: null }));
    await createInvitations({ db, editionId: EDITION, people });
    const invitations = await db.selectFrom("invitation").select(["id", "code", "sample_id"]).where("sample_id", "like", "ORD-%").execute();
    const ordered = people.map((p) => invitations.find((i) => i.sample_id === p.sampleId)!);
    const clientIds: string[] = [];
    // One at a time in a known order, each in its own transaction (a quiet day's traffic).
    for (const invitation of ordered) {
      const item = await input(invitation.code);
      clientIds.push(item.clientId);
      await storeResponses(db, [item]);
    }
    const answeredOrder = ordered.map((i) => i.id);
    const useOrder = async () => {
      const rows = postgres()
        ? (await sql<{ invitation_id: string }>`select invitation_id from invitation_use order by ctid`.execute(db)).rows
        : (await sql<{ invitation_id: string }>`select invitation_id from invitation_use`.execute(db)).rows;
      return rows.map((r) => r.invitation_id).filter((id) => answeredOrder.includes(id));
    };
    const responseOrder = postgres()
      ? (await sql<{ client_id: string }>`select client_id from response order by ctid`.execute(db)).rows
      : (await sql<{ client_id: string }>`select client_id from response order by rowid`.execute(db)).rows;
    const responsesInStorage = responseOrder.map((r) => r.client_id).filter((c) => clientIds.includes(c));
    // The responses do keep the order they came in: that is what a use order could be matched to.
    expect(spearman(responsesInStorage, clientIds)).toBeGreaterThan(0.99);

    if (postgres()) {
      // Before the reseal PostgreSQL's heap holds the uses in the order of use, each with its
      // response's transaction id: exactly what the reseal is for.
      expect(spearman(await useOrder(), answeredOrder)).toBeGreaterThan(0.99);
      const xmins = async (table: "response" | "invitation_use") =>
        (await sql<{ x: string }>`select xmin::text as x from ${sql.table(table)}`.execute(db)).rows.map((r) => r.x);
      const responseXminsBefore = new Set(await xmins("response"));
      expect((await xmins("invitation_use")).every((x) => responseXminsBefore.has(x))).toBe(true);
      expect(await resealInvitationUses({ db, force: true })).toBe(true);
      // After it: one transaction id for every use, none of them a response's.
      const useXmins = new Set(await xmins("invitation_use"));
      expect(useXmins.size).toBe(1);
      const responseXmins = new Set(await xmins("response"));
      expect([...useXmins].some((x) => responseXmins.has(x))).toBe(false);
      // The server's timer rewrites only when there is something new.
      expect(await resealInvitationUses({ db })).toBe(false);
    } else {
      expect(await resealInvitationUses({ db, force: true })).toBe(false);
    }
    // The storage order of the uses does not follow the order of use beyond chance: for 50
    // independent orders Spearman's rho has a standard deviation of 1/7; |rho| < 0.5 is 3.5 of them.
    const rho = spearman(await useOrder(), answeredOrder);
    expect(Math.abs(rho)).toBeLessThan(0.5);
  });
});
