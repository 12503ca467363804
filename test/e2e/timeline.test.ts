import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

const MINUTE = 60_000;
type Entry = { at: string; kind: string; source: string; data: Record<string, any> };

describe.each(TEST_ENGINES)("member timeline on $name", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  const timeline = async (memberId: string) => {
    const res = await s.request("GET", `/v1/members/${memberId}/timeline`);
    expect(res.status).toBe(200);
    return res.body.entries as Entry[];
  };

  it("records every order, payment event, membership and grant change, claim and toggle, in order", async () => {
    await s.createMember("tl-1", { locale: "en" });
    s.clock.advance(MINUTE);
    const order = await s.createOrder("tl-1", "vip_month", "official_app");
    s.clock.advance(MINUTE);
    await s.pay(order.orderId, order.amount.amount - 1, "tl-mismatch"); // recorded, nothing granted
    s.clock.advance(MINUTE);
    await s.pay(order.orderId, order.amount.amount, "tl-paid");
    await s.pay(order.orderId, order.amount.amount, "tl-paid"); // a redelivery changes nothing
    s.clock.advance(MINUTE);
    const token = await s.memberToken("tl-1");
    await s.request("POST", "/v1/me/benefits/monthly_gift/claim", { auth: token });
    await s.request("PUT", "/v1/members/tl-1/benefits/hd_download_boost/toggle", { body: { on: true } });
    s.clock.advance(MINUTE);
    await s.refund(order.orderId, order.amount.amount, "tl-refund");

    const entries = await timeline("tl-1");
    expect(entries.map((e) => `${e.kind}/${e.source}`)).toEqual([
      "member.registered/service",
      "order.created/service",
      "payment.succeeded/payment_provider",
      "payment.succeeded/payment_provider",
      "order.paid/payment_provider",
      "membership.activated/payment_provider",
      "grants.created/payment_provider",
      "benefit.claimed/member",
      "benefit.toggled_on/service",
      "payment.refunded/payment_provider",
      "order.refunded/payment_provider",
      "membership.revoked/payment_provider",
    ]);
    expect(entries[2].data).toMatchObject({ webhookId: "tl-mismatch", outcome: "amount_mismatch" });
    expect(entries[3].data).toMatchObject({
      webhookId: "tl-paid",
      outcome: "applied",
      orderId: order.orderId,
    });
    expect(entries[1].data).toMatchObject({
      orderId: order.orderId,
      plan: "vip_month",
      channel: "official_app",
    });
    expect(entries[5].data).toMatchObject({
      tier: "vip",
      orderId: order.orderId,
      expiresAt: expect.any(String),
    });
    expect(entries[6].data.grants.map((g: { benefit: string }) => g.benefit).sort()).toEqual(
      [...DEMO_CATALOG.tiers[0].benefits].sort(),
    );
    expect(entries[11].data).toMatchObject({
      orderId: order.orderId,
      grantsEnded: DEMO_CATALOG.tiers[0].benefits.length,
    });
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(entries[1].at).toBe(new Date(Date.parse(entries[0].at) + MINUTE).toISOString());
  });

  it("shows a catalog change only where it touched the member's tiers and their benefits", async () => {
    await s.createMember("tl-2");
    const order = await s.createOrder("tl-2", "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    await s.createMember("tl-bystander");
    s.clock.advance(MINUTE);
    const changed = structuredClone(DEMO_CATALOG);
    changed.benefits.find((b) => b.code === "vip_zone")!.rules = { minClientVersion: "6.0.0" };
    changed.benefits.find((b) => b.code === "svip_concierge")!.name = "Concierge 2";
    const { version } = await s.putCatalog(changed);
    try {
      const entries = await timeline("tl-2");
      const change = entries.find((e) => e.kind === "catalog.changed");
      expect(change?.source).toBe("admin");
      expect(change?.data.version).toBe(version);
      // The svip-only benefit is not the vip member's concern.
      expect(change?.data.diff.benefits.map((b: { code: string }) => b.code)).toEqual(["vip_zone"]);
      expect((await timeline("tl-bystander")).map((e) => e.kind)).toEqual(["member.registered"]);
    } finally {
      await s.putCatalog(DEMO_CATALOG);
    }
  });

  it("serves the member their own timeline and refuses unknown members", async () => {
    await s.createMember("tl-3");
    const token = await s.memberToken("tl-3");
    const mine = await s.request("GET", "/v1/me/timeline", { auth: token });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ memberId: "tl-3", entries: [{ kind: "member.registered" }] });
    const missing = await s.request("GET", "/v1/members/nobody-here/timeline");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("MEMBER_NOT_FOUND");
  });
});
