/**
 * Bytes a resident's browser transfers for the survey page, measured in headless Chromium
 * (playwright-core, the system's /usr/bin/chromium) from the DevTools protocol's Network events:
 * a cold visit (empty cache: the HTML, every script and stylesheet, the dynamically imported
 * survey runner chunk, icons) and a second visit in the same browser context (warm cache:
 * /build assets are immutable for a year, so mostly the HTML comes again).
 */
import type { BrowserContext, CDPSession } from "playwright-core";
import { launchBrowser } from "../tests/helpers/browser";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface ResourceTransfer {
  url: string;
  type: string;
  status: number;
  contentEncoding: string | null;
  fromCache: boolean;
  /** Bytes on the wire, headers included (DevTools' "transferred"). */
  transferredBytes: number;
  /** Bytes on the wire without the response headers: the encoded (compressed) body. */
  encodedBodyBytes: number;
  /** Body bytes after decompression. */
  decodedBodyBytes: number;
}

export interface VisitSummary {
  requests: number;
  fromNetwork: number;
  fromCache: number;
  transferredBytes: number;
  encodedBodyBytes: number;
  decodedBodyBytes: number;
  byType: Record<string, { requests: number; fromCache: number; transferredBytes: number; encodedBodyBytes: number; decodedBodyBytes: number }>;
  resources: ResourceTransfer[];
}

export interface PageWeight {
  url: string;
  cold: VisitSummary;
  cached: VisitSummary;
}

interface Tracked {
  url: string;
  type: string;
  status: number;
  contentEncoding: string | null;
  fromCache: boolean;
  headerBytes: number | null;
  headerBytesFallback: number;
  decoded: number;
  transferred: number | null;
  failed: boolean;
}

function record(cdp: CDPSession, origin: string): Map<string, Tracked> {
  const requests = new Map<string, Tracked>();
  const get = (id: string) => requests.get(id);
  cdp.on("Network.requestWillBeSent", (e) => {
    if (!e.request.url.startsWith(origin)) return;
    requests.set(e.requestId, {
      url: e.request.url.slice(origin.length),
      type: (e.type ?? "Other").toLowerCase(),
      status: 0,
      contentEncoding: null,
      fromCache: false,
      headerBytes: null,
      headerBytesFallback: 0,
      decoded: 0,
      transferred: null,
      failed: false,
    });
  });
  cdp.on("Network.requestServedFromCache", (e) => {
    const r = get(e.requestId);
    if (r) r.fromCache = true;
  });
  cdp.on("Network.responseReceived", (e) => {
    const r = get(e.requestId);
    if (!r) return;
    r.type = (e.type ?? r.type).toLowerCase();
    r.status = e.response.status;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    r.contentEncoding = headers["content-encoding"] ?? null;
    if (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker) r.fromCache = true;
    r.headerBytesFallback = e.response.encodedDataLength ?? 0;
  });
  cdp.on("Network.responseReceivedExtraInfo", (e) => {
    const r = get(e.requestId);
    if (r && typeof e.headersText === "string") r.headerBytes = Buffer.byteLength(e.headersText);
  });
  cdp.on("Network.dataReceived", (e) => {
    const r = get(e.requestId);
    if (r) r.decoded += e.dataLength;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = get(e.requestId);
    if (r) r.transferred = e.encodedDataLength;
  });
  cdp.on("Network.loadingFailed", (e) => {
    const r = get(e.requestId);
    if (r) r.failed = true;
  });
  return requests;
}

function summarise(requests: Map<string, Tracked>): VisitSummary {
  const resources: ResourceTransfer[] = [];
  for (const r of requests.values()) {
    if (r.failed) throw new Error(`Loading ${r.url} failed`);
    if (r.transferred === null) throw new Error(`Loading ${r.url} had not finished when the page was measured`);
    const transferred = r.fromCache ? 0 : r.transferred;
    const headerBytes = r.headerBytes ?? r.headerBytesFallback;
    resources.push({
      url: r.url,
      type: r.type,
      status: r.status,
      contentEncoding: r.contentEncoding,
      fromCache: r.fromCache,
      transferredBytes: transferred,
      encodedBodyBytes: r.fromCache ? 0 : Math.max(0, transferred - headerBytes),
      decodedBodyBytes: r.decoded,
    });
  }
  const byType: VisitSummary["byType"] = {};
  for (const r of resources) {
    const t = (byType[r.type] ??= { requests: 0, fromCache: 0, transferredBytes: 0, encodedBodyBytes: 0, decodedBodyBytes: 0 });
    t.requests++;
    if (r.fromCache) t.fromCache++;
    t.transferredBytes += r.transferredBytes;
    t.encodedBodyBytes += r.encodedBodyBytes;
    t.decodedBodyBytes += r.decodedBodyBytes;
  }
  const sum = (f: (r: ResourceTransfer) => number) => resources.reduce((a, r) => a + f(r), 0);
  return {
    requests: resources.length,
    fromNetwork: resources.filter((r) => !r.fromCache).length,
    fromCache: resources.filter((r) => r.fromCache).length,
    transferredBytes: sum((r) => r.transferredBytes),
    encodedBodyBytes: sum((r) => r.encodedBodyBytes),
    decodedBodyBytes: sum((r) => r.decodedBodyBytes),
    byType,
    resources: resources.sort((a, b) => b.transferredBytes - a.transferredBytes),
  };
}

/** One visit in a new tab of `context`: load, wait for the survey to render and the network to settle. */
async function visit(context: BrowserContext, url: string, readySelector: string): Promise<VisitSummary> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const requests = record(cdp, new URL(url).origin);
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  try {
    const response = await page.goto(url, { waitUntil: "load", timeout: 60_000 });
    if (!response || response.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
    // The survey runner is a dynamically imported chunk: the survey is there once it has loaded.
    await page.waitForSelector(readySelector, { timeout: 60_000 }).catch(async (error: Error) => {
      const text = (await page.locator("main").innerText().catch(() => "")).slice(0, 500);
      const pending = [...requests.values()].filter((r) => r.transferred === null && !r.failed).map((r) => r.url);
      throw new Error(`The survey did not render: ${error.message.split("\n")[0]}\nPage text: ${text}\nStill loading: ${pending.join(", ") || "nothing"}${pageErrors.length ? `\nPage errors: ${pageErrors.join("; ")}` : ""}`);
    });
    await page.waitForLoadState("networkidle", { timeout: 60_000 });
    await page.waitForTimeout(300);
    if (pageErrors.length > 0) throw new Error(`Errors on the page: ${pageErrors.join("; ")}`);
    return summarise(requests);
  } finally {
    await cdp.detach().catch(() => {});
    await page.close();
  }
}

/** `readySelector`: what shows the page is usable (the survey's form by default). */
export async function measurePageWeight(url: string, locale = "sv-SE", readySelector = ".sd-root-modern"): Promise<PageWeight> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale });
    const cold = await visit(context, url, readySelector);
    const cached = await visit(context, url, readySelector);
    await context.close();
    return { url, cold, cached };
  } finally {
    await browser.close();
  }
}

/** The slow mobile link of issue 15: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip. */
export const SLOW_LINK = { downloadKbps: 1600, uploadKbps: 750, latencyMs: 150 };

export interface FirstQuestionTiming {
  url: string;
  link: typeof SLOW_LINK;
  /** Per run: ms from navigation start until the first question's input could be used. */
  runsMs: number[];
  medianMs: number;
}

/**
 * Time to the first question on a slow link, cold cache each time: from navigation start
 * (performance.now() in the page) until the first question's first input (radio, checkbox,
 * dropdown, text box) is in the document, visible and enabled, which for this client-only
 * form means React has hydrated and SurveyJS has rendered. Chromium's network emulation
 * (CDP Network.emulateNetworkConditions) throttles every request of the page.
 */
export async function timeFirstQuestion(url: string, runs = 3, locale = "sv-SE"): Promise<FirstQuestionTiming> {
  const browser = await launchBrowser();
  const runsMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: SLOW_LINK.latencyMs,
        downloadThroughput: (SLOW_LINK.downloadKbps * 1000) / 8,
        uploadThroughput: (SLOW_LINK.uploadKbps * 1000) / 8,
      });
      try {
        await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
        const handle = await page.waitForFunction(
          () => {
            const question = document.querySelector(".sd-question");
            if (!question) return false;
            const inputs = question.querySelectorAll<HTMLElement>("input, select, textarea, [role=combobox], [role=radio]");
            for (const input of inputs) {
              const rect = input.getBoundingClientRect();
              const disabled = (input as HTMLInputElement).disabled || input.getAttribute("aria-disabled") === "true";
              // Radio buttons are drawn over a hidden input: its box may be tiny but it is laid out.
              if (!disabled && input.getClientRects().length > 0 && (rect.width > 0 || rect.height > 0)) return performance.now();
            }
            return false;
          },
          undefined,
          { polling: "raf", timeout: 120_000 },
        );
        runsMs.push(Math.round((await handle.jsonValue()) as number));
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { url, link: SLOW_LINK, runsMs, medianMs: sorted[Math.floor(sorted.length / 2)] };
}
