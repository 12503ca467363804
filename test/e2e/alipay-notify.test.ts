/**
 * Alipay's notifications end to end: a local Alipay signs them as Alipay does (its signature is
 * checked by alipay-sdk in src/payments/alipay-adapter.test.ts) and posts them over real HTTP.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { formatDecimalAmount } from "../../src/payments/money.js";
import { TestServer } from "../e2e-harness.js";
import { AlipaySimulator, type NotificationFields } from "../support/alipay-simulator.js";
import { TEST_ENGINES } from "../test-database.js";

const sim = new AlipaySimulator();

describe.each(TEST_ENGINES)("Alipay notifications on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  const count = (table: string, where = sql`true`) => s.countRows(table, where);
  /** A fresh member with a pending vip_month order, and its amount as Alipay writes it. */
  const memberWithOrder = async () => {
    const memberId = `ali-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month");
    return { memberId, orderId: order.orderId, yuan: formatDecimalAmount(order.amount.amount) };
  };
  const notify = (f: NotificationFields, key?: string) => sim.post(s.baseUrl, sim.body(f, key));
  const version = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body.entitlementsVersion as number;
  const order = async (memberId: string, orderId: string) =>
    (await s.request("GET", `/v1/members/${memberId}`)).body.orders.find(
      (o: { orderId: string }) => o.orderId === orderId,
    );
  const WRITTEN = ["orders", "payment_events", "memberships", "grants", "outbox", "timeline"];
  const counts = async () =>
    Object.fromEntries(await Promise.all(WRITTEN.map(async (t) => [t, await count(t)])));

  beforeAll(async () => {
    s = await TestServer.start(engine, undefined, { alipay: sim.config() });
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("TRADE_SUCCESS answers exactly `success`, and the very next check is allowed", async () => {
    const { memberId, orderId, yuan } = await memberWithOrder();
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
    const body = sim.body({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan });
    const res = await sim.post(s.baseUrl, body);
    expect(res).toEqual({ status: 200, text: "success" });
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    expect(await order(memberId, orderId)).toMatchObject({
      status: "paid",
      paidAt: "2026-11-24T02:00:05.000Z",
    });
    // The raw notification is kept beside the event: body, headers, how it was verified.
    const { rows } = await sql<{ provider: string; amount: number; currency: string; notification: any }>`
      select provider, amount, currency, notification from payment_events where order_id = ${orderId}`.execute(
      s.database.db,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: "alipay", amount: 1500, currency: "CNY" });
    expect(rows[0].notification).toMatchObject({
      provider: "alipay",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      verification: { verified: true, method: "RSA2 (alipay-sdk checkNotifySignV2)" },
    });
    const timeline = (await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries;
    expect(timeline.find((e: { kind: string }) => e.kind === "payment.succeeded").data).toMatchObject({
      provider: "alipay",
      outcome: "applied",
      amount: { amount: 1500, currency: "CNY" },
    });
  });

  it("10 concurrent redeliveries grant once; a TRADE_FINISHED afterwards changes nothing", async () => {
    const { memberId, orderId, yuan } = await memberWithOrder();
    const body = sim.body({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan });
    const answers = await Promise.all(Array.from({ length: 10 }, () => sim.post(s.baseUrl, body)));
    expect(answers).toEqual(Array(10).fill({ status: 200, text: "success" }));
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(1);
    expect(await count("grants", sql`member_id = ${memberId}`)).toBe(DEMO_CATALOG.tiers[0].benefits.length);
    expect(await count("payment_events", sql`order_id = ${orderId}`)).toBe(1);
    const before = await version(memberId);
    expect(await notify({ orderId, status: "TRADE_FINISHED", totalAmount: yuan })).toEqual({
      status: 200,
      text: "success",
    });
    expect(await version(memberId)).toBe(before);
    expect(await count("payment_events", sql`order_id = ${orderId}`)).toBe(1);
  });

  it("a partial refund keeps the benefits; the full refund (TRADE_CLOSED) revokes; late redeliveries change nothing", async () => {
    const { memberId, orderId, yuan } = await memberWithOrder();
    await notify({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan });
    const partial = { orderId, status: "TRADE_SUCCESS", totalAmount: yuan, refundFee: "5.00" };
    expect(await notify(partial)).toEqual({ status: 200, text: "success" });
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    const { rows } = await sql<{ refunded_amount: number; status: string }>`
      select refunded_amount, status from orders where id = ${orderId}`.execute(s.database.db);
    expect(rows[0]).toEqual({ refunded_amount: 500, status: "paid" });

    const full = { orderId, status: "TRADE_CLOSED", totalAmount: yuan, refundFee: yuan };
    expect(await notify(full)).toEqual({ status: 200, text: "success" });
    const decision = await s.check(memberId, "ad_free");
    expect(decision.allowed).toBe(false);
    expect(decision.reasons[0]).toMatchObject({ code: "MEMBERSHIP_REVOKED", details: { orderId } });
    expect(await order(memberId, orderId)).toMatchObject({ status: "refunded" });

    const before = await version(memberId);
    expect(await notify(partial)).toEqual({ status: 200, text: "success" });
    expect(await notify(full)).toEqual({ status: 200, text: "success" });
    expect(await notify({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan, refundFee: "8.00" })).toEqual({
      status: 200,
      text: "success",
    });
    expect(await version(memberId)).toBe(before);
    expect(await count("grants", sql`member_id = ${memberId} and status = 'active'`)).toBe(0);
  });

  it("a refund before the success leaves nothing granted, and the late success grants nothing", async () => {
    const { memberId, orderId, yuan } = await memberWithOrder();
    expect(await notify({ orderId, status: "TRADE_CLOSED", totalAmount: yuan, refundFee: yuan })).toEqual({
      status: 200,
      text: "success",
    });
    expect(await notify({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan })).toEqual({
      status: 200,
      text: "success",
    });
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(0);
    expect(await count("grants", sql`member_id = ${memberId}`)).toBe(0);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("NO_MEMBERSHIP");
    expect(await order(memberId, orderId)).toMatchObject({ status: "refunded" });
  });

  it("TRADE_CLOSED before any payment closes the order: no longer PAYMENT_PENDING", async () => {
    const { memberId, orderId, yuan } = await memberWithOrder();
    const before = await version(memberId);
    const closed = { orderId, status: "TRADE_CLOSED", totalAmount: yuan, gmtPayment: null };
    expect(await notify(closed)).toEqual({ status: 200, text: "success" });
    expect(await order(memberId, orderId)).toMatchObject({ status: "closed" });
    expect(await version(memberId)).toBeGreaterThan(before);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("NO_MEMBERSHIP");
    expect(await notify(closed)).toEqual({ status: 200, text: "success" });
    expect(await count("payment_events", sql`order_id = ${orderId}`)).toBe(1);
  });

  it("WAIT_BUYER_PAY is acknowledged with nothing written; a payment after the close is honoured", async () => {
    const { memberId, orderId, yuan } = await memberWithOrder();
    const before = await counts();
    expect(await notify({ orderId, status: "WAIT_BUYER_PAY", totalAmount: yuan })).toEqual({
      status: 200,
      text: "success",
    });
    expect(await counts()).toEqual(before);
    await notify({ orderId, status: "TRADE_CLOSED", totalAmount: yuan, gmtPayment: null });
    expect(await notify({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan })).toEqual({
      status: 200,
      text: "success",
    });
    expect(await order(memberId, orderId)).toMatchObject({ status: "paid" });
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
  });

  it("a % in passback_params verifies (the form is decoded once)", async () => {
    const { memberId, orderId, yuan } = await memberWithOrder();
    const extra = { passback_params: "campaign%3D11.11&discount=100%" };
    expect(await notify({ orderId, status: "TRADE_SUCCESS", totalAmount: yuan, extra })).toEqual({
      status: 200,
      text: "success",
    });
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
  });

  it("tampered, wrongly signed, or for another app or seller: `fail`, and nothing written", async () => {
    const { memberId, orderId, yuan } = await memberWithOrder();
    const f = { orderId, status: "TRADE_SUCCESS", totalAmount: yuan } as const;
    const before = await counts();
    const cases: [string, string, number][] = [
      ["tampered", sim.body(f).replace(`total_amount=${yuan}`, "total_amount=0.01"), 401],
      ["a stranger's key", sim.body(f, sim.strangerKeys.privateKey), 401],
      ["our app key, not Alipay's", sim.body(f, sim.appKeys.privateKey), 401],
      ["another app id", sim.body({ ...f, extra: { app_id: "2021000000009999" } }), 400],
      ["another seller id", sim.body({ ...f, extra: { seller_id: "2088000000009999" } }), 400],
      ["an unknown order", sim.body({ ...f, orderId: "ord_nobody" }), 404],
      ["unsigned", new URLSearchParams(sim.fields(f)).toString(), 401],
    ];
    for (const [name, body, status] of cases) {
      expect(await sim.post(s.baseUrl, body), name).toEqual({ status, text: "fail" });
    }
    const json = await sim.post(s.baseUrl, JSON.stringify(sim.signed(sim.fields(f))), "application/json");
    expect(json).toEqual({ status: 415, text: "fail" });
    // An unknown order is recorded (the evidence of a notification we could not place), nothing else.
    const after = await counts();
    expect({ ...after, payment_events: after.payment_events - 1 }).toEqual(before);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
  });

  it("a wrong amount: `fail`, recorded as a mismatch, nothing granted — also on redelivery", async () => {
    const { memberId, orderId } = await memberWithOrder();
    for (let i = 0; i < 2; i++) {
      expect(await notify({ orderId, status: "TRADE_SUCCESS", totalAmount: "0.01" })).toEqual({
        status: 422,
        text: "fail",
      });
    }
    const { rows } = await sql<{ outcome: string; amount: number }>`
      select outcome, amount from payment_events where order_id = ${orderId}`.execute(s.database.db);
    expect(rows).toEqual([{ outcome: "amount_mismatch", amount: 1 }]);
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(0);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
  });
});

describe.each(TEST_ENGINES)("Alipay not configured on $name", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
  });
  afterAll(() => s.stop());

  it("answers 404 PROVIDER_NOT_CONFIGURED and writes nothing", async () => {
    const res = await s.request("POST", "/v1/payments/alipay/notify", {
      raw: sim.body({ orderId: "ord_x", status: "TRADE_SUCCESS", totalAmount: "15.00" }),
      auth: null,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("PROVIDER_NOT_CONFIGURED");
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from payment_events`.execute(
      s.database.db,
    );
    expect(rows[0].n).toBe(0);
  });

  it("is documented as a form-encoded endpoint answering text", async () => {
    const doc = (await s.request("GET", "/openapi.json", { auth: null })).body;
    const operation = doc.paths["/v1/payments/alipay/notify"].post;
    expect(Object.keys(operation.requestBody.content)).toEqual(["application/x-www-form-urlencoded"]);
    expect(operation.requestBody.content["application/x-www-form-urlencoded"].schema.required).toContain(
      "sign",
    );
    expect(Object.keys(operation.responses["200"].content)).toEqual(["text/plain"]);
  });
});
