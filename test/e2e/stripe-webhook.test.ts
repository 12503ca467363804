/**
 * Stripe's webhooks end to end: a local Stripe signs events as Stripe does (the stripe package's
 * generateTestHeaderString and constructEvent agree: src/payments/stripe-adapter.test.ts) and posts
 * them over real HTTP.
 */
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { type SignOptions, StripeSimulator, stripeId } from "../support/stripe-simulator.js";
import { TEST_ENGINES } from "../test-database.js";
import { anyJson, anyString, RUNS } from "./support/arbitraries.js";

const sim = new StripeSimulator();
const RECEIVED = { status: 200, body: { received: true } };
const WRITTEN = ["orders", "payment_events", "memberships", "grants", "outbox", "timeline", "holds"];

describe.each(TEST_ENGINES)("Stripe webhooks on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  const count = (table: string, where = sql`true`) => s.countRows(table, where);
  const counts = async () =>
    Object.fromEntries(await Promise.all(WRITTEN.map(async (t) => [t, await count(t)])));
  const memberWithOrder = async () => {
    const memberId = `st-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month");
    return { memberId, orderId: order.orderId, amount: order.amount.amount, currency: order.amount.currency };
  };
  type Order = Awaited<ReturnType<typeof memberWithOrder>>;
  const send = (payload: string, options?: SignOptions) =>
    sim.post(s.baseUrl, payload, sim.signature(payload, s.clock.now(), options));
  const pay = (o: Order) => send(sim.event("checkout.session.completed", sim.checkoutSession(o)));
  const refund = (o: Order, refunded: number, metadata = true) =>
    send(sim.event("charge.refunded", sim.charge({ ...o, refunded, metadata })));
  const dispute = (o: Order, type: "created" | "closed", status: string) =>
    send(sim.event(`charge.dispute.${type}`, sim.dispute({ ...o, status })));
  const version = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body.entitlementsVersion as number;
  const holds = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}`)).body.holds as { reason: string; status: string }[];

  beforeAll(async () => {
    s = await TestServer.start(engine, undefined, { stripe: sim.config() });
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("checkout.session.completed (paid) answers 200 and the very next check is allowed; the event is kept", async () => {
    const o = await memberWithOrder();
    expect((await s.check(o.memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
    const payload = sim.event("checkout.session.completed", sim.checkoutSession(o));
    expect(await send(payload)).toEqual(RECEIVED);
    expect((await s.check(o.memberId, "ad_free")).allowed).toBe(true);
    const { rows } = await sql<{ provider: string; amount: number; currency: string; notification: any }>`
      select provider, amount, currency, notification from payment_events where order_id = ${o.orderId}`.execute(
      s.database.db,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: "stripe", amount: 1500, currency: "CNY" });
    expect(rows[0].notification).toMatchObject({
      provider: "stripe",
      body: payload,
      headers: { "stripe-signature": expect.stringMatching(/^t=\d+,v1=/) },
      verification: { verified: true },
    });
    const timeline = (await s.request("GET", `/v1/members/${o.memberId}/timeline`)).body.entries;
    expect(timeline.find((e: { kind: string }) => e.kind === "payment.succeeded").data).toMatchObject({
      provider: "stripe",
      outcome: "applied",
    });
  });

  it("an unpaid session is acknowledged with nothing written; async_payment_succeeded then pays", async () => {
    const o = await memberWithOrder();
    const before = await counts();
    const unpaid = sim.checkoutSession({ ...o, paymentStatus: "unpaid" });
    expect(await send(sim.event("checkout.session.completed", unpaid))).toEqual(RECEIVED);
    expect(await counts()).toEqual(before);
    const paid = sim.checkoutSession(o);
    expect(await send(sim.event("checkout.session.async_payment_succeeded", paid))).toEqual(RECEIVED);
    expect((await s.check(o.memberId, "ad_free")).allowed).toBe(true);
  });

  it("10 concurrent redeliveries grant once; the same payment's invoice.paid changes nothing", async () => {
    const o = await memberWithOrder();
    const payload = sim.event("checkout.session.completed", sim.checkoutSession(o), { id: "evt_same" });
    const signature = sim.signature(payload, s.clock.now());
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => sim.post(s.baseUrl, payload, signature)),
    );
    expect(answers).toEqual(Array(10).fill(RECEIVED));
    expect(await count("memberships", sql`member_id = ${o.memberId}`)).toBe(1);
    expect(await count("grants", sql`member_id = ${o.memberId}`)).toBe(DEMO_CATALOG.tiers[0].benefits.length);
    expect(await count("payment_events", sql`order_id = ${o.orderId}`)).toBe(1);
    const before = await version(o.memberId);
    expect(await send(sim.event("invoice.paid", sim.invoice(o)))).toEqual(RECEIVED);
    expect(await version(o.memberId)).toBe(before);
    expect(await count("memberships", sql`member_id = ${o.memberId}`)).toBe(1);
  });

  it("a partial refund keeps the benefits, the cumulative full one revokes; late redeliveries change nothing", async () => {
    const o = await memberWithOrder();
    await pay(o);
    expect(await refund(o, 500)).toEqual(RECEIVED);
    expect((await s.check(o.memberId, "ad_free")).allowed).toBe(true);
    const { rows } = await sql<{ refunded_amount: number; status: string }>`
      select refunded_amount, status from orders where id = ${o.orderId}`.execute(s.database.db);
    expect(rows[0]).toEqual({ refunded_amount: 500, status: "paid" });
    expect(await refund(o, o.amount)).toEqual(RECEIVED);
    const decision = await s.check(o.memberId, "ad_free");
    expect(decision.reasons[0]).toMatchObject({
      code: "MEMBERSHIP_REVOKED",
      details: { orderId: o.orderId },
    });
    const before = await version(o.memberId);
    expect(await refund(o, 500)).toEqual(RECEIVED);
    expect(await refund(o, o.amount)).toEqual(RECEIVED);
    expect(await version(o.memberId)).toBe(before);
  });

  it("a charge without our metadata is placed by its PaymentIntent", async () => {
    const o = await memberWithOrder();
    await pay(o);
    expect(await refund(o, o.amount, false)).toEqual(RECEIVED);
    expect((await s.check(o.memberId, "ad_free")).reasons[0].code).toBe("MEMBERSHIP_REVOKED");
  });

  it("a refund before the success leaves nothing granted", async () => {
    const o = await memberWithOrder();
    expect(await refund(o, o.amount)).toEqual(RECEIVED);
    expect(await pay(o)).toEqual(RECEIVED);
    expect(await count("memberships", sql`member_id = ${o.memberId}`)).toBe(0);
    expect((await s.check(o.memberId, "ad_free")).reasons[0].code).toBe("NO_MEMBERSHIP");
  });

  it("a dispute holds every benefit (agent-only chargeback hold); won, the hold is cleared", async () => {
    const o = await memberWithOrder();
    await pay(o);
    expect(await dispute(o, "created", "needs_response")).toEqual(RECEIVED);
    const held = await s.check(o.memberId, "ad_free");
    expect(held.allowed).toBe(false);
    expect(held.reasons[0]).toMatchObject({ code: "ACCOUNT_ON_HOLD", details: { holdReason: "chargeback" } });
    expect(await holds(o.memberId)).toMatchObject([
      { reason: "chargeback", status: "open", clearMethod: "agent" },
    ]);
    expect(await dispute(o, "created", "needs_response")).toEqual(RECEIVED); // a redelivery
    expect(await count("holds", sql`member_id = ${o.memberId}`)).toBe(1);
    expect(await dispute(o, "closed", "won")).toEqual(RECEIVED);
    expect((await s.check(o.memberId, "ad_free")).allowed).toBe(true);
    expect(await holds(o.memberId)).toMatchObject([{ reason: "chargeback", status: "cleared" }]);
    const entries = (await s.request("GET", `/v1/members/${o.memberId}/timeline`)).body.entries;
    const kinds = entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["payment.disputed", "hold.placed", "payment.dispute_closed", "hold.cleared"]),
    );
  });

  it("a lost dispute revokes like a full refund and clears the hold", async () => {
    const o = await memberWithOrder();
    await pay(o);
    await dispute(o, "created", "needs_response");
    expect(await dispute(o, "closed", "lost")).toEqual(RECEIVED);
    const decision = await s.check(o.memberId, "ad_free");
    expect(decision.reasons[0]).toMatchObject({
      code: "MEMBERSHIP_REVOKED",
      details: { orderId: o.orderId },
    });
    expect(await holds(o.memberId)).toMatchObject([{ reason: "chargeback", status: "cleared" }]);
    const before = await version(o.memberId);
    expect(await dispute(o, "closed", "lost")).toEqual(RECEIVED);
    expect(await version(o.memberId)).toBe(before);
  });

  it("a dispute of a payment no order of ours was paid with is acknowledged, nothing written", async () => {
    const before = await counts();
    const stranger = { orderId: "ord_not_perkwise", amount: 999, currency: "USD" };
    expect(await dispute(stranger as Order, "created", "needs_response")).toEqual(RECEIVED);
    const foreign = { ...sim.checkoutSession(stranger), metadata: {} };
    expect(await send(sim.event("checkout.session.completed", foreign))).toEqual(RECEIVED);
    expect(await counts()).toEqual(before);
  });

  it("tampered, another secret, stale or unsigned: 400, nothing written", async () => {
    const o = await memberWithOrder();
    const payload = sim.event("checkout.session.completed", sim.checkoutSession(o));
    const before = await counts();
    const now = Math.floor(s.clock.now() / 1000);
    const signature = sim.signature(payload, s.clock.now());
    const cases: [string, Promise<{ status: number; body: any }>, string][] = [
      [
        "tampered",
        sim.post(s.baseUrl, payload.replace('"amount_total": 1500', '"amount_total": 1'), signature),
        "INVALID_SIGNATURE",
      ],
      ["another secret", send(payload, { secret: "whsec_c29tZW9uZSBlbHNl" }), "INVALID_SIGNATURE"],
      ["stale", send(payload, { timestampS: now - 301 }), "TIMESTAMP_OUT_OF_TOLERANCE"],
      ["unsigned", sim.post(s.baseUrl, payload, null), "INVALID_SIGNATURE"],
      [
        "a signature of the body re-serialized",
        sim.post(s.baseUrl, payload, sim.signature(JSON.stringify(JSON.parse(payload)), s.clock.now())),
        "INVALID_SIGNATURE",
      ],
    ];
    for (const [name, answer, code] of cases) {
      const res = await answer;
      expect(res.status, name).toBe(400);
      expect(res.body.error.code, name).toBe(code);
    }
    expect(await counts()).toEqual(before);
    expect((await s.check(o.memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
  });

  it("a wrong amount or currency: 422, recorded as a mismatch, nothing granted", async () => {
    const o = await memberWithOrder();
    // Two attempts, two PaymentIntents: each is a payment of its own (a payment's key is its intent).
    const wrongAmount = {
      ...sim.checkoutSession(o),
      id: "cs_test_wrong_amount",
      payment_intent: "pi_test_wrong_amount",
      amount_total: o.amount - 1,
    };
    const answer = await send(sim.event("checkout.session.completed", wrongAmount));
    expect(answer).toMatchObject({ status: 422, body: { error: { code: "AMOUNT_MISMATCH" } } });
    const wrongCurrency = {
      ...sim.checkoutSession({ ...o, currency: "USD" }),
      id: "cs_test_wrong_currency",
      payment_intent: "pi_test_wrong_currency",
    };
    const other = await send(sim.event("checkout.session.completed", wrongCurrency));
    expect(other).toMatchObject({
      status: 422,
      body: { error: { details: [{ path: "/data/amount/currency" }] } },
    });
    const { rows } = await sql<{ outcome: string; currency: string }>`
      select outcome, currency from payment_events where order_id = ${o.orderId} order by webhook_id`.execute(
      s.database.db,
    );
    expect(rows).toEqual([
      { outcome: "amount_mismatch", currency: "CNY" },
      { outcome: "currency_mismatch", currency: "USD" },
    ]);
    expect(await count("memberships", sql`member_id = ${o.memberId}`)).toBe(0);
  });

  it("fuzzed bodies, signed or not: never a 5xx; refused ones write nothing", async () => {
    const o = await memberWithOrder();
    const before = await counts();
    const body = fc.oneof(
      anyString,
      anyJson.map((v) => JSON.stringify(v)),
      fc
        .record({ id: anyString, object: fc.constant("event"), type: anyString, data: anyJson })
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (raw, signed) => {
        const res = await sim.post(
          s.baseUrl,
          raw,
          signed ? sim.signature(raw, s.clock.now()) : anyHeader(raw),
        );
        expect(res.status, raw).toBeGreaterThanOrEqual(400);
        expect(res.status, raw).toBeLessThan(500);
      }),
      RUNS,
    );
    expect(await counts()).toEqual(before);
    // Signed events of the types acted on, with hostile objects (some of them a valid payment): never a 5xx.
    await fc.assert(
      fc.asyncProperty(
        anyJson,
        fc.constantFrom(
          "checkout.session.completed",
          "invoice.paid",
          "charge.refunded",
          "charge.dispute.created",
          "charge.dispute.closed",
        ),
        async (extra, type) => {
          const object = {
            ...sim.checkoutSession(o),
            ...sim.charge({ ...o, refunded: 0 }),
            ...(typeof extra === "object" && extra !== null ? extra : { note: extra }),
          };
          const res = await send(sim.event(type, object));
          expect(res.status, JSON.stringify(object)).toBeLessThan(500);
        },
      ),
      RUNS,
    );
  });
});

/** A header that looks like Stripe's and signs nothing. */
const anyHeader = (raw: string) => `t=1795917605,v1=${stripeId("x", raw).slice(2).padEnd(64, "0")}`;

describe.each(TEST_ENGINES)("Stripe not configured on $name", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
  });
  afterAll(() => s.stop());

  it("answers 404 PROVIDER_NOT_CONFIGURED", async () => {
    const payload = sim.event(
      "checkout.session.completed",
      sim.checkoutSession({ orderId: "ord_x", amount: 1500, currency: "CNY" }),
    );
    const res = await sim.post(s.baseUrl, payload, sim.signature(payload, s.clock.now()));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("PROVIDER_NOT_CONFIGURED");
  });
});
