import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import {
  benefitCard,
  HAS_CHROMIUM,
  launchBrowser,
  missingKeysShown,
  openPage,
  SCREENSHOTS,
  startDemoWithBrowser,
} from "./browser-support.js";

const DAY = 24 * 3600 * 1000;
const LIVE_TIMEOUT = 15_000;
/** The focused element: its text, its label, whether it sits in the monthly gift's card, its outline. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  const labelled = el && el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
  return {
    text: (el && el.textContent ? el.textContent.trim() : ""),
    label: el ? (el.getAttribute("aria-label") || (labelled ? labelled.textContent : null)) : null,
    inGift: !!(el && el.closest('li[data-benefit="monthly_gift"]')),
    outline: el ? getComputedStyle(el).outlineStyle : "none",
  };
})()`;

describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("member centre in Chromium on $name", (engine) => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [s, browser] = await Promise.all([TestServer.start(engine), launchBrowser()]);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  /** A member with a paid VIP month, two days ago (the next-day discount is in effect). */
  async function paidMember(id: string) {
    await s.createMember(id, { locale: "en", timezone: "Asia/Shanghai" });
    const order = await s.createOrder(id, "vip_month", "official_app");
    const paid = await s.pay(order.orderId, order.amount.amount);
    expect(paid.status).toBe(200);
    s.clock.advance(2 * DAY);
    await s.app.scheduler.runDue();
    return s.memberToken(id);
  }

  it("a member pays and watches the benefit turn active without reloading", async () => {
    await s.createMember("web-pay", { locale: "en" });
    const order = await s.createOrder("web-pay", "vip_month", "official_app");
    const token = await s.memberToken("web-pay");
    const { context, page, problems } = await openPage(browser, "en-US");
    await page.goto(`${s.baseUrl}/?token=${token}`);
    const adFree = benefitCard(page, "ad_free");
    await expect.poll(() => adFree.getAttribute("class")).not.toContain("state-active");
    await expect
      .poll(() => adFree.locator("[data-code]").first().getAttribute("data-code"))
      .toBe("PAYMENT_PENDING");
    // The token left the address bar for the browser's storage.
    expect(page.url()).toBe(`${s.baseUrl}/`);
    // Page scripts are strings: the test project has no DOM types.
    await page.evaluate("window.notReloaded = true");
    await page.screenshot({ path: `${SCREENSHOTS}/member-payment-pending.png`, fullPage: true });

    const paid = await s.pay(order.orderId, order.amount.amount);
    expect(paid.status).toBe(200);
    await expect
      .poll(() => adFree.locator('[data-testid="benefit-state"]').textContent(), { timeout: LIVE_TIMEOUT })
      .toBe("Working");
    expect(await page.evaluate("window.notReloaded")).toBe(true);
    expect(await page.locator('[data-testid="membership"]').textContent()).toContain("Active");
    await page.screenshot({ path: `${SCREENSHOTS}/member-centre.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a member diagnoses a sale item excluded from the member discount", async () => {
    const token = await paidMember("web-sale");
    const { context, page, problems } = await openPage(browser, "en-US");
    await page.goto(`${s.baseUrl}/?token=${token}`);
    await benefitCard(page, "member_discount")
      .getByRole("button", { name: "Why isn't this working?" })
      .click();
    const form = page.locator("#diagnose");
    await expect.poll(() => form.getByLabel("Benefit").inputValue()).toBe("member_discount");
    // Without a product the discount works; a book on sale is out of its scope.
    await expect.poll(() => form.locator(".verdict").textContent()).toContain("works in this situation");
    await form.getByLabel("Product category").fill("books");
    await form.getByLabel("The product is on sale").check();
    await form.getByRole("button", { name: "Check it" }).click();
    await expect
      .poll(() => form.locator('[data-step="scenario"]').getAttribute("class"))
      .toContain("step-fail");
    expect(await form.locator('[data-step="membership_status"]').getAttribute("class")).toContain(
      "step-pass",
    );
    expect(await form.locator('[data-code="OUT_OF_SCOPE"]').textContent()).toContain("sale");
    expect(await form.locator(".verdict").textContent()).toContain("does not work");
    await page.screenshot({ path: `${SCREENSHOTS}/member-diagnosis.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("keyboard only: skip link first, then a benefit claimed with Tab and Enter", async () => {
    const token = await paidMember("web-keys");
    const { context, page, problems } = await openPage(browser, "en-US");
    await page.goto(`${s.baseUrl}/?token=${token}`);
    const gift = benefitCard(page, "monthly_gift");
    await expect
      .poll(() => gift.locator('[data-testid="benefit-state"]').textContent())
      .toBe("Needs claiming");

    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate("document.activeElement?.id")).toBe("main");

    // Tab on until the claim button has the focus; every stop on the way must be a labelled control.
    let reached = false;
    for (let stop = 0; stop < 80 && !reached; stop++) {
      await page.keyboard.press("Tab");
      const focused = (await page.evaluate(FOCUSED)) as {
        text: string;
        label: string | null;
        inGift: boolean;
        outline: string;
      };
      expect(focused.text || focused.label, "every focus stop has a name").toBeTruthy();
      expect(focused.outline, `focus is visible on "${focused.text || focused.label}"`).not.toBe("none");
      reached = focused.inGift && focused.text === "Claim it";
    }
    expect(reached).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => gift.locator('[data-testid="benefit-state"]').textContent()).toBe("Working");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("renders in Chinese (browser default) and English (the switcher) with no missing key, also on a phone", async () => {
    const token = await paidMember("web-lang");
    const { context, page, problems } = await openPage(browser, "zh-CN", { width: 390, height: 844 });
    await page.goto(`${s.baseUrl}/?token=${token}`);
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
    await expect.poll(() => page.getByRole("heading", { name: "会员权益", exact: true }).count()).toBe(1);
    // The timeline is a section of its own.
    await page.getByRole("link", { name: "记录", exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="timeline"]').count()).toBe(1);
    expect(await missingKeysShown(page)).toEqual([]);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SCREENSHOTS}/member-centre-zh-phone.png`, fullPage: true });

    await page.getByLabel("语言").selectOption("en");
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByRole("heading", { name: "Timeline", exact: true }).count()).toBe(1);
    expect(await missingKeysShown(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("the demo's coupons in Chromium on $name", (engine) => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    // The demo as `npm start` seeds it: demo-vip claimed this month's coupon pack.
    [s, browser] = await startDemoWithBrowser(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it("demo-vip sees its coupons, why the books coupon does not fit the sample cart, and the best combination", async () => {
    const token = await s.memberToken("demo-vip");
    const { context, page, problems } = await openPage(browser, "en-US");
    await page.goto(`${s.baseUrl}/?token=${token}#coupons`);
    const wallet = page.locator('[data-testid="coupon-wallet"]');
    await expect.poll(() => wallet.locator("li[data-coupon]").count()).toBe(5);
    // demo-vip's stored locale is Chinese; the page asks for English and every server text follows it.
    expect(await wallet.locator('li[data-code="any_9_off"] [data-testid="coupon-state"]').textContent()).toBe(
      "Available",
    );

    const evaluation = page.locator('[data-testid="checkout-evaluation"]');
    await expect.poll(() => evaluation.count()).toBe(1);
    // The book on sale is outside the member discount; the full-price book gets the member price.
    expect(await evaluation.locator('li[data-line="1"] [data-code="OUT_OF_SCOPE"]').count()).toBe(1);
    expect(await evaluation.locator('li[data-line="0"]').textContent()).toContain("member price CN¥83.60");

    const books = evaluation.locator('ul.coupons > li[data-code="books_20_off_100"]').first();
    expect(await books.getAttribute("class")).toBe("blocked");
    expect(await books.locator('[data-testid="coupon-verdict"]').textContent()).toBe("Does not apply");
    const minAmount = books.locator('[data-code="MIN_AMOUNT_NOT_MET"]');
    expect(await minAmount.locator(".remedy").textContent()).toBe("Add ¥16.40 more of eligible items.");

    const any = evaluation.locator('ul.coupons > li[data-code="any_9_off"]');
    expect(await any.getAttribute("class")).toBe("applies");
    const best = page.locator('[data-testid="best-combination"]');
    expect(await best.textContent()).toContain("9% off anything (up to ¥30)");
    expect(await best.textContent()).toContain("you pay CN¥121.58");

    // "Why can't I use this coupon?" asks the server about that coupon alone.
    await books.getByRole("button", { name: "Why can't I use ¥20 off ¥100 of books?" }).click();
    const diagnosis = books.locator('[data-testid="coupon-diagnosis"]');
    await expect.poll(() => diagnosis.count()).toBe(1);
    expect(await diagnosis.textContent()).toContain("On its own it does not work on this cart");
    expect(await diagnosis.locator('[data-code="MIN_AMOUNT_NOT_MET"] .remedy').textContent()).toBe(
      "Add ¥16.40 more of eligible items.",
    );
    expect(await missingKeysShown(page)).toEqual([]);
    await page.locator("#coupons").screenshot({ path: `${SCREENSHOTS}/member-coupons.png` });
    expect(problems).toEqual([]);
    await context.close();
  });
});
