/**
 * Issue 13: the console loads the catalog editor (CodeMirror, YAML, the catalog schema) only when it
 * is opened, and no console view shows a blank panel when its request fails: it says so and offers
 * to try again.
 */
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../web/src/i18n/messages-en.js";
import { ADMIN_KEY, type TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import { HAS_CHROMIUM, openPage, SCREENSHOTS, startDemoWithBrowser } from "./browser-support.js";

const EDITOR_CHUNK = /\/assets\/CatalogEditor-[^/]+\.js$/;

async function signIn(page: Page, baseUrl: string, hash: string) {
  await page.goto(`${baseUrl}/admin#${hash}`);
  await page.getByLabel(/Admin or support key/).fill(ADMIN_KEY);
  await page.keyboard.press("Enter");
}

describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("the console's loading and failures on $name", (engine) => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [s, browser] = await startDemoWithBrowser(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it("the console's first paint loads no editor code; opening the catalog tab loads it", async () => {
    const { context, page, problems } = await openPage(browser, "en-US");
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    await signIn(page, s.baseUrl, "members");
    await page.locator('[data-testid="member-results"]').waitFor();
    await page.waitForLoadState("networkidle");
    expect(scripts.some((path) => /\/assets\/AdminApp-/.test(path))).toBe(true);
    expect(scripts.filter((path) => EDITOR_CHUNK.test(path))).toEqual([]);

    await page.getByRole("button", { name: "Catalog" }).click();
    await page.getByLabel("Catalog document (JSON)").waitFor();
    expect(scripts.filter((path) => EDITOR_CHUNK.test(path))).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("every console view says a failed request and offers to try again, then shows its data", async () => {
    const { context, page, problems } = await openPage(browser, "en-US");
    // Signed in on the editor: none of the views below has read anything yet.
    await signIn(page, s.baseUrl, "catalog");
    await page.getByLabel("Catalog document (JSON)").waitFor();
    const views: [hash: string, failing: string, loaded: Locator][] = [
      ["history", "/v1/catalog/versions", page.locator("#history table")],
      ["members", "/v1/members", page.locator('[data-testid="member-results"]')],
      ["members/demo-vip", "/v1/members/demo-vip", page.locator('[data-testid="member-grants"]')],
      [
        "reconcile",
        "/v1/reconcile/runs",
        page.locator('[data-testid="reconcile-runs"]').or(page.getByText(en["reconcile.none"])),
      ],
      ["charts", "/v1/stats", page.locator('[data-testid="charts"]')],
    ];
    for (const [hash, failing, loaded] of views) {
      const matches = (url: URL) => url.pathname === failing;
      await page.route(matches, (route) =>
        route.fulfill({
          status: 503,
          contentType: "application/json",
          body: JSON.stringify({
            error: { code: "INTERNAL", message: "The server is restarting.", details: [] },
          }),
        }),
      );
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      // A 5xx is retried twice (about 3 s), then said, with the button to try again.
      const failure = page.locator('[data-testid="load-error"]').first();
      await expect
        .poll(() => failure.textContent(), { timeout: 15_000 })
        .toContain("The server is restarting.");
      expect(await loaded.count(), hash).toBe(0);
      await page.screenshot({ path: `${SCREENSHOTS}/console-failed-${hash.replace("/", "-")}.png` });
      await page.unroute(matches);
      await failure.getByRole("button", { name: en["common.retry"] }).click();
      await loaded.first().waitFor();
      await expect.poll(() => page.locator('[data-testid="load-error"]').count()).toBe(0);
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
