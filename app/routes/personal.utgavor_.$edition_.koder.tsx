/** The invitation codes as CSV for the mail merge (UTF-8 with BOM); `?oanvanda=1`: unused only (the reminder). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { translatorFor } from "~/i18n/i18n.server";
import { invitationsCsv } from "~/models/invitation.server";
import { getEdition } from "~/models/survey.server";
import { requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    await requireRole(request, ["admin"]);
  } catch (refusal) {
    // A file, not a page: the refusal is said in plain text in the page's language.
    if (refusal instanceof Response && refusal.status === 403) {
      const { t } = await translatorFor(request);
      return new Response(`${t("error.forbidden.title")}. ${t("error.forbidden.noAccess")}`, {
        status: 403,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
    throw refusal;
  }
  const id = params.edition ?? "";
  const edition = /^[a-z0-9-]{1,100}$/.test(id) ? await getEdition({ db: getDb(), id }) : undefined;
  if (!edition) throw new Response("Unknown edition", { status: 404 });
  const url = new URL(request.url);
  const unusedOnly = url.searchParams.get("oanvanda") === "1";
  const { csv } = await invitationsCsv({ db: getDb(), editionId: edition.id, baseUrl: url.origin, unusedOnly });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${edition.id}-${unusedOnly ? "oanvanda-koder" : "koder"}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
