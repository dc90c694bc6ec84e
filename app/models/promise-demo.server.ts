/**
 * Example data for the promises: Kristianstad's six citizen promises of 2025 (signed 2025-02-07,
 * ../shared/seed/), each tied to fitting indicators, a signed year, and a few logged activities.
 * Loaded and removed with the other example data (demo.server.ts).
 */
import type { Db } from "~/db/db.server";
import { createPromise, logActivity, signYear, type IndicatorInput, type PromiseInput } from "~/models/promise.server";
import type { PromiseCarrier } from "~/db/schema";

export const DEMO_PROMISE_YEAR = 2025;

const problem = (item: string): IndicatorInput => ({ kind: "measure", measureKey: `problem_share.${item}` });

/** The 2025 promises, in the order of the signed document, with the indicators issue 18 lists. */
export const DEMO_PROMISES: { text: string; carriedBy: PromiseCarrier; indicators: IndicatorInput[] }[] = [
  {
    text: "Polisen och kommunen kommer tillsammans eller på var sitt håll att genomföra förebyggande trygghetsvandringar eller platsbesök samt hitta åtgärder för att minska problematik.",
    carriedBy: "bada",
    indicators: [
      { kind: "activities", activityKind: "trygghetsvandring", target: 6 },
      { kind: "activities", activityKind: "platsbesok", target: 10 },
      { kind: "walk_actions_done" },
    ],
  },
  {
    text: "Kommunen kommer att tillämpa metoder för att förebygga tobaks- och alkoholdebut bland unga.",
    carriedBy: "kommunen",
    indicators: [problem("problem_intoxicated"), problem("problem_drug_use"), problem("problem_youth_groups"), { kind: "activities", activityKind: "informationsinsats" }],
  },
  {
    text: "Kommunen kommer att fortsätta utveckla åtgärder för att minska nedskräpning och skadegörelse.",
    carriedBy: "kommunen",
    indicators: [problem("problem_littering"), problem("problem_vandalism")],
  },
  {
    text: "Polis och kommun ska fortsätta utveckla åtgärder för att öka tryggheten i centrum.",
    carriedBy: "bada",
    indicators: [{ kind: "measure", measureKey: "safe_centre_share" }],
  },
  {
    text: "Polisen och kommunen kommer tillsammans eller på var sitt håll genomföra åtgärder för att minska bedrägeribrott mot äldre.",
    carriedBy: "bada",
    indicators: [{ kind: "measure", measureKey: "worry_fraud_share", groupBy: "age_group", groupValue: "65-85" }, { kind: "activities", activityKind: "informationsinsats" }],
  },
  {
    text: "Polisen kommer att genomföra kontinuerliga trafikkontroller med fokus på hastighet, nykterhet, felbeteenden och motorburen ungdom. Kontrollplatserna ska, i den mån det går, styras av tips, önskemål och underrättelser från medborgare samt till platser som är särskilt olycksdrabbade.",
    carriedBy: "polisen",
    indicators: [
      problem("problem_speeding"),
      problem("problem_reckless_driving"),
      problem("problem_mopeds"),
      { kind: "activities", activityKind: "trafikkontroll", target: 24 },
      { kind: "vehicles_checked" },
      { kind: "tip_sites" },
    ],
  },
];

export const DEMO_SIGNATORY_ROLES: [string, string] = ["Chef Lokalpolisområde Kristianstad", "Kommunstyrelsens ordförande"];

/** Loads the example promises (signed) and some activities, logged by the example accounts. */
export async function loadDemoPromises({ db, userIds }: { db: Db; userIds: { admin: string; facilitator: string } }) {
  const year = DEMO_PROMISE_YEAR;
  const ids: string[] = [];
  for (const p of DEMO_PROMISES) {
    const input: PromiseInput = { ...p, validFrom: `${year}-02-07`, validTo: `${year}-12-31`, status: "pagar" };
    ids.push((await createPromise({ db, year, input, userId: userIds.admin, isDemo: true })).id);
  }
  await signYear({ db, year, signedOn: `${year}-02-07`, roles: DEMO_SIGNATORY_ROLES, userId: userIds.admin });
  const areas = ["kristianstad-centrum", "ahus", "tollarp"];
  const log = (i: number, doneOn: string, kind: "trafikkontroll" | "informationsinsats" | "platsbesok", place: string, extra: { vehiclesChecked?: number; tipSites?: number; participants?: number } = {}) =>
    logActivity({
      db,
      input: { promiseId: ids[i], doneOn, kind, place, area: areas[(i + doneOn.length) % areas.length], party: kind === "trafikkontroll" ? "polisen" : "kommunen", ...extra },
      userId: kind === "platsbesok" ? userIds.facilitator : userIds.admin,
      isDemo: true,
    });
  const months = ["03", "04", "05", "06", "08", "09", "10"];
  for (const [n, m] of months.entries()) {
    await log(5, `${year}-${m}-1${n}`, "trafikkontroll", "Infartsväg (exempel)", { vehiclesChecked: 40 + 7 * n, tipSites: n % 2 });
  }
  await log(1, `${year}-03-20`, "informationsinsats", "Föräldramöte, högstadieskola (exempel)", { participants: 60 });
  await log(4, `${year}-05-14`, "informationsinsats", "Träffpunkt för seniorer (exempel)", { participants: 35 });
  await log(0, `${year}-04-09`, "platsbesok", "Busstation (exempel)");
  await log(0, `${year}-09-17`, "platsbesok", "Lekplats (exempel)");
  return { promises: ids.length };
}

/** Deletes the example promises and activities (other activities keep their row, without the promise). */
export async function removeDemoPromises({ db }: { db: Db }) {
  const demoIds = (await db.selectFrom("promise").select("id").where("is_demo", "=", 1).execute()).map((r) => r.id);
  if (demoIds.length) {
    await db.updateTable("promise_activity").set({ promise_id: null }).where("promise_id", "in", demoIds).where("is_demo", "=", 0).execute();
    await db.updateTable("promise").set({ drafted_from: null }).where("drafted_from", "in", demoIds).execute();
  }
  await db.deleteFrom("promise_activity").where("is_demo", "=", 1).execute();
  await db.deleteFrom("promise").where("is_demo", "=", 1).execute();
  const used = (await db.selectFrom("promise").select("year").distinct().execute()).map((r) => Number(r.year));
  let q = db.deleteFrom("promise_year").where("is_demo", "=", 1);
  if (used.length) q = q.where("year", "not in", used);
  await q.execute();
}
