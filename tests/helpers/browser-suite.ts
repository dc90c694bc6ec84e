/**
 * The frame every end-to-end file shares: one Chromium and one production server for the file,
 * a fresh browser context per page opened (closed after each test), and, when a test fails, a
 * screenshot of where it stopped with what the page and the server said.
 *
 *   const suite = browserSuite();
 *   const { page } = await suite.open(PHONE);
 *   await page.goto(`${suite.server.url}/…`);
 */
import fs from "node:fs";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { startServer, type RunningServer } from "./app-server";
import { launchBrowser, openWatchedPage, type WatchedPage } from "./browser";

export const SCREENS = "/tmp/screens";

export interface BrowserSuite {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** Opens a page in a new context with these options; the previous context is closed first. */
  open(options?: BrowserContextOptions): Promise<WatchedPage>;
  /** The same for a context made elsewhere (a persistent profile): the suite closes it after the test. */
  openIn(context: BrowserContext): Promise<WatchedPage>;
}

export function browserSuite({ failurePrefix = "failed" }: { failurePrefix?: string } = {}): BrowserSuite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let watched: WatchedPage | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
    fs.mkdirSync(SCREENS, { recursive: true });
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail" && watched) {
      const name = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
      await watched.page.screenshot({ path: `${SCREENS}/${failurePrefix}-${name}.png`, fullPage: true }).catch(() => {});
      console.error(`Page errors:\n${watched.errors.join("\n") || "(none)"}\nServer output (tail):\n${server?.output().slice(-3000)}`);
    }
    await context?.close();
    context = undefined;
    watched = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get server() {
      if (!server) throw new Error("browserSuite: the server starts in beforeAll");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("browserSuite: the browser starts in beforeAll");
      return browser;
    },
    async open(options = {}) {
      return this.openIn(await this.browser.newContext(options));
    },
    async openIn(made) {
      if (context !== made) await context?.close();
      context = made;
      watched = await openWatchedPage(made);
      return watched;
    },
  };
}
