import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { T0, type TestServer } from "../e2e-harness.js";
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
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  "base64",
);

const WORDS = {
  "en-US": {
    member: "support-en",
    where: "App home screen",
    agentReply: "We refreshed your order, please look again.",
    memberReply: "Thank you, I will check.",
    agent: /^Agent A\d+$/,
    answerBy: "We will answer by",
    expected: "works for me.",
    status: "Open",
  },
  "zh-CN": {
    member: "demo-pending",
    where: "应用首页",
    agentReply: "已为您刷新订单，请再看一下。",
    memberReply: "谢谢，我去看看。",
    agent: /^客服（工号 A\d+）$/,
    answerBy: "前回复您",
    expected: "可以正常使用",
    status: "处理中",
  },
} as const;

async function noMixedLanguage(page: Page, problems: string[]) {
  expect(await wrongLanguage(page)).toEqual([]);
  expect(await missingKeysShown(page)).toEqual([]);
  expect(problems).toEqual([]);
}

/** A member asks support from a diagnosis; an agent answers over the API; the member reads the agent's number. */
describe.skipIf(!HAS_CHROMIUM).each(TEST_ENGINES)(
  "support tickets in the member centre on $name",
  (engine) => {
    let s: TestServer;
    let browser: Browser;
    let support: string;
    let agentNumber: string;
    beforeAll(async () => {
      [s, browser] = await startDemoWithBrowser(engine);
      const key = await s.request("POST", "/v1/api-keys", { body: { name: "desk", role: "support" } });
      support = key.body.key;
      // A member of their own for the English page (demo-pending is Chinese), with an order pending too.
      await s.createMember("support-en", { locale: "en", timezone: "Europe/Berlin" });
      await s.createOrder("support-en", "vip_month");
      agentNumber = (await s.request("GET", "/v1/support/agents/me", { auth: support })).body.number;
    });
    afterAll(async () => {
      await browser?.close();
      await s?.stop();
    });

    for (const locale of ["en-US", "zh-CN"] as const) {
      it(`${locale}: contact support from the diagnosis, the agent's answer with their number, the member answers`, {
        timeout: 60_000,
      }, async () => {
        const words = WORDS[locale];
        const token = await s.memberToken(words.member);
        const order = (await s.request("GET", "/v1/me/entitlements", { auth: token })).body.benefits
          .flatMap((b: { reasons: { code: string; details: { orderId?: string } }[] }) => b.reasons)
          .find((r: { code: string }) => r.code === "PAYMENT_PENDING").details.orderId as string;
        const { context, page, problems } = await openPage(browser, locale);
        // The browser's clock at the server's, so "is a target missed?" reads the same on both.
        await page.clock.setFixedTime(T0);
        await page.goto(`${s.baseUrl}/?token=${token}#diagnose`);
        await page.locator(".diagnose-form select").first().selectOption("ad_free");
        await page.locator('.diagnose-form button[type="submit"]').click();
        await page.locator('[data-testid="diagnosis"]').waitFor();
        const seen = (await page.locator('[data-testid="diagnosis"] .verdict').textContent()) ?? "";
        await page.locator('[data-testid="contact-support"]').click();

        // The form comes filled from the diagnosis: the benefit, the pending order, what the member read.
        const form = page.locator('[data-testid="new-ticket"]');
        await form.waitFor();
        expect(await page.evaluate("location.hash")).toBe("#support/new");
        expect(await form.locator("select").inputValue()).toBe("ad_free");
        expect(await page.locator('[data-testid="ticket-order"]').inputValue()).toBe(order);
        expect(await page.locator('[data-testid="ticket-actual"]').inputValue()).toContain(seen.trim());
        expect(await form.locator("textarea").first().inputValue()).toContain(words.expected);
        await noMixedLanguage(page, problems);
        await page.screenshot({ path: `${SCREENSHOTS}/member-support-new-${locale}.png`, fullPage: true });
        // A screenshot attached (a 1×1 PNG: the server recognises the type by its bytes).
        await form
          .locator('input[type="file"]')
          .setInputFiles({ name: "screen.png", mimeType: "image/png", buffer: PNG });
        // Keyboard only: the "where" field, typed into, and Enter on the send button.
        await form.locator('input[maxlength="500"]').focus();
        await page.keyboard.type(words.where);
        await form.locator('button[type="submit"]').focus();
        await page.keyboard.press("Enter");

        const ticket = page.locator('[data-testid="ticket"]');
        await ticket.waitFor();
        const ticketId = (await ticket.getAttribute("data-ticket")) as string;
        expect(await page.evaluate("location.hash")).toBe(`#support/${ticketId}`);
        expect(await ticket.locator('[data-testid="ticket-status"]').textContent()).toBe(words.status);
        const target = (await page.locator('[data-testid="next-target"]').textContent()) ?? "";
        expect(target).toContain(words.answerBy);
        // The server holds what the member sent, with the order from the form.
        const held = await s.request("GET", `/v1/tickets/${ticketId}`, { auth: support });
        expect(held.body).toMatchObject({ benefit: "ad_free", orderId: order, where: words.where });
        expect(held.body.messages[0].attachments).toMatchObject([
          { filename: "screen.png", contentType: "image/png" },
        ]);
        expect(await ticket.locator('[data-author="member"] button').textContent()).toBe("screen.png");

        const answered = await s.request("POST", `/v1/tickets/${ticketId}/replies`, {
          auth: support,
          body: { text: words.agentReply },
        });
        expect(answered.status).toBe(200);
        const agentMessage = page.locator('[data-author="agent"]');
        await expect.poll(() => agentMessage.count(), { timeout: LIVE_TIMEOUT }).toBe(1);
        expect(await agentMessage.textContent()).toContain(words.agentReply);
        const author = (await agentMessage.locator('[data-testid="message-author"]').textContent()) ?? "";
        expect(author).toMatch(words.agent);
        expect(author).toContain(agentNumber);

        const memberMessages = page.locator('[data-author="member"]');
        // The opening message is the member's "what happened".
        expect(await memberMessages.count()).toBe(1);
        await page.locator(".reply-form textarea").fill(words.memberReply);
        await page
          .locator('.reply-form input[type="file"]')
          .setInputFiles({ name: "again.png", mimeType: "image/png", buffer: PNG });
        await page.locator('.reply-form button[type="submit"]').click();
        await expect.poll(() => memberMessages.count()).toBe(2);
        expect(await memberMessages.last().textContent()).toContain(words.memberReply);
        expect(await memberMessages.last().locator("button").textContent()).toBe("again.png");
        // An internal note never reaches the member's page.
        await s.request("POST", `/v1/tickets/${ticketId}/notes`, {
          auth: support,
          body: { text: "internal only" },
        });
        await page.reload();
        await ticket.waitFor();
        expect(await ticket.textContent()).not.toContain("internal only");
        await noMixedLanguage(page, problems);
        await page.screenshot({ path: `${SCREENSHOTS}/member-support-ticket-${locale}.png`, fullPage: true });

        // My tickets lists it with its state and next target.
        await page.evaluate(`location.hash = "support"`);
        const row = page.locator(`[data-testid="my-tickets"] li[data-ticket="${ticketId}"]`);
        await row.waitFor();
        expect(await row.locator('[data-testid="ticket-status"]').textContent()).toBe(words.status);
        await noMixedLanguage(page, problems);
        await context.close();
      });
    }

    it("resolved: the member confirms it and rates it once; on a 390 px phone the ticket fits", {
      timeout: 60_000,
    }, async () => {
      const token = await s.memberToken("demo-vip");
      const opened = await s.request("POST", "/v1/me/tickets", {
        auth: token,
        body: { expected: "没有广告", actual: "仍然有广告", benefit: "ad_free" },
      });
      expect(opened.status).toBe(201);
      const ticketId = opened.body.ticketId;
      await s.request("POST", `/v1/tickets/${ticketId}/replies`, {
        auth: support,
        body: { text: "正在处理" },
      });
      await s.request("POST", `/v1/tickets/${ticketId}/resolve`, {
        auth: support,
        body: { resolution: "已为您刷新权益。" },
      });
      const { context, page, problems } = await openPage(browser, "zh-CN", { width: 390, height: 844 });
      await page.clock.setFixedTime(T0);
      await page.goto(`${s.baseUrl}/?token=${token}#support/${ticketId}`);
      const ticket = page.locator('[data-testid="ticket"]');
      await ticket.waitFor();
      expect(await ticket.locator('[data-testid="ticket-status"]').textContent()).toBe("已解决");
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      // Nothing was missed: escalation is not offered.
      expect(await page.locator('[data-testid="escalate"]').count()).toBe(0);
      await page.screenshot({
        path: `${SCREENSHOTS}/member-support-resolved-phone-zh-CN.png`,
        fullPage: true,
      });

      await page.locator('.rating-form input[type="radio"][value="4"]').check();
      await page.locator('.rating-form button[type="submit"]').click();
      await expect.poll(() => page.locator('[data-testid="rating"]').textContent()).toContain("4 / 5");
      expect(await page.locator(".rating-form").count()).toBe(0);
      await page.locator('[data-testid="confirm"]').click();
      await expect.poll(() => ticket.locator('[data-testid="ticket-status"]').textContent()).toBe("已关闭");
      const stored = await s.request("GET", `/v1/me/tickets/${ticketId}`, { auth: token });
      expect(stored.body).toMatchObject({ status: "closed", rating: { score: 4 } });
      // The new-ticket form fits the phone too.
      await page.evaluate(`location.hash = "support/new"`);
      await page.locator('[data-testid="new-ticket"]').waitFor();
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `${SCREENSHOTS}/member-support-new-phone-zh-CN.png`, fullPage: true });
      await noMixedLanguage(page, problems);
      await context.close();
    });

    it("a missed promise: escalation is offered, and its answer names the new level, target and agent", {
      timeout: 60_000,
    }, async () => {
      await s.createMember("support-late", { locale: "en", timezone: "Asia/Shanghai" });
      const token = await s.memberToken("support-late");
      const opened = await s.request("POST", "/v1/me/tickets", {
        auth: token,
        body: { expected: "No ads", actual: "Ads still show", benefit: "ad_free" },
      });
      const ticketId = opened.body.ticketId;
      await s.request("POST", `/v1/tickets/${ticketId}/assign`, { auth: support, body: { agent: "me" } });
      const promised = new Date(s.clock.now() + 30 * 60_000).toISOString();
      await s.request("PATCH", `/v1/tickets/${ticketId}`, {
        auth: support,
        body: { promisedBy: promised },
      });
      const { context, page, problems } = await openPage(browser, "en-US");
      await page.clock.setFixedTime(s.clock.now());
      await page.goto(`${s.baseUrl}/?token=${token}#support/${ticketId}`);
      await page.locator('[data-testid="ticket"]').waitFor();
      expect(await page.locator('[data-testid="promise"]').textContent()).toMatch(
        /promised an answer by .*GMT\+8/,
      );
      // Before the promise falls due nothing was missed: no escalation offered.
      expect(await page.locator('[data-testid="escalate"]').count()).toBe(0);

      s.clock.advance(60 * 60_000);
      await page.clock.setFixedTime(s.clock.now());
      await page.reload();
      await page.locator('[data-testid="escalate"]').waitFor();
      await page.locator(".escalate-form input").fill("You promised an answer an hour ago");
      await page.locator('[data-testid="escalate"]').click();
      const answer = page.locator('[data-testid="escalation"]');
      await answer.waitFor();
      const text = (await answer.textContent()) ?? "";
      expect(text).toContain("Escalated to level 2.");
      expect(text).toContain("We will answer by");
      expect(text).toContain(`Now with Agent ${agentNumber}.`);
      await expect.poll(() => page.locator(".facts").textContent()).toContain("level 2");
      await noMixedLanguage(page, problems);
      await page.screenshot({ path: `${SCREENSHOTS}/member-support-escalated-en-US.png`, fullPage: true });
      await context.close();
    });

    for (const locale of ["en-US", "zh-CN"] as const) {
      it(`${locale}: the console's queue, soonest due first, with breach badges`, {
        timeout: 60_000,
      }, async () => {
        // A day on: the scheduler has breached every open ticket's target.
        s.clock.advance(24 * 3600_000);
        await s.app.scheduler.runDue();
        await s.app.scheduler.runDue();
        const { context, page, problems } = await openPage(browser, locale);
        await page.clock.setFixedTime(s.clock.now());
        await page.goto(`${s.baseUrl}/admin#support`);
        await page.evaluate(`sessionStorage.setItem("perkwise.operatorKey", ${JSON.stringify(support)})`);
        // The key is read when the console starts: start it again with the key stored.
        await page.reload();
        const rows = page.locator('[data-testid="queue-row"]');
        await expect.poll(() => rows.count()).toBeGreaterThan(2);
        const dues = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-due")))).filter(
          (d): d is string => Boolean(d),
        );
        expect(dues.length).toBeGreaterThan(1);
        expect([...dues].sort()).toEqual(dues);
        const api = await s.request("GET", "/v1/tickets?sort=due&breached=true", { auth: support });
        expect(api.body.tickets.length).toBeGreaterThan(0);
        for (const breached of api.body.tickets) {
          expect(
            await page
              .locator(`tr[data-ticket="${breached.ticketId}"] [data-testid="breach-badge"]`)
              .textContent(),
          ).toBe(locale === "en-US" ? "Breached" : "已超时");
        }
        await page.locator("#support input[type=checkbox]").check();
        await expect.poll(() => rows.count()).toBe(api.body.tickets.length);
        await noMixedLanguage(page, problems);
        await page.screenshot({
          path: `${SCREENSHOTS}/console-support-queue-${locale}.png`,
          fullPage: true,
        });
        await context.close();
      });
    }
  },
);
