import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import {
  editorJson,
  fillCatalogEditor,
  HAS_CHROMIUM,
  missingKeysShown,
  openPage,
  SCREENSHOTS,
  startDemoWithBrowser,
  wrongLanguage,
} from "./browser-support.js";

const LOCALES = [
  { browser: "en-US", page: "en" },
  { browser: "zh-CN", page: "zh-CN" },
] as const;

/** What each language says of the demo's rules, as the server words them (engine/rule-explainer.ts). */
const WORDS = {
  en: {
    discountRule: "Takes effect at 00:00 the day after you buy (Beijing time)",
    boost: "Must be switched on once in the app (it starts off)",
    zoneBefore: "Needs app version 5.2.0 or later",
    zoneAfter: "Needs app version 5.3.0 or later",
    preview: "Needs app version 6.0.0 or later",
    check: "Check and preview",
    key: "Admin or support key",
  },
  "zh-CN": {
    discountRule: "购买次日00:00（北京时间）起生效",
    boost: "需在App中手动开启一次（默认关闭）",
    zoneBefore: "需要App 5.2.0或更高版本",
    zoneAfter: "需要App 5.3.0或更高版本",
    preview: "需要App 6.0.0或更高版本",
    check: "检查并预览",
    key: "管理员或客服密钥",
  },
} as const;

async function tokenOf(s: TestServer, memberId: string): Promise<string> {
  return s.memberToken(memberId);
}

/** Chromium on the demo as `npm start` seeds it: the plans & rules page (权益详情) in both languages. */
describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("the plans page in Chromium on $name", (engine) => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [s, browser] = await startDemoWithBrowser(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  async function checkLanguage(page: Page, label: string) {
    expect(await wrongLanguage(page), label).toEqual([]);
    expect(await missingKeysShown(page), label).toEqual([]);
  }

  for (const locale of LOCALES) {
    it(`demo-new lands on the plans and reads every rule before paying (${locale.page})`, async () => {
      const words = WORDS[locale.page];
      const { context, page, problems } = await openPage(browser, locale.browser);
      await page.goto(`${s.baseUrl}/?token=${await tokenOf(s, "demo-new")}`);
      const plans = page.locator('[data-testid="plans"]');
      await plans.waitFor();
      expect(await page.locator('nav.sections a[aria-current="page"]').getAttribute("href")).toBe("#plans");
      // Tiers side by side: the SVIP-only benefit is ticked for svip alone.
      const row = page.locator('[data-testid="plans-compare"] tr[data-benefit="svip_concierge"] td');
      expect(await row.allTextContents()).toEqual(["—", "✓"]);
      const discount = page.locator('[data-testid="plan-benefits"] li[data-benefit="member_discount"]');
      // demo-new lives in Shanghai: the next-day rule is in Beijing time.
      expect(await discount.locator('[data-rule="effective"]').textContent()).toBe(words.discountRule);
      expect(
        await page
          .locator(
            '[data-testid="plan-benefits"] li[data-benefit="hd_download_boost"] [data-rule="activation"]',
          )
          .textContent(),
      ).toBe(words.boost);
      // Every plan starts at once for a non-member: no credit, nothing lost.
      const offers = page.locator('[data-testid="plan-offers"] .offer');
      expect(await offers.count()).toBe(4);
      for (const effect of await offers.evaluateAll((els) => els.map((e) => e.getAttribute("data-effect"))))
        expect(effect).toBe("new");
      expect(await page.locator('[data-testid="upgrade-credit"]').count()).toBe(0);
      await checkLanguage(page, `demo-new ${locale.page}`);
      await page.screenshot({
        path: `${SCREENSHOTS}/member-plans-demo-new-${locale.page}.png`,
        fullPage: true,
      });
      expect(problems).toEqual([]);
      await context.close();
    });

    it(`demo-vip sees the upgrade credit and the rule change that touched VIP (${locale.page})`, async () => {
      const words = WORDS[locale.page];
      const { context, page, problems } = await openPage(browser, locale.browser);
      await page.goto(`${s.baseUrl}/?token=${await tokenOf(s, "demo-vip")}#plans`);
      await page.locator('[data-testid="plans"]').waitFor();
      const quoted = (await s.request("GET", "/v1/me/plans", { auth: await tokenOf(s, "demo-vip") })).body;
      const upgrade = quoted.offers.find((o: { plan: string }) => o.plan === "svip_year");
      expect(upgrade.effect).toBe("upgrade");
      const credit = page.locator('li[data-plan="svip_year"] [data-testid="upgrade-credit"]');
      expect(await credit.textContent()).toContain(String(Math.floor(upgrade.creditMs / 86_400_000)));
      const change = page.locator('[data-testid="plans-history"] [data-changed="vip_zone"]');
      expect(await change.locator(".before").textContent()).toContain(words.zoneBefore);
      expect(await change.locator(".after").textContent()).toContain(words.zoneAfter);
      // The notice of that change reads the same sentences.
      await page.evaluate(`location.hash = "notices"`);
      const notice = page.locator('[data-testid="notices"] [data-changed="vip_zone"]');
      await notice.waitFor();
      expect(await notice.locator(".after").textContent()).toContain(words.zoneAfter);
      await page.evaluate(`location.hash = "plans"`);
      await page.locator('[data-testid="plans"]').waitFor();
      await checkLanguage(page, `demo-vip ${locale.page}`);
      await page.screenshot({
        path: `${SCREENSHOTS}/member-plans-demo-vip-${locale.page}.png`,
        fullPage: true,
      });
      expect(problems).toEqual([]);
      await context.close();
    });

    it(`the console's publish preview shows the sentences members will read (${locale.page})`, async () => {
      const words = WORDS[locale.page];
      const { context, page, problems } = await openPage(browser, locale.browser);
      await page.goto(`${s.baseUrl}/admin#catalog`);
      await page.getByLabel(words.key).fill(ADMIN_KEY);
      await page.keyboard.press("Enter");
      await page.locator('[data-testid="catalog-code"]').waitFor();
      const record = (await s.request("GET", "/v1/catalog")).body;
      const narrowed = editorJson(record).replace(
        '"minClientVersion": "5.3.0"',
        '"minClientVersion": "6.0.0"',
      );
      expect(narrowed).toContain('"minClientVersion": "6.0.0"');
      await fillCatalogEditor(page, narrowed);
      await page.getByRole("button", { name: words.check }).click();
      const sentences = page.locator('[data-testid="preview-sentences"] [data-changed="vip_zone"]');
      await sentences.waitFor();
      expect(await sentences.locator(".before").textContent()).toContain(words.zoneAfter);
      expect(await sentences.locator(".after").textContent()).toContain(words.preview);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
