/**
 * GET /api/results/<series>?year=&by=&weighted=&compareTo=&format=json|csv
 * The figures of statistics.md's results contract. Unknown parameters answer 400; no answer ever
 * holds a suppressed figure or free text. Served from the results cache (decision 024) with an
 * ETag (304 when the client has it) and a public Cache-Control: long for closed years, 30 s for
 * an open one.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { cachedResults, isNotModified } from "~/models/results-cache.server";
import { ResultsError } from "~/models/results.server";
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
  try {
    const db = getDb();
    const cached = await cachedResults({ db, seriesId, year, by, weighted, compareTo });
    const etag = format === "json" ? cached.etag : `${cached.etag.slice(0, -1)}-csv"`;
    const headers = { "Cache-Control": cached.cacheControl, ETag: etag, Vary: "Accept-Encoding" };
    if (isNotModified(request, etag)) return new Response(null, { status: 304, headers });
    if (format === "json") {
      return new Response(cached.json, { headers: { "Content-Type": "application/json; charset=utf-8", ...headers } });
    }
    const edition = await getEditionByYear({ db, seriesId, year });
    const filename = `${seriesId}-${year}${by ? `-per-${by}` : ""}${cached.doc.weighted ? "-viktad" : ""}.csv`;
    return new Response(resultsToCsv(cached.doc, edition ? editionMeasures(edition) : null), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, ...headers },
    });
  } catch (error) {
    if (error instanceof ResultsError) return jsonResponse({ error: error.message }, error.status);
    throw error;
  }
}
