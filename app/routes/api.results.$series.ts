/**
 * GET /api/results/<series>?year=&by=&weighted=&compareTo=&format=json|csv
 * The figures of statistics.md's results contract. Unknown parameters answer 400; no answer ever
 * holds a suppressed figure or free text.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { getResults, ResultsError } from "~/models/results.server";
import { editionMeasures, getEditionByYear } from "~/models/survey.server";
import { listSeriesIds } from "~/surveys/files.server";
import { jsonResponse } from "~/utils/http.server";
import { resultsToCsv } from "~/utils/results-csv";
import { parseResultsParams } from "~/utils/results-params";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const seriesId = params.series ?? "";
  if (!listSeriesIds().includes(seriesId)) return jsonResponse({ error: `Unknown survey series: ${seriesId}` }, 404);
  const parsed = parseResultsParams(new URL(request.url).searchParams.entries());
  if (!parsed.ok) return jsonResponse({ error: parsed.error }, 400);
  const { year, by, weighted, compareTo, format } = parsed.params;
  const db = getDb();
  try {
    const doc = await getResults({ db, seriesId, year, by, weighted, compareTo });
    if (format === "csv") {
      const edition = await getEditionByYear({ db, seriesId, year });
      const name = `${seriesId}-${year}${by ? `-per-${by}` : ""}${doc.weighted ? "-viktad" : ""}.csv`;
      return new Response(resultsToCsv(doc, edition ? editionMeasures(edition) : null), {
        headers: {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="${name}"`,
          "Cache-Control": "no-store",
        },
      });
    }
    return jsonResponse(doc);
  } catch (error) {
    if (error instanceof ResultsError) return jsonResponse({ error: error.message }, error.status);
    throw error;
  }
}
