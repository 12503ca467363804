import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { formatDecimalAmount } from "../../src/payments/money.js";
import { TestServer } from "../e2e-harness.js";
import { AlipaySimulator, serveAlipayGateway } from "../support/alipay-simulator.js";
import type { QueryServer } from "../support/query-server.js";
import { TEST_ENGINES } from "../test-database.js";
import { HAS_CHROMIUM, launchBrowser, openPage, SCREENSHOTS, wrongLanguage } from "./browser-support.js";

const MIN = 60_000;

/**
 * Issue 13 item 1's last part: an order being confirmed shows what the payment provider said when
 * Perkwise asked it (the query job of issue 15), in the member's language.
 */
describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("a pending order's provider answer on $name", (engine) => {
  const alipay = new AlipaySimulator();
  let gateway: QueryServer & { gateway: string };
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    gateway = await serveAlipayGateway(alipay);
    s = await TestServer.start(engine, undefined, { alipay: alipay.config(gateway.gateway) });
    await s.putCatalog(DEMO_CATALOG);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
    await gateway?.close();
  });

  /** A member whose Alipay order was asked about once, 5 minutes after it was placed. */
  const askedOnce = async (memberId: string, trade: { status: "WAIT_BUYER_PAY" } | null) => {
    await s.createMember(memberId, { locale: "en", timezone: "Asia/Shanghai" });
    const order = await s.createOrder(memberId, "vip_month");
    if (trade)
      alipay.trades.set(order.orderId, { ...trade, totalAmount: formatDecimalAmount(order.amount.amount) });
    else alipay.failWith = { status: 502, body: "Bad Gateway" };
    s.clock.advance(5 * MIN);
    await s.app.scheduler.runDue();
    alipay.failWith = null;
    return s.memberToken(memberId);
  };

  it("says what Alipay answered and when, in English and in Chinese", async () => {
    const token = await askedOnce("pa-waiting", { status: "WAIT_BUYER_PAY" });
    for (const [locale, said] of [
      ["en-US", "Alipay said when we asked at"],
      ["zh-CN", "我们向支付宝查询，答复："],
    ] as const) {
      const { context, page, problems } = await openPage(browser, locale);
      await page.clock.setFixedTime(s.clock.now());
      await page.goto(`${s.baseUrl}/?token=${token}#membership`);
      const answer = page.locator('[data-testid="pending-order"] [data-testid="provider-answer"]');
      await expect.poll(() => answer.count()).toBe(1);
      const text = (await answer.textContent()) ?? "";
      expect(text).toContain(said);
      expect(text).toContain("WAIT_BUYER_PAY");
      expect(text).toMatch(/GMT\+8/);
      expect(await wrongLanguage(page)).toEqual([]);
      await page.screenshot({
        path: `${SCREENSHOTS}/member-pending-provider-answer-${locale}.png`,
        fullPage: true,
      });
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it("says the provider has not answered yet when it could not be reached", async () => {
    const token = await askedOnce("pa-unreachable", null);
    const { context, page } = await openPage(browser, "en-US");
    await page.goto(`${s.baseUrl}/?token=${token}#membership`);
    const answer = page.locator('[data-testid="provider-answer"]');
    await expect.poll(() => answer.count()).toBe(1);
    expect(await answer.textContent()).toContain("We asked Alipay at");
    expect(await answer.textContent()).toContain("no answer yet");
    await context.close();
  });
});
