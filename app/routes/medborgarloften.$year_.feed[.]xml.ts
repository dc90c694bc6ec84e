/**
 * The promises' status changes of a year as an Atom feed (RFC 4287; decision 032): residents
 * follow without leaving an e-mail address anywhere. Swedish (the promises' own language), no
 * staff names; each entry is one status change of one promise.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { getFixedT } from "~/i18n/i18n.server";
import { listPromises, listStatusEvents } from "~/models/promise.server";
import { yearParam } from "~/utils/results-page.server";

function xml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = yearParam(params.year);
  const db = getDb();
  const promises = await listPromises({ db, year });
  if (promises.length === 0) throw new Response("No promises for that year", { status: 404 });
  const events = await listStatusEvents({ db, year });
  const t = getFixedT("sv");
  const origin = new URL(request.url).origin;
  const page = `${origin}/medborgarloften/${year}`;
  const self = `${page}/feed.xml`;
  const updated = events[0]?.at ?? promises[0].updatedAt;
  const entries = events
    .map((e) => {
      const title = t("promises.feed.entryTitle", { n: e.position + 1, status: t(`promises.status.${e.status}`) });
      return [
        "  <entry>",
        `    <id>urn:trygghetsdialog:promise-event:${xml(e.id)}</id>`,
        `    <title>${xml(title)}</title>`,
        `    <updated>${xml(e.at)}</updated>`,
        `    <link rel="alternate" type="text/html" href="${xml(page)}"/>`,
        `    <summary type="text">${xml(e.text)}</summary>`,
        "  </entry>",
      ].join("\n");
    })
    .join("\n");
  const body = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">',
    `  <id>${xml(self)}</id>`,
    `  <title>${xml(t("promises.feed.title", { year }))}</title>`,
    `  <updated>${xml(updated)}</updated>`,
    `  <author><name>${xml(t("promises.feed.author"))}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(page)}"/>`,
    entries,
    "</feed>",
    "",
  ].join("\n");
  return new Response(body, {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
