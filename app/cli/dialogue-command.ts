/** create-session, close-session: dialogue sessions from the command line (issue 17). */
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { closeSession, createSession, findSessionByCode, SESSION_KINDS, SessionInputError } from "~/models/dialogue-session.server";
import { publishPlannedEditions } from "~/models/survey.server";
import { getUserByEmail, normalizeEmail } from "~/models/user.server";
import { required, UsageError } from "./errors";
import type { Command } from "./command";

export const dialogueCommands: Record<string, Command> = {
  "create-session": {
    summary: "Create an open dialogue session for a facilitator; prints its id and its code.",
    usage: `create-session --survey medborgardialog-2025 --kind ${SESSION_KINDS.join("|")} --place P --area A --facilitator E-MAIL [--date YYYY-MM-DD]`,
    options: {
      survey: { type: "string" },
      kind: { type: "string" },
      place: { type: "string" },
      area: { type: "string" },
      facilitator: { type: "string" },
      date: { type: "string" },
    },
    async run(values) {
      const survey = required(values, "survey");
      const kind = required(values, "kind");
      const place = required(values, "place");
      const area = required(values, "area");
      const email = required(values, "facilitator");
      const heldOn = typeof values.date === "string" ? values.date : new Date().toISOString().slice(0, 10);
      const db = getDb();
      await migrateToLatest(db);
      await publishPlannedEditions({ db });
      const user = await getUserByEmail({ db, email: normalizeEmail(email) });
      if (!user) throw new Error(`No staff account with e-mail ${email}`);
      if (user.role !== "facilitator" && user.role !== "admin") throw new UsageError(`${user.email} is ${user.role}, not facilitator or admin`);
      try {
        const session = await createSession({ db, kind, editionId: survey, place, area, heldOn, facilitatorId: user.id });
        console.log(`id   ${session.id}`);
        console.log(`code ${session.code}`);
      } catch (error) {
        if (error instanceof SessionInputError) throw new UsageError(error.message);
        throw error;
      }
    },
  },
  "close-session": {
    summary: "Close a dialogue session by its code: answers to it are refused from then on.",
    usage: "close-session --code CODE",
    options: { code: { type: "string" } },
    async run(values) {
      const code = required(values, "code");
      const db = getDb();
      await migrateToLatest(db);
      const session = await findSessionByCode({ db, code });
      if (!session) throw new Error(`No session with code ${code}`);
      // The command line acts as an administrator (it has the database).
      await closeSession({ db, id: session.id, viewer: { id: "cli", role: "admin" } });
      console.log(`Closed session ${session.code} (${session.place}, ${session.held_on})`);
    },
  },
};
