/**
 * The HTTP server: Express in front of the Remix request handler. Run with `npm start`.
 * Migrations and example data run first (in this process, with their own connection), then the
 * Remix build serves requests and opens its own database on first use.
 */
import http from "node:http";
import path from "node:path";
import { constants as zlibConstants } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { databaseOptions, openDatabase } from "~/db/db.server";
import { purgeAuditEvents } from "~/models/audit.server";
import { RESEAL_EVERY_MS, resealInvitationUses } from "~/models/invitation.server";
import { closeValidationPool } from "~/surveys/validation-pool.server";
import { getEnv } from "~/utils/env.server";
import { answerUnavailableDatabase } from "./database-unavailable";
import { demoNotice, prepareDatabase } from "./startup.server";
import { fastLane } from "./fast-lane";
import { recordPublicPages, servePublicPages } from "./page-cache";
import { staticFiles } from "./static-files";
import { clientKey, rateLimits, rateLimitsFromEnv } from "./rate-limit";
import {
  assertRouterSeesGuardedPath,
  canonicalRequests,
  carriesStaffCookie,
  isSubmissionPath,
  limitFormBodies,
  noStoreForStaff,
  refuseCrossSiteRequests,
  securityHeaders,
} from "./security";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function main() {
  const env = getEnv();
  const limits = rateLimitsFromEnv(process.env);
  process.env.NODE_ENV ??= "production";

  const startupDb = openDatabase(env.database, databaseOptions());
  try {
    const report = await prepareDatabase({ db: startupDb, demoData: env.demoData, auditRetentionDays: env.auditRetentionDays });
    if (report.migrations.length > 0) console.log(`Migrated: ${report.migrations.join(", ")}`);
    if (report.auditPurged > 0) console.log(`Audit trail: deleted ${report.auditPurged} events older than ${env.auditRetentionDays} days`);
    if (report.editions.length > 0) console.log(`Published: ${report.editions.join(", ")}`);
    if (report.translations.updated.length > 0) console.log(`Translations updated: ${report.translations.updated.join(", ")}`);
    for (const id of report.translations.kept) {
      console.warn(`${id}: surveys/ differs from the published questionnaire in more than translations; the edition keeps what it was published with`);
    }
    if (report.demoPresent) for (const line of demoNotice()) console.log(line);
  } catch (error) {
    console.error(`Start-up failed: ${(error as Error).message}`);
    process.exit(1);
  } finally {
    await startupDb.destroy();
  }

  // The audit trail's retention, once a day after the purge at start (decision 023).
  // Its own short-lived connection, like the start-up's: the Remix build keeps its own pool.
  setInterval(() => {
    const db = openDatabase(env.database, databaseOptions());
    void purgeAuditEvents({ db, days: env.auditRetentionDays })
      .catch((error: unknown) => console.error(`Audit purge failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => void db.destroy());
  }, 86_400_000).unref();

  // PostgreSQL: rewrite the invitation codes' uses so no heap order or transaction id lines them
  // up with the responses (decision 035); a no-op on SQLite and while nothing new was used.
  setInterval(() => {
    const db = openDatabase(env.database, databaseOptions());
    void resealInvitationUses({ db })
      .catch((error: unknown) => console.error(`Invitation reseal failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => void db.destroy());
  }, RESEAL_EVERY_MS).unref();

  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  const { handleSubmission, handleResultsApi } = build.entry.module as unknown as {
    handleSubmission: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    handleResultsApi: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  };
  const app = express();
  app.disable("x-powered-by");
  // Exactly one proxy hop: req.ip is the address the proxy saw, not whatever a client wrote
  // into X-Forwarded-For (the rate limits key on it).
  if (env.trustProxy) app.set("trust proxy", 1);
  app.use(securityHeaders({ secure: env.secureCookies }));
  // First of the guards: from here on every guard sees the path the router sees (decision 020).
  app.use(canonicalRequests({ trustProxy: env.trustProxy }));
  app.use(refuseCrossSiteRequests({ trustProxy: env.trustProxy }));
  app.use(limitFormBodies());
  app.use(rateLimits(limits));
  for (const [name, limit] of Object.entries(limits)) if (!limit) console.log(`Rate limit off: ${name}`);
  // Submissions skip Remix (and compression: their answers are a few bytes).
  app.use((req, res, next) => (isSubmissionPath(req) ? void handleSubmission(req, res).catch(next) : next()));
  // The JSON results API from its cache, compressed once per document (decision 038); CSV,
  // refusals, errors and signed-in staff (whose answers are no-store) go on to the Remix route.
  app.use((req, res, next) => {
    if (!req.path.startsWith("/api/results/") || carriesStaffCookie(req.headers.cookie)) return next();
    handleResultsApi(req, res).then((done) => done || next(), next);
  });
  // Static files carry their own Brotli/gzip copies, made at build time (static-files.ts).
  app.use(staticFiles(path.join(root, "public")));
  // The public results pages' HTML for anonymous visitors, kept for seconds (decision 024):
  // hits are answered here, already compressed (decision 038); misses are recorded below.
  app.use(servePublicPages());
  // Brotli at quality 5 for pages rendered per request: a few hundred bytes to a kilobyte less
  // HTML than the default 4 (Arabic pages most) for about a millisecond more per page.
  app.use(compression({ brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT } } }));
  app.use(noStoreForStaff());
  app.use(assertRouterSeesGuardedPath());
  app.use(recordPublicPages());
  app.all(
    "*",
    createRequestHandler({
      build: answerUnavailableDatabase(build),
      mode: "production",
      // clientKey: the rate limits' bucket; clientAddress: what the audit trail records (req.ip: see "trust proxy" above).
      getLoadContext: (req, res) => ({
        cspNonce: res.locals.cspNonce as string,
        clientKey: clientKey(req.ip),
        clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
      }),
    }),
  );

  // Kept results pages and cached results documents skip Express (fast-lane.ts); the rest, and
  // anything the lane leaves, goes through every guard above.
  const lane = fastLane({ secure: env.secureCookies, trustProxy: env.trustProxy, handleResultsApi });
  const server = http.createServer((req, res) => {
    lane(req, res).then(
      (done) => done || app(req, res),
      (error: unknown) => {
        console.error(error);
        if (!res.headersSent) app(req, res);
        else res.destroy();
      },
    );
  });
  server.listen(env.port, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : env.port;
    console.log(`Trygghetsdialog listening on http://localhost:${port}`);
  });
  server.keepAliveTimeout = 65_000;

  const shutdown = (signal: string) => {
    console.log(`${signal}: closing`);
    server.close(() => void closeValidationPool().finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

void main();
