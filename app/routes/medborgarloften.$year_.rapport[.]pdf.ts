/** The public report on a year's promises as an A4 PDF, printed from the report page itself (decision 031). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db/db.server";
import { languageFromRequest } from "~/i18n/i18n.server";
import { listPromises } from "~/models/promise.server";
import { PdfUnavailable, printPdf } from "~/utils/pdf.server";
import { yearParam } from "~/utils/results-page.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = yearParam(params.year);
  if ((await listPromises({ db: getDb(), year })).length === 0) throw new Response("No promises for that year", { status: 404 });
  const language = await languageFromRequest(request);
  try {
    const pdf = await printPdf({ request, pathAndQuery: `/medborgarloften/${year}?lang=${language}` });
    return new Response(new Uint8Array(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="medborgarloften-${year}-${language}.pdf"`,
        "Cache-Control": "public, max-age=300",
      },
    });
  } catch (error) {
    if (error instanceof PdfUnavailable) {
      throw new Response("PDF-filer kan inte skapas på den här servern just nu. Skriv ut sidan till PDF från webbläsaren i stället.", { status: 503 });
    }
    throw error;
  }
}
