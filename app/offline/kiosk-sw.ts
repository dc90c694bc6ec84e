/// <reference lib="webworker" />
/**
 * The kiosk's service worker (decision 026), bundled by esbuild into public/kiosk-sw.js and
 * registered by /kiosk/<code> with scope /kiosk/. Once a kiosk has been opened online it loads
 * with no network: the kiosk page itself (network first, the last good copy when offline), the
 * fingerprinted scripts and styles under /build/ (cache first: their names change with their
 * content), and the site's stylesheets and icon. The page sends the addresses it has loaded
 * (CACHE_URLS), since the first visit happens before the worker controls it. Answers never pass
 * through here: the page's IndexedDB queue sends them (app/offline/queue.client.ts).
 */
import { registerRoute } from "workbox-routing";
import { CacheFirst, NetworkFirst, StaleWhileRevalidate } from "workbox-strategies";

declare const self: ServiceWorkerGlobalScope;

export const PAGE_CACHE = "td-kiosk-pages-v1";
const ASSET_CACHE = "td-kiosk-assets-v1";
const STATIC_CACHE = "td-kiosk-static-v1";

const isKioskPage = (url: URL) => /^\/kiosk\/[^/]+$/.test(url.pathname) && !url.searchParams.has("_data");
const isAsset = (url: URL) => url.pathname.startsWith("/build/");
const isStatic = (url: URL) => url.pathname.startsWith("/styles/") || url.pathname.startsWith("/favicon.");

registerRoute(({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin && isKioskPage(url), new NetworkFirst({ cacheName: PAGE_CACHE, networkTimeoutSeconds: 5 }));
registerRoute(({ url }) => url.origin === self.location.origin && isAsset(url), new CacheFirst({ cacheName: ASSET_CACHE }));
registerRoute(({ url }) => url.origin === self.location.origin && isStatic(url), new StaleWhileRevalidate({ cacheName: STATIC_CACHE }));

self.addEventListener("install", () => void self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([PAGE_CACHE, ASSET_CACHE, STATIC_CACHE]);
      for (const name of await caches.keys()) if (name.startsWith("td-kiosk-") && !keep.has(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** Puts what the page already loaded into the caches (same origin only); answers which were cached. */
async function cacheUrls(urls: string[]): Promise<number> {
  let cached = 0;
  for (const raw of urls) {
    const url = new URL(raw, self.location.origin);
    if (url.origin !== self.location.origin) continue;
    const cacheName = isKioskPage(url) ? PAGE_CACHE : isAsset(url) ? ASSET_CACHE : isStatic(url) ? STATIC_CACHE : null;
    if (!cacheName) continue;
    const cache = await caches.open(cacheName);
    if (cacheName !== PAGE_CACHE && (await cache.match(url.href))) {
      cached++;
      continue;
    }
    try {
      const response = await fetch(url.href, { credentials: "same-origin", cache: "no-store" });
      if (response.ok) {
        await cache.put(url.href, response);
        cached++;
      }
    } catch {
      // Offline already: what is not cached now will be on the next online visit.
    }
  }
  return cached;
}

self.addEventListener("message", (event) => {
  const data = event.data as { type?: string; urls?: unknown } | null;
  if (data?.type !== "CACHE_URLS" || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((u): u is string => typeof u === "string").slice(0, 200);
  event.waitUntil(cacheUrls(urls).then((cached) => event.ports[0]?.postMessage({ cached })));
});
