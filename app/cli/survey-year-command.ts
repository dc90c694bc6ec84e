/** publish and invite: the survey year from the command line (issue 19). */
import fs from "node:fs";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { createInvitations, invitationsCsv, parseSample, peoplePerArea, SampleError } from "~/models/invitation.server";
import { isAccessMode, publishYear, PublishError } from "~/models/publishing.server";
import { getEdition } from "~/models/survey.server";
import { decodeUtf8File } from "~/utils/csv";
import { required, requiredYear, UsageError } from "./errors";
import type { Command } from "./command";

export const surveyYearCommands: Record<string, Command> = {
  publish: {
    summary: "Publish a year's edition from surveys/<series> with its opening and closing days and access mode.",
    usage: "publish --series trygghetsmatning --year 2026 --opens 2026-03-01 --closes 2026-04-15 [--access open|code|both]",
    options: { series: { type: "string" }, year: { type: "string" }, opens: { type: "string" }, closes: { type: "string" }, access: { type: "string" } },
    async run(values) {
      const seriesId = required(values, "series");
      const year = requiredYear(values);
      const access = (values.access as string | undefined) ?? "open";
      if (!isAccessMode(access)) throw new UsageError("--access must be open, code or both");
      await migrateToLatest(getDb());
      try {
        const { edition, action } = await publishYear({ db: getDb(), seriesId, year, opensOn: required(values, "opens"), closesOn: required(values, "closes"), access });
        console.log(`${edition.id}: ${action} (opens ${edition.opens_on}, closes ${edition.closes_on}, access ${edition.access})`);
      } catch (error) {
        if (error instanceof PublishError) throw new UsageError(error.message);
        throw error;
      }
    },
  },
  invite: {
    summary: "Make invitation codes for an edition's sample (or N per area) and write sample_id,area,code,link as CSV.",
    usage: "invite --edition trygghetsmatning-2026 (--sample sample.csv | --per-area 50) --out codes.csv [--base-url https://trygghet.kommun.se]",
    options: { edition: { type: "string" }, sample: { type: "string" }, "per-area": { type: "string" }, out: { type: "string" }, "base-url": { type: "string" } },
    async run(values) {
      const editionId = required(values, "edition");
      const out = required(values, "out");
      const baseUrl = (values["base-url"] as string | undefined) ?? process.env.PUBLIC_URL ?? "http://localhost:3000";
      await migrateToLatest(getDb());
      const db = getDb();
      const edition = await getEdition({ db, id: editionId });
      if (!edition) throw new UsageError(`No edition ${editionId}; publish it first`);
      try {
        let people;
        if (typeof values.sample === "string") {
          people = parseSample(decodeUtf8File(fs.readFileSync(values.sample), values.sample), edition);
        } else if (typeof values["per-area"] === "string") {
          people = peoplePerArea(edition, Number(values["per-area"]));
        } else {
          throw new UsageError("Give --sample FILE or --per-area N");
        }
        const made = await createInvitations({ db, editionId, people });
        const { csv, rows } = await invitationsCsv({ db, editionId, baseUrl });
        fs.writeFileSync(out, csv);
        console.log(`Made ${made} codes for ${editionId}; wrote all ${rows} to ${out}`);
      } catch (error) {
        if (error instanceof SampleError) {
          for (const p of error.problems) console.error(p);
          throw new UsageError(error.message);
        }
        throw error;
      }
    },
  },
};
