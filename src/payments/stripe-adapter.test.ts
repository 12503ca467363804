import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { StripeSimulator } from "../../test/support/stripe-simulator.js";
import { stripeConfig } from "../config.js";
import { moneyFromStripe, moneyToStripe } from "./money.js";
import type { AdapterVerdict } from "./provider-adapter.js";
import { STRIPE_TOLERANCE_SECONDS, StripeAdapter } from "./stripe-adapter.js";

const sim = new StripeSimulator();
const adapter = new StripeAdapter(sim.config());
const NOW = Date.parse("2026-11-24T02:00:00Z");
const stripe = new Stripe("sk_test_unused");
const session = sim.checkoutSession({ orderId: "ord_s_1", amount: 1500, currency: "CNY" });

const translate = (payload: string, signature = sim.signature(payload, NOW), now = NOW) =>
  adapter.translate(payload, { "content-type": "application/json", "stripe-signature": signature }, now);
const translated = (verdict: AdapterVerdict) => {
  if (verdict.kind !== "translated") throw new Error(`not translated: ${JSON.stringify(verdict)}`);
  return verdict.translated;
};
const codeOf = (verdict: AdapterVerdict) => (verdict.kind === "refused" ? verdict.code : verdict.kind);

describe("the Stripe simulator signs as Stripe does: the stripe package agrees", () => {
  it("its Stripe-Signature is generateTestHeaderString's, byte for byte, and constructEvent accepts it", () => {
    const payload = sim.event("checkout.session.completed", session);
    const t = Math.floor(NOW / 1000);
    const ours = sim.signature(payload, NOW);
    expect(ours).toBe(
      stripe.webhooks.generateTestHeaderString({ payload, secret: sim.webhookSecret, timestamp: t }),
    );
    const event = stripe.webhooks.constructEvent(payload, ours, sim.webhookSecret, 300, undefined, NOW);
    expect(event.type).toBe("checkout.session.completed");
  });

  it("constructEvent refuses what the adapter refuses: a changed body, another secret, a stale signature", () => {
    const payload = sim.event("checkout.session.completed", session);
    const verify = (body: string, header: string) => () =>
      stripe.webhooks.constructEvent(body, header, sim.webhookSecret, 300, undefined, NOW);
    expect(verify(`${payload} `, sim.signature(payload, NOW))).toThrow(/No signatures found/);
    expect(verify(payload, sim.signature(payload, NOW, { secret: "whsec_other" }))).toThrow(
      /No signatures found/,
    );
    expect(verify(payload, sim.signature(payload, NOW, { timestampS: NOW / 1000 - 301 }))).toThrow(
      /tolerance/,
    );
  });
});

describe("StripeAdapter.translate", () => {
  it("a paid Checkout Session is payment.succeeded for the order its metadata names, keyed by its PaymentIntent", () => {
    const t = translated(translate(sim.event("checkout.session.completed", session)));
    expect(t.key).toBe(`stripe:${t.event.type === "payment.succeeded" && t.event.providerRef}:succeeded`);
    expect(t.key).toMatch(/^stripe:pi_\w+:succeeded$/);
    expect(t.event).toEqual({
      type: "payment.succeeded",
      orderId: "ord_s_1",
      amount: { amount: 1500, currency: "CNY" },
      paidAt: "2026-11-24T02:00:05.000Z",
      providerRef: session.payment_intent,
    });
    expect(t.notification).toMatchObject({
      provider: "stripe",
      verification: { verified: true, method: expect.stringContaining("constructEvent") },
      headers: { "stripe-signature": expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/) },
    });
  });

  it("client_reference_id names the order when the metadata does not", () => {
    const byRef = sim.checkoutSession(
      { orderId: "ord_s_2", amount: 1500, currency: "CNY" },
      "client_reference_id",
    );
    expect(translated(translate(sim.event("checkout.session.completed", byRef))).event.orderId).toBe(
      "ord_s_2",
    );
  });

  it("an unpaid session waits for async_payment_succeeded, which pays", () => {
    const unpaid = { ...session, payment_status: "unpaid" };
    expect(translate(sim.event("checkout.session.completed", unpaid))).toMatchObject({ kind: "ignored" });
    const later = translated(translate(sim.event("checkout.session.async_payment_succeeded", session)));
    expect(later.event.type).toBe("payment.succeeded");
  });

  it("amounts in zero-decimal currencies are whole units (jpy, krw), ISK two-decimal as Stripe writes it", () => {
    const yen = sim.checkoutSession({ orderId: "ord_s_3", amount: 1500, currency: "JPY" });
    expect(yen).toMatchObject({ amount_total: 1500, currency: "jpy" });
    expect(translated(translate(sim.event("checkout.session.completed", yen))).event).toMatchObject({
      amount: { amount: 1500, currency: "JPY" },
    });
    expect(moneyFromStripe(50000, "krw")).toEqual({ amount: 50000, currency: "KRW" });
    expect(moneyFromStripe(1999, "usd")).toEqual({ amount: 1999, currency: "USD" });
    expect(moneyFromStripe(1500, "bhd")).toEqual({ amount: 1500, currency: "BHD" });
    // 5 ISK is 500 on Stripe; a fractional ISK amount is nothing Stripe sends.
    expect(moneyFromStripe(500, "isk")).toEqual({ amount: 5, currency: "ISK" });
    expect(moneyFromStripe(550, "isk")).toBeNull();
    expect(moneyToStripe({ amount: 5, currency: "ISK" })).toEqual({ amount: 500, currency: "isk" });
    for (const [amount, currency] of [
      [1.5, "usd"],
      [-1, "usd"],
      [2 ** 31, "usd"],
      [100, "USD"],
      [100, "us"],
      ["100", "usd"],
    ] as const)
      expect(moneyFromStripe(amount, currency), `${amount} ${currency}`).toBeNull();
  });

  it("invoice.paid names the order through the subscription's metadata", () => {
    const invoice = sim.invoice({ orderId: "ord_s_4", amount: 1500, currency: "USD" });
    const t = translated(translate(sim.event("invoice.paid", invoice)));
    expect(t.key).toMatch(/^stripe:(pi|in)_\w+:succeeded$/);
    expect(t.event).toMatchObject({
      type: "payment.succeeded",
      orderId: "ord_s_4",
      amount: { currency: "USD" },
    });
  });

  it("charge.refunded carries the cumulative amount, full when it is the whole charge", () => {
    const partial = sim.charge({ orderId: "ord_s_5", amount: 1500, currency: "CNY", refunded: 500 });
    expect(translated(translate(sim.event("charge.refunded", partial))).event).toMatchObject({
      type: "payment.refunded",
      orderId: "ord_s_5",
      amount: { amount: 500, currency: "CNY" },
      full: false,
    });
    const full = sim.charge({ orderId: "ord_s_5", amount: 1500, currency: "CNY", refunded: 1500 });
    const t = translated(translate(sim.event("charge.refunded", full)));
    expect(t).toMatchObject({ key: `stripe:${full.id}:refunded:1500`, event: { full: true } });
  });

  it("a charge without our metadata, and every dispute, are placed by their PaymentIntent", () => {
    const bare = sim.charge({
      orderId: "ord_s_6",
      amount: 1500,
      currency: "CNY",
      refunded: 500,
      metadata: false,
    });
    const charge = translated(translate(sim.event("charge.refunded", bare)));
    expect(charge.orderByProviderRef).toEqual([bare.payment_intent, bare.id]);
    const dispute = sim.dispute({
      orderId: "ord_s_6",
      amount: 1500,
      currency: "CNY",
      status: "needs_response",
    });
    const opened = translated(translate(sim.event("charge.dispute.created", dispute)));
    expect(opened.event).toMatchObject({
      type: "payment.disputed",
      disputeId: dispute.id,
      amount: { amount: 1500, currency: "CNY" },
      reason: "fraudulent",
    });
    expect(opened.orderByProviderRef).toEqual([dispute.payment_intent, dispute.charge]);
    const won = translated(translate(sim.event("charge.dispute.closed", { ...dispute, status: "won" })));
    expect(won.event).toMatchObject({ type: "payment.dispute_closed", won: true });
    const lost = translated(translate(sim.event("charge.dispute.closed", { ...dispute, status: "lost" })));
    expect(lost.event).toMatchObject({ type: "payment.dispute_closed", won: false });
    // An inquiry that closed without a chargeback took nothing back.
    const inquiry = translated(
      translate(sim.event("charge.dispute.closed", { ...dispute, status: "warning_closed" })),
    );
    expect(inquiry.event).toMatchObject({ won: true });
  });

  it("acknowledges, without an event, what is not ours or not acted on", () => {
    const foreign = { ...session, metadata: {}, client_reference_id: null };
    expect(codeOf(translate(sim.event("checkout.session.completed", foreign)))).toBe("ignored");
    expect(
      codeOf(translate(sim.event("payment_intent.succeeded", { id: "pi_1", object: "payment_intent" }))),
    ).toBe("ignored");
    expect(
      codeOf(
        translate(
          sim.event("charge.refunded", sim.charge({ orderId: "o", amount: 1, currency: "CNY", refunded: 0 })),
        ),
      ),
    ).toBe("ignored");
  });

  it("refuses a tampered body, another secret, a stale or missing signature, and malformed events", () => {
    const payload = sim.event("checkout.session.completed", session);
    expect(codeOf(translate(payload.replace("1500", "1"), sim.signature(payload, NOW)))).toBe(
      "INVALID_SIGNATURE",
    );
    expect(codeOf(translate(payload, sim.signature(payload, NOW, { secret: "whsec_other" })))).toBe(
      "INVALID_SIGNATURE",
    );
    const stale = sim.signature(payload, NOW, { timestampS: NOW / 1000 - STRIPE_TOLERANCE_SECONDS - 1 });
    expect(codeOf(translate(payload, stale))).toBe("TIMESTAMP_OUT_OF_TOLERANCE");
    // Stripe's rule is an age: exactly at the tolerance passes.
    const edge = sim.signature(payload, NOW, { timestampS: NOW / 1000 - STRIPE_TOLERANCE_SECONDS });
    expect(codeOf(translate(payload, edge))).toBe("translated");
    expect(codeOf(adapter.translate(payload, {}, NOW))).toBe("INVALID_SIGNATURE");
    expect(codeOf(translate("not json"))).toBe("VALIDATION_FAILED");
    const badId = { ...session, metadata: { perkwise_order_id: "ord/../x" } };
    expect(codeOf(translate(sim.event("checkout.session.completed", badId)))).toBe("VALIDATION_FAILED");
    const noCurrency = { ...session, currency: null };
    expect(codeOf(translate(sim.event("checkout.session.completed", noCurrency)))).toBe("VALIDATION_FAILED");
    const nul = { ...session, metadata: { perkwise_order_id: "ord_s_1", note: "a\u0000b" } };
    expect(codeOf(translate(sim.event("checkout.session.completed", nul)))).toBe("VALIDATION_FAILED");
  });
});

describe("stripeConfig", () => {
  it("is configured by the webhook secret; the API key and base URL alone are a mistake", () => {
    expect(stripeConfig({})).toBeUndefined();
    expect(stripeConfig({ PERKWISE_STRIPE_WEBHOOK_SECRET: "whsec_x" })).toEqual({
      webhookSecret: "whsec_x",
      apiKey: undefined,
      baseUrl: "https://api.stripe.com",
    });
    expect(() => stripeConfig({ PERKWISE_STRIPE_API_KEY: "sk_test_x" })).toThrow(/WEBHOOK_SECRET/);
    expect(() => stripeConfig({ PERKWISE_STRIPE_WEBHOOK_SECRET: "sk_test_x" })).toThrow(/whsec_/);
    expect(() =>
      stripeConfig({ PERKWISE_STRIPE_WEBHOOK_SECRET: "whsec_x", PERKWISE_STRIPE_BASE_URL: "ftp://x" }),
    ).toThrow(/http/);
  });
});
