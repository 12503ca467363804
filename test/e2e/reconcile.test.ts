import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { nightlyReconcileJob } from "../../src/reconcile/reconcile-job-kinds.js";
import { T0, TestServer } from "../e2e-harness.js";
import { corrupt } from "../support/corrupt.js";
import { TEST_ENGINES } from "../test-database.js";

const HOUR = 3600 * 1000;
const codes = (decision: { reasons: { code: string }[] }) => decision.reasons.map((r) => r.code);

/** Every kind of drift, injected behind the services' back among healthy members, found and repaired. */
describe.each(TEST_ENGINES)("reconciliation on $name", (engine) => {
  let s: TestServer;
  let seq = 0;

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  async function newMember(prefix: string) {
    const memberId = `${prefix}-${engine.name}-${++seq}`;
    await s.createMember(memberId, { locale: "en", timezone: "UTC" });
    return memberId;
  }
  async function buy(memberId: string, plan = "vip_month") {
    const order = await s.createOrder(memberId, plan);
    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
    return order;
  }
  const timelineKinds = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries as {
      kind: string;
      source: string;
      data: Record<string, unknown>;
    }[];
  const pairs = (run: { findings: { kind: string; memberId: string }[] }) =>
    run.findings.map((f) => `${f.kind} ${f.memberId}`).sort();

  /** Members whose histories go through every write path: none of them may ever be flagged. */
  async function healthyMembers() {
    const paid = await newMember("ok-paid");
    await buy(paid);
    const renewed = await newMember("ok-renewed");
    await buy(renewed);
    await buy(renewed);
    const refunded = await newMember("ok-refunded");
    const order = await buy(refunded);
    expect((await s.refund(order.orderId, order.amount.amount)).status).toBe(200);
    const upgraded = await newMember("ok-upgraded");
    await buy(upgraded);
    await buy(upgraded, "svip_month");
    const pending = await newMember("ok-pending");
    await s.createOrder(pending, "vip_month");
    const used = await newMember("ok-used");
    await buy(used);
    s.clock.advance(25 * HOUR);
    await s.request("POST", `/v1/members/${used}/benefits/monthly_gift/claim`);
    await s.request("PUT", `/v1/members/${used}/benefits/hd_download_boost/toggle`, { body: { on: true } });
    const usage = await s.request("POST", `/v1/members/${used}/benefits/cloud_storage/usage`, {
      body: { amount: 5, idempotencyKey: "reconcile-use" },
    });
    expect(usage.status).toBe(200);
    await s.app.scheduler.runDue();
    const never = await newMember("ok-new");
    return [paid, renewed, refunded, upgraded, pending, used, never];
  }

  it("finds exactly the injected drift, repairs it with fix, then finds nothing", async () => {
    s.clock.set(T0);
    const healthy = await healthyMembers();
    const clean = await s.app.reconcile.run({ fix: false, trigger: "cli", chunkSize: 3 });
    expect(clean.found, JSON.stringify(clean.findings)).toBe(0);
    expect(clean.membersScanned).toBeGreaterThanOrEqual(healthy.length);

    const lostPayment = await newMember("d-paid");
    await buy(lostPayment);
    const lostOrder = await corrupt.paidWithoutMembership(s.database.db, lostPayment);
    const lostApply = await newMember("d-event");
    const pendingOrder = await s.createOrder(lostApply, "vip_month");
    await corrupt.paymentEventNotApplied(s.database.db, pendingOrder.orderId);
    const noGrants = await newMember("d-nogrants");
    await buy(noGrants);
    await corrupt.membershipWithoutGrants(s.database.db, noGrants);
    const missing = await newMember("d-missing");
    await buy(missing);
    await corrupt.grantMissing(s.database.db, missing, "ad_free");
    const afterRefund = await newMember("d-refund");
    const refundOrder = await buy(afterRefund);
    await s.refund(refundOrder.orderId, refundOrder.amount.amount);
    await corrupt.grantAfterRefund(s.database.db, afterRefund);
    const notBumped = await newMember("d-version");
    await buy(notBumped);
    await corrupt.versionNotBumped(s.database.db, notBumped, "ad_free");
    for (const id of [lostPayment, lostApply, noGrants, missing, afterRefund, notBumped])
      s.app.cache.invalidate(id);

    const dry = await s.app.reconcile.run({ fix: false, trigger: "cli", chunkSize: 4 });
    expect(pairs(dry)).toEqual(
      [
        `paid_without_membership ${lostPayment}`,
        `payment_event_not_applied ${lostApply}`,
        `membership_without_grants ${noGrants}`,
        `grant_missing ${missing}`,
        `grant_after_refund ${afterRefund}`,
        `version_not_bumped ${notBumped}`,
      ].sort(),
    );
    expect(dry).toMatchObject({ status: "finished", fix: false, found: 6, repaired: 0, remaining: 6 });
    expect(dry.findings.find((f) => f.kind === "grant_missing")).toMatchObject({ ids: ["ad_free"] });
    expect(dry.findings.find((f) => f.kind === "paid_without_membership")).toMatchObject({
      orderId: lostOrder,
    });
    for (const kind of dry.kinds) expect(kind.found, kind.kind).toBe(1);
    // A dry run changes nothing: the injected drift is still there, and still denied.
    expect(codes(await s.check(missing, "ad_free"))).toContain("STATE_INCONSISTENT");

    const fixed = await s.request("POST", "/v1/reconcile", { body: { fix: true } });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({
      trigger: "http",
      fix: true,
      found: 6,
      repaired: 6,
      remaining: 0,
      error: null,
    });
    expect(pairs(fixed.body)).toEqual(pairs(dry));

    const again = await s.request("POST", "/v1/reconcile", { body: {} });
    expect(again.body).toMatchObject({ fix: false, found: 0, remaining: 0 });

    // Every repair is on the member's timeline, by the system, with what it repaired.
    for (const [memberId, drift] of [
      [lostPayment, "paid_without_membership"],
      [lostApply, "payment_event_not_applied"],
      [noGrants, "membership_without_grants"],
      [missing, "grant_missing"],
      [afterRefund, "grant_after_refund"],
      [notBumped, "version_not_bumped"],
    ] as const) {
      const repaired = (await timelineKinds(memberId)).filter((e) => e.kind === "reconcile.repaired");
      expect(repaired, memberId).toEqual([
        expect.objectContaining({ source: "system", data: expect.objectContaining({ drift }) }),
      ]);
    }
    for (const id of healthy) {
      expect((await timelineKinds(id)).map((e) => e.kind)).not.toContain("reconcile.repaired");
    }

    // And the repaired members' decisions are right.
    for (const id of [lostPayment, lostApply, noGrants, missing, notBumped]) {
      expect(codes(await s.check(id, "ad_free")), id).toEqual(["GRANTED"]);
    }
    expect(codes(await s.check(afterRefund, "ad_free"))).toEqual(["MEMBERSHIP_REVOKED"]);
    const member = (await s.request("GET", `/v1/members/${lostApply}`)).body;
    expect(member.orders[0]).toMatchObject({ status: "paid" });
    expect(member.memberships).toHaveLength(1);
    // The lost membership is sold again once, not twice.
    expect((await s.request("GET", `/v1/members/${lostPayment}`)).body.memberships).toHaveLength(1);

    const runs = await s.request("GET", "/v1/reconcile/runs");
    expect(runs.status).toBe(200);
    expect(
      runs.body.runs.slice(0, 4).map((r: { trigger: string; fix: boolean }) => `${r.trigger}:${r.fix}`),
    ).toEqual(["http:false", "http:true", "cli:false", "cli:false"]);
  });

  it("a check that meets drift answers STATE_INCONSISTENT and starts the repair", async () => {
    s.clock.set(T0);
    const memberId = await newMember("d-check");
    await buy(memberId);
    expect(codes(await s.check(memberId, "ad_free"))).toEqual(["GRANTED"]);
    await corrupt.grantMissing(s.database.db, memberId, "ad_free");
    s.app.cache.invalidate(memberId);

    const denied = await s.check(memberId, "ad_free");
    expect(denied.allowed).toBe(false);
    expect(denied.reasons[0]).toMatchObject({
      code: "STATE_INCONSISTENT",
      details: { problem: "grant_missing" },
    });
    // The repair job is scheduled without the check waiting for it.
    await expect
      .poll(async () => {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from jobs where kind = 'reconcile.member' and member_id = ${memberId}`.execute(
          s.database.db,
        );
        return rows[0].n;
      })
      .toBe(1);
    // More checks in the same minute do not schedule more.
    await s.check(memberId, "ad_free");
    await s.request("POST", "/v1/check/batch", { body: { checks: [{ memberId, benefit: "ad_free" }] } });

    const summary = await s.app.scheduler.runDue();
    expect(summary.failed).toBe(0);
    expect(codes(await s.check(memberId, "ad_free"))).toEqual(["GRANTED"]);
    const repaired = (await timelineKinds(memberId)).filter((e) => e.kind === "reconcile.repaired");
    expect(repaired).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ drift: "grant_missing", benefits: ["ad_free"] }),
      }),
    ]);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from jobs where kind = 'reconcile.member' and member_id = ${memberId}`.execute(
      s.database.db,
    );
    expect(rows[0].n).toBe(1);
  });

  it("the nightly job finds drift, repairs each member in a job of its own, and schedules the next night", async () => {
    s.clock.set(T0);
    const memberId = await newMember("d-nightly");
    await buy(memberId);
    await corrupt.membershipWithoutGrants(s.database.db, memberId);
    s.app.cache.invalidate(memberId);
    const job = nightlyReconcileJob(T0);
    expect(job.runAt.toISOString()).toBe("2026-11-24T03:00:00.000Z");
    await s.app.data.jobs.schedule([job]);
    s.clock.set(job.runAt.getTime());
    expect((await s.app.scheduler.runDue()).failed).toBe(0);

    expect(codes(await s.check(memberId, "ad_free"))).toEqual(["GRANTED"]);
    const runs = (await s.request("GET", "/v1/reconcile/runs")).body.runs;
    expect(runs[0]).toMatchObject({ trigger: "job", found: 1 });
    const { rows } = await sql<{ key: string }>`
      select key from jobs where kind = 'reconcile.run' and status = 'pending'`.execute(s.database.db);
    expect(rows.map((r) => r.key)).toEqual(["reconcile.run:2026-11-25T03:00:00.000Z"]);
    expect((await s.app.reconcile.run({ fix: false, trigger: "cli" })).found).toBe(0);
  });

  it("expiries and grace periods run by the jobs never count as drift", async () => {
    s.clock.set(T0);
    const memberId = await newMember("ok-lifecycle");
    await buy(memberId);
    const usage = await s.request("POST", `/v1/members/${memberId}/benefits/cloud_storage/usage`, {
      body: { amount: 1, idempotencyKey: "reconcile-lifecycle" },
    });
    expect(usage.status).toBe(200);
    // Past the expiry, through the grace period, to its end: every member's lifecycle jobs run.
    for (const days of [2, 31, 40]) {
      s.clock.set(T0 + days * 24 * HOUR);
      expect((await s.app.scheduler.runDue()).failed).toBe(0);
    }
    expect(codes(await s.check(memberId, "ad_free"))).toEqual(["MEMBERSHIP_EXPIRED"]);
    const run = await s.app.reconcile.run({ fix: false, trigger: "cli" });
    expect(run.found, JSON.stringify(run.findings)).toBe(0);
  });
});
