/**
 * GET /api/results/<series>?year=&by=&weighted=&compareTo=&format=json|csv
 * The figures of statistics.md's results contract. Unknown parameters answer 400; no answer ever
 * holds a suppressed figure or free text.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { resultsOutput, ResultsError } from "~/models/results.server";
import { listSeriesIds } from "~/surveys/files.server";
import { jsonResponse } from "~/utils/http.server";
import { parseResultsParams } from "~/utils/results-params";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const seriesId = params.series ?? "";
  if (!listSeriesIds().includes(seriesId)) return jsonResponse({ error: `Unknown survey series: ${seriesId}` }, 404);
  const parsed = parseResultsParams(new URL(request.url).searchParams.entries());
  if (!parsed.ok) return jsonResponse({ error: parsed.error }, 400);
  try {
    const output = await resultsOutput({ db: getDb(), seriesId, params: parsed.params });
    if (output.format === "json") return jsonResponse(output.doc);
    return new Response(output.csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${output.filename}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof ResultsError) return jsonResponse({ error: error.message }, error.status);
    throw error;
  }
}
