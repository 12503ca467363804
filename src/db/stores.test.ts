import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-database.js";
import { systemClock } from "../clock.js";
import { DEMO_CATALOG } from "../demo/demo-catalog.js";
import type { DatabaseHandle } from "./database.js";
import { createDataAccess, type DataAccess } from "./stores.js";

const T = Date.parse("2026-11-24T02:00:00Z");
const at = (offsetDays: number) => new Date(T + offsetDays * 24 * 3600 * 1000);

/** The store contract: the same behaviour on every engine the stores run on. */
describe.each(TEST_ENGINES)("store contract on $name", (engine) => {
  let handle: DatabaseHandle;
  let data: DataAccess;
  beforeAll(async () => {
    handle = await engine.open();
    data = createDataAccess(handle.db, systemClock);
  });
  afterAll(() => handle.close());

  it("members: upsert creates then updates only given fields (the service moves the version)", async () => {
    const created = await data.members.upsert(
      { id: "s-m1", displayName: "A", locale: "en" },
      "Asia/Shanghai",
    );
    expect(created.created).toBe(true);
    expect(created.member).toMatchObject({
      id: "s-m1",
      displayName: "A",
      locale: "en",
      timezone: "Asia/Shanghai",
      entitlementsVersion: 1,
    });
    const updated = await data.members.upsert({ id: "s-m1", timezone: "Europe/Paris" }, "Asia/Shanghai");
    expect(updated.created).toBe(false);
    expect(updated.member).toMatchObject({
      displayName: "A",
      locale: "en",
      timezone: "Europe/Paris",
      entitlementsVersion: 1,
    });
    expect(await data.members.bumpWithEvent("s-m1", "entitlements.changed", { cause: "test" })).toBe(2);
    const [event] = await data.outbox.listForMember("s-m1");
    expect(event).toMatchObject({
      type: "entitlements.changed",
      payload: { cause: "test", entitlementsVersion: 2 },
    });
    await expect(data.members.bumpWithEvent("nobody", "x", {})).rejects.toThrow("does not exist");
    // The change's timeline entries go in the same statement, in the order given.
    const entry = (kind: string) => ({ at: at(0), kind, source: "service" as const, data: { kind } });
    expect(
      await data.members.bumpWithEvent("s-m1", "entitlements.changed", {}, [entry("a"), entry("b")]),
    ).toBe(3);
    await data.timeline.append("s-m1", [entry("c")]);
    expect((await data.timeline.listForMember("s-m1")).map((e) => e.kind)).toEqual(["a", "b", "c"]);
    await data.members.bumpAllEntitlementsVersions();
    expect((await data.members.get("s-m1"))?.entitlementsVersion).toBe(4);
    expect(await data.members.get("nobody")).toBeNull();
  });

  it("transactions commit all or nothing", async () => {
    await expect(
      data.transaction(async (stores) => {
        await stores.members.upsert({ id: "s-rollback" }, "UTC");
        throw new Error("crash mid-write");
      }),
    ).rejects.toThrow("crash mid-write");
    expect(await data.members.get("s-rollback")).toBeNull();
  });

  it("orders, memberships and grants round-trip, with idempotent grant materialization", async () => {
    await data.members.upsert({ id: "s-m2" }, "UTC");
    const order = await data.orders.insert({
      id: "s-o1",
      memberId: "s-m2",
      plan: "vip_month",
      tier: "vip",
      amount: 1500,
      currency: "CNY",
      channel: "official_app",
      catalogVersion: 1,
      createdAt: at(0),
    });
    expect(order).toMatchObject({ status: "pending_payment", membershipId: null, paidAt: null });
    const membership = {
      id: "s-ms1",
      memberId: "s-m2",
      tier: "vip",
      startsAt: at(0),
      expiresAt: at(30),
      graceEndsAt: at(33),
      sourceOrderId: "s-o1",
    };
    const grant = (benefit: string, id: string) => ({
      id,
      memberId: "s-m2",
      membershipId: "s-ms1",
      benefit,
      tier: "vip",
      effectiveFrom: at(0),
      expiresAt: at(60),
      catalogVersion: 1,
    });
    // The membership and its first grant in one statement: the grant's foreign key sees it.
    const expiry = { kind: "membership.expire", key: "s-ms1:end", memberId: "s-m2", runAt: at(33) };
    await data.memberships.insertWithGrants(membership, [grant("ad_free", "s-g1")], [expiry]);
    const [job] = (await data.jobs.list({ statuses: ["pending"], limit: 100 })).filter(
      (j) => j.key === "s-ms1:end",
    );
    expect(job).toMatchObject({ kind: "membership.expire", memberId: "s-m2", runAt: at(33), attempts: 0 });
    await data.orders.markPaid("s-o1", {
      membershipId: "s-ms1",
      periodStart: at(0),
      periodEnd: at(30),
      paidAt: at(0),
      providerRef: "p1",
    });
    const lockedOrder = await data.transaction((stores) => stores.orders.lockWithMember("s-o1"));
    expect(lockedOrder?.order).toMatchObject({ id: "s-o1", memberId: "s-m2", status: "paid" });
    expect(lockedOrder?.member).toMatchObject({ id: "s-m2", timezone: "UTC", entitlementsVersion: 1 });
    expect(await data.orders.lockWithMember("no-such-order")).toBeNull();
    const paid = await data.orders.get("s-o1");
    expect(paid).toMatchObject({ status: "paid", membershipId: "s-ms1", providerRef: "p1" });
    expect(paid?.periodEnd?.getTime()).toBe(at(30).getTime());
    expect((await data.orders.paidForMembership("s-ms1")).map((o) => o.id)).toEqual(["s-o1"]);

    const activeIds = async (day: number) =>
      (await data.memberships.listActive("s-m2", at(day))).map((m) => m.id);
    expect(await activeIds(1)).toEqual(["s-ms1"]);
    // Expired on day 30, but within its grace period until day 33.
    expect(await activeIds(31)).toEqual(["s-ms1"]);
    expect(await activeIds(33)).toEqual([]);
    await data.memberships.setExpiry("s-ms1", at(60), null);
    expect(await data.memberships.get("s-ms1")).toMatchObject({ expiresAt: at(60), graceEndsAt: null });
    await data.memberships.shift("s-ms1", 24 * 3600 * 1000);
    expect(await data.memberships.get("s-ms1")).toMatchObject({ startsAt: at(1), expiresAt: at(61) });
    await data.memberships.shift("s-ms1", -24 * 3600 * 1000);
    await data.memberships.end("s-ms1", "upgraded", at(2));
    expect(await data.memberships.get("s-ms1")).toMatchObject({ status: "upgraded", endedAt: at(2) });
    expect(await activeIds(3)).toEqual([]);
    await data.memberships.reinstate("s-ms1");
    expect(await data.memberships.get("s-ms1")).toMatchObject({ status: "active", endedAt: null });

    expect(await data.grants.insertMissing([grant("ad_free", "s-g1b"), grant("vip_zone", "s-g2")])).toBe(1);
    expect(await data.grants.insertMissing([grant("ad_free", "s-g3"), grant("monthly_gift", "s-g4")])).toBe(
      1,
    );
    await data.grants.setClaimed("s-g4", at(1));
    await data.grants.setToggle("s-g2", true);
    await data.grants.setMembershipExpiry("s-ms1", at(90));
    const grants = await data.grants.listForMember("s-m2");
    expect(grants.map((g) => g.benefit).sort()).toEqual(["ad_free", "monthly_gift", "vip_zone"]);
    expect(grants.every((g) => g.expiresAt.getTime() === at(90).getTime())).toBe(true);
    expect(grants.find((g) => g.id === "s-g4")?.claimedAt?.getTime()).toBe(at(1).getTime());
    expect(grants.find((g) => g.id === "s-g2")?.toggledOn).toBe(true);
    const locked = await data.transaction((stores) => stores.grants.lockActive("s-m2", "ad_free"));
    expect(locked.map((g) => g.id)).toEqual(["s-g1"]);

    const snapshot = await data.snapshots.load("s-m2");
    expect(snapshot).toMatchObject({
      memberId: "s-m2",
      exists: true,
      timezone: "UTC",
      entitlementsVersion: 1,
    });
    expect(snapshot.memberships[0]).toMatchObject({
      id: "s-ms1",
      status: "active",
      expiresAt: at(60).getTime(),
    });
    expect(snapshot.grantsByBenefit.get("vip_zone")?.[0]).toMatchObject({
      toggledOn: true,
      expiresAt: at(90).getTime(),
    });

    await data.orders.markRefunded("s-o1", at(2));
    await data.memberships.revoke("s-ms1", at(2));
    expect(await data.grants.endForMembership("s-ms1", at(2), "refunded")).toBe(3);
    expect(await data.grants.endForMembership("s-ms1", at(2), "refunded")).toBe(0);
    const after = await data.snapshots.load("s-m2");
    expect(after.grants).toHaveLength(0);
    expect(after.memberships[0]).toMatchObject({ status: "revoked", revokedAt: at(2).getTime() });
    expect(after.pendingOrders).toHaveLength(0);
  });

  it("snapshots: an unknown member loads as not existing; pending orders are listed", async () => {
    expect(await data.snapshots.load("ghost")).toMatchObject({
      exists: false,
      entitlementsVersion: 0,
      grants: [],
    });
    await data.members.upsert({ id: "s-m3", locale: "fr" }, "UTC");
    await data.orders.insert({
      id: "s-o2",
      memberId: "s-m3",
      plan: "vip_month",
      tier: "vip",
      amount: 1,
      currency: "CNY",
      channel: "official_web",
      catalogVersion: 1,
      createdAt: at(0),
    });
    const snapshot = await data.snapshots.load("s-m3");
    expect(snapshot.locale).toBeNull(); // unsupported locales fall back to the request's
    expect(snapshot.pendingOrders).toEqual([
      { orderId: "s-o2", plan: "vip_month", tier: "vip", createdAt: at(0).getTime() },
    ]);
  });

  it("payment events are recorded once per webhook id", async () => {
    const event = {
      webhookId: "wh-1",
      orderId: "s-o2",
      type: "payment.succeeded",
      amount: 1,
      outcome: "applied" as const,
      payload: { a: 1 },
      receivedAt: at(0),
    };
    expect(await data.payments.insertIfNew(event)).toBe(true);
    expect(await data.payments.insertIfNew({ ...event, amount: 2 })).toBe(false);
    await data.payments.setOutcome("wh-1", "amount_mismatch");
    expect(await data.payments.get("wh-1")).toMatchObject({
      amount: 1,
      outcome: "amount_mismatch",
      payload: { a: 1 },
    });
    expect((await data.payments.listForOrder("s-o2")).map((e) => e.webhookId)).toEqual(["wh-1"]);
  });

  it("catalog versions are immutable and first-come", async () => {
    expect(await data.catalog.latest()).toBeNull();
    const record = {
      version: 1,
      document: DEMO_CATALOG,
      diff: { tiers: [], benefits: [] },
      notice: "hi",
      effectiveFrom: null,
      policy: "apply_now" as const,
      createdAt: at(0),
    };
    expect(await data.catalog.insert(record)).toBe(true);
    expect(await data.catalog.insert({ ...record, notice: "other" })).toBe(false);
    expect((await data.catalog.latest())?.document).toEqual(DEMO_CATALOG);
    expect((await data.catalog.get(1))?.notice).toBe("hi");
    expect(await data.catalog.list()).toEqual([
      { version: 1, notice: "hi", effectiveFrom: null, policy: "apply_now", createdAt: at(0) },
    ]);
  });

  it("outbox keeps events in order per member; settings keep the first value", async () => {
    await data.outbox.append({ memberId: "s-m1", type: "a", payload: { n: 1 } });
    await data.outbox.append({ memberId: "s-m1", type: "b", payload: { n: 2 } });
    const events = (await data.outbox.listForMember("s-m1")).slice(2);
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      ["a", { n: 1 }],
      ["b", { n: 2 }],
    ]);
    expect(events[0].id).toBeLessThan(events[1].id);
    expect(await data.auth.settingOnce("k", "first")).toBe("first");
    expect(await data.auth.settingOnce("k", "second")).toBe("first");
    const key = await data.auth.insertApiKey({
      id: "k1",
      name: "svc",
      role: "service",
      secretHash: "h",
      expiresAt: null,
    });
    expect(key).toMatchObject({ id: "k1", role: "service", revokedAt: null });
    expect((await data.auth.getApiKey("k1"))?.secretHash).toBe("h");
    expect((await data.auth.listApiKeys()).map((k) => k.id)).toEqual(["k1"]);
  });
});
