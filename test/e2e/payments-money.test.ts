import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

/** Money with its currency on the Standard Webhooks endpoint; a bare integer still means the order's. */
describe.each(TEST_ENGINES)("payment amounts with their currency on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  const memberWithOrder = async () => {
    const memberId = `money-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month");
    return { memberId, orderId: order.orderId, money: order.amount };
  };
  const eventRow = async (webhookId: string) => {
    const { rows } = await sql<{
      amount: number;
      currency: string | null;
      outcome: string;
      provider: string;
    }>`
      select amount, currency, outcome, provider from payment_events where webhook_id = ${webhookId}`.execute(
      s.database.db,
    );
    return rows[0];
  };

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("takes {amount, currency} and records both", async () => {
    const { memberId, orderId, money } = await memberWithOrder();
    expect(money.currency).toBe("CNY");
    const res = await s.postPaymentEvent(
      { type: "payment.succeeded", data: { orderId, amount: money } },
      { webhookId: `money-ok-${orderId}` },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: "applied", orderId });
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    expect(await eventRow(`money-ok-${orderId}`)).toEqual({
      amount: money.amount,
      currency: "CNY",
      outcome: "applied",
      provider: "standard_webhooks",
    });
  });

  it("a bare integer is in the order's currency, and is recorded with it", async () => {
    const { orderId, money } = await memberWithOrder();
    const res = await s.pay(orderId, money.amount, `money-bare-${orderId}`);
    expect(res.body.outcome).toBe("applied");
    expect(await eventRow(`money-bare-${orderId}`)).toMatchObject({ amount: money.amount, currency: "CNY" });
  });

  it("another currency is recorded and refused like a wrong amount — also on redelivery", async () => {
    const { memberId, orderId, money } = await memberWithOrder();
    for (let i = 0; i < 2; i++) {
      const res = await s.postPaymentEvent(
        { type: "payment.succeeded", data: { orderId, amount: { amount: money.amount, currency: "USD" } } },
        { webhookId: `money-usd-${orderId}` },
      );
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("AMOUNT_MISMATCH");
      expect(res.body.error.details[0]).toMatchObject({ path: "/data/amount/currency", orderId });
    }
    expect(await eventRow(`money-usd-${orderId}`)).toMatchObject({
      currency: "USD",
      outcome: "currency_mismatch",
    });
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
    const timeline = (await s.request("GET", `/v1/members/${memberId}/timeline`)).body;
    const entry = timeline.entries.find((e: { kind: string }) => e.kind === "payment.succeeded");
    expect(entry.data).toMatchObject({
      outcome: "currency_mismatch",
      amount: { amount: money.amount, currency: "USD" },
    });
  });

  it("a refund in another currency is refused and ends nothing", async () => {
    const { memberId, orderId, money } = await memberWithOrder();
    await s.pay(orderId, money.amount);
    const res = await s.postPaymentEvent({
      type: "payment.refunded",
      data: { orderId, amount: { amount: money.amount, currency: "EUR" } },
    });
    expect(res.status).toBe(422);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
  });

  it("refuses malformed money: a lowercase currency, a fraction, a string, unknown fields", async () => {
    const { orderId, money } = await memberWithOrder();
    for (const amount of [
      { amount: money.amount, currency: "cny" },
      { amount: 19.9, currency: "CNY" },
      { amount: String(money.amount), currency: "CNY" },
      { amount: money.amount, currency: "CNY", extra: 1 },
      { amount: money.amount },
      "19.90",
      -1,
    ]) {
      const res = await s.postPaymentEvent({ type: "payment.succeeded", data: { orderId, amount } });
      expect(res.status, JSON.stringify(amount)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from payment_events where order_id = ${orderId}`.execute(s.database.db);
    expect(rows[0].n).toBe(0);
  });

  it("documents both forms in the OpenAPI schema", async () => {
    const doc = (await s.request("GET", "/openapi.json", { auth: null })).body;
    const body = doc.paths["/v1/payments/events"].post.requestBody.content["application/json"].schema;
    // One variant per kind of event; the money events' carries the amount.
    const money = body.anyOf.find((v: { properties: { type: unknown } }) =>
      JSON.stringify(v.properties.type).includes("payment.succeeded"),
    );
    const amount = money.properties.data.properties.amount;
    expect(amount.anyOf.map((a: { type: string }) => a.type).sort()).toEqual(["integer", "object"]);
    expect(amount.anyOf.find((a: { type: string }) => a.type === "object").required.sort()).toEqual([
      "amount",
      "currency",
    ]);
  });
});
