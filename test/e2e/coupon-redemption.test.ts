/**
 * Checkout redemption over HTTP: redeem (all or nothing, every problem listed), replay and conflicts
 * by orderRef, complete, release (also after a refund), per-member and total limits, concurrency, and
 * the same answer for a coupon that is someone else's as for one that does not exist.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { T0, TestServer } from "../e2e-harness.js";
import { COUPON_CATALOG, couponsOf, redeem, vipMember } from "../support/coupon-fixtures.js";
import { TEST_ENGINES } from "../test-database.js";

const DAY = 86_400_000;
const complete = (s: TestServer, orderRef: string) =>
  s.request("POST", "/v1/checkout/complete", { body: { orderRef } });
const release = (s: TestServer, orderRef: string) =>
  s.request("POST", "/v1/checkout/release", { body: { orderRef } });
const reasonsOf = (body: any) =>
  (body.error.details as { couponId: string; reasons: { code: string }[] }[]).map((d) => [
    d.couponId,
    d.reasons.map((r) => r.code),
  ]);

describe.each(TEST_ENGINES)("coupon redemption ($name)", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(COUPON_CATALOG);
  });
  afterAll(() => s.stop());
  const idOf = async (memberId: string, code: string, n = 0) =>
    (await couponsOf(s, memberId, code))[n].couponId;
  const usageOf = async (template: string) => {
    const { rows } = await sql<{
      used: number;
    }>`select used from coupon_usage where template = ${template}`.execute(s.database.db);
    return rows[0]?.used ?? 0;
  };

  it("redeems, replays, refuses a reused orderRef, completes and releases", async () => {
    s.clock.set(T0);
    await vipMember(s, "rd-alice");
    await vipMember(s, "rd-bob");
    const ship = await idOf("rd-alice", "ship_free");
    const any = await idOf("rd-alice", "any_9_off");
    const first = await redeem(s, "rd-alice", "rd-o1", [ship]);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({
      orderRef: "rd-o1",
      memberId: "rd-alice",
      status: "locked",
      coupons: [{ couponId: ship, code: "ship_free" }],
      replayed: false,
    });
    const again = await redeem(s, "rd-alice", "rd-o1", [ship]);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    for (const conflict of [
      await redeem(s, "rd-alice", "rd-o1", [any]),
      await redeem(s, "rd-alice", "rd-o1", [ship, any]),
      await redeem(s, "rd-bob", "rd-o1", [await idOf("rd-bob", "ship_free")]),
    ]) {
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.code).toBe("IDEMPOTENCY_CONFLICT");
    }
    expect((await couponsOf(s, "rd-alice", "ship_free"))[0]).toMatchObject({
      state: "locked",
      orderRef: "rd-o1",
    });
    expect(await usageOf("ship_free")).toBe(1);

    const done = await complete(s, "rd-o1");
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: "completed", completedAt: new Date(T0).toISOString() });
    expect((await complete(s, "rd-o1")).body).toEqual(done.body);
    expect((await couponsOf(s, "rd-alice", "ship_free"))[0].state).toBe("used");

    const released = await release(s, "rd-o1");
    expect(released.body).toMatchObject({ status: "released", releasedAt: new Date(T0).toISOString() });
    expect((await release(s, "rd-o1")).body).toEqual(released.body);
    expect((await couponsOf(s, "rd-alice", "ship_free"))[0]).toMatchObject({
      state: "available",
      orderRef: null,
    });
    expect(await usageOf("ship_free")).toBe(0);
    const refused = await complete(s, "rd-o1");
    expect([refused.status, refused.body.error.code]).toEqual([409, "CONFLICT"]);
    for (const res of [await complete(s, "rd-none"), await release(s, "rd-none")]) {
      expect([res.status, res.body.error.code]).toEqual([404, "REDEMPTION_NOT_FOUND"]);
    }
    // Released coupons can go to another order.
    expect((await redeem(s, "rd-alice", "rd-o2", [ship])).status).toBe(200);

    const entries = (await s.request("GET", "/v1/members/rd-alice/timeline")).body.entries as {
      kind: string;
    }[];
    const kinds = entries
      .map((e) => e.kind)
      .filter((k) => k.startsWith("coupons.") && k !== "coupons.issued");
    expect(kinds).toEqual(["coupons.locked", "coupons.used", "coupons.released", "coupons.locked"]);
    const { rows } = await sql<{ type: string }>`
      select type from outbox where member_id = 'rd-alice' and type like 'coupon.%' and type <> 'coupon.issued'
      order by id`.execute(s.database.db);
    expect(rows.map((r) => r.type)).toEqual([
      "coupon.locked",
      "coupon.used",
      "coupon.released",
      "coupon.locked",
    ]);
  });

  it("refuses all or nothing and lists every coupon with every problem", async () => {
    s.clock.set(T0);
    await vipMember(s, "rd-carol");
    const books = await idOf("rd-carol", "books_20_off_100"); // not claimed
    const any = await idOf("rd-carol", "any_9_off"); // exclusive
    const ship = await idOf("rd-carol", "ship_free");
    const missing = "cpn_AAAAAAAAAAAAAAAAAAAAAAAA";
    const res = await redeem(s, "rd-carol", "rd-o3", [books, any, ship, missing]);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("COUPON_NOT_REDEEMABLE");
    expect(reasonsOf(res.body)).toEqual([
      [books, ["NOT_CLAIMED", "NOT_STACKABLE"]],
      [any, ["NOT_STACKABLE"]],
      [ship, ["NOT_STACKABLE"]],
      [missing, ["NOT_FOUND"]],
    ]);
    expect(res.body.error.details[1].reasons[0].details).toMatchObject({
      exclusive: true,
      conflictsWith: [books, ship],
    });
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      "/coupons/0",
      "/coupons/1",
      "/coupons/2",
      "/coupons/3",
    ]);
    // Nothing was locked, and the orderRef stays free.
    expect((await couponsOf(s, "rd-carol")).some((c) => c.state === "locked")).toBe(false);
    expect((await redeem(s, "rd-carol", "rd-o3", [ship])).status).toBe(200);
    const locked = await redeem(s, "rd-carol", "rd-o4", [ship]);
    expect(reasonsOf(locked.body)).toEqual([[ship, ["LOCKED"]]]);
    s.clock.set(Date.parse("2027-01-01T00:00:00Z"));
    const expired = await redeem(s, "rd-carol", "rd-o5", [any]);
    expect(reasonsOf(expired.body)).toEqual([[any, ["EXPIRED"]]]);
  });

  it("release after a refund: the coupons come back, or expire with the refunded membership", async () => {
    s.clock.set(T0);
    const order = await vipMember(s, "rd-dave");
    const ship = await idOf("rd-dave", "ship_free");
    const any = await idOf("rd-dave", "any_9_off");
    expect((await redeem(s, "rd-dave", "rd-shop-1", [ship])).status).toBe(200);
    expect((await complete(s, "rd-shop-1")).status).toBe(200);
    // The shop order is refunded: its coupon is available again.
    expect((await release(s, "rd-shop-1")).status).toBe(200);
    expect((await couponsOf(s, "rd-dave", "ship_free"))[0].state).toBe("available");
    // Then a used coupon whose membership is refunded: released, it is expired (not usable again).
    expect((await redeem(s, "rd-dave", "rd-shop-2", [any])).status).toBe(200);
    expect((await complete(s, "rd-shop-2")).status).toBe(200);
    s.clock.set(T0 + DAY);
    expect((await s.refund(order.orderId, order.amount.amount)).status).toBe(200);
    expect((await couponsOf(s, "rd-dave", "any_9_off"))[0].state).toBe("used");
    expect((await release(s, "rd-shop-2")).status).toBe(200);
    const after = await couponsOf(s, "rd-dave");
    expect(after.find((c) => c.couponId === any)!.state).toBe("expired");
    expect(after.find((c) => c.couponId === ship)!.state).toBe("expired");
    expect(await usageOf("any_9_off")).toBe(0);
  });

  it("holds the per-member limit across orders", async () => {
    s.clock.set(T0);
    await vipMember(s, "rd-erin");
    const token = await s.memberToken("rd-erin");
    expect((await s.request("POST", "/v1/me/benefits/monthly_coupons/claim", { auth: token })).status).toBe(
      200,
    );
    const [b1, b2] = (await couponsOf(s, "rd-erin", "books_20_off_100")).map((c) => c.couponId);
    const both = await redeem(s, "rd-erin", "rd-e1", [b1, b2]);
    expect(reasonsOf(both.body)).toEqual([
      [b1, ["NOT_STACKABLE", "USAGE_LIMIT_REACHED"]],
      [b2, ["NOT_STACKABLE", "USAGE_LIMIT_REACHED"]],
    ]);
    expect(both.body.error.details[0].reasons[1].details).toEqual({
      scope: "member",
      limit: 1,
      used: 0,
      requested: 2,
    });
    expect((await redeem(s, "rd-erin", "rd-e2", [b1])).status).toBe(200);
    const second = await redeem(s, "rd-erin", "rd-e3", [b2]);
    expect(reasonsOf(second.body)).toEqual([[b2, ["USAGE_LIMIT_REACHED"]]]);
    expect((await release(s, "rd-erin-none")).status).toBe(404);
    expect((await release(s, "rd-e2")).status).toBe(200);
    expect((await redeem(s, "rd-erin", "rd-e3", [b2])).status).toBe(200);
  });

  it("a coupon that is someone else's gets the answer of one that does not exist", async () => {
    s.clock.set(T0);
    await vipMember(s, "rd-owner");
    await vipMember(s, "rd-other");
    const theirs = await idOf("rd-owner", "books_20_off_100");
    const missing = "cpn_ZZZZZZZZZZZZZZZZZZZZZZZZ";
    const otherToken = await s.memberToken("rd-other");
    const claimAs = (id: string) => s.request("POST", `/v1/me/coupons/${id}/claim`, { auth: otherToken });
    const [foreign, absent] = [await claimAs(theirs), await claimAs(missing)];
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(absent.body);
    expect(foreign.body.error.code).toBe("COUPON_NOT_FOUND");
    const viaService = (id: string) => s.request("POST", `/v1/members/rd-other/coupons/${id}/claim`);
    expect((await viaService(theirs)).body).toEqual((await viaService(missing)).body);
    // The owner's coupon was not claimed by any of this.
    expect((await couponsOf(s, "rd-owner", "books_20_off_100"))[0].state).toBe("unclaimed");

    const redeemed = (id: string, ref: string) => redeem(s, "rd-other", ref, [id]);
    const [r1, r2] = [await redeemed(theirs, "rd-enum-1"), await redeemed(missing, "rd-enum-2")];
    expect(r1.status).toBe(r2.status);
    const anonymized = (body: any) => JSON.stringify(body).replaceAll(theirs, "ID").replaceAll(missing, "ID");
    expect(anonymized(r1.body)).toBe(anonymized(r2.body));
    expect(reasonsOf(r1.body)).toEqual([[theirs, ["NOT_FOUND"]]]);
  });

  it("200 concurrent redemptions of one coupon under different orderRefs: exactly one", async () => {
    s.clock.set(T0);
    await vipMember(s, "rd-race");
    const ship = await idOf("rd-race", "ship_free");
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => redeem(s, "rd-race", `rd-race-${i}`, [ship])),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(199);
    expect(refused.every((a) => reasonsOf(a.body)[0][1][0] === "LOCKED")).toBe(true);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from coupon_redemptions where member_id = 'rd-race'`.execute(s.database.db);
    expect(rows[0].n).toBe(1);
  });
});
