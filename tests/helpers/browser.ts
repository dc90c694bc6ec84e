/**
 * Real headless Chromium for the end-to-end tests (playwright-core drives the system's
 * /usr/bin/chromium; no browser is downloaded). Also: a collector of console errors and page
 * errors, an axe-core runner and a horizontal-overflow check, shared by every e2e test.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { ROOT } from "./app-server";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A phone: 360 × 740 CSS pixels, touch, mobile viewport meta honoured. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "sv-SE",
};

/** Launches headless Chromium; throws (never skips) when the browser is not installed. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` ` +
        "(or set CHROMIUM_PATH); the end-to-end tests need a real browser.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught page errors seen so far, as readable lines. */
  errors: string[];
}

/**
 * Opens a page in the context and records every console error and uncaught exception, so a
 * test can assert that none happened.
 */
export async function openWatchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") {
      const where = message.location();
      errors.push(`console.error: ${message.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ""}`);
    }
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  return { page, errors };
}

interface AxeNode {
  target: string[];
  html: string;
  failureSummary?: string;
}
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

const AXE_PATH = path.join(ROOT, "node_modules/axe-core/axe.min.js");

export interface AxeResult {
  violations: AxeViolation[];
  /** Checks axe could not decide (e.g. text over a pseudo-element's background): not checked at all. */
  incomplete: AxeViolation[];
}

/**
 * Waits until no CSS animation or transition is running (SurveyJS fades a question in when a
 * rule shows it). Colours sampled mid-fade are a blend nobody reads, so axe checks the page at
 * rest. Endless animations (a spinner) are not waited for.
 */
export async function waitForAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let round = 0; round < 10; round++) {
      const running = document
        .getAnimations()
        .filter((a) => a.playState === "running" && a.effect?.getComputedTiming().endTime !== Infinity);
      if (running.length === 0) return;
      await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
      // One frame for whatever the finished animation starts next.
      await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
    }
  });
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page once its animations have ended. */
export async function runAxe(page: Page): Promise<AxeResult> {
  await waitForAnimations(page);
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  // Evaluated through DevTools, which the page's Content-Security-Policy does not apply to: an
  // inline <script> tag (addScriptTag) has no nonce and would be refused, as it should be.
  if (!loaded) await page.evaluate(fs.readFileSync(AXE_PATH, "utf8"));
  // No named functions inside page.evaluate: tsx's keepNames would reference a helper the page lacks.
  const result = await page.evaluate(async () => {
    type Raw = { violations: AxeViolation[]; incomplete: AxeViolation[] };
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Raw> } }).axe;
    const raw = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] });
    return JSON.parse(JSON.stringify({ violations: raw.violations, incomplete: raw.incomplete })) as Raw;
  });
  const plain = (list: AxeViolation[]): AxeViolation[] =>
    list.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  return { violations: plain(result.violations), incomplete: plain(result.incomplete) };
}

/** Axe violations as text a person can act on: rule, impact, then each element and why. */
export function formatViolations(label: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${label}: no violations`;
  const lines = [`${label}: ${violations.length} axe violation(s)`];
  for (const v of violations) {
    lines.push(`- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 10)) {
      lines.push(`    ${n.target.join(" ")}  ${n.html.slice(0, 160)}`);
      if (n.failureSummary) lines.push(`      ${n.failureSummary.replace(/\n/g, "\n      ")}`);
    }
    if (v.nodes.length > 10) lines.push(`    … and ${v.nodes.length - 10} more`);
  }
  return lines.join("\n");
}

/** The page's scroll width and the elements sticking out past the viewport's right edge. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number; offenders: string[] }> {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const offenders: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const rect = el.getBoundingClientRect();
      if (rect.width > 0 && rect.right > viewport + 0.5) {
        const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
        offenders.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(rect.right)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewport, offenders: offenders.slice(0, 15) };
  });
}
