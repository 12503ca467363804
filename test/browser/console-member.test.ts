import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../web/src/i18n/messages-en.js";
import { zhCN } from "../../web/src/i18n/messages-zh-CN.js";
import { ADMIN_KEY, type TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import {
  HAS_CHROMIUM,
  missingKeysShown,
  openPage,
  SCREENSHOTS,
  startDemoWithBrowser,
  wrongLanguage,
} from "./browser-support.js";

const LIVE_TIMEOUT = 15_000;
const HAN = /[\u4e00-\u9fff]/;

async function signIn(page: Page, baseUrl: string, hash: string, label: RegExp) {
  await page.goto(`${baseUrl}/admin#${hash}`);
  await page.getByLabel(label).fill(ADMIN_KEY);
  await page.keyboard.press("Enter");
}

async function settled(page: Page) {
  await page.locator("main section h2").first().waitFor();
  await expect.poll(() => page.locator('[data-testid="loading"]').count()).toBe(0);
}

/** The console's member page on the demo as `npm start` seeds it. */
describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("the console member page on $name", (engine) => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [s, browser] = await startDemoWithBrowser(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it("shows grants with their source and end reason, and follows a hold live, refetching only what it changed", async () => {
    const { context, page, problems } = await openPage(browser, "en-US");
    await signIn(page, s.baseUrl, "members/demo-upgraded", /Admin or support key/);
    await settled(page);
    const grants = page.locator('[data-testid="member-grants"]');
    const detail = (await s.request("GET", "/v1/members/demo-upgraded")).body;
    const upgradeOrder = detail.orders.find((o: { upgrade: unknown }) => o.upgrade !== null);
    expect(upgradeOrder).toBeDefined();
    // The VIP grants ended when the upgrade replaced them; the SVIP ones came from the upgrade's order.
    const ended = grants.locator("tr", { hasText: "Replaced by an upgrade" });
    expect(await ended.count()).toBeGreaterThan(0);
    expect(await ended.first().locator('[data-testid="grant-source"]').textContent()).toMatch(/^Order /);
    const fromUpgrade = grants.locator("tr", { has: page.getByText(upgradeOrder.orderId) });
    expect(await fromUpgrade.count()).toBe(
      detail.grants.filter((g: { membershipId: string }) => g.membershipId === upgradeOrder.membershipId)
        .length,
    );
    expect(await fromUpgrade.first().locator('[data-testid="grant-source"]').textContent()).toBe(
      `Upgrade ${upgradeOrder.orderId}`,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/console-member-grants.png`, fullPage: true });

    // A hold placed elsewhere reaches the page by its event stream; only this member's parts are read again.
    const reads: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "GET" && !r.url().includes("/v1/events")) reads.push(new URL(r.url()).pathname);
    });
    const hold = await s.request("POST", "/v1/members/demo-upgraded/holds", {
      body: { reason: "manual", note: "checking a report" },
    });
    expect(hold.status).toBe(201);
    await expect
      .poll(() => page.locator('[data-testid="member-benefits"]').textContent(), { timeout: LIVE_TIMEOUT })
      .toContain("ACCOUNT_ON_HOLD");
    await expect.poll(() => page.locator('[data-testid="holds"]').textContent()).toContain("Open");
    expect([...new Set(reads)].sort()).toEqual([
      "/v1/members/demo-upgraded",
      "/v1/members/demo-upgraded/entitlements",
      "/v1/members/demo-upgraded/timeline",
    ]);
    await s.request("POST", `/v1/holds/${hold.body.holdId}/clear`, { body: { note: "fine" } });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows a decision's reasons and remedies as the member reads them, in the language picked on the form", async () => {
    const { context, page, problems } = await openPage(browser, "en-US");
    await signIn(page, s.baseUrl, "members/demo-vip", /Admin or support key/);
    await settled(page);
    const decide = page.locator("#decide");
    await decide.getByLabel("Benefit").selectOption("svip_concierge");
    const reasons = decide.locator('[data-testid="decision-reasons"]');
    for (const [language, han] of [
      ["en", false],
      ["zh-CN", true],
    ] as const) {
      await decide.getByLabel("The member reads it in").selectOption(language);
      await decide.getByRole("button", { name: "Decide" }).click();
      await expect.poll(() => reasons.getAttribute("lang")).toBe(language);
      const text = (await reasons.textContent()) ?? "";
      expect(text).toContain("TIER_NOT_ELIGIBLE");
      expect(HAN.test(text), text).toBe(han);
      // The remedy is the member centre's own words for it, in that language.
      expect(text).toContain((language === "en" ? en : zhCN)["remedy.upgrade_tier"]);
      expect(await wrongLanguage(page)).toEqual([]);
    }
    await page.screenshot({ path: `${SCREENSHOTS}/console-member-decision-zh.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("every console page reads one language, in English and in Chinese", async () => {
    for (const [locale, label] of [
      ["en-US", /Admin or support key/],
      ["zh-CN", /管理员或客服密钥/],
    ] as const) {
      const { context, page, problems } = await openPage(browser, locale);
      await signIn(page, s.baseUrl, "catalog", label);
      for (const hash of [
        "catalog",
        "history",
        "members",
        "members/demo-vip",
        "members/demo-svip",
        "reconcile",
        "charts",
      ]) {
        await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
        await settled(page);
        await page.waitForLoadState("networkidle");
        expect(await wrongLanguage(page), `${locale} ${hash}`).toEqual([]);
        expect(await missingKeysShown(page), `${locale} ${hash}`).toEqual([]);
        if (hash.startsWith("members/")) {
          // The server's reasons in the page's language, whatever the member's stored locale
          // (demo-vip's is zh-CN, demo-svip's en): the console's Accept-Language wins for its keys.
          const reasons = await page.locator('[data-testid="reason-message"]').allTextContents();
          expect(reasons.length, `${locale} ${hash}`).toBeGreaterThan(0);
          for (const reason of reasons)
            expect(HAN.test(reason), `${locale} ${hash}: ${reason}`).toBe(locale === "zh-CN");
        }
        await page.screenshot({
          path: `${SCREENSHOTS}/console-${hash.replace("/", "-")}-${locale}.png`,
          fullPage: true,
        });
      }
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});
