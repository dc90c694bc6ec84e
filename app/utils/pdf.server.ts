/**
 * PDF documents printed from our own pages by headless Chromium (decision 031): the page's print
 * CSS gives the A4 layout, and every language (Arabic and Persian right to left included) renders
 * as in the browser. One print at a time; a printed document is kept a minute per address.
 */
import fs from "node:fs";
import { getEnv } from "~/utils/env.server";

const kept = new Map<string, { at: number; pdf: Buffer }>();
const KEEP_MS = 60_000;
let queue: Promise<unknown> = Promise.resolve();

export class PdfUnavailable extends Error {}

/** Prints `pathAndQuery` of this site to an A4 PDF, or throws PdfUnavailable (no Chromium configured or found). */
export async function printPdf({ request, pathAndQuery, cookie = null }: { request: Request; pathAndQuery: string; cookie?: string | null }): Promise<Buffer> {
  const env = getEnv();
  const executablePath = env.chromiumPath;
  if (!executablePath || !fs.existsSync(executablePath)) throw new PdfUnavailable(`No Chromium at ${executablePath ?? "(off)"}`);
  const origin = env.pdfSourceOrigin ?? new URL(request.url).origin;
  const url = `${origin}${pathAndQuery}`;
  // A staff page is printed with the asking person's own session and never kept.
  const hit = cookie ? undefined : kept.get(url);
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.pdf;
  const job = queue.then(async () => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
    try {
      const context = await browser.newContext(cookie ? { extraHTTPHeaders: { cookie } } : {});
      const page = await context.newPage();
      const response = await page.goto(url, { waitUntil: "networkidle", timeout: 30_000 });
      if (!response || !response.ok()) throw new Error(`Printing ${url}: HTTP ${response?.status() ?? "no answer"}`);
      await page.emulateMedia({ media: "print" });
      return await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
    } finally {
      await browser.close();
    }
  });
  queue = job.catch(() => undefined);
  const pdf = await job;
  if (!cookie) kept.set(url, { at: Date.now(), pdf });
  if (kept.size > 50) kept.delete(kept.keys().next().value!);
  return pdf;
}
