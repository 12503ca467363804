import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { eventually } from "../support/eventually.js";
import { TEST_ENGINES } from "../test-database.js";

/** DEMO_CATALOG without ad_free in the vip tier: a change node B must learn of. */
const WITHOUT_VIP_AD_FREE = {
  ...DEMO_CATALOG,
  tiers: DEMO_CATALOG.tiers.map((t) =>
    t.code === "vip" ? { ...t, benefits: t.benefits.filter((b) => b !== "ad_free") } : t,
  ),
};

describe.each(TEST_ENGINES)("two nodes on one $name database", (engine) => {
  let a: TestServer;
  let b: TestServer;
  let seq = 0;

  /** A member with a pending vip_month order, whose PAYMENT_PENDING denial node B has cached. */
  const pendingMemberCachedOnB = async () => {
    const memberId = `cl-${++seq}`;
    await a.createMember(memberId, { locale: "en" });
    const order = await a.createOrder(memberId, "vip_month");
    // A load that an invalidation overtakes (a message of an earlier test still arriving) is not
    // cached, by design: ask again until B holds it.
    await eventually("B caches the member's PAYMENT_PENDING", async () => {
      expect((await b.check(memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
      return b.app.cache.peek(memberId) !== undefined;
    });
    return { memberId, orderId: order.orderId, amount: order.amount.amount };
  };

  beforeAll(async () => {
    a = await TestServer.start(engine);
    // Slow first retry, so a test can write while B is surely disconnected.
    b = await TestServer.startOn(a.database, a.clock, {
      ownsDatabase: false,
      clusterRetry: { firstMs: 400, maxMs: 400 },
      onClusterError: () => {},
    });
    await a.putCatalog(DEMO_CATALOG);
    await eventually(
      "B has catalog 1",
      async () => (await b.request("GET", "/v1/catalog")).body.version === 1,
    );
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  it("a payment on A: a check on B is allowed as soon as the commit's message arrives", async () => {
    const { memberId, orderId, amount } = await pendingMemberCachedOnB();
    expect((await a.pay(orderId, amount)).body.outcome).toBe("applied");
    await eventually("B allows ad_free", async () => (await b.check(memberId, "ad_free")).allowed);
    // B learnt it from the message, not from a reload of everything.
    expect(b.app.cluster.resyncCount).toBe(1);
    const onA = await a.check(memberId, "ad_free");
    const onB = await b.check(memberId, "ad_free");
    expect(onB.entitlementsVersion).toBe(onA.entitlementsVersion);
  });

  it("a write that rolls back sends nothing: B keeps its cached snapshot", async () => {
    const { memberId } = await pendingMemberCachedOnB();
    const cached = b.app.cache.peek(memberId);
    const failing = a.app.writes.run(async (scope) => {
      scope.touch(memberId);
      await scope.entitlementsChanged(memberId, "test", {}, { source: "system", entries: [] });
      throw new Error("rolled back on purpose");
    });
    await expect(failing).rejects.toThrow("rolled back on purpose");
    const probe = `cl-probe-${seq}`;
    await a.createMember(probe); // a later write whose message arrives after any earlier one
    await eventually("B heard the later write", () => b.app.cache.peek(probe) === undefined);
    expect(b.app.cache.peek(memberId)).toBe(cached);
  });

  it("one write touching many members splits its message; B drops every one of them", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `cl-many-${String(i).padStart(40, "x")}`);
    await Promise.all(ids.map((id) => b.app.cache.get(id)));
    expect(ids.every((id) => b.app.cache.peek(id))).toBe(true);
    // ~13 KB of ids: more than one NOTIFY payload may carry.
    await a.app.writes.run(async (scope) => {
      for (const id of ids) scope.touch(id);
    });
    await eventually("B dropped all 300", () => ids.every((id) => b.app.cache.peek(id) === undefined));
  });

  it("a catalog change on A switches B's catalog and its decisions", async () => {
    const memberId = `cl-cat-${++seq}`;
    await a.createMember(memberId);
    const order = await a.createOrder(memberId, "vip_month");
    await a.pay(order.orderId, order.amount.amount);
    await eventually("B allows", async () => (await b.check(memberId, "ad_free")).allowed);
    const { version } = await a.putCatalog(WITHOUT_VIP_AD_FREE);
    await eventually(
      "B serves the new version",
      async () => (await b.request("GET", "/v1/catalog")).body.version === version,
    );
    const decision = await b.check(memberId, "ad_free");
    expect(decision.allowed).toBe(false);
    expect(decision.reasons[0].code).toBe("BENEFIT_WITHDRAWN");
    await a.putCatalog(DEMO_CATALOG);
    await eventually("B allows again", async () => (await b.check(memberId, "ad_free")).allowed);
  });

  it.skipIf(engine.name !== "postgres")(
    "B's LISTEN connection is terminated while A writes: B caches nothing meanwhile, resyncs on reconnect, answers right",
    async () => {
      const { memberId, orderId, amount } = await pendingMemberCachedOnB();
      const other = await pendingMemberCachedOnB();
      const resyncs = b.app.cluster.resyncCount;
      const pid = b.app.cluster.backendPid();
      expect(pid).toBeTypeOf("number");
      const { rows } = await sql<{ ok: boolean }>`select pg_terminate_backend(${pid}::int) as ok`.execute(
        a.database.db,
      );
      expect(rows[0].ok).toBe(true);
      await eventually("B noticed", () => !b.app.cluster.connected);
      // The message of this payment is lost for B: it is not listening.
      expect((await a.pay(orderId, amount)).body.outcome).toBe("applied");
      expect(b.app.cache.suspended).toBe(true);
      expect((await b.check(memberId, "ad_free")).allowed).toBe(true);
      expect(b.app.cache.peek(memberId)).toBeUndefined();

      await eventually("B reconnected", () => b.app.cluster.connected, 5_000);
      await b.app.cluster.settled();
      expect(b.app.cluster.resyncCount).toBe(resyncs + 1);
      expect(b.app.cluster.backendPid()).not.toBe(pid);
      expect(b.app.cache.suspended).toBe(false);
      expect((await b.check(memberId, "ad_free")).allowed).toBe(true);
      // Caching and messages work again after the reconnect.
      expect((await b.check(other.memberId, "ad_free")).reasons[0].code).toBe("PAYMENT_PENDING");
      expect(b.app.cache.peek(other.memberId)).toBeDefined();
      await a.pay(other.orderId, other.amount);
      await eventually(
        "B allows the other member",
        async () => (await b.check(other.memberId, "ad_free")).allowed,
      );
    },
  );
});
