/**
 * The floor for the submission benchmark: a bare node:http + sqlite3 server that stores the same
 * POST /api/responses bodies without validating, scoring or updating any statistics. It does only
 * what no real server can skip: read and parse the JSON body, insert a row durably (WAL,
 * synchronous=FULL, as the app) with a group commit (whatever arrives while a transaction
 * commits goes into the next one, one multi-row INSERT), and answer 201 {id} after the commit.
 * The app's throughput is reported as a share of this one's, measured in the same run.
 *
 * Run by bench/run.ts as a child process: `tsx bench/floor-server.ts <sqlite file>`; prints
 * "listening on http://localhost:<port>" like the app.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import sqlite3 from "sqlite3";

const file = process.argv[2];
if (!file) throw new Error("Usage: tsx bench/floor-server.ts <sqlite file>");

const db = new sqlite3.Database(file);
const run = (sql: string, params: unknown[] = []) =>
  new Promise<void>((resolve, reject) => db.run(sql, params, (error) => (error ? reject(error) : resolve())));
const exec = (sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));

interface Pending {
  row: [string, string, string];
  done: (error: Error | null) => void;
}

let queue: Pending[] = [];
let writing = false;

async function pump(): Promise<void> {
  if (writing || queue.length === 0) return;
  writing = true;
  const batch = queue.slice(0, 256);
  queue = queue.slice(batch.length);
  try {
    await exec("BEGIN");
    await run(
      `INSERT INTO response (id, client_id, answers_json) VALUES ${batch.map(() => "(?, ?, ?)").join(", ")} ON CONFLICT (client_id) DO NOTHING`,
      batch.flatMap((p) => p.row),
    );
    await exec("COMMIT");
    for (const p of batch) p.done(null);
  } catch (error) {
    await exec("ROLLBACK").catch(() => {});
    for (const p of batch) p.done(error as Error);
  } finally {
    writing = false;
    void pump();
  }
}

function answer(res: http.ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/api/responses") return answer(res, 404, { error: "Not found" });
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let body: { clientId?: unknown; answers?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return answer(res, 400, { error: "Request body is not valid JSON" });
    }
    const id = randomUUID();
    queue.push({
      row: [id, String(body.clientId), JSON.stringify(body.answers)],
      done: (error) => (error ? answer(res, 500, { error: error.message }) : answer(res, 201, { id })),
    });
    void pump();
  });
});

await exec(
  "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; " +
    "CREATE TABLE IF NOT EXISTS response (id TEXT PRIMARY KEY, client_id TEXT NOT NULL UNIQUE, answers_json TEXT NOT NULL)",
);
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`Floor server listening on http://localhost:${typeof address === "object" && address ? address.port : 0}`);
});
process.on("SIGTERM", () => server.close(() => db.close(() => process.exit(0))));
