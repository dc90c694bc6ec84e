/**
 * The command line: `npm run cli -- <command> [options]`. Run with no command for help.
 * Errors print one line (or a list of bad rows) and exit non-zero.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { closeDb, getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { loadDemoData, removeDemoData } from "~/models/demo.server";
import { ImportError, importResponses } from "~/models/import.server";
import { cliAddress, recordAudit } from "~/models/audit.server";
import { createUser, isRole, ROLES } from "~/models/user.server";
import { decodeUtf8File } from "~/utils/csv";
import { ignoreClosedPipe } from "./output";
import { createProgress } from "./progress";
import type { Command } from "./command";
import { extraCommands } from "./commands";

import { required, requiredYear, UsageError } from "./errors";

export { ignoreClosedPipe, required, requiredYear, UsageError };
export type { Command };


const coreCommands: Record<string, Command> = {
  migrate: {
    summary: "Run database migrations (also done at every start).",
    usage: "migrate",
    options: {},
    async run() {
      const done = await migrateToLatest(getDb());
      console.log(done.length > 0 ? `Migrated: ${done.join(", ")}` : "The database is up to date.");
    },
  },
  "create-user": {
    summary: "Create a staff account. Without --password a strong one is generated and printed once.",
    usage: `create-user --email E --role ${ROLES.join("|")} [--password P]`,
    options: { email: { type: "string" }, role: { type: "string" }, password: { type: "string" } },
    async run(values) {
      const email = required(values, "email");
      const role = required(values, "role");
      if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
      const given = typeof values.password === "string" ? values.password : process.env.TD_PASSWORD;
      const password = given ?? randomBytes(15).toString("base64url");
      await migrateToLatest(getDb());
      const user = await createUser({ db: getDb(), email, role, password });
      await recordAudit({ db: getDb(), event: "account-created", accountId: user.id, email: user.email, address: cliAddress(), detail: { role: user.role, source: "cli" } });
      console.log(`Created ${user.role} ${user.email}`);
      if (!given) console.log(`Password (shown once): ${password}`);
    },
  },
  "import-responses": {
    summary: "Import a year's responses from CSV; nothing is stored if any row is bad.",
    usage: "import-responses --series trygghetsmatning --year 2024 --file responses.csv [--channel paper|web|tablet]",
    options: { series: { type: "string" }, year: { type: "string" }, file: { type: "string" }, channel: { type: "string" } },
    async run(values) {
      const seriesId = required(values, "series");
      const year = requiredYear(values);
      const file = required(values, "file");
      const channel = (values.channel as string | undefined) ?? "import";
      if (!["paper", "web", "tablet", "import"].includes(channel)) throw new UsageError("--channel must be paper, web or tablet");
      if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
      await migrateToLatest(getDb());
      const progress = { validate: createProgress("Validating"), store: createProgress("Storing") };
      const result = await importResponses({
        db: getDb(),
        seriesId,
        year,
        csvText: decodeUtf8File(fs.readFileSync(file), file),
        channel: channel as "paper",
        onProgress: (p) => progress[p.phase].update(p.done, p.total),
      });
      if (result.editionCreated) console.log(`Created edition ${result.editionId} from the series' questionnaire.`);
      console.log(`Stored ${result.stored} responses in ${result.editionId}` + (result.alreadyStored ? ` (${result.alreadyStored} were already stored)` : "."));
    },
  },
  demo: {
    summary: "Load (--load) or delete (--remove) the example data.",
    usage: "demo --remove | demo --load",
    options: { remove: { type: "boolean" }, load: { type: "boolean" } },
    async run(values) {
      await migrateToLatest(getDb());
      if (values.remove) {
        const r = await removeDemoData({ db: getDb() });
        console.log(`Removed example data: ${r.editions} editions, ${r.responses} responses, ${r.users} users.`);
      } else if (values.load) {
        const r = await loadDemoData({ db: getDb() });
        console.log(`Loaded example data: ${r.editions.join(", ")} (${r.responses} responses).`);
      } else {
        throw new UsageError("say --remove or --load");
      }
    },
  },
};

export const commands: Record<string, Command> = { ...coreCommands, ...extraCommands };

function help(): string {
  const lines = ["Usage: npm run cli -- <command> [options]", "", "Commands:"];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  return lines.join("\n");
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command: ${name}\n\n${help()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`Unexpected argument: ${positionals[0]}`);
    await command.run(values as Record<string, string | boolean | undefined>);
    return 0;
  } catch (error) {
    if (error instanceof ImportError) {
      console.error(error.message);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(isUsage ? `${message}\nUsage: npm run cli -- ${command.usage}` : `Error: ${message}`);
    return isUsage ? 2 : 1;
  } finally {
    await closeDb();
  }
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (invokedDirectly) {
  // Not process.exit(): that would drop output still on its way through a pipe (app/cli/output.ts).
  ignoreClosedPipe(process.stdout);
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
