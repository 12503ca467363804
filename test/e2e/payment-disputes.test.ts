/**
 * Disputes (chargebacks) on the Standard Webhooks endpoint: `payment.disputed` places the agent-only
 * `chargeback` hold in the transaction that records it; `payment.dispute_closed` clears it when won,
 * and also revokes the order like a full refund when lost.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

describe.each(TEST_ENGINES)("payment disputes on the Standard Webhooks endpoint on $name", (engine) => {
  let s: TestServer;
  let seq = 0;
  const paidMember = async () => {
    const memberId = `dsp-${++seq}`;
    await s.createMember(memberId, { locale: "en" });
    const order = await s.createOrder(memberId, "vip_month");
    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
    return { memberId, orderId: order.orderId as string, amount: order.amount.amount as number };
  };
  const disputed = (orderId: string, webhookId?: string) =>
    s.postPaymentEvent(
      { type: "payment.disputed", data: { orderId, disputeId: `dp_${orderId}`, reason: "fraudulent" } },
      { webhookId },
    );
  const closed = (orderId: string, won: boolean) =>
    s.postPaymentEvent({
      type: "payment.dispute_closed",
      data: { orderId, won, disputeId: `dp_${orderId}` },
    });
  const holdsOf = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}`)).body.holds as {
      holdId: string;
      reason: string;
      status: string;
    }[];
  const count = (table: string, memberId: string) => s.countRows(table, sql`member_id = ${memberId}`);

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("a dispute holds every benefit at once, with the chargeback reason; won, the hold is cleared", async () => {
    const m = await paidMember();
    const res = await disputed(m.orderId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: "applied", orderId: m.orderId });
    const decision = await s.check(m.memberId, "ad_free");
    expect(decision.allowed).toBe(false);
    expect(decision.reasons[0]).toMatchObject({
      code: "ACCOUNT_ON_HOLD",
      cause: "account_risk",
      details: { holdReason: "chargeback" },
    });
    const [hold] = await holdsOf(m.memberId);
    expect(hold).toMatchObject({ reason: "chargeback", status: "open", clearMethod: "agent" });
    // An agent-only hold: the member cannot clear it with a code.
    const detail = (await s.request("GET", `/v1/holds/${hold.holdId}`)).body;
    expect(detail).toMatchObject({ placedBy: "payments:chargeback", details: { orderId: m.orderId } });

    expect((await closed(m.orderId, true)).status).toBe(200);
    expect((await s.check(m.memberId, "ad_free")).allowed).toBe(true);
    expect(await holdsOf(m.memberId)).toMatchObject([{ reason: "chargeback", status: "cleared" }]);
  });

  it("lost: revoked like a full refund, the hold cleared", async () => {
    const m = await paidMember();
    await disputed(m.orderId);
    expect((await closed(m.orderId, false)).status).toBe(200);
    const decision = await s.check(m.memberId, "ad_free");
    expect(decision.reasons[0]).toMatchObject({
      code: "MEMBERSHIP_REVOKED",
      details: { orderId: m.orderId },
    });
    expect(await holdsOf(m.memberId)).toMatchObject([{ status: "cleared" }]);
    const { rows } = await sql<{ status: string }>`select status from orders where id = ${m.orderId}`.execute(
      s.database.db,
    );
    expect(rows[0].status).toBe("refunded");
  });

  it("a redelivered dispute is a duplicate; a second order's dispute keeps the one hold", async () => {
    const m = await paidMember();
    await disputed(m.orderId, "msg_dispute_once");
    const again = await disputed(m.orderId, "msg_dispute_once");
    expect(again.body.outcome).toBe("duplicate");
    const second = await s.createOrder(m.memberId, "vip_month");
    await s.pay(second.orderId, second.amount.amount);
    expect((await disputed(second.orderId)).status).toBe(200);
    expect(await count("holds", m.memberId)).toBe(1);
  });

  it("a won dispute leaves a chargeback hold an agent placed", async () => {
    const m = await paidMember();
    const placed = await s.request("POST", `/v1/members/${m.memberId}/holds`, {
      body: { reason: "chargeback" },
    });
    expect(placed.status).toBe(201);
    await disputed(m.orderId); // the member is held already: no second hold
    expect((await closed(m.orderId, true)).status).toBe(200);
    expect(await holdsOf(m.memberId)).toMatchObject([{ status: "open" }]);
    expect((await s.check(m.memberId, "ad_free")).allowed).toBe(false);
  });

  it("a dispute of a refunded order holds nothing", async () => {
    const m = await paidMember();
    await s.refund(m.orderId, m.amount);
    const res = await disputed(m.orderId);
    expect(res.body.outcome).toBe("ignored_after_refund");
    expect(await count("holds", m.memberId)).toBe(0);
  });

  it("malformed dispute events are 400 and write nothing", async () => {
    const m = await paidMember();
    const before = await count("timeline", m.memberId);
    for (const data of [
      { orderId: m.orderId },
      { orderId: m.orderId, won: "yes" },
      { orderId: m.orderId, won: true, extra: 1 },
    ]) {
      const res = await s.postPaymentEvent({ type: "payment.dispute_closed", data });
      expect(res.status, JSON.stringify(data)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.details[0].path).toMatch(/^\/data/);
    }
    const unknown = await s.postPaymentEvent({ type: "payment.disputed", data: { orderId: "ord_nobody" } });
    expect(unknown.status).toBe(404);
    expect(await count("timeline", m.memberId)).toBe(before);
    expect(await count("holds", m.memberId)).toBe(0);
  });
});
