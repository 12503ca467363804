import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { T0, TestServer } from "../e2e-harness.js";
import { runSchedulerProcess } from "../support/run-scheduler-process.js";
import { TEST_ENGINES } from "../test-database.js";

const DAY = 24 * 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const utc = (s: string) => Date.parse(s);

/** Renewal, grace, expiry, upgrade, downgrade and refund, end to end with a moved clock. */
describe.each(TEST_ENGINES)("membership lifecycle on $name", (engine) => {
  let s: TestServer;
  let seq = 0;

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  /** A member in UTC (dates in assertions are then plain), at T0. */
  async function newMember() {
    s.clock.set(T0);
    const memberId = `life-${engine.name}-${++seq}`;
    await s.createMember(memberId, { locale: "en", timezone: "UTC" });
    return memberId;
  }
  async function buy(memberId: string, plan: string) {
    const order = await s.createOrder(memberId, plan);
    const res = await s.pay(order.orderId, order.amount.amount);
    expect(res.status).toBe(200);
    return order.orderId;
  }
  const kinds = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries.map(
      (e: { kind: string }) => e.kind,
    );
  const member = async (memberId: string) => (await s.request("GET", `/v1/members/${memberId}`)).body;
  const entitlements = async (memberId: string) =>
    (await s.request("GET", `/v1/members/${memberId}/entitlements`)).body;
  const outbox = async (memberId: string, type: string) => {
    const { rows } = await sql<{ payload: Record<string, unknown> }>`
      select payload from outbox where member_id = ${memberId} and type = ${type} order by id`.execute(
      s.database.db,
    );
    return rows.map((r) => r.payload);
  };
  const runJobsAt = async (at: number) => {
    s.clock.set(at);
    return s.app.scheduler.runDue();
  };

  it("renewal extends from the expiry; a reminder 3 days before; grace keeps benefits on; then expired", async () => {
    const memberId = await newMember();
    await buy(memberId, "vip_month");
    s.clock.set(T0 + 5 * DAY);
    await buy(memberId, "vip_month");
    // Paid twice: one membership, extended from its expiry (24 Dec → 24 Jan), a week of grace after.
    const expiresAt = utc("2027-01-24T02:00:00Z");
    const graceEndsAt = utc("2027-01-31T02:00:00Z");
    const [ms] = (await member(memberId)).memberships;
    expect(ms).toMatchObject({ status: "active", expiresAt: iso(expiresAt), graceEndsAt: iso(graceEndsAt) });

    // The first period's jobs (its expiry on 24 Dec) no longer apply: nothing happens then.
    await runJobsAt(utc("2026-12-25T00:00:00Z"));
    expect((await s.check(memberId, "ad_free")).reasons.map((r: { code: string }) => r.code)).toEqual([
      "GRANTED",
    ]);

    await runJobsAt(expiresAt - 3 * DAY);
    const reminders = await outbox(memberId, "membership.expiring");
    expect(reminders).toEqual([
      {
        memberId,
        membershipId: ms.id,
        tier: "vip",
        expiresAt: iso(expiresAt),
        graceEndsAt: iso(graceEndsAt),
      },
    ]);

    const before = (await entitlements(memberId)).entitlementsVersion;
    await runJobsAt(expiresAt);
    const inGrace = await s.check(memberId, "ad_free");
    expect(inGrace.allowed).toBe(true);
    expect(inGrace.reasons[1]).toMatchObject({
      code: "MEMBERSHIP_IN_GRACE",
      details: { expiredAt: iso(expiresAt), graceEndsAt: iso(graceEndsAt) },
      remedy: { action: "pay" },
    });
    // Entering grace bumped the version, so clients holding the old one learn of it.
    const graced = await entitlements(memberId);
    expect(graced.entitlementsVersion).toBe(before + 1);
    expect(graced.memberships[0].status).toBe("in_grace");

    await runJobsAt(graceEndsAt);
    const expired = await s.check(memberId, "ad_free");
    expect(expired.allowed).toBe(false);
    expect(expired.reasons[0]).toMatchObject({
      code: "MEMBERSHIP_EXPIRED",
      details: { expiredAt: iso(expiresAt), graceEndedAt: iso(graceEndsAt), tier: "vip" },
    });
    const after = await member(memberId);
    expect(after.memberships[0]).toMatchObject({ status: "expired", endedAt: iso(graceEndsAt) });
    expect(after.grants.every((g: { status: string; endReason: string }) => g.status === "ended")).toBe(true);
    expect(after.grants[0].endReason).toBe("expired");

    const history = await kinds(memberId);
    expect(history.filter((k: string) => k.startsWith("membership."))).toEqual([
      "membership.activated",
      "membership.extended",
      "membership.expiry_reminder",
      "membership.grace_started",
      "membership.expired",
    ]);
    // Running the scheduler again changes nothing.
    await runJobsAt(graceEndsAt + DAY);
    expect(await kinds(memberId)).toEqual(history);
  });

  it("upgrade takes effect at once with the old term's unused value as extra time; refunding it restores the old tier", async () => {
    const memberId = await newMember();
    await buy(memberId, "vip_month"); // 24 Nov → 24 Dec, 30 days, ¥15.00
    s.clock.set(T0 + 10 * DAY);
    expect((await s.check(memberId, "cloud_storage_plus")).reasons[0].code).toBe("TIER_NOT_ELIGIBLE");
    const upgradeOrder = await buy(memberId, "svip_month");

    // Credit: 20 of 30 days unused → floor(1500 × 20/30) = 1000 fen. svip costs 3000 for 4 Dec → 4 Jan
    // (31 days), so the credit buys floor(1000 × 31 days / 3000) = 10 days 8 hours.
    const creditMs = Math.floor((1000 * 31 * DAY) / 3000);
    expect(creditMs).toBe(10 * DAY + 8 * 3600 * 1000);
    const svipEnds = utc("2027-01-04T02:00:00Z") + creditMs;
    const after = await member(memberId);
    const vip = after.memberships.find((m: { tier: string }) => m.tier === "vip");
    const svip = after.memberships.find((m: { tier: string }) => m.tier === "svip");
    expect(vip).toMatchObject({ status: "upgraded", endedAt: iso(T0 + 10 * DAY) });
    expect(svip).toMatchObject({ status: "active", startsAt: iso(T0 + 10 * DAY), expiresAt: iso(svipEnds) });
    expect(after.orders.find((o: { orderId: string }) => o.orderId === upgradeOrder).upgrade).toEqual({
      fromMembershipIds: [vip.id],
      fromTier: "vip",
      creditAmount: 1000,
      currency: "CNY",
      creditMs,
    });
    // The new tier's grants are there in the same transaction: the next check is allowed.
    const plus = await s.check(memberId, "cloud_storage_plus");
    expect(plus.allowed).toBe(true);
    expect((await s.check(memberId, "ad_free")).grant).toMatchObject({ tier: "svip" });
    const vipGrants = after.grants.filter((g: { membershipId: string }) => g.membershipId === vip.id);
    expect(vipGrants.every((g: { endReason: string }) => g.endReason === "upgraded")).toBe(true);
    const upgraded = (await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries.find(
      (e: { kind: string }) => e.kind === "membership.upgraded",
    );
    expect(upgraded.data).toMatchObject({ tier: "svip", fromTier: "vip", creditAmount: 1000, creditMs });

    // The vip term's own expiry job finds it upgraded and does nothing.
    await runJobsAt(utc("2026-12-24T02:00:00Z"));
    expect((await s.check(memberId, "cloud_storage_plus")).allowed).toBe(true);

    // Refunding the upgrade: svip revoked, and vip is back for the rest of its term (its credit went unused).
    s.clock.set(T0 + 11 * DAY);
    const refunded = await s.refund(upgradeOrder, 3000);
    expect(refunded.status).toBe(200);
    const plusAfter = await s.check(memberId, "cloud_storage_plus");
    expect(plusAfter.reasons.map((r: { code: string }) => r.code)).toContain("MEMBERSHIP_REVOKED");
    const back = await s.check(memberId, "ad_free");
    expect(back.allowed).toBe(true);
    expect(back.grant).toMatchObject({ tier: "vip", expiresAt: "2026-12-24T02:00:00.000Z" });
    expect((await member(memberId)).memberships.find((m: { id: string }) => m.id === vip.id).status).toBe(
      "active",
    );
    expect(await kinds(memberId)).toContain("membership.reinstated");
  });

  it("downgrade waits for the end of the term: the snapshot shows it with its date, and it happens then", async () => {
    const memberId = await newMember();
    await buy(memberId, "svip_month"); // to 24 Dec
    s.clock.set(T0 + DAY);
    await buy(memberId, "vip_month");
    const svipEnds = utc("2026-12-24T02:00:00Z");
    const snapshot = await entitlements(memberId);
    expect(snapshot.scheduledChanges).toEqual([
      {
        kind: "downgrade",
        fromTier: "svip",
        toTier: "vip",
        at: iso(svipEnds),
        membershipId: expect.any(String),
      },
    ]);
    // The higher tier stays until then, without a grace period: the member paid for what follows.
    expect(snapshot.memberships.map((m: { tier: string; status: string }) => [m.tier, m.status])).toEqual([
      ["svip", "active"],
      ["vip", "scheduled"],
    ]);
    expect(snapshot.memberships[0].graceEndsAt).toBeNull();
    expect((await s.check(memberId, "cloud_storage_plus")).allowed).toBe(true);
    const vip = snapshot.memberships[1];
    expect(vip).toMatchObject({ startsAt: iso(svipEnds), expiresAt: "2027-01-24T02:00:00.000Z" });

    await runJobsAt(svipEnds);
    const plus = await s.check(memberId, "cloud_storage_plus");
    expect(plus.reasons[0]).toMatchObject({ code: "TIER_NOT_ELIGIBLE", details: { tier: "vip" } });
    expect((await s.check(memberId, "ad_free")).grant).toMatchObject({ tier: "vip" });
    const after = await entitlements(memberId);
    expect(after.scheduledChanges).toEqual([]);
    expect(after.memberships.map((m: { status: string }) => m.status)).toEqual(["expired", "active"]);
    expect(await kinds(memberId)).toEqual(
      expect.arrayContaining([
        "membership.downgrade_scheduled",
        "membership.downgraded",
        "membership.expired",
      ]),
    );
  });

  it("a lower tier bought while the higher one is only in its grace period starts at once", async () => {
    const memberId = await newMember();
    await buy(memberId, "svip_month"); // to 24 Dec, grace to 31 Dec
    s.clock.set(utc("2026-12-25T02:00:00Z"));
    await buy(memberId, "vip_month");
    const snapshot = await entitlements(memberId);
    expect(snapshot.scheduledChanges).toEqual([]);
    const vip = snapshot.memberships.find((m: { tier: string }) => m.tier === "vip");
    expect(vip).toMatchObject({ status: "active", startsAt: "2026-12-25T02:00:00.000Z" });
  });

  it("renewing the higher tier moves a scheduled downgrade with it", async () => {
    const memberId = await newMember();
    await buy(memberId, "svip_month"); // to 24 Dec
    await buy(memberId, "vip_month"); // vip from 24 Dec
    await buy(memberId, "svip_month"); // svip to 24 Jan: vip now from 24 Jan
    const snapshot = await entitlements(memberId);
    expect(snapshot.scheduledChanges).toMatchObject([
      { fromTier: "svip", toTier: "vip", at: "2027-01-24T02:00:00.000Z" },
    ]);
    await runJobsAt(utc("2026-12-24T02:00:00Z"));
    expect((await s.check(memberId, "cloud_storage_plus")).allowed).toBe(true);
    await runJobsAt(utc("2027-01-24T02:00:00Z"));
    expect((await s.check(memberId, "cloud_storage_plus")).allowed).toBe(false);
    expect((await s.check(memberId, "ad_free")).grant).toMatchObject({ tier: "vip" });
  });

  it("a grant that takes effect later bumps the version when it does, so clients learn of it", async () => {
    s.clock.set(T0);
    const memberId = `life-${engine.name}-${++seq}`;
    await s.createMember(memberId, { locale: "en" }); // Asia/Shanghai: next day starts at 16:00Z
    await buy(memberId, "vip_month");
    const before = (await entitlements(memberId)).entitlementsVersion;
    expect((await s.check(memberId, "member_discount")).reasons[0].code).toBe("NOT_YET_EFFECTIVE");
    await runJobsAt(utc("2026-11-24T16:00:00Z"));
    expect((await entitlements(memberId)).entitlementsVersion).toBe(before + 1);
    expect((await s.check(memberId, "member_discount", { product: { category: "books" } })).allowed).toBe(
      true,
    );
    const [changed] = (await outbox(memberId, "entitlements.changed")).slice(-1);
    expect(changed).toMatchObject({ memberId, cause: "grants.effective", entitlementsVersion: before + 1 });
    const entry = (await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries.find(
      (e: { kind: string }) => e.kind === "grants.effective",
    );
    expect(entry).toMatchObject({ source: "system", data: { benefits: ["member_discount"] } });
  });
});

describe.runIf(TEST_ENGINES.some((e) => e.name === "postgres"))(
  "two Perkwise processes on one PostgreSQL running the lifecycle jobs",
  () => {
    const engine = TEST_ENGINES.find((e) => e.name === "postgres")!;
    let s: TestServer;
    beforeAll(async () => {
      s = await TestServer.start(engine);
      await s.putCatalog(DEMO_CATALOG);
    });
    afterAll(() => s.stop());

    const schedulerProcess = (worker: string, now: number) =>
      runSchedulerProcess(s.database.schema, worker, now);

    it("each member's grant activation, reminder and grace start happen once", async () => {
      const members = Array.from({ length: 40 }, (_, i) => `twin-${i}`);
      for (const memberId of members) {
        await s.createMember(memberId, { locale: "en" });
        const order = await s.createOrder(memberId, "vip_month");
        await s.pay(order.orderId, order.amount.amount);
      }
      // Two more Perkwise processes, each with its own pool, run the scheduler at the same time.
      const at = utc("2026-12-24T02:00:00Z");
      s.clock.set(at);
      const [a, b] = await Promise.all(["proc-a", "proc-b"].map((worker) => schedulerProcess(worker, at)));
      // Per member: grants taking effect (next day), the reminder and the grace start — 3 jobs, each once.
      expect(a.done + b.done).toBeGreaterThanOrEqual(3 * members.length);
      expect(a.lost + b.lost + a.failed + b.failed).toBe(0);
      const { rows } = await sql<{ member_id: string; kind: string; n: number }>`
        select member_id, kind, count(*)::int as n from timeline
        where member_id like 'twin-%' and kind in ('grants.effective', 'membership.expiry_reminder', 'membership.grace_started')
        group by member_id, kind`.execute(s.database.db);
      expect(rows).toHaveLength(3 * members.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      const { rows: reminders } = await sql<{ n: number }>`
        select count(*)::int as n from outbox where type = 'membership.expiring' and member_id like 'twin-%'`.execute(
        s.database.db,
      );
      expect(reminders[0].n).toBe(members.length);
    });
  },
);
