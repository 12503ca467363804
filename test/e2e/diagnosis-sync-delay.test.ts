import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { bind, DiagnosisScenarios } from "../support/diagnosis-scenarios.js";
import { ids } from "../support/diagnosis-shape.js";
import { TEST_ENGINES } from "../test-database.js";

const MINUTE = 60_000;

/** Sync delay: a payment not confirmed yet, from the decision and from the order the member names. */
describe.each(TEST_ENGINES)("diagnosis of a sync delay on $name", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s?.stop());

  const { member, diagnose, timeline } = bind(new DiagnosisScenarios(() => s));

  it("PAYMENT_PENDING from the decision: the pending order, never NO_MEMBERSHIP", async () => {
    const m = await member("pending");
    const order = await s.createOrder(m, "vip_month");
    const d = await diagnose(m, { benefit: "ad_free" });
    expect(d.findings.map((f) => f.code)).toEqual(["PAYMENT_PENDING"]);
    expect(d.findings[0]).toMatchObject({
      cause: "sync_delay",
      details: { orderId: order.orderId },
      remedy: { actor: "platform", action: "wait" },
    });
    expect(ids(d.findings[0], "order")).toEqual([order.orderId]);
    expect(d.findings[0].evidence.map((e) => e.data.kind ?? e.type)).toContain("order.created");
  });

  it("{orderId}: within the expected wait → wait until it; past 30 min → flagged for support, once", async () => {
    const m = await member("claimed");
    const order = await s.createOrder(m, "vip_month");
    const createdAt = s.clock.now();
    const token = await s.memberToken(m);
    const mine = (body: unknown) => s.request("POST", "/v1/me/diagnose", { auth: token, body });

    s.clock.advance(2 * MINUTE);
    const early = await mine({ benefit: "ad_free", orderId: order.orderId });
    expect(early.status).toBe(200);
    expect(early.body.findings).toHaveLength(1);
    expect(early.body.findings[0]).toMatchObject({
      code: "PAYMENT_PENDING",
      cause: "sync_delay",
      details: {
        orderId: order.orderId,
        ageSeconds: 120,
        expectedBy: new Date(createdAt + 5 * MINUTE).toISOString(),
        overdue: false,
        flaggedForSupport: false,
      },
      remedy: { actor: "platform", action: "wait", until: new Date(createdAt + 5 * MINUTE).toISOString() },
    });
    expect(ids(early.body.findings[0], "order")).toEqual([order.orderId]);

    s.clock.advance(29 * MINUTE);
    for (let i = 0; i < 2; i++) {
      const late = await mine({ benefit: "ad_free", orderId: order.orderId });
      expect(late.body.findings[0]).toMatchObject({
        code: "PAYMENT_PENDING",
        details: { orderId: order.orderId, ageSeconds: 31 * 60, overdue: true, flaggedForSupport: true },
        remedy: { action: "contact_support" },
      });
    }
    const outbox = await s.app.data.outbox.listForMember(m);
    expect(outbox.filter((e) => e.type === "support.payment_overdue")).toHaveLength(1);
    const flagged = (await timeline(m)).filter((e) => e.kind === "order.flagged_for_support");
    expect(flagged).toHaveLength(1);
    expect(flagged[0].data.orderId).toBe(order.orderId);
  });

  it("{orderId} of another member answers 404 like an unknown one", async () => {
    const a = await member("owner");
    const b = await member("other");
    const order = await s.createOrder(a, "vip_month");
    const token = await s.memberToken(b);
    for (const orderId of [order.orderId, "ord_does_not_exist"]) {
      const res = await s.request("POST", "/v1/me/diagnose", {
        auth: token,
        body: { benefit: "ad_free", orderId },
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("ORDER_NOT_FOUND");
    }
    // Nothing was flagged for the owner by someone else's question.
    expect((await timeline(a)).map((e) => e.kind)).not.toContain("order.flagged_for_support");
  });
});
