/**
 * Stripe's query for a lost webhook, through the stripe package against a local Stripe (its
 * PaymentIntents search and retrieve, its Checkout Session retrieve, its key check): paid, not paid,
 * not found, no answer — and a paid answer applied as the webhook would have been, which a webhook
 * arriving afterwards does not repeat.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import type { QueriedOrder } from "../../src/payments/provider-query.js";
import { StripeQuery, stripeClientOptions } from "../../src/payments/stripe-query.js";
import { T0, TestServer } from "../e2e-harness.js";
import { PAID_AT_S, StripeSimulator, stripeId } from "../support/stripe-simulator.js";
import { TEST_ENGINES } from "../test-database.js";

const sim = new StripeSimulator();

describe("the Stripe client is pointed at a base URL by host, port and protocol", () => {
  it("reads them from PERKWISE_STRIPE_BASE_URL", () => {
    expect(stripeClientOptions("http://127.0.0.1:12111")).toMatchObject({
      host: "127.0.0.1",
      port: 12111,
      protocol: "http",
    });
    expect(stripeClientOptions("https://api.stripe.com")).toMatchObject({
      host: "api.stripe.com",
      port: 443,
      protocol: "https",
    });
  });
});

describe.each(TEST_ENGINES)("the Stripe query on $name", (engine) => {
  let s: TestServer;
  let query: StripeQuery;
  let seq = 0;
  const pendingOrder = async (): Promise<QueriedOrder & { memberId: string }> => {
    const memberId = `sq-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month");
    return {
      memberId,
      orderId: order.orderId,
      amount: order.amount.amount,
      currency: order.amount.currency,
      createdAt: new Date(T0),
      providerRef: null,
    };
  };
  const holds = (o: QueriedOrder, status: string, extra: { metadata?: boolean; created?: number } = {}) => {
    const id = stripeId("pi", `${o.orderId}:${status}:${extra.created ?? 0}`);
    sim.payments.set(id, { ...o, status, created: extra.created ?? PAID_AT_S, ...extra });
    return id;
  };

  beforeAll(async () => {
    await sim.start();
    query = new StripeQuery({ ...sim.config(), apiKey: sim.apiKey });
    s = await TestServer.start(engine, undefined, { stripe: sim.config() });
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(async () => {
    await s.stop();
    await sim.stop();
  });

  it("a succeeded PaymentIntent with the order's metadata is paid; applied, the next check is allowed", async () => {
    const o = await pendingOrder();
    holds(o, "requires_payment_method", { created: PAID_AT_S - 60 });
    const intentId = holds(o, "succeeded");
    const answer = await query.query(o, s.clock.now());
    expect(answer).toMatchObject({
      kind: "paid",
      event: {
        type: "payment.succeeded",
        orderId: o.orderId,
        amount: { amount: o.amount, currency: o.currency },
        providerRef: intentId,
      },
      answer: {
        provider: "stripe",
        verification: { detail: expect.stringContaining("payment_intents/search") },
      },
    });
    expect(JSON.parse(answer.kind === "paid" ? answer.answer.body : "{}")).toMatchObject({
      object: "search_result",
    });
    const last = sim.requests[sim.requests.length - 1];
    expect(last).toMatchObject({ method: "GET", authorization: `Bearer ${sim.apiKey}` });
    expect(decodeURIComponent(last.path)).toContain(`metadata['perkwise_order_id']:'${o.orderId}'`);

    if (answer.kind !== "paid") throw new Error("not paid");
    const applied = await s.app.payments.apply({
      key: `stripe:query:${intentId}`,
      event: answer.event,
      notification: answer.answer,
    });
    expect(applied).toMatchObject({ kind: "answered", receipt: { outcome: "applied" } });
    expect((await s.check(o.memberId, "ad_free")).allowed).toBe(true);
    // The webhook arriving after all changes nothing.
    const payload = sim.event("checkout.session.completed", sim.checkoutSession(o));
    expect(await sim.post(s.baseUrl, payload, sim.signature(payload, s.clock.now()))).toEqual({
      status: 200,
      body: { received: true },
    });
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from memberships where member_id = ${o.memberId}`.execute(s.database.db);
    expect(rows[0].n).toBe(1);
  });

  it("a PaymentIntent still processing is not_paid with Stripe's status; none at all is not_found", async () => {
    const o = await pendingOrder();
    expect(await query.query(o, s.clock.now())).toMatchObject({ kind: "not_paid", status: "not_found" });
    holds(o, "processing");
    expect(await query.query(o, s.clock.now())).toMatchObject({
      kind: "not_paid",
      status: "processing",
      answer: { provider: "stripe" },
    });
  });

  it("a PaymentIntent without our metadata is not found by search: the order must be on the PaymentIntent", async () => {
    const o = await pendingOrder();
    holds(o, "succeeded", { metadata: false });
    expect(await query.query(o, s.clock.now())).toMatchObject({ kind: "not_paid", status: "not_found" });
  });

  it("a known provider reference is retrieved: a PaymentIntent, or a Checkout Session", async () => {
    const o = await pendingOrder();
    const intentId = holds(o, "succeeded");
    expect(await query.query({ ...o, providerRef: intentId }, s.clock.now())).toMatchObject({
      kind: "paid",
      answer: { verification: { detail: expect.stringContaining(`/v1/payment_intents/${intentId}`) } },
    });
    const sessionId = stripeId("cs_test", o.orderId);
    expect(await query.query({ ...o, providerRef: sessionId }, s.clock.now())).toMatchObject({
      kind: "paid",
      event: { providerRef: intentId, amount: { amount: o.amount, currency: o.currency } },
    });
    const other = await pendingOrder();
    expect(await query.query({ ...other, providerRef: intentId }, s.clock.now())).toMatchObject({
      kind: "unknown",
      reason: expect.stringContaining("another order"),
    });
  });

  it("zero-decimal currencies come back in their own units", async () => {
    const o = { ...(await pendingOrder()), amount: 1500, currency: "JPY" };
    holds(o, "succeeded");
    expect(await query.query(o, s.clock.now())).toMatchObject({
      kind: "paid",
      event: { amount: { amount: 1500, currency: "JPY" } },
    });
  });

  it("a wrong key or an unreachable Stripe is unknown, never a throw", async () => {
    const o = await pendingOrder();
    const wrongKey = new StripeQuery({ ...sim.config(), apiKey: "sk_test_wrong" });
    expect(await wrongKey.query(o, s.clock.now())).toMatchObject({
      kind: "unknown",
      reason: expect.stringContaining("Invalid API Key"),
    });
    const unreachable = new StripeQuery({
      ...sim.config(),
      baseUrl: "http://127.0.0.1:9",
      apiKey: sim.apiKey,
    });
    expect(await unreachable.query(o, s.clock.now())).toMatchObject({ kind: "unknown" });
  });
});
