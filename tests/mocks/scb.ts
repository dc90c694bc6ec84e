/**
 * Statistics Sweden's PxWeb API v1 (api.scb.se/OV0104/v1/doris), as far as the population import
 * uses it: POST <base>/<table path> with { query: [{ code, selection: { filter, values } }],
 * response: { format } }, answered in the "json" format { columns: [{ code, text, type }],
 * comments, data: [{ key, values }], metadata } with a UTF-8 byte order mark, as SCB sends it.
 * Each handler checks the query as SCB would (known variables, filters and values, the
 * mandatory ContentsCode and Tid, the 150,000-cell limit) and answers 400 otherwise, and logs
 * every request in `scbRequests` so tests can assert the exact body that was sent.
 *
 * The population is made up but simple enough to compute by hand:
 * - BefolkningNy (single years, municipality): men 50 and women 52 at every age under 80;
 *   80-85: men 30, women 40; 86-99: men 10, women 20; 100+: men 5, women 10.
 * - FolkmDesoAldKon (5-year bands): region <mmmm>R0nn has 10·nn men and 10·nn + 2 women in every band.
 */
import { http, HttpResponse, type RequestHandler } from "msw";

export const SCB_API_URL = "https://api.scb.se/OV0104/v1/doris/en/ssd";

export interface ScbRequest {
  url: string;
  table: string;
  body: unknown;
}
export const scbRequests: ScbRequest[] = [];

/** The RegSO regions the fake SCB knows in Kristianstad (1290R001 … 1290R020). */
export const FAKE_REGSO_1290 = Array.from({ length: 20 }, (_, i) => `1290R${String(i + 1).padStart(3, "0")}`);

export function fakeSingleYear(age: number, sex: "1" | "2"): number {
  if (age < 80) return sex === "1" ? 50 : 52;
  if (age <= 85) return sex === "1" ? 30 : 40;
  if (age < 100) return sex === "1" ? 10 : 20;
  return sex === "1" ? 5 : 10;
}

export function fakeRegionBand(region: string, sex: "1" | "2"): number {
  const n = Number(region.slice(5, 8));
  return sex === "1" ? 10 * n : 10 * n + 2;
}

const YEARS = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const SINGLE_AGES = [...Array.from({ length: 100 }, (_, i) => String(i)), "100+", "tot"];
const BANDS = ["-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-", "totalt"];

interface Variable {
  code: string;
  text: string;
  type: "d" | "t" | "c";
  filters: string[];
  values: (value: string) => boolean;
  eliminable: boolean;
}

interface Table {
  path: string;
  label: string;
  variables: Variable[];
  value: (key: Record<string, string>) => string;
}

const municipalityTable: Table = {
  path: "BE/BE0101/BE0101A/BefolkningNy",
  label: "Population by region, marital status, age and sex. Year 1968 - 2024",
  variables: [
    { code: "Region", text: "region", type: "d", filters: ["item", "vs:RegionKommun07", "vs:RegionKommun07EjAggr"], values: (v) => /^\d{4}$/.test(v), eliminable: true },
    { code: "Civilstand", text: "marital status", type: "d", filters: ["item"], values: (v) => ["OG", "G", "ÄNKL", "SK"].includes(v), eliminable: true },
    { code: "Alder", text: "age", type: "d", filters: ["item", "vs:Ålder1årA"], values: (v) => SINGLE_AGES.includes(v), eliminable: true },
    { code: "Kon", text: "sex", type: "d", filters: ["item"], values: (v) => ["1", "2"].includes(v), eliminable: true },
    { code: "ContentsCode", text: "observations", type: "c", filters: ["item"], values: (v) => ["BE0101N1", "BE0101N2"].includes(v), eliminable: false },
    { code: "Tid", text: "year", type: "t", filters: ["item"], values: (v) => YEARS(1968, 2024).includes(v), eliminable: false },
  ],
  value: (key) => {
    if (key.Region !== "1290" || !key.Alder || !key.Kon || key.Alder === "tot") return "..";
    const age = key.Alder === "100+" ? 100 : Number(key.Alder);
    return String(fakeSingleYear(age, key.Kon as "1" | "2"));
  },
};

const smallAreaTable: Table = {
  path: "BE/BE0101/BE0101Y/FolkmDesoAldKon",
  label: "Population by region (DeSO, RegSO), age and sex. Year 2010 - 2024",
  variables: [
    { code: "Region", text: "region", type: "d", filters: ["item"], values: (v) => FAKE_REGSO_1290.includes(v), eliminable: false },
    { code: "Alder", text: "age", type: "d", filters: ["item"], values: (v) => BANDS.includes(v), eliminable: false },
    { code: "Kon", text: "sex", type: "d", filters: ["item"], values: (v) => ["1", "2", "1+2"].includes(v), eliminable: false },
    { code: "ContentsCode", text: "observations", type: "c", filters: ["item"], values: (v) => v === "000007Y7", eliminable: false },
    { code: "Tid", text: "year", type: "t", filters: ["item"], values: (v) => YEARS(2010, 2024).includes(v), eliminable: false },
  ],
  value: (key) => {
    if (key.Alder === "totalt" || key.Kon === "1+2") return "..";
    return String(fakeRegionBand(key.Region, key.Kon as "1" | "2"));
  },
};

function badRequest(message: string) {
  return new HttpResponse(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** Checks a query as SCB does and answers it in the json format, or 400/403. */
function answer(table: Table, body: unknown) {
  const b = body as { query?: unknown; response?: { format?: unknown } };
  if (!b || !Array.isArray(b.query) || typeof b.response?.format !== "string") return badRequest("The query is not valid JSON of the form { query: [...], response: { format } }");
  if (b.response.format !== "json") return badRequest(`This fake SCB answers format json only, not ${String(b.response.format)}`);
  const selected = new Map<string, string[]>();
  for (const q of b.query as { code?: unknown; selection?: { filter?: unknown; values?: unknown } }[]) {
    const variable = table.variables.find((v) => v.code === q.code);
    if (!variable) return badRequest(`The table has no variable ${String(q.code)}`);
    if (selected.has(variable.code)) return badRequest(`Variable ${variable.code} is selected twice`);
    const filter = q.selection?.filter;
    const values = q.selection?.values;
    if (typeof filter !== "string" || !variable.filters.includes(filter)) return badRequest(`Filter ${String(filter)} is not available for ${variable.code}`);
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string")) return badRequest(`No values selected for ${variable.code}`);
    const unknown = values.filter((v) => !variable.values(v));
    if (unknown.length > 0) return badRequest(`Variable ${variable.code} has no value(s) ${unknown.join(", ")}`);
    selected.set(variable.code, values as string[]);
  }
  const missing = table.variables.filter((v) => !v.eliminable && !selected.has(v.code)).map((v) => v.code);
  if (missing.length > 0) return badRequest(`Mandatory variable(s) not selected: ${missing.join(", ")}`);
  const used = table.variables.filter((v) => selected.has(v.code));
  const cells = used.reduce((n, v) => n * selected.get(v.code)!.length, 1);
  if (cells > 150_000) return new HttpResponse("Too many values selected (the limit is 150000 cells)", { status: 403 });
  const keyVariables = used.filter((v) => v.type !== "c");
  const contents = selected.get("ContentsCode")!;
  let keys: Record<string, string>[] = [{}];
  for (const v of keyVariables) keys = keys.flatMap((k) => selected.get(v.code)!.map((value) => ({ ...k, [v.code]: value })));
  const json = {
    columns: used.map((v) =>
      v.type === "c" ? { code: contents[0], text: "Population", type: "c", unit: "number" } : { code: v.code, text: v.text, type: v.type },
    ),
    comments: [],
    data: keys.map((k) => ({ key: keyVariables.map((v) => k[v.code]), values: contents.map(() => table.value(k)) })),
    metadata: [{ infofile: "BE0101", updated: "2025-02-21T08:00:00Z", label: table.label, source: "Statistics Sweden" }],
  };
  return new HttpResponse(`\uFEFF${JSON.stringify(json)}`, { status: 200, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

/** Handlers for SCB's API at `base` (the real address by default). */
export function scbHandlers(base = SCB_API_URL): RequestHandler[] {
  return [municipalityTable, smallAreaTable].map((table) =>
    http.post(`${base}/${table.path}`, async ({ request }) => {
      const text = await request.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return badRequest("The query is not valid JSON");
      }
      scbRequests.push({ url: request.url, table: table.path, body });
      return answer(table, body);
    }),
  );
}
