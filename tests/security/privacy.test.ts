/**
 * The privacy walk: a server on a fresh database with the example data (free-text suggestions,
 * staff accounts) plus answers of our own, one with a unique marker as its suggestion. Every
 * public route of the build is fetched with every real parameter value (also as Remix data
 * requests), and every results answer for every year × grouping × weighting × comparison × format.
 * None may contain any free text stored in the database, any staff e-mail address, or any figure
 * (estimate, standard error, interval, difference) for a group of fewer than minCount respondents.
 * Stored responses carry nothing about the sender: no column for it, and not the address or user
 * agent of the request anywhere in the row.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "~/db/db.server";
import { editionQuestionnaire } from "~/models/survey.server";
import { listSeriesIds, loadSeries } from "~/surveys/files.server";
import { parseCsv } from "~/utils/csv";
import { validAnswers } from "../helpers/answers";
import { startServer, type RunningServer } from "../helpers/app-server";
import { builtRoutes, routeParams, routeUrl, walkJson, type BuiltRoute } from "./helpers";
import { POLICY } from "./route-policy";

const MARKER = `Integritetsmarkör ${randomUUID()} – får aldrig synas`;
const AGENT = `TD-Privacy-Agent/${randomUUID()}`;
const FORWARDED = "203.0.113.77";
const DEFAULT_MIN_COUNT = 10;

let server: RunningServer;
let db: Db;
let routes: Record<string, BuiltRoute>;
let markerId: string;

beforeAll(async () => {
  const file = path.join(process.env.TD_TEST_DIR!, `privacy-${randomUUID()}.sqlite`);
  server = await startServer({ DEMO_DATA: undefined, DATABASE_URL: file, SECURE_COOKIES: "off", RATE_LIMIT_SUBMISSIONS: "off" });
  expect(server.output()).toMatch(/Example data is loaded/);
  db = openDatabase({ kind: "sqlite", filename: file });
  routes = await builtRoutes();

  const submit = (answers: Record<string, unknown>) =>
    fetch(`${server.url}/api/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": AGENT, "X-Forwarded-For": FORWARDED },
      body: JSON.stringify({ survey: "trygghetsmatning-2025", clientId: randomUUID(), answers }),
    });
  const marked = await submit(validAnswers({ suggestion: MARKER }));
  expect(marked.status).toBe(201);
  markerId = ((await marked.json()) as { id: string }).id;
  // 2025 gets a mix: Åhus passes minCount, Tollarp stays under it, everyone together passes.
  for (let i = 0; i < 11; i++) expect((await submit(validAnswers({ suggestion: `Förslag ${i} ${randomUUID()}` }))).status).toBe(201);
  for (let i = 0; i < 3; i++) expect((await submit(validAnswers({ area: "tollarp", suggestion: `Tollarp ${randomUUID()}` }))).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

/** Every form a text can take in an answer: as is, HTML-escaped, JSON-escaped, CSV-quoted. */
function spellings(text: string): string[] {
  const html = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  const json = JSON.stringify(text).slice(1, -1);
  return [...new Set([text, html, json, json.replace(/</g, "\\u003c").replace(/>/g, "\\u003e"), text.replace(/"/g, '""')])];
}

async function secrets() {
  const texts = new Set<string>([MARKER]);
  const editions = await db.selectFrom("survey_edition").select(["id", "definition_hash", "questionnaire_json"]).execute();
  for (const edition of editions) {
    const questions = editionQuestionnaire(edition).questions;
    const freeText = [...questions.values()].filter((q) => q.kind === "text").map((q) => q.name);
    const rows = await db.selectFrom("response").select("answers_json").where("edition_id", "=", edition.id).execute();
    for (const row of rows) {
      const answers = JSON.parse(row.answers_json) as Record<string, unknown>;
      for (const name of freeText) if (typeof answers[name] === "string" && answers[name] !== "") texts.add(answers[name] as string);
    }
  }
  const emails = (await db.selectFrom("app_user").select("email").execute()).map((u) => u.email);
  return { texts: [...texts], emails };
}

interface Fetched {
  url: string;
  status: number;
  type: string;
  body: string;
}

/** Problems with one answer: free text, e-mails, and figures under minCount. */
function inspect(page: Fetched, texts: string[], emails: string[]): string[] {
  const problems: string[] = [];
  for (const text of texts) {
    if (spellings(text).some((s) => page.body.includes(s))) problems.push(`${page.url}: free text ${JSON.stringify(text.slice(0, 60))}`);
  }
  for (const email of emails) {
    if (spellings(email).some((s) => page.body.toLowerCase().includes(s.toLowerCase()))) problems.push(`${page.url}: staff e-mail ${email}`);
  }
  if (page.type.startsWith("application/json")) {
    let doc: unknown;
    try {
      doc = JSON.parse(page.body);
    } catch {
      return [...problems, `${page.url}: JSON that does not parse`];
    }
    const minCount = typeof (doc as { minCount?: unknown })?.minCount === "number" ? (doc as { minCount: number }).minCount : DEFAULT_MIN_COUNT;
    walkJson(doc, (node, at) => {
      if (!node || typeof node !== "object" || Array.isArray(node)) return;
      const row = node as Record<string, unknown>;
      if (typeof row.n !== "number" || row.n >= minCount) return;
      for (const figure of ["estimate", "se", "ci", "diff", "p"]) {
        if (figure in row && row[figure] !== null && row[figure] !== undefined) problems.push(`${page.url}: ${at}.${figure} shown for n=${row.n} < ${minCount}`);
      }
      if (row.suppressed === false) problems.push(`${page.url}: ${at} not suppressed with n=${row.n}`);
    });
  }
  if (page.type.startsWith("text/csv")) {
    const [header, ...rows] = parseCsv(page.body).map((r) => r.fields);
    const col = (name: string) => header.indexOf(name);
    expect(col("n"), page.url).toBeGreaterThanOrEqual(0);
    for (const r of rows) {
      const n = Number(r[col("n")]);
      if (r[col("n")] === "" || n >= DEFAULT_MIN_COUNT) continue;
      for (const figure of ["estimate", "se", "ci_low", "ci_high", "diff", "diff_se", "diff_ci_low", "diff_ci_high", "p"]) {
        if (col(figure) >= 0 && r[col(figure)] !== "") problems.push(`${page.url}: CSV ${figure}=${r[col(figure)]} for n=${n}`);
      }
    }
  }
  return problems;
}

async function fetchText(url: string): Promise<Fetched> {
  const res = await fetch(`${server.url}${url}`, { redirect: "manual" });
  return { url, status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
}

/** Every value each route parameter takes in this database (and one that does not exist). */
async function parameterValues(): Promise<Record<string, string[]>> {
  const editions = (await db.selectFrom("survey_edition").select("id").execute()).map((e) => e.id);
  const series = new Set([...listSeriesIds(), ...(await db.selectFrom("survey_series").select("id").execute()).map((s) => s.id)]);
  const years = (await db.selectFrom("survey_edition").select("year").where("series_id", "=", "trygghetsmatning").execute()).map((e) => String(e.year));
  const areas = (loadSeries("trygghetsmatning").areas?.areas ?? []).map((a) => a.code);
  const codes = (await db.selectFrom("dialogue_session").select("code").execute()).map((s) => s.code);
  return { edition: [...editions, "finns-inte"], series: [...series, "finns-inte"], year: [...new Set(years), "1999"], area: [...areas, "finns-inte"], code: [...codes, "AAAAAA", "finns-inte"] };
}

function combinations(names: string[], values: Record<string, string[]>): Record<string, string>[] {
  return names.reduce<Record<string, string>[]>(
    (acc, name) => {
      if (!values[name]) throw new Error(`No values for the route parameter :${name}: add them to parameterValues()`);
      return acc.flatMap((combo) => values[name].map((v) => ({ ...combo, [name]: v })));
    },
    [{}],
  );
}

/** The results queries: every year with an edition × by × weighted × compareTo × format. */
async function resultsQueries(series: string): Promise<string[]> {
  const years = (await db.selectFrom("survey_edition").select("year").where("series_id", "=", series).execute()).map((e) => e.year).sort();
  if (years.length === 0) return ["?year=2025"];
  const out: string[] = [];
  for (const year of years) {
    for (const by of ["", "area", "gender", "age_group"]) {
      for (const weighted of ["false", "true"]) {
        for (const compareTo of ["", ...years.filter((y) => y !== year).map(String)]) {
          for (const format of ["json", "csv"]) {
            const q = new URLSearchParams({ year: String(year), weighted, format });
            if (by) q.set("by", by);
            if (compareTo) q.set("compareTo", compareTo);
            out.push(`?${q}`);
          }
        }
      }
    }
  }
  return out;
}

describe("the privacy walk", () => {
  it("its inspector catches each kind of leak (so that a clean walk means something)", () => {
    const texts = ['Fler "poliser" & <lampor>', MARKER];
    const emails = ["analytiker@exempel.kristianstad.se"];
    const page = (type: string, body: string): Fetched => ({ url: "/x", status: 200, type, body });
    const leaks = [
      page("text/html", `<p>Fler &quot;poliser&quot; &amp; &lt;lampor&gt;</p>`),
      page("text/html", `<script>window.__remixContext = {"s":"${JSON.stringify(MARKER).slice(1, -1)}"}</script>`),
      page("application/json", JSON.stringify({ note: MARKER })),
      page("text/html", "Inloggad som ANALYTIKER@exempel.kristianstad.se"),
      page("application/json", JSON.stringify({ minCount: 10, measures: [{ key: "k", group: { area: "a" }, n: 9, estimate: 0.5, se: null, ci: null, suppressed: true }] })),
      page("application/json", JSON.stringify({ measures: [{ n: 3, estimate: null, se: 0.1, ci: null }] })),
      page("application/json", JSON.stringify({ measures: [{ n: 3, estimate: null, se: null, ci: null, suppressed: false }] })),
      page("text/csv", "\uFEFFseries,n,estimate,se,ci_low,ci_high\r\ntrygghetsmatning,4,0.5,,,\r\n"),
    ];
    for (const leak of leaks) expect(inspect(leak, texts, emails), leak.body).not.toEqual([]);
    const clean = [
      page("application/json", JSON.stringify({ minCount: 10, measures: [{ n: 9, estimate: null, se: null, ci: null, suppressed: true }, { n: 10, estimate: 0.5, se: 0.1, ci: [0.3, 0.7], suppressed: false }] })),
      page("text/csv", "series,n,estimate,se,ci_low,ci_high\r\ntrygghetsmatning,4,,,,\r\ntrygghetsmatning,12,0.5,0.1,0.3,0.7\r\n"),
      page("text/html", "<p>Fler poliser</p>"),
    ];
    for (const ok of clean) expect(inspect(ok, texts, emails), ok.body).toEqual([]);
  });

  it("no public answer holds free text, a staff e-mail or a figure under minCount", async () => {
    const { texts, emails } = await secrets();
    expect(texts).toContain(MARKER);
    expect(texts.length).toBeGreaterThan(10); // the example data's suggestions and ours
    expect(emails.length).toBeGreaterThanOrEqual(3);

    const values = await parameterValues();
    const urls: string[] = [];
    for (const [id, policy] of Object.entries(POLICY)) {
      if (policy.access !== "public" || id === "root") continue;
      const route = routes[id];
      for (const params of combinations(routeParams(routes, id), values)) {
        const base = routeUrl(routes, id, params);
        const queries = id === "routes/api.results.$series" ? await resultsQueries(params.series) : [""];
        for (const query of queries) urls.push(base + query);
        // The same pages as Remix data requests: their loaders' JSON.
        if (route.module.default) urls.push(`${base}?_data=root`);
        if (route.module.default && route.module.loader) urls.push(`${base}?_data=${encodeURIComponent(id)}`);
      }
    }
    expect(urls.length).toBeGreaterThan(250);

    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let resultsDocs = 0;
    for (const url of urls) {
      const page = await fetchText(url);
      statuses.set(page.status, (statuses.get(page.status) ?? 0) + 1);
      if (page.status >= 500) problems.push(`${url}: ${page.status}`);
      if (url.startsWith("/api/results/trygghetsmatning") && page.status === 200) resultsDocs++;
      problems.push(...inspect(page, texts, emails));
    }
    console.log(`Privacy walk: ${urls.length} answers (${[...statuses].map(([s, n]) => `${n}× ${s}`).join(", ")}), ${texts.length} free texts and ${emails.length} e-mails looked for`);
    expect(problems).toEqual([]);
    // Every results query of the safety survey answered, so the walk saw real figures.
    expect(resultsDocs).toBe(urls.filter((u) => u.startsWith("/api/results/trygghetsmatning?")).length);
  });

  it("the walk sees suppressed and shown figures side by side, and comparisons refuse suppressed groups", async () => {
    const doc = (await (await fetch(`${server.url}/api/results/trygghetsmatning?year=2025&by=area&compareTo=2024`)).json()) as {
      minCount: number;
      measures: { key: string; group: { area?: string }; n: number; estimate: number | null; suppressed: boolean }[];
      comparison: { measures: { key: string; group: { area?: string }; comparable: boolean; reason?: string }[] };
    };
    const index = (area: string) => doc.measures.find((m) => m.key === "safety_index" && m.group.area === area)!;
    expect(index("ahus").n).toBeGreaterThanOrEqual(doc.minCount);
    expect(index("ahus").estimate).not.toBeNull();
    expect(index("tollarp").n).toBe(3);
    expect(index("tollarp")).toMatchObject({ estimate: null, suppressed: true });
    const compared = doc.comparison.measures.find((m) => m.key === "safety_index" && m.group.area === "tollarp")!;
    expect(compared).toMatchObject({ comparable: false, reason: "suppressed" });
  });

  it("the pages a resident sees never show the free text just submitted", async () => {
    for (const url of ["/", "/enkat/trygghetsmatning-2025", "/enkat/trygghetsmatning-2025/tack"]) {
      expect(await (await fetch(`${server.url}${url}`)).text(), url).not.toContain(MARKER);
    }
    expect(server.output()).not.toContain(MARKER);
  });
});

describe("stored responses", () => {
  it("have no column for an address, a user agent or a time of day", async () => {
    const columns = (await sql<{ name: string }>`PRAGMA table_info(response)`.execute(db)).rows.map((c) => c.name);
    expect(columns.length).toBeGreaterThan(5);
    expect(columns.filter((c) => /ip|addr|agent|host|forward|remote|refer|cookie|browser|device|created|time|stamp/i.test(c))).toEqual([]);
    for (const table of ["cell_stat"]) {
      const cols = (await sql<{ name: string }>`PRAGMA table_info(${sql.raw(table)})`.execute(db)).rows.map((c) => c.name);
      expect(cols.filter((c) => /ip|addr|agent|host|forward|remote|refer|cookie/i.test(c)), table).toEqual([]);
    }
  });

  it("hold neither the request's address nor its user agent, and only the date", async () => {
    const row = await db.selectFrom("response").selectAll().where("id", "=", markerId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.answers_json).suggestion).toBe(MARKER);
    const stored = JSON.stringify(row);
    for (const sent of ["127.0.0.1", "::1", "::ffff:", "localhost", FORWARDED, AGENT, "TD-Privacy-Agent", "node", "undici"]) {
      expect(stored, sent).not.toContain(sent);
    }
    expect(row.submitted_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(row).sort()).toEqual(
      ["age_group", "answers_json", "area", "channel", "client_id", "edition_id", "gender", "id", "is_demo", "language", "scores_json", "session_id", "submitted_on"].sort(),
    );
  });
});
