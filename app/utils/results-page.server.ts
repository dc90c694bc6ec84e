/** Shared by the public results routes: the year parameter and the page's cache headers. */

/** A 4-digit year from the URL, or a 404. */
export function yearParam(value: string | undefined): number {
  if (!value || !/^\d{4}$/.test(value)) throw new Response("Not found", { status: 404 });
  return Number(value);
}

/**
 * The public page may be kept by a proxy for a short while (decision 024): 5 minutes for a closed
 * year, 30 s for an open one (the figures are then at most a minute old, as the page says). It
 * varies by language (cookie, Accept-Language).
 */
export function publicCacheControl(open: boolean): string {
  return open ? "public, max-age=30" : "public, max-age=300";
}

export function publicResultsHeaders(loaderHeaders: Headers): Headers {
  const headers = new Headers();
  const cacheControl = loaderHeaders.get("Cache-Control");
  if (cacheControl) headers.set("Cache-Control", cacheControl);
  headers.set("Vary", "Cookie, Accept-Language");
  return headers;
}
