import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { DEMO_MEMBERS } from "../../src/demo/seed-demo.js";
import { T0, TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import {
  benefitCard,
  HAS_CHROMIUM,
  launchBrowser,
  missingKeysShown,
  openPage,
  SCREENSHOTS,
  startDemoWithBrowser,
  wrongLanguage,
} from "./browser-support.js";

const LIVE_TIMEOUT = 15_000;
const SECTIONS = ["membership", "plans", "diagnose", "coupons", "notices", "timeline", "support"] as const;

const FOCUSED = `(() => {
  const el = document.activeElement;
  return {
    name: el ? el.tagName + " " + (el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 40) : "",
    outline: el ? getComputedStyle(el).outlineStyle : "none",
    href: el ? el.getAttribute("href") : null,
  };
})()`;

/** A section opened by its route (no reload), once its data has loaded. */
async function openSection(page: Page, section: string) {
  await page.evaluate(`location.hash = "${section}"`);
  await page.locator(`#${section}-title`).waitFor();
  await expect.poll(() => page.locator('[data-testid="loading"]').count()).toBe(0);
}

/** The demo as `npm start` seeds it, in Chromium: what every demo member reads. */
describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("the demo members' pages on $name", (engine) => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [s, browser] = await startDemoWithBrowser(engine);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it("demo-pending reads pending, with its order, plan and age, and never 'no membership'", async () => {
    const token = await s.memberToken("demo-pending");
    const { context, page, problems } = await openPage(browser, "en-US");
    // The browser's clock at the seed's "now", so the order placed an hour before reads its age.
    await page.clock.setFixedTime(T0);
    await page.goto(`${s.baseUrl}/?token=${token}`);
    const pending = page.locator('[data-testid="pending-order"]');
    await expect.poll(() => pending.count()).toBe(1);
    const text = (await pending.textContent()) ?? "";
    expect(text).toContain("Your order is being confirmed");
    expect(text).toContain("1 hour ago");
    expect(text).toContain("vip_month");
    expect(text).toMatch(/ord_/);
    expect(text).toContain("usually confirms within minutes");
    expect(await page.locator('[data-testid="membership"]').textContent()).not.toContain("no membership");
    expect(await benefitCard(page, "ad_free").locator('[data-testid="benefit-state"]').textContent()).toBe(
      "Payment pending",
    );
    // Every benefit the order would bring says so; none of them says "Not included".
    const held = page.locator('li.benefit:has([data-code="PAYMENT_PENDING"])');
    expect(await held.count()).toBeGreaterThan(3);
    expect(await held.locator('[data-testid="benefit-state"]').allTextContents()).toEqual(
      Array((await held.count()) as number).fill("Payment pending"),
    );
    // Times in the member's zone, named.
    expect(await page.locator('[data-testid="time-zone"]').textContent()).toContain("Asia/Shanghai");
    expect(text).toMatch(/GMT\+8/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("every demo member in English and in Chinese reads one language in every section", {
    timeout: 120_000,
  }, async () => {
    const failures: string[] = [];
    for (const member of DEMO_MEMBERS) {
      const token = await s.memberToken(member.id);
      for (const locale of ["en-US", "zh-CN"]) {
        const { context, page, problems } = await openPage(browser, locale);
        await page.goto(`${s.baseUrl}/?token=${token}`);
        for (const section of SECTIONS) {
          await openSection(page, section);
          for (const text of await wrongLanguage(page))
            failures.push(`${member.id} ${locale} #${section}: ${text}`);
          for (const key of await missingKeysShown(page))
            failures.push(`${member.id} ${locale}: missing ${key}`);
          if (member.id === "demo-vip" || member.id === "demo-pending") {
            await page.screenshot({
              path: `${SCREENSHOTS}/member-${section}-${member.id}-${locale}.png`,
              fullPage: true,
            });
          }
        }
        failures.push(...problems);
        await context.close();
      }
    }
    expect(failures).toEqual([]);
  });

  it("on a 390 px phone every section fits, and the keyboard reaches every section's controls", async () => {
    const token = await s.memberToken("demo-vip");
    const { context, page, problems } = await openPage(browser, "zh-CN", { width: 390, height: 844 });
    await page.goto(`${s.baseUrl}/?token=${token}`);
    for (const section of SECTIONS) {
      await openSection(page, section);
      expect(await page.evaluate("document.documentElement.scrollWidth"), section).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `${SCREENSHOTS}/member-${section}-phone-zh-CN.png`, fullPage: true });

      // Keyboard only: Tab from the top of another section reaches this section's link, every stop
      // visibly focused; Enter opens the section.
      await openSection(page, section === "membership" ? "timeline" : "membership");
      await page.locator(".skip").focus();
      let reached = false;
      for (let stop = 0; stop < 20 && !reached; stop++) {
        await page.keyboard.press("Tab");
        const focused = (await page.evaluate(FOCUSED)) as {
          name: string;
          outline: string;
          href: string | null;
        };
        expect(focused.outline, `focus is visible on "${focused.name}"`).not.toBe("none");
        reached = focused.href === `#${section}`;
      }
      expect(reached, `Tab reaches the ${section} link`).toBe(true);
      await page.keyboard.press("Enter");
      await page.locator(`#${section}-title`).waitFor();
      await expect.poll(() => page.evaluate("location.hash")).toBe(`#${section}`);
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("a live order in Chromium on $name", (engine) => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [s, browser] = await Promise.all([TestServer.start(engine), launchBrowser()]);
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("web-live", { locale: "zh-CN", timezone: "Europe/Berlin" });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it("an order placed while the member watches shows pending without a reload, then active on payment", async () => {
    const token = await s.memberToken("web-live");
    const { context, page, problems } = await openPage(browser, "en-US");
    // A non-member lands on #plans; this test watches the membership page.
    await page.goto(`${s.baseUrl}/?token=${token}#membership`);
    const membership = page.locator('[data-testid="membership"]');
    await expect.poll(() => membership.textContent()).toContain("You have no membership yet.");
    await expect.poll(() => page.locator('[data-testid="live-status"]').textContent()).toBe("Live");
    await page.evaluate("window.notReloaded = true");

    const order = await s.createOrder("web-live", "vip_month", "official_app");
    await expect
      .poll(() => page.locator('[data-testid="pending-order"]').textContent(), { timeout: LIVE_TIMEOUT })
      .toContain(order.orderId);
    expect(await membership.textContent()).not.toContain("no membership");
    // The member's stored locale is Chinese; the page asked for English and reads English.
    expect(await wrongLanguage(page)).toEqual([]);
    expect(await page.locator('[data-testid="time-zone"]').textContent()).toContain("Europe/Berlin");

    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
    await expect
      .poll(() => benefitCard(page, "ad_free").locator('[data-testid="benefit-state"]').textContent(), {
        timeout: LIVE_TIMEOUT,
      })
      .toBe("Working");
    expect(await page.locator('[data-testid="pending-order"]').count()).toBe(0);
    expect(await membership.textContent()).toContain("Active");
    expect(await page.evaluate("window.notReloaded")).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
