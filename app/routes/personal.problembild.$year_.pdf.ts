/**
 * The problem picture as an A4 PDF for the local situation report, printed from the page itself
 * with the asking person's own session (decision 031). A resource route: a refusal is plain text.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { PROMISE_ROLES } from "~/models/promise.server";
import { PdfUnavailable, printPdf } from "~/utils/pdf.server";
import { yearParam } from "~/utils/results-page.server";
import { requireRole } from "~/utils/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, PROMISE_ROLES.editPromise).catch((error: unknown) => {
    if (error instanceof Response && error.status === 403) {
      throw new Response("Åtkomst nekad: problembilden är till för analytiker och administratörer.", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    throw error;
  });
  const year = yearParam(params.year);
  try {
    const pdf = await printPdf({ request, pathAndQuery: `/personal/problembild/${year}`, cookie: request.headers.get("Cookie") });
    return new Response(new Uint8Array(pdf), {
      headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="problembild-${year}.pdf"`, "Cache-Control": "private, no-store" },
    });
  } catch (error) {
    if (error instanceof PdfUnavailable) {
      throw new Response("PDF-filer kan inte skapas på den här servern just nu. Skriv ut sidan till PDF från webbläsaren i stället.", { status: 503 });
    }
    throw error;
  }
}
