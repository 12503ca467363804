/**
 * Lost notifications recovered, end to end: local Alipay and WeChat Pay query APIs on 127.0.0.1
 * (signing their answers as the providers do: src/payments/provider-queries.test.ts has the SDKs
 * verify them) tell a server whose notifications never came that the order was paid; the
 * scheduled query job — or a diagnosis — applies it through the notification's own path.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { formatDecimalAmount } from "../../src/payments/money.js";
import { DEFAULT_PAYMENT_QUERY_POLICY, queryInstant } from "../../src/payments/payment-query-policy.js";
import { TestServer } from "../e2e-harness.js";
import { AlipaySimulator, serveAlipayGateway } from "../support/alipay-simulator.js";
import type { QueryServer } from "../support/query-server.js";
import { serveWechatPayApi, WechatPaySimulator } from "../support/wechatpay-simulator.js";
import { TEST_ENGINES } from "../test-database.js";

const MIN = 60_000;
const alipay = new AlipaySimulator();
const wechat = new WechatPaySimulator();

describe.each(TEST_ENGINES)("payment queries on $name", (engine) => {
  let s: TestServer;
  let gateway: QueryServer & { gateway: string };
  let api: QueryServer;
  let seq = 0;
  const count = (table: string, where = sql`true`) => s.countRows(table, where);
  const memberWithOrder = async (channel?: string, locale = "en") => {
    const memberId = `q-${engine.name}-${++seq}`;
    await s.createMember(memberId, { locale });
    const order = await s.createOrder(memberId, "vip_month", channel);
    return { memberId, orderId: order.orderId, amount: order.amount.amount, createdAt: s.clock.now() };
  };
  const version = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body.entitlementsVersion as number;
  const timeline = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries as {
      kind: string;
      data: Record<string, any>;
    }[];
  const alipayAsked = (orderId: string) =>
    alipay.queries.filter((q) => JSON.parse(q.params.biz_content ?? "{}").out_trade_no === orderId).length;
  const wechatAsked = (orderId: string) =>
    wechat.queries.filter((q) => q.path.includes(`/${orderId}?`)).length;
  /** Moves the clock to `at` and runs every job due by then. */
  const runAt = async (at: number) => {
    s.clock.set(at);
    await s.app.scheduler.runDue();
  };
  const diagnose = async (memberId: string, body: Record<string, unknown>, language = "en") =>
    s.request("POST", `/v1/members/${memberId}/diagnose`, { body, headers: { "accept-language": language } });

  beforeAll(async () => {
    gateway = await serveAlipayGateway(alipay);
    // The API signs its answers at the server's (test) clock.
    api = await serveWechatPayApi(wechat, () => s.clock.now());
    s = await TestServer.start(engine, undefined, {
      alipay: alipay.config(gateway.gateway),
      wechatpay: wechat.config(api.url),
    });
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(async () => {
    await s.stop();
    await gateway.close();
    await api.close();
  });

  it("Alipay: the job asks 5 minutes after the order, applies the payment, and the next check is allowed", async () => {
    const { memberId, orderId, amount, createdAt } = await memberWithOrder();
    alipay.trades.set(orderId, { status: "TRADE_SUCCESS", totalAmount: formatDecimalAmount(amount) });
    await runAt(createdAt + 5 * MIN - 1);
    expect(alipayAsked(orderId)).toBe(0);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
    await runAt(createdAt + 5 * MIN);
    expect(alipayAsked(orderId)).toBe(1);
    // WeChat Pay was asked too (the order named no provider) and said it does not know the order.
    expect(wechatAsked(orderId)).toBe(1);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    const entries = await timeline(memberId);
    const paid = entries.find((e) => e.kind === "payment.succeeded")!;
    expect(paid.data).toMatchObject({
      provider: "alipay",
      via: "query",
      outcome: "applied",
      webhookId: expect.stringMatching(/^alipay:\d{28}:succeeded$/),
      notification: { provider: "alipay", verification: { verified: true } },
    });
    const asked = entries.filter((e) => e.kind === "payment.queried").map((e) => e.data);
    expect(asked).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ provider: "alipay", answer: "paid", outcome: "applied", attempt: 1 }),
        expect.objectContaining({ provider: "wechatpay", answer: "not_paid", status: "ORDER_NOT_EXIST" }),
      ]),
    );
    // Paid: no further query is scheduled, and none runs later.
    await runAt(createdAt + 60 * MIN);
    expect(alipayAsked(orderId)).toBe(1);
  });

  it("Alipay's notification arriving after the query changes nothing: `success`, no second grant, no version bump", async () => {
    const { memberId, orderId, amount, createdAt } = await memberWithOrder();
    const yuan = formatDecimalAmount(amount);
    alipay.trades.set(orderId, { status: "TRADE_SUCCESS", totalAmount: yuan });
    await runAt(createdAt + 5 * MIN);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    const before = {
      version: await version(memberId),
      grants: await count("grants", sql`member_id = ${memberId}`),
      events: await count("payment_events", sql`order_id = ${orderId}`),
      memberships: await count("memberships", sql`member_id = ${memberId}`),
    };
    expect(before.memberships).toBe(1);
    const late = await alipay.post(
      s.baseUrl,
      alipay.body({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan }),
    );
    expect(late).toEqual({ status: 200, text: "success" });
    expect({
      version: await version(memberId),
      grants: await count("grants", sql`member_id = ${memberId}`),
      events: await count("payment_events", sql`order_id = ${orderId}`),
      memberships: await count("memberships", sql`member_id = ${memberId}`),
    }).toEqual(before);
  });

  it("notifications arriving while the job applies the same payments: each granted once, every answer a success", async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, () => memberWithOrder()));
    for (const o of orders)
      alipay.trades.set(o.orderId, { status: "TRADE_SUCCESS", totalAmount: formatDecimalAmount(o.amount) });
    s.clock.set(Math.max(...orders.map((o) => o.createdAt)) + 5 * MIN);
    const [summary, ...answers] = await Promise.all([
      s.app.scheduler.runDue(),
      ...orders.map((o) =>
        alipay.post(
          s.baseUrl,
          alipay.body({
            orderId: o.orderId,
            status: "TRADE_SUCCESS",
            totalAmount: formatDecimalAmount(o.amount),
          }),
        ),
      ),
    ]);
    expect(answers).toEqual(Array(orders.length).fill({ status: 200, text: "success" }));
    expect(summary).toMatchObject({ failed: 0, lost: 0 });
    for (const o of orders) {
      expect(await count("memberships", sql`member_id = ${o.memberId}`)).toBe(1);
      expect(await count("payment_events", sql`order_id = ${o.orderId}`)).toBe(1);
      expect((await s.check(o.memberId, "ad_free")).allowed).toBe(true);
    }
  });

  it("WeChat Pay: a lost TRANSACTION.SUCCESS is found by the query; the late notification is answered 204 and changes nothing", async () => {
    const { memberId, orderId, amount, createdAt } = await memberWithOrder();
    wechat.trades.set(orderId, { tradeState: "SUCCESS", total: amount });
    await runAt(createdAt + 5 * MIN);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    const paid = (await timeline(memberId)).find((e) => e.kind === "payment.succeeded")!;
    expect(paid.data).toMatchObject({ provider: "wechatpay", via: "query", outcome: "applied" });
    expect(JSON.parse(paid.data.notification.body)).toMatchObject({
      out_trade_no: orderId,
      trade_state: "SUCCESS",
    });
    // The answer's signature is shortened in what support sees; credentials never appear.
    expect(paid.data.notification.headers["wechatpay-signature"]).toMatch(/^.{8}…\(\d+\)$/);
    expect(JSON.stringify(paid.data)).not.toContain("authorization");
    const before = {
      version: await version(memberId),
      grants: await count("grants", sql`member_id = ${memberId}`),
    };
    const body = wechat.body("TRANSACTION.SUCCESS", wechat.transaction({ orderId, total: amount }));
    const late = await wechat.post(s.baseUrl, body, wechat.headers(body, s.clock.now()));
    expect(late).toEqual({ status: 204, body: null });
    expect({
      version: await version(memberId),
      grants: await count("grants", sql`member_id = ${memberId}`),
    }).toEqual(before);
    expect(await count("payment_events", sql`order_id = ${orderId}`)).toBe(1);
  });

  it("not paid: the order stays pending and is asked again at 15 and 35 minutes, not before", async () => {
    const { memberId, orderId, amount, createdAt } = await memberWithOrder();
    alipay.trades.set(orderId, { status: "WAIT_BUYER_PAY", totalAmount: formatDecimalAmount(amount) });
    await runAt(createdAt + 5 * MIN);
    expect(alipayAsked(orderId)).toBe(1);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
    await runAt(createdAt + 15 * MIN - 1);
    expect(alipayAsked(orderId)).toBe(1);
    await runAt(createdAt + 15 * MIN);
    expect(alipayAsked(orderId)).toBe(2);
    await runAt(createdAt + 35 * MIN - 1);
    expect(alipayAsked(orderId)).toBe(2);
    // The member pays at last; the next query finds it.
    alipay.trades.set(orderId, { status: "TRADE_SUCCESS", totalAmount: formatDecimalAmount(amount) });
    await runAt(createdAt + 35 * MIN);
    expect(alipayAsked(orderId)).toBe(3);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    const answers = (await timeline(memberId))
      .filter((e) => e.kind === "payment.queried" && e.data.provider === "alipay")
      .map((e) => [e.data.attempt, e.data.answer, e.data.status ?? null]);
    expect(answers).toEqual([
      [1, "not_paid", "WAIT_BUYER_PAY"],
      [2, "not_paid", "WAIT_BUYER_PAY"],
      [3, "paid", null],
    ]);
  });

  it("no answer (Alipay's gateway failing): recorded, asked again at the next instant; diagnosis says so", async () => {
    const { memberId, orderId, amount, createdAt } = await memberWithOrder();
    alipay.failWith = { status: 502, body: "Bad Gateway" };
    try {
      await runAt(createdAt + 5 * MIN);
      const queried = (await timeline(memberId)).find(
        (e) => e.kind === "payment.queried" && e.data.provider === "alipay",
      );
      expect(queried?.data).toMatchObject({ answer: "unknown", reason: expect.stringContaining("502") });
      expect(queried?.data.notification).toBeUndefined();
      const res = await diagnose(memberId, { benefit: "ad_free", orderId });
      const pending = res.body.findings.find((f: any) => f.code === "PAYMENT_PENDING");
      expect(pending.message).toContain("Alipay, asked at");
      expect(pending.message).toContain("no answer");
    } finally {
      alipay.failWith = null;
    }
    alipay.trades.set(orderId, { status: "TRADE_SUCCESS", totalAmount: formatDecimalAmount(amount) });
    await runAt(createdAt + 15 * MIN);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
  });

  it("a notification before the first query: the job asks nobody", async () => {
    const { orderId, amount, createdAt } = await memberWithOrder();
    const yuan = formatDecimalAmount(amount);
    alipay.trades.set(orderId, { status: "TRADE_SUCCESS", totalAmount: yuan });
    expect(
      await alipay.post(s.baseUrl, alipay.body({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan })),
    ).toEqual({
      status: 200,
      text: "success",
    });
    await runAt(createdAt + 5 * MIN);
    expect(alipayAsked(orderId)).toBe(0);
    expect(wechatAsked(orderId)).toBe(0);
  });

  it("a wrong amount in the provider's answer is recorded and refused, not granted, and not asked again", async () => {
    const { memberId, orderId, createdAt } = await memberWithOrder();
    alipay.trades.set(orderId, { status: "TRADE_SUCCESS", totalAmount: "0.01" });
    await runAt(createdAt + 5 * MIN);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
    const queried = (await timeline(memberId)).find(
      (e) => e.kind === "payment.queried" && e.data.provider === "alipay",
    );
    expect(queried?.data).toMatchObject({ answer: "paid", outcome: "AMOUNT_MISMATCH" });
    await runAt(createdAt + 15 * MIN);
    expect(alipayAsked(orderId)).toBe(1);
  });

  it("diagnosis asks on demand: the payment is applied now, the verdict is working, and it says so (en, zh-CN)", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    wechat.trades.set(orderId, { tradeState: "SUCCESS", total: amount });
    const res = await diagnose(memberId, { benefit: "ad_free" });
    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe("working");
    const applied = res.body.findings.find((f: any) => f.details.appliedNow);
    expect(applied).toMatchObject({
      code: "PAYMENT_PENDING",
      cause: "sync_delay",
      autoFixed: true,
      details: { orderId, provider: "wechatpay", askedAt: new Date(s.clock.now()).toISOString() },
    });
    expect(applied.message).toContain("applied now");
    const answer = applied.evidence.find((e: any) => e.type === "provider_answer");
    expect(answer).toMatchObject({
      at: new Date(s.clock.now()).toISOString(),
      data: { provider: "wechatpay", answer: "paid" },
    });
    expect(JSON.parse(answer.data.notification.body)).toMatchObject({ trade_state: "SUCCESS" });
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    // The job's query later finds it paid already: nobody is asked.
    const askedBefore = wechatAsked(orderId);
    await runAt(s.clock.now() + 5 * MIN);
    expect(wechatAsked(orderId)).toBe(askedBefore);

    const zh = await memberWithOrder(undefined, "zh-CN");
    alipay.trades.set(zh.orderId, { status: "TRADE_SUCCESS", totalAmount: formatDecimalAmount(zh.amount) });
    const zhRes = await diagnose(zh.memberId, { benefit: "ad_free" }, "zh-CN");
    const zhApplied = zhRes.body.findings.find((f: any) => f.details.appliedNow);
    expect(zhApplied.message).toContain("支付宝");
    expect(zhApplied.message).toContain("已立即生效");
  });

  it("diagnosis of a pending order shows what each provider said, and when", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    alipay.trades.set(orderId, { status: "WAIT_BUYER_PAY", totalAmount: formatDecimalAmount(amount) });
    const res = await diagnose(memberId, { benefit: "ad_free", orderId });
    expect(res.body.verdict).toBe("not_working");
    const pending = res.body.findings.find((f: any) => f.code === "PAYMENT_PENDING");
    const at = new Date(s.clock.now()).toISOString();
    expect(pending.details.providerAnswers).toEqual(
      expect.arrayContaining([
        { provider: "alipay", askedAt: at, answer: "not_paid", status: "WAIT_BUYER_PAY" },
        { provider: "wechatpay", askedAt: at, answer: "not_paid", status: "ORDER_NOT_EXIST" },
      ]),
    );
    expect(pending.message).toContain("Alipay, asked at");
    expect(pending.message).toContain("not paid (WAIT_BUYER_PAY)");
    expect(pending.evidence.filter((e: any) => e.type === "provider_answer")).toHaveLength(2);
  });

  it("an order never paid is asked at every instant up to 48 hours, then no more (payment.query_stopped)", async () => {
    const { memberId, orderId, createdAt } = await memberWithOrder();
    alipay.trades.set(orderId, { status: "WAIT_BUYER_PAY", totalAmount: "15.00" });
    let attempt = 1;
    for (let at = queryInstant(createdAt, 1, DEFAULT_PAYMENT_QUERY_POLICY); at !== null; ) {
      await runAt(at - 1);
      expect(alipayAsked(orderId)).toBe(attempt - 1);
      await runAt(at);
      expect(alipayAsked(orderId)).toBe(attempt);
      at = queryInstant(createdAt, ++attempt, DEFAULT_PAYMENT_QUERY_POLICY);
    }
    expect(attempt - 1).toBe(27);
    const last = createdAt + 2795 * MIN;
    expect(s.clock.now()).toBe(last);
    await runAt(createdAt + 7 * 24 * 60 * MIN);
    expect(alipayAsked(orderId)).toBe(27);
    const stopped = (await timeline(memberId)).filter((e) => e.kind === "payment.query_stopped");
    expect(stopped).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ orderId, attempts: 27 }) }),
    ]);
    expect(
      await count(
        "jobs",
        sql`kind = 'payment.query' and key like ${`payment.query:${orderId}:%`} and status <> 'done'`,
      ),
    ).toBe(0);
  });
});
