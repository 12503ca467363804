import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const DAY = 24 * 3600 * 1000;

describe.each(TEST_ENGINES)("payment intake on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  const count = (table: string, where = sql`true`) => s.countRows(table, where);
  /** A fresh member with a pending vip_month order. */
  const memberWithOrder = async (plan = "vip_month") => {
    const memberId = `pay-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, plan);
    return { memberId, orderId: order.orderId, amount: order.amount.amount };
  };

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("grants in the same request: the very next check is allowed", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
    const before = (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body.entitlementsVersion;
    const res = await s.pay(orderId, amount);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: "applied", orderId });
    const decision = await s.check(memberId, "ad_free");
    expect(decision.allowed).toBe(true);
    expect(decision.entitlementsVersion).toBeGreaterThan(before);
    expect(decision.grant).toMatchObject({ tier: "vip", catalogVersion: 1 });

    const member = (await s.request("GET", `/v1/members/${memberId}`)).body;
    expect(member.memberships).toHaveLength(1);
    expect(member.memberships[0]).toMatchObject({ tier: "vip", status: "active", sourceOrderId: orderId });
    const vipBenefits = DEMO_CATALOG.tiers.find((t) => t.code === "vip")!.benefits;
    expect(member.grants.map((g: { benefit: string }) => g.benefit).sort()).toEqual([...vipBenefits].sort());
    expect(member.orders[0]).toMatchObject({ orderId, status: "paid" });
    expect(await count("outbox", sql`member_id = ${memberId} and type = 'entitlements.changed'`)).toBe(2);
  });

  it("computes effective times from the rule and the member's time zone", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    await s.pay(orderId, amount);
    const grants = (await s.request("GET", `/v1/members/${memberId}`)).body.grants;
    const discount = grants.find((g: { benefit: string }) => g.benefit === "member_discount");
    // T0 is 10:00 in Shanghai on 2026-11-24: next_day means 2026-11-25 00:00 Shanghai = 16:00Z the day before.
    expect(discount.effectiveFrom).toBe("2026-11-24T16:00:00.000Z");
    const adFree = grants.find((g: { benefit: string }) => g.benefit === "ad_free");
    expect(adFree.effectiveFrom).toBe(new Date(s.clock.now()).toISOString());
    expect(adFree.expiresAt).toBe("2026-12-24T02:00:00.000Z");
  });

  it("10 concurrent deliveries of one event grant once", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => s.pay(orderId, amount, `dup-${orderId}`)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.filter((r) => r.body.outcome === "applied")).toHaveLength(1);
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(1);
    expect(await count("grants", sql`member_id = ${memberId}`)).toBe(DEMO_CATALOG.tiers[0].benefits.length);
    expect(await count("payment_events", sql`order_id = ${orderId}`)).toBe(1);
  });

  it("different webhook ids for one order apply once (idempotent per order)", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => s.pay(orderId, amount, `multi-${orderId}-${i}`)),
    );
    expect(results.map((r) => r.body.outcome).sort()).toEqual([
      "already_applied",
      "already_applied",
      "already_applied",
      "already_applied",
      "already_applied",
      "applied",
    ]);
    const member = (await s.request("GET", `/v1/members/${memberId}`)).body;
    expect(member.memberships).toHaveLength(1);
    expect(member.memberships[0].expiresAt).toBe("2026-12-24T02:00:00.000Z");
  });

  it("concurrent payments of two orders for the same tier extend one membership", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    const second = await s.createOrder(memberId, "vip_month");
    const third = await s.createOrder(memberId, "vip_month");
    const results = await Promise.all([
      s.pay(orderId, amount),
      s.pay(second.orderId, second.amount.amount),
      s.pay(third.orderId, third.amount.amount),
    ]);
    expect(results.map((r) => r.body.outcome)).toEqual(["applied", "applied", "applied"]);
    const member = (await s.request("GET", `/v1/members/${memberId}`)).body;
    expect(member.memberships).toHaveLength(1);
    expect(member.memberships[0].expiresAt).toBe("2027-02-24T02:00:00.000Z");
    expect(member.grants).toHaveLength(DEMO_CATALOG.tiers[0].benefits.length);
  });

  it("a refund before the success leaves nothing granted", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    expect((await s.refund(orderId, amount)).body.outcome).toBe("applied");
    const late = await s.pay(orderId, amount);
    expect(late.status).toBe(200);
    expect(late.body.outcome).toBe("ignored_after_refund");
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(0);
    expect(await count("grants", sql`member_id = ${memberId}`)).toBe(0);
    const decision = await s.check(memberId, "ad_free");
    expect(decision.allowed).toBe(false);
    expect(decision.reasons[0].code).toBe("NO_MEMBERSHIP");
  });

  it("a refund after payment revokes the membership and ends its grants", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    await s.pay(orderId, amount);
    expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    const refund = await s.refund(orderId, amount);
    expect(refund.body.outcome).toBe("applied");
    const decision = await s.check(memberId, "ad_free");
    expect(decision.allowed).toBe(false);
    expect(decision.reasons[0]).toMatchObject({
      code: "MEMBERSHIP_REVOKED",
      cause: "membership_status",
      details: { orderId },
      remedy: { action: "pay" },
    });
    expect(await count("grants", sql`member_id = ${memberId} and status = 'active'`)).toBe(0);
    expect((await s.refund(orderId, amount)).body.outcome).toBe("already_applied");
  });

  it("paying again for the same tier extends from the current expiry; refunding one period shortens it", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    await s.pay(orderId, amount);
    const second = await s.createOrder(memberId, "vip_month");
    await s.pay(second.orderId, second.amount.amount);
    let member = (await s.request("GET", `/v1/members/${memberId}`)).body;
    expect(member.memberships).toHaveLength(1);
    expect(member.memberships[0].expiresAt).toBe("2027-01-24T02:00:00.000Z");
    expect(
      member.grants.every((g: { expiresAt: string }) => g.expiresAt === "2027-01-24T02:00:00.000Z"),
    ).toBe(true);
    await s.refund(second.orderId, second.amount.amount);
    member = (await s.request("GET", `/v1/members/${memberId}`)).body;
    expect(member.memberships[0]).toMatchObject({ status: "active", expiresAt: "2026-12-24T02:00:00.000Z" });
  });

  it("another tier gets a membership of its own", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    await s.pay(orderId, amount);
    const svip = await s.createOrder(memberId, "svip_month");
    await s.pay(svip.orderId, svip.amount.amount);
    const member = (await s.request("GET", `/v1/members/${memberId}`)).body;
    expect(member.memberships.map((m: { tier: string }) => m.tier).sort()).toEqual(["svip", "vip"]);
    expect((await s.check(memberId, "svip_concierge")).allowed).toBe(true);
  });

  it("an amount mismatch is recorded, answered 422, and grants nothing — also on redelivery", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    for (let i = 0; i < 2; i++) {
      const res = await s.pay(orderId, amount - 1, `mismatch-${orderId}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe("AMOUNT_MISMATCH");
    }
    expect(await count("payment_events", sql`order_id = ${orderId} and outcome = 'amount_mismatch'`)).toBe(1);
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(0);
    expect((await s.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
  });

  it("a bad signature, a wrong secret or a stale timestamp writes nothing", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    const event = { type: "payment.succeeded", data: { orderId, amount } };
    const eventsBefore = await count("payment_events");
    const badSig = await s.postPaymentEvent(event, {
      signature: "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    });
    expect(badSig.status).toBe(401);
    expect(badSig.body.error.code).toBe("INVALID_SIGNATURE");
    const wrongSecret = await s.postPaymentEvent(event, {
      secret: `whsec_${Buffer.from("another-secret-another-secret-32").toString("base64")}`,
    });
    expect(wrongSecret.status).toBe(401);
    const stale = await s.postPaymentEvent(event, { timestampMs: s.clock.now() - 6 * 60 * 1000 });
    expect(stale.status).toBe(400);
    expect(stale.body.error.code).toBe("TIMESTAMP_OUT_OF_TOLERANCE");
    const future = await s.postPaymentEvent(event, { timestampMs: s.clock.now() + 6 * 60 * 1000 });
    expect(future.status).toBe(400);
    const unsigned = await s.request("POST", "/v1/payments/events", { body: event, auth: null });
    expect(unsigned.status).toBe(401);
    expect(await count("payment_events")).toBe(eventsBefore);
    expect(await count("memberships", sql`member_id = ${memberId}`)).toBe(0);
    // Within tolerance (4 minutes late) it is accepted.
    const late = await s.postPaymentEvent(event, { timestampMs: s.clock.now() - 4 * 60 * 1000 });
    expect(late.status).toBe(200);
  });

  it("an unknown order is 404 and a malformed signed event is 400", async () => {
    const unknown = await s.pay("ord_does_not_exist", 100);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("ORDER_NOT_FOUND");
    const malformed = await s.postPaymentEvent({
      type: "payment.succeeded",
      data: { orderId: "x", amount: "12" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("an order for a plan withdrawn before payment is honoured as sold", async () => {
    const { memberId, orderId, amount } = await memberWithOrder("vip_year");
    const withoutYear = structuredClone(DEMO_CATALOG);
    for (const tier of withoutYear.tiers) tier.plans = tier.plans.filter((p) => p.code !== "vip_year");
    // The pending order names the plan: removing it takes a confirmation.
    await s.putCatalog({ ...withoutYear, confirm: "remove" });
    try {
      expect((await s.pay(orderId, amount)).body.outcome).toBe("applied");
      const member = (await s.request("GET", `/v1/members/${memberId}`)).body;
      expect(member.memberships[0]).toMatchObject({ tier: "vip", expiresAt: "2027-11-24T02:00:00.000Z" });
      expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    } finally {
      await s.putCatalog(DEMO_CATALOG);
    }
  });

  it("an expired membership is renewed as a new one, not extended into the past", async () => {
    const { memberId, orderId, amount } = await memberWithOrder();
    await s.pay(orderId, amount);
    s.clock.advance(40 * DAY);
    try {
      const renewal = await s.createOrder(memberId, "vip_month");
      await s.pay(renewal.orderId, renewal.amount.amount);
      const member = (await s.request("GET", `/v1/members/${memberId}`)).body;
      expect(member.memberships.map((m: { status: string }) => m.status)).toEqual(["expired", "active"]);
      expect((await s.check(memberId, "ad_free")).allowed).toBe(true);
    } finally {
      s.clock.advance(-40 * DAY);
    }
  });
});
