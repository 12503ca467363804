/**
 * WeChat Pay APIv3 notifications end to end: a local WeChat Pay encrypts and signs them as WeChat Pay
 * does (wechatpay-node-v3 agrees: src/payments/wechatpay-adapter.test.ts) and posts them over HTTP.
 */
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { type SignOptions, WechatPaySimulator } from "../support/wechatpay-simulator.js";
import { TEST_ENGINES } from "../test-database.js";
import { anyJson, anyString, RUNS } from "./support/arbitraries.js";

const sim = new WechatPaySimulator();
const NO_CONTENT = { status: 204, body: null };
const WRITTEN = ["orders", "payment_events", "memberships", "grants", "outbox", "timeline"];

describe.each(TEST_ENGINES)("WeChat Pay notifications on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  const count = (table: string, where = sql`true`) => s.countRows(table, where);
  const counts = async () =>
    Object.fromEntries(await Promise.all(WRITTEN.map(async (t) => [t, await count(t)])));
  const memberWithOrder = async () => {
    const memberId = `wx-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month");
    return { memberId, orderId: order.orderId, total: order.amount.amount };
  };
  const send = (body: string, options?: SignOptions) =>
    sim.post(s.baseUrl, body, sim.headers(body, s.clock.now(), options));
  const pay = (orderId: string, total: number, extra: Record<string, unknown> = {}) =>
    send(sim.body("TRANSACTION.SUCCESS", { ...sim.transaction({ orderId, total }), ...extra }));
  const refund = (
    orderId: string,
    refundId: string,
    part: number,
    total: number,
    status?: "ABNORMAL" | "CLOSED",
  ) =>
    send(
      sim.body(
        `REFUND.${status ?? "SUCCESS"}`,
        sim.refund({ orderId, refundId, refund: part, total, status }),
      ),
    );
  const version = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body.entitlementsVersion as number;

  beforeAll(async () => {
    s = await TestServer.start(engine, undefined, { wechatpay: sim.config() });
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("TRANSACTION.SUCCESS answers 204 and the very next check is allowed; the decrypted resource is kept", async () => {
    const { memberId, orderId, total } = await memberWithOrder();
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
    expect(await pay(orderId, total)).toEqual(NO_CONTENT);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    const { rows } = await sql<{ provider: string; currency: string; notification: any }>`
      select provider, currency, notification from payment_events where order_id = ${orderId}`.execute(
      s.database.db,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: "wechatpay", currency: "CNY" });
    expect(rows[0].notification).toMatchObject({
      verification: { verified: true, detail: expect.stringContaining(sim.publicKeyId) },
      decrypted: { out_trade_no: orderId, trade_state: "SUCCESS", amount: { total } },
      headers: { "wechatpay-serial": sim.publicKeyId },
    });
  });

  it("10 concurrent redeliveries of one notification grant once; a platform-certificate one too", async () => {
    const { memberId, orderId, total } = await memberWithOrder();
    const body = sim.body("TRANSACTION.SUCCESS", sim.transaction({ orderId, total }));
    const headers = sim.headers(body, s.clock.now());
    const answers = await Promise.all(Array.from({ length: 10 }, () => sim.post(s.baseUrl, body, headers)));
    expect(answers).toEqual(Array(10).fill(NO_CONTENT));
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(1);
    expect(await count("grants", sql`member_id = ${memberId}`)).toBe(DEMO_CATALOG.tiers[0].benefits.length);
    const before = await version(memberId);
    expect(await send(body, { serial: sim.certificateSerial })).toEqual(NO_CONTENT);
    expect(await version(memberId)).toBe(before);
    expect(await count("payment_events", sql`order_id = ${orderId}`)).toBe(1);
  });

  it("refunds are summed per transaction: a partial one keeps the benefits, the one reaching the total revokes", async () => {
    const { memberId, orderId, total } = await memberWithOrder();
    await pay(orderId, total);
    expect(await refund(orderId, "5030000000000001", 500, total)).toEqual(NO_CONTENT);
    expect(await refund(orderId, "5030000000000001", 500, total)).toEqual(NO_CONTENT); // a redelivery
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    const { rows } = await sql<{ refunded_amount: number }>`
      select refunded_amount from orders where id = ${orderId}`.execute(s.database.db);
    expect(rows[0].refunded_amount).toBe(500);
    expect(await refund(orderId, "5030000000000002", total - 500, total)).toEqual(NO_CONTENT);
    const decision = await s.check(memberId, "ad_free");
    expect(decision.allowed).toBe(false);
    expect(decision.reasons[0]).toMatchObject({ code: "MEMBERSHIP_REVOKED", details: { orderId } });
  });

  it("a refund before the success leaves nothing granted", async () => {
    const { memberId, orderId, total } = await memberWithOrder();
    expect(await refund(orderId, "5030000000000003", total, total)).toEqual(NO_CONTENT);
    expect(await pay(orderId, total)).toEqual(NO_CONTENT);
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(0);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("NO_MEMBERSHIP");
  });

  it("REFUND.ABNORMAL is an alert on the timeline and changes nothing else", async () => {
    const { memberId, orderId, total } = await memberWithOrder();
    await pay(orderId, total);
    const before = await version(memberId);
    expect(await refund(orderId, "5030000000000004", total, total, "ABNORMAL")).toEqual(NO_CONTENT);
    expect(await version(memberId)).toBe(before);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    const entries = (await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries;
    expect(entries.find((e: { kind: string }) => e.kind === "order.refund_failed").data).toMatchObject({
      orderId,
      status: "ABNORMAL",
    });
  });

  it("tampered, unknown serial, stale, another merchant: 4xx FAIL, nothing written", async () => {
    const { memberId, orderId, total } = await memberWithOrder();
    const body = sim.body("TRANSACTION.SUCCESS", sim.transaction({ orderId, total }));
    const before = await counts();
    const now = Math.floor(s.clock.now() / 1000);
    const cases: [string, Promise<{ status: number; body: unknown }>, number][] = [
      ["tampered", sim.post(s.baseUrl, `${body} `, sim.headers(body, s.clock.now())), 401],
      ["a stranger's key", send(body, { privateKey: sim.strangerKeys.privateKey }), 401],
      ["an unknown serial", send(body, { serial: "PUB_KEY_ID_0119999999" }), 401],
      ["stale", send(body, { timestampS: now - 301 }), 400],
      ["unsigned", sim.post(s.baseUrl, body, { "content-type": "application/json" }), 401],
      [
        "another merchant",
        send(sim.body("TRANSACTION.SUCCESS", sim.transaction({ orderId, total, mchid: "1900000999" }))),
        400,
      ],
      [
        "another appid",
        send(
          sim.body("TRANSACTION.SUCCESS", sim.transaction({ orderId, total, appid: "wx0000000000000999" })),
        ),
        400,
      ],
      [
        "another APIv3 key",
        send(
          sim.body("TRANSACTION.SUCCESS", sim.transaction({ orderId, total }), {
            key: "fedcba9876543210fedcba9876543210",
          }),
        ),
        400,
      ],
    ];
    for (const [name, answer, status] of cases) {
      const res = await answer;
      expect(res.status, name).toBe(status);
      expect(res.body, name).toEqual({ code: "FAIL", message: expect.any(String) });
    }
    expect(await counts()).toEqual(before);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
  });

  it("a wrong amount or currency: 422 FAIL, recorded as a mismatch, nothing granted", async () => {
    const { memberId, orderId, total } = await memberWithOrder();
    const wrongAmount = await send(
      sim.body(
        "TRANSACTION.SUCCESS",
        sim.transaction({ orderId, total: total - 1, transactionId: "4200000000000000000000000101" }),
      ),
    );
    expect(wrongAmount).toEqual({
      status: 422,
      body: { code: "FAIL", message: expect.stringContaining("amount") },
    });
    const wrongCurrency = await send(
      sim.body(
        "TRANSACTION.SUCCESS",
        sim.transaction({ orderId, total, currency: "USD", transactionId: "4200000000000000000000000102" }),
      ),
    );
    expect(wrongCurrency).toEqual({
      status: 422,
      body: { code: "FAIL", message: expect.stringContaining("currency") },
    });
    const { rows } = await sql<{ outcome: string; currency: string }>`
      select outcome, currency from payment_events where order_id = ${orderId} order by webhook_id`.execute(
      s.database.db,
    );
    expect(rows).toEqual([
      { outcome: "amount_mismatch", currency: "CNY" },
      { outcome: "currency_mismatch", currency: "USD" },
    ]);
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(0);
  });

  it("fuzzed bodies, signed or not: never a 5xx, and refused ones write nothing", async () => {
    const { orderId, total } = await memberWithOrder();
    const before = await counts();
    const body = fc.oneof(
      anyString,
      anyJson.map((v) => JSON.stringify(v)),
      fc
        .record({
          id: anyString,
          event_type: fc.constantFrom("TRANSACTION.SUCCESS", "REFUND.SUCCESS"),
          resource: anyJson,
        })
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (raw, signed) => {
        const headers = signed ? sim.headers(raw, s.clock.now()) : { "content-type": "application/json" };
        const res = await sim.post(s.baseUrl, raw, headers).catch(() => ({ status: 0, body: null }));
        expect(res.status, raw).toBeGreaterThanOrEqual(400);
        expect(res.status, raw).toBeLessThan(500);
      }),
      RUNS,
    );
    expect(await counts()).toEqual(before);
    // Signed and well encrypted, with hostile resources (some of them a valid payment): never a 5xx.
    await fc.assert(
      fc.asyncProperty(
        anyJson,
        fc.constantFrom("TRANSACTION.SUCCESS", "REFUND.SUCCESS", "REFUND.CLOSED"),
        async (resource, type) => {
          const res = await send(
            sim.body(
              type,
              typeof resource === "object" && resource !== null
                ? { ...sim.transaction({ orderId, total }), ...resource }
                : (resource as never),
            ),
          );
          expect(res.status).toBeLessThan(500);
        },
      ),
      RUNS,
    );
  });
});

describe.each(TEST_ENGINES)("WeChat Pay not configured on $name", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
  });
  afterAll(() => s.stop());

  it("answers 404 PROVIDER_NOT_CONFIGURED", async () => {
    const body = sim.body("TRANSACTION.SUCCESS", sim.transaction({ orderId: "ord_x", total: 1500 }));
    const res = await sim.post(s.baseUrl, body, sim.headers(body, s.clock.now()));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("PROVIDER_NOT_CONFIGURED");
  });
});
