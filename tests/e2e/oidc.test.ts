/**
 * Sign-in through the municipality's OpenID provider, end to end: a real provider
 * (oidc-provider, tests/helpers/oidc-provider.ts) on a loopback port, the production build on
 * another, and real Chromium clicking "Logga in med …" and filling the provider's form.
 *
 * An analyst reaches /personal as analyst; a person with no mapped group is refused with a
 * Swedish message and gets no session; their group changed at the provider gives the new role at
 * the next sign-in (and a changed role ends the account's older sessions); a tampered state and
 * a replayed callback are refused; the audit trail has every step. Run `npm run build` first.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/db.server";
import { migrateToLatest } from "~/db/migrate.server";
import { startServer, type RunningServer } from "../helpers/app-server";
import { formatViolations, launchBrowser, openWatchedPage, runAxe, type WatchedPage } from "../helpers/browser";
import { SCOPES, startTestProvider, type TestProvider } from "../helpers/oidc-provider";

const GROUPS = { admin: "grp-td-admin", analyst: "grp-td-analys", facilitator: "grp-td-samtal" };

let provider: TestProvider;
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const watched: WatchedPage[] = [];

beforeAll(async () => {
  await migrateToLatest(getDb());
  provider = await startTestProvider({
    anna: { email: "anna.analytiker@test.kommun.se", name: "Anna Analytiker", groups: ["grp-other", GROUPS.analyst] },
    nils: { email: "nils.nobody@test.kommun.se", name: "Nils Utan Grupp", groups: ["grp-other"] },
    maja: { email: "maja@test.kommun.se", name: "Maja Många", groups: [GROUPS.facilitator, GROUPS.admin, GROUPS.analyst] },
  });
  server = await startServer({
    SECURE_COOKIES: "off",
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_SCOPES: SCOPES,
    OIDC_ROLE_CLAIM: "groups",
    OIDC_ROLE_MAP: `${GROUPS.admin}=admin,${GROUPS.analyst}=analyst,${GROUPS.facilitator}=facilitator`,
    OIDC_BUTTON_LABEL: "Testkommunens konto",
    OIDC_ALLOW_INSECURE_HTTP: "on",
  });
  provider.configure(`${server.url}/logga-in/oidc/callback`);
  browser = await launchBrowser();
});

afterEach(() => {
  for (const w of watched.splice(0)) {
    // The provider's own development form is not ours to lint (it links Google Fonts, out of
    // reach here); only this site's pages count.
    // Refusal pages answer 4xx on purpose (the tests assert the status), which Chromium logs.
    const ours = w.errors.filter(
      (e) =>
        !e.includes(provider.issuer) &&
        !e.includes("fonts.googleapis.com") &&
        !/status of 40[03] .*\/(logga-in\/oidc\/callback|personal\/logg)\b/.test(e),
    );
    expect(ours, "console errors").toEqual([]);
  }
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
  await provider?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: "sv-SE" });
  contexts.push(context);
  const w = await openWatchedPage(context);
  watched.push(w);
  return w.page;
}

/** From the site's sign-in page through the provider's form; returns where the browser ends. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.goto(`${server.url}/logga-in`);
  await page.getByRole("link", { name: "Logga in med Testkommunens konto" }).click();
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("vilket-som-helst");
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.href.startsWith(server.url));
  await page.waitForLoadState("load");
}

async function heading(page: Page): Promise<string | null> {
  return page.getByRole("heading", { level: 1 }).textContent();
}

async function sessionCookie(page: Page): Promise<string | null> {
  const cookies = await page.context().cookies(server.url);
  const c = cookies.find((x) => x.name === "td_session" && x.value !== "");
  return c ? `td_session=${c.value}` : null;
}

async function auditRows(event?: string) {
  let q = getDb().selectFrom("audit_event").selectAll().orderBy("at");
  if (event) q = q.where("event", "=", event);
  return q.execute();
}

async function identityOf(subject: string) {
  return getDb()
    .selectFrom("oidc_identity")
    .innerJoin("app_user", "app_user.id", "oidc_identity.user_id")
    .select(["app_user.id", "app_user.role", "app_user.password_hash", "oidc_identity.email", "oidc_identity.issuer"])
    .where("oidc_identity.subject", "=", subject)
    .executeTakeFirst();
}

describe("sign-in through the OpenID provider", () => {
  it("the sign-in page offers the provider by its label, accessibly", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/logga-in`);
    const link = page.getByRole("link", { name: "Logga in med Testkommunens konto" });
    await expect(link.getAttribute("href")).resolves.toBe("/logga-in/oidc?redirectTo=%2Fpersonal");
    const axe = await runAxe(page);
    expect(axe.violations, formatViolations("/logga-in with OIDC", axe.violations)).toEqual([]);
    await page.screenshot({ path: "/tmp/screens/oidc-sign-in-page.png", fullPage: true });
  });

  it("(a) an analyst signs in and reaches /personal as analyst, keyed by issuer and subject", async () => {
    const page = await newPage();
    await signInAtProvider(page, "anna");
    expect(new URL(page.url()).pathname).toBe("/personal");
    await page.getByText("anna.analytiker@test.kommun.se (analytiker)").waitFor();
    const account = await identityOf("anna");
    expect(account).toMatchObject({ role: "analyst", email: "anna.analytiker@test.kommun.se", issuer: provider.issuer });
    expect(account!.password_hash).not.toMatch(/^scrypt\$/);
    // The state cookie is gone once used.
    const cookies = await page.context().cookies(server.url);
    expect(cookies.find((c) => c.name === "td_oidc")).toBeUndefined();
    const signIns = (await auditRows("sign-in")).filter((r) => r.account_id === account!.id);
    expect(signIns).toHaveLength(1);
    expect(JSON.parse(signIns[0].detail!)).toEqual({ method: "oidc", role: "analyst" });
    expect(signIns[0].address).toMatch(/127\.0\.0\.1/);
    // An analyst may not read the audit log.
    const log = await page.goto(`${server.url}/personal/logg`);
    expect(log!.status()).toBe(403);
  });

  it("a person in several mapped groups gets the highest role only", async () => {
    const page = await newPage();
    await signInAtProvider(page, "maja");
    await page.getByText("maja@test.kommun.se (administratör)").waitFor();
    expect((await identityOf("maja"))!.role).toBe("admin");
  });

  it("(b) a person with no mapped group is refused in Swedish and gets no session", async () => {
    const page = await newPage();
    await signInAtProvider(page, "nils");
    expect(new URL(page.url()).pathname).toBe("/logga-in/oidc/callback");
    expect(await heading(page)).toBe("Ditt konto har ingen behörighet här");
    expect(await page.getByRole("alert").textContent()).toContain("tillhör ingen grupp som ger behörighet till Trygghetsdialog");
    expect(await sessionCookie(page)).toBeNull();
    expect(await identityOf("nils")).toBeUndefined();
    const staff = await page.goto(`${server.url}/personal`);
    expect(new URL(staff!.url()).pathname).toBe("/logga-in");
    const failed = (await auditRows("sign-in-failed")).filter((r) => r.email === "nils.nobody@test.kommun.se");
    expect(failed).toHaveLength(1);
    expect(JSON.parse(failed[0].detail!)).toEqual({ method: "oidc", reason: "no-role", groups: 1 });
    const axe = await runAxe(page);
    expect(axe.violations, formatViolations("refusal page", axe.violations)).toEqual([]);
  });

  it("(c) a group changed at the provider gives the new role at the next sign-in, and ends older sessions", async () => {
    provider.people.get("nils")!.groups.push(GROUPS.facilitator);
    const first = await newPage();
    await signInAtProvider(first, "nils");
    await first.getByText("nils.nobody@test.kommun.se (samtalsledare)").waitFor();
    const oldCookie = await sessionCookie(first);
    expect(oldCookie).not.toBeNull();

    provider.people.get("nils")!.groups = [GROUPS.analyst];
    const second = await newPage();
    await signInAtProvider(second, "nils");
    await second.getByText("nils.nobody@test.kommun.se (analytiker)").waitFor();
    expect((await identityOf("nils"))!.role).toBe("analyst");
    // The session opened as facilitator ended with the change.
    const stale = await fetch(`${server.url}/personal`, { headers: { Cookie: oldCookie! }, redirect: "manual" });
    expect(stale.status).toBe(302);
    const changes = (await auditRows("role-changed")).map((r) => JSON.parse(r.detail!));
    expect(changes).toContainEqual({ from: "facilitator", to: "analyst", source: "oidc" });

    // Taken out of every mapped group: refused, and the open session ends too.
    const current = await sessionCookie(second);
    provider.people.get("nils")!.groups = [];
    const third = await newPage();
    await signInAtProvider(third, "nils");
    expect(await heading(third)).toBe("Ditt konto har ingen behörighet här");
    const after = await fetch(`${server.url}/personal`, { headers: { Cookie: current! }, redirect: "manual" });
    expect(after.status).toBe(302);
  });

  it("refuses a tampered state", async () => {
    const page = await newPage();
    // The provider's answer arrives by redirect, which page.route cannot catch: change the state
    // on the way out instead (the start's redirect to the provider), so the one that comes back
    // differs from the one in the state cookie.
    await page.route((url) => url.pathname === "/logga-in/oidc", async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = new URL(response.headers()["location"]);
      location.searchParams.set("state", `${location.searchParams.get("state")}x`);
      await route.fulfill({ response, headers: { ...response.headers(), location: location.href } });
    });
    await signInAtProvider(page, "anna");
    expect(new URL(page.url()).pathname).toBe("/logga-in/oidc/callback");
    expect(await heading(page)).toBe("Inloggningen kunde inte slutföras");
    expect(await sessionCookie(page)).toBeNull();
    const last = (await auditRows("sign-in-failed")).at(-1)!;
    expect(JSON.parse(last.detail!)).toMatchObject({ method: "oidc", reason: "failed" });
  });

  it("refuses a replayed callback, with or without the state cookie it came with", async () => {
    const page = await newPage();
    let callbackUrl = "";
    let callbackCookie = "";
    page.on("request", (request) => {
      if (!callbackUrl && request.url().includes("/logga-in/oidc/callback")) {
        callbackUrl = request.url();
        void request.allHeaders().then((h) => (callbackCookie = h.cookie ?? ""));
      }
    });
    await signInAtProvider(page, "anna");
    expect(new URL(page.url()).pathname).toBe("/personal");
    expect(callbackCookie).toMatch(/td_oidc=/);

    // The same browser again: its state cookie was cleared at the first use.
    const again = await page.goto(callbackUrl);
    expect(again!.status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toContain("Börja om från inloggningssidan");

    // Someone who copied URL and state cookie: the code was spent, the provider refuses it.
    const stateCookie = callbackCookie.split(/;\s*/).find((c) => c.startsWith("td_oidc="))!;
    const replay = await fetch(callbackUrl, { headers: { Cookie: stateCookie }, redirect: "manual" });
    expect(replay.status).toBe(400);
    expect(replay.headers.get("set-cookie") ?? "").not.toMatch(/td_session=[^;]/);
    const reasons = (await auditRows("sign-in-failed")).map((r) => JSON.parse(r.detail!).reason);
    expect(reasons).toEqual(expect.arrayContaining(["expired", "failed"]));
  });

  it("a cancelled sign-in at the provider is said plainly", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/logga-in`);
    await page.getByRole("link", { name: "Logga in med Testkommunens konto" }).click();
    await page.waitForURL((url) => url.href.startsWith(provider.issuer));
    await page.goto(`${page.url()}/abort`);
    await page.waitForURL((url) => url.href.startsWith(server.url));
    expect(await heading(page)).toBe("Inloggningen avbröts");
    expect(await sessionCookie(page)).toBeNull();
  });
});
