import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { ADMIN_KEY, TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";
import {
  editorJson,
  fillCatalogEditor,
  HAS_CHROMIUM,
  launchBrowser,
  missingKeysShown,
  openPage,
  SCREENSHOTS,
} from "./browser-support.js";

const DAY = 24 * 3600 * 1000;
const LIVE_TIMEOUT = 15_000;

async function signInToConsole(page: Page, baseUrl: string, signInLabel: RegExp) {
  await page.goto(`${baseUrl}/admin`);
  await page.getByLabel(signInLabel).fill(ADMIN_KEY);
  await page.keyboard.press("Enter");
}

describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)("operator console in Chromium on $name", (engine) => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [s, browser] = await Promise.all([TestServer.start(engine), launchBrowser()]);
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("web-vip", { locale: "en", displayName: "Vera Vip" });
    const order = await s.createOrder("web-vip", "vip_month", "official_app");
    await s.pay(order.orderId, order.amount.amount);
    s.clock.advance(DAY);
    await s.app.scheduler.runDue();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it("an admin publishes a rule change (after fixing an inline error) and the member sees the notice", async () => {
    const token = await s.memberToken("web-vip");
    const member = await openPage(browser, "en-US");
    // The notices are a section of their own: the member keeps it open while the admin publishes.
    await member.page.goto(`${s.baseUrl}/?token=${token}#notices`);
    await expect.poll(() => member.page.locator("#notices").textContent()).toContain("No notices.");

    const admin = await openPage(browser, "en-US");
    const page = admin.page;
    await signInToConsole(page, s.baseUrl, /Admin or support key/);
    await page.getByLabel("Catalog document (JSON)").waitFor();
    const original = editorJson((await s.request("GET", "/v1/catalog")).body);
    expect(original).toContain('"minClientVersion": "5.2.0"');

    // A plan period that is no ISO duration: the server's problem is listed beside the editor.
    await fillCatalogEditor(page, original.replace('"period": "P1M"', '"period": "monthly"'));
    await page.getByRole("button", { name: "Check and preview" }).click();
    const errors = page.locator('[data-testid="catalog-errors"]');
    await expect.poll(() => errors.textContent()).toContain("/period");
    await page.screenshot({ path: `${SCREENSHOTS}/console-catalog-errors.png`, fullPage: true });

    await fillCatalogEditor(
      page,
      original.replace('"minClientVersion": "5.2.0"', '"minClientVersion": "5.3.0"'),
    );
    await page.getByLabel("Notice to members (English)").fill("The VIP zone now needs app 5.3.0.");
    await page.getByLabel("Policy").selectOption("apply_now");
    await page.getByRole("button", { name: "Check and preview" }).click();
    await page.locator('[data-testid="publish-preview"]').getByRole("button", { name: "Publish" }).click();
    await expect
      .poll(() => page.locator('[data-testid="published"]').textContent())
      .toBe("Published as version 2.");
    expect(await errors.count()).toBe(0);

    // The version comes into force through its job; the member's page updates by itself.
    await s.app.scheduler.runDue();
    await expect
      .poll(() => member.page.locator('[data-testid="notices"]').textContent(), { timeout: LIVE_TIMEOUT })
      .toContain("The VIP zone now needs app 5.3.0.");
    await member.page.screenshot({ path: `${SCREENSHOTS}/member-notice.png`, fullPage: true });

    // The history shows the change side by side.
    await page.getByRole("button", { name: "Versions" }).click();
    await page.getByRole("button", { name: "Compare version 2" }).click();
    const diff = page.locator('[data-testid="version-diff"]');
    await expect.poll(() => diff.locator("td.before").first().textContent()).toContain("5.2.0");
    expect(await diff.locator("td.after").first().textContent()).toContain("5.3.0");
    await page.screenshot({ path: `${SCREENSHOTS}/console-history.png`, fullPage: true });
    expect([...admin.problems, ...member.problems]).toEqual([]);
    await Promise.all([admin.context.close(), member.context.close()]);
  });

  it("support finds a member, tries a decision, places and clears a hold", async () => {
    const { context, page, problems } = await openPage(browser, "en-US");
    await signInToConsole(page, s.baseUrl, /Admin or support key/);
    await page.getByRole("button", { name: "Members" }).click();
    await page.getByLabel("Member id or name").fill("vera");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: "web-vip" }).click();

    const decide = page.locator("#decide");
    await decide.getByLabel("Benefit").selectOption("member_discount");
    await decide.getByLabel("Product category").fill("books");
    await decide.getByLabel("The product is on sale").check();
    await decide.getByRole("button", { name: "Decide" }).click();
    await expect
      .poll(() => decide.locator('[data-testid="decision"]').textContent())
      .toContain("OUT_OF_SCOPE");
    expect(await decide.locator(".verdict").textContent()).toBe("Denied");

    const holds = page.locator("#holds");
    await holds.getByLabel("Note", { exact: true }).fill("checking a report");
    await holds.getByRole("button", { name: "Place hold" }).click();
    await expect.poll(() => holds.locator('[data-testid="holds"]').textContent()).toContain("Open");
    await expect
      .poll(() => page.locator('[data-testid="member-benefits"]').textContent(), { timeout: LIVE_TIMEOUT })
      .toContain("ACCOUNT_ON_HOLD");
    await page.screenshot({ path: `${SCREENSHOTS}/console-member.png`, fullPage: true });
    await holds.getByRole("button", { name: "Clear" }).click();
    await expect.poll(() => holds.locator('[data-testid="holds"]').textContent()).toContain("Cleared");
    const detail = await s.request("GET", "/v1/members/web-vip");
    expect(detail.body.holds.map((h: { status: string }) => h.status)).toEqual(["cleared"]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("every console screen renders in both languages with no missing key", async () => {
    await s.request("POST", "/v1/reconcile", { body: { fix: false } });
    // Something for the decisions chart: one allowed decision and one denied.
    for (const memberId of ["web-vip", "web-nobody"])
      await s.request("POST", "/v1/check", { body: { memberId, benefit: "ad_free" } });
    for (const [locale, signIn, tabs] of [
      ["zh-CN", /管理员或客服密钥/, ["权益目录", "版本", "会员", "对账", "图表"]],
      ["en-US", /Admin or support key/, ["Catalog", "Versions", "Members", "Reconciliation", "Charts"]],
    ] as const) {
      const { context, page, problems } = await openPage(browser, locale);
      await signInToConsole(page, s.baseUrl, signIn);
      for (const [i, tab] of tabs.entries()) {
        await page.getByRole("button", { name: tab, exact: true }).click();
        await expect.poll(() => page.locator("main section h2").first().isVisible()).toBe(true);
        await page.waitForLoadState("networkidle");
        expect(await missingKeysShown(page), `${locale} ${tab}`).toEqual([]);
        if (tab === "Charts") {
          // The charts draw GET /v1/stats: a line per reason code, the payments' latency, holds by reason.
          const stats = (await s.request("GET", "/v1/stats")).body;
          const charts = page.locator('[data-testid="charts"]');
          expect(await charts.locator('[data-testid="latency-summary"]').textContent()).toContain(
            `${stats.paymentToGrant.count} payments`,
          );
          const codes = Object.keys(stats.decisions.totals);
          expect(codes.length).toBeGreaterThan(0);
          for (const code of codes)
            expect(await charts.textContent()).toContain(`${code} (${stats.decisions.totals[code]})`);
          expect(await charts.getByText(/Holds by reason/).count()).toBe(1);
        }
        if (locale === "en-US")
          await page.screenshot({ path: `${SCREENSHOTS}/console-tab-${i}.png`, fullPage: true });
      }
      await page.goto(`${s.baseUrl}/admin#members/web-vip`);
      await expect.poll(() => page.locator('[data-testid="timeline"]').count()).toBe(1);
      expect(await missingKeysShown(page)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it("removing a plan a member holds asks for a confirmation, and publishes when given it", async () => {
    const admin = await openPage(browser, "en-US");
    const page = admin.page;
    await signInToConsole(page, s.baseUrl, /Admin or support key/);
    await page.getByLabel("Catalog document (JSON)").waitFor();
    const doc = JSON.parse(editorJson((await s.request("GET", "/v1/catalog")).body));
    const vip = doc.tiers.find((t: { code: string }) => t.code === "vip");
    vip.plans = vip.plans.filter((p: { code: string }) => p.code !== "vip_month");
    await fillCatalogEditor(page, JSON.stringify(doc, null, 2));
    await page.getByRole("button", { name: "Check and preview" }).click();
    // The dry run says what the removal takes, and the preview asks for the confirmation.
    const preview = page.locator('[data-testid="publish-preview"]');
    await expect
      .poll(() => preview.locator('[data-testid="preview-removed"]').textContent())
      .toContain("Plan vip_month: held by 1 member(s), named by 0 pending order(s)");
    expect(await preview.getByRole("button", { name: "Publish", exact: true }).count()).toBe(0);
    expect(await page.locator('[data-testid="published"]').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/console-catalog-removals.png`, fullPage: true });

    await preview.getByRole("button", { name: "Remove anyway and publish" }).click();
    await expect
      .poll(() => page.locator('[data-testid="published"]').textContent())
      .toMatch(/^Published as version \d+\.$/);
    expect(await preview.count()).toBe(0);
    expect(admin.problems).toEqual([]);
    await admin.context.close();
  });
});
