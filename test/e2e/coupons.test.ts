/**
 * Member coupons over HTTP: lazy issuance per period in the member's calendar, claims (one coupon or
 * the whole pack), listing states, expiry, a refund cutting coupons short, and anti-enumeration.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { T0, TestServer } from "../e2e-harness.js";
import { COUPON_CATALOG, couponsOf, redeem, vipMember } from "../support/coupon-fixtures.js";
import { TEST_ENGINES } from "../test-database.js";

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

describe.each(TEST_ENGINES)("coupons ($name)", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(COUPON_CATALOG);
  });
  afterAll(() => s.stop());

  const timelineKinds = async (memberId: string) =>
    ((await s.request("GET", `/v1/members/${memberId}/timeline`)).body.entries as { kind: string }[]).map(
      (e) => e.kind,
    );

  it("issues each period's coupons at the start of the member's local month, once", async () => {
    s.clock.set(T0);
    await vipMember(s, "cp-shanghai");
    await vipMember(s, "cp-newyork", { timezone: "America/New_York" });
    // Ten readers at once: one issue, the same coupons for all of them.
    const lists = await Promise.all(
      Array.from({ length: 10 }, () => couponsOf(s, "cp-shanghai", "books_20_off_100")),
    );
    const ids = lists[0].map((c) => c.couponId);
    expect(ids).toHaveLength(2);
    for (const list of lists) expect(list.map((c) => c.couponId)).toEqual(ids);
    expect(ids.every((id) => /^cpn_[A-Za-z0-9_-]{16}$/.test(id))).toBe(true);
    // Unclaimed: the claim deadline is the end of November in Shanghai (UTC+8).
    expect(lists[0][0]).toMatchObject({
      state: "unclaimed",
      claimedAt: null,
      benefit: "monthly_coupons",
      name: "¥20 off ¥100 of books",
      validUntil: "2026-11-30T16:00:00.000Z",
    });
    expect((await couponsOf(s, "cp-newyork", "books_20_off_100"))[0].validUntil).toBe(
      "2026-12-01T05:00:00.000Z",
    );

    // One minute before December in Shanghai: nothing new; at midnight: December's two.
    s.clock.set(Date.parse("2026-11-30T15:59:00Z"));
    expect(await couponsOf(s, "cp-shanghai", "books_20_off_100")).toHaveLength(2);
    s.clock.set(Date.parse("2026-11-30T16:00:00Z"));
    const december = await couponsOf(s, "cp-shanghai", "books_20_off_100");
    expect(december).toHaveLength(4);
    expect(december.slice(0, 2).map((c) => c.state)).toEqual(["expired", "expired"]);
    expect(december.slice(2).map((c) => [c.state, c.validUntil])).toEqual([
      ["unclaimed", "2026-12-31T16:00:00.000Z"],
      ["unclaimed", "2026-12-31T16:00:00.000Z"],
    ]);
    // New York's December has not begun.
    expect(await couponsOf(s, "cp-newyork", "books_20_off_100")).toHaveLength(2);
    s.clock.set(Date.parse("2026-12-01T05:00:00Z"));
    expect(await couponsOf(s, "cp-newyork", "books_20_off_100")).toHaveLength(4);

    // Reading again writes nothing: one issue entry per period (and per pack) in the timeline.
    const before = await timelineKinds("cp-shanghai");
    await couponsOf(s, "cp-shanghai");
    expect(await timelineKinds("cp-shanghai")).toEqual(before);
    expect(before.filter((k) => k === "coupons.issued")).toHaveLength(
      // November: three packs; 1 December: the calendar-month one. welcome_coupons (a month
      // anchored to the membership, the default) comes again on 24 December; flash_coupons is yearly.
      4,
    );
    // The membership ends on 24 December: no January coupons.
    s.clock.set(Date.parse("2027-01-05T00:00:00Z"));
    expect(await couponsOf(s, "cp-shanghai", "books_20_off_100")).toHaveLength(4);
  });

  it("automatic coupons are available at issue, within the template's window", async () => {
    s.clock.set(T0);
    await vipMember(s, "cp-auto");
    const coupons = await couponsOf(s, "cp-auto");
    const any = coupons.find((c) => c.code === "any_9_off")!;
    expect(any).toMatchObject({
      state: "available",
      claimedAt: iso(T0),
      validFrom: iso(T0),
      validUntil: "2027-01-01T00:00:00.000Z",
      benefit: "welcome_coupons",
    });
    // No end of its own: ship_free never expires.
    expect(coupons.find((c) => c.code === "ship_free")).toMatchObject({
      state: "available",
      validUntil: null,
    });
    s.clock.set(Date.parse("2027-01-01T00:00:00Z"));
    expect((await couponsOf(s, "cp-auto", "any_9_off"))[0].state).toBe("expired");
  });

  it("a claim starts validDays from the claim; a second claim changes nothing", async () => {
    s.clock.set(T0);
    await vipMember(s, "cp-claim");
    const token = await s.memberToken("cp-claim");
    const [first] = await couponsOf(s, "cp-claim", "books_20_off_100");
    s.clock.set(T0 + DAY);
    const claimed = await s.request("POST", `/v1/me/coupons/${first.couponId}/claim`, { auth: token });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body).toMatchObject({
      couponId: first.couponId,
      state: "available",
      claimedAt: iso(T0 + DAY),
      validFrom: iso(T0 + DAY),
      validUntil: iso(T0 + 8 * DAY),
      alreadyClaimed: false,
    });
    const again = await s.request("POST", `/v1/me/coupons/${first.couponId}/claim`, { auth: token });
    expect(again.body).toMatchObject({ claimedAt: iso(T0 + DAY), alreadyClaimed: true });
    // The claimed one lasts 7 days from the claim; the other one's claim deadline (the end of
    // November in Shanghai) has passed, and December's two wait to be claimed.
    s.clock.set(T0 + 8 * DAY - 1);
    expect((await couponsOf(s, "cp-claim", "books_20_off_100")).map((c) => c.state)).toEqual([
      "available",
      "expired",
      "unclaimed",
      "unclaimed",
    ]);
    s.clock.set(T0 + 8 * DAY);
    expect((await couponsOf(s, "cp-claim", "books_20_off_100"))[0].state).toBe("expired");
    expect(await timelineKinds("cp-claim")).toContain("coupon.claimed");
  });

  it("a coupon whose claim deadline passed cannot be claimed", async () => {
    s.clock.set(T0);
    await vipMember(s, "cp-late");
    const [coupon] = await couponsOf(s, "cp-late", "books_20_off_100");
    s.clock.set(Date.parse(coupon.validUntil!));
    const res = await s.request("POST", `/v1/members/cp-late/coupons/${coupon.couponId}/claim`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("COUPON_NOT_CLAIMABLE");
    expect((await couponsOf(s, "cp-late", "books_20_off_100"))[0]).toMatchObject({
      state: "expired",
      claimedAt: null,
    });
  });

  it("claiming the coupon_pack benefit claims all its waiting coupons at once", async () => {
    s.clock.set(T0);
    await vipMember(s, "cp-pack");
    const token = await s.memberToken("cp-pack");
    const res = await s.request("POST", "/v1/me/benefits/monthly_coupons/claim", { auth: token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const books = await couponsOf(s, "cp-pack", "books_20_off_100");
    expect(res.body).toMatchObject({ alreadyClaimed: false });
    expect([...res.body.claimedCoupons].sort()).toEqual(books.map((c) => c.couponId).sort());
    expect(books.map((c) => [c.state, c.validUntil])).toEqual([
      ["available", iso(T0 + 7 * DAY)],
      ["available", iso(T0 + 7 * DAY)],
    ]);
    // December's coupons wait again; claiming the benefit again takes them.
    s.clock.set(Date.parse("2026-12-01T00:00:00Z"));
    const again = await s.request("POST", "/v1/me/benefits/monthly_coupons/claim", { auth: token });
    expect(again.body.alreadyClaimed).toBe(true);
    expect(again.body.claimedCoupons).toHaveLength(2);
    expect((await couponsOf(s, "cp-pack", "books_20_off_100")).map((c) => c.state)).toEqual([
      "available",
      "available",
      "available",
      "available",
    ]);
    expect(await timelineKinds("cp-pack")).toContain("coupons.claimed");
  });

  it("lists every state: unclaimed, available, locked, used, expired", async () => {
    s.clock.set(T0);
    await vipMember(s, "cp-states");
    const token = await s.memberToken("cp-states");
    const coupons = await couponsOf(s, "cp-states");
    const ship = coupons.find((c) => c.code === "ship_free")!;
    const flash = coupons.find((c) => c.code === "flash_5_off")!;
    expect((await redeem(s, "cp-states", "cp-states-o1", [ship.couponId])).status).toBe(200);
    expect((await redeem(s, "cp-states", "cp-states-o2", [flash.couponId])).status).toBe(200);
    expect(
      (await s.request("POST", "/v1/checkout/complete", { body: { orderRef: "cp-states-o2" } })).status,
    ).toBe(200);
    s.clock.set(Date.parse("2026-12-01T00:00:00Z"));
    const res = await s.request("GET", "/v1/me/coupons", {
      auth: token,
      headers: { "accept-language": "zh-CN" },
    });
    expect(res.status).toBe(200);
    const byCode = (code: string) =>
      (res.body.coupons as { code: string; state: string }[]).filter((c) => c.code === code);
    // welcome_coupons follows the membership (bought 24 November): nothing new on 1 December.
    expect(byCode("ship_free").map((c) => c.state)).toEqual(["locked"]);
    expect(byCode("flash_5_off").map((c) => c.state)).toEqual(["used"]);
    expect(byCode("books_20_off_100").map((c) => c.state)).toEqual([
      "expired",
      "expired",
      "unclaimed",
      "unclaimed",
    ]);
    expect(byCode("any_9_off").map((c) => c.state)).toEqual(["available"]);
    expect(res.body.coupons.find((c: { code: string }) => c.code === "ship_free")).toMatchObject({
      orderRef: "cp-states-o1",
    });
    // The member's stored locale is English, but on /v1/me/* the language the member's UI asks for
    // wins (DESIGN, "Decisions taken"): this request asked for Chinese.
    expect(byCode("books_20_off_100")[0]).toMatchObject({ name: "图书满100减20" });
  });

  it("names follow the member's language", async () => {
    s.clock.set(T0);
    await vipMember(s, "cp-zh", { locale: "zh-CN" });
    expect((await couponsOf(s, "cp-zh", "books_20_off_100"))[0].name).toBe("图书满100减20");
  });

  it("a refund ends the grant's unused coupons at that moment", async () => {
    s.clock.set(T0);
    const order = await vipMember(s, "cp-refund");
    const before = await couponsOf(s, "cp-refund");
    expect(before.every((c) => c.state === "available" || c.state === "unclaimed")).toBe(true);
    s.clock.set(T0 + DAY);
    expect((await s.refund(order.orderId, order.amount.amount)).status).toBe(200);
    const after = await couponsOf(s, "cp-refund");
    expect(after.map((c) => c.couponId)).toEqual(before.map((c) => c.couponId));
    expect(after.map((c) => [c.state, c.validUntil])).toEqual(after.map(() => ["expired", iso(T0 + DAY)]));
    expect(await timelineKinds("cp-refund")).toContain("coupons.expired");
    const { rows } = await sql<{ type: string }>`
      select type from outbox where member_id = 'cp-refund' and type like 'coupon.%' order by id`.execute(
      s.database.db,
    );
    expect(rows.map((r) => r.type)).toEqual([
      "coupon.issued",
      "coupon.issued",
      "coupon.issued",
      "coupon.expired",
    ]);
  });

  it("an upgrade does not issue the same month twice", async () => {
    s.clock.set(T0);
    await vipMember(s, "cp-upgrade");
    expect(await couponsOf(s, "cp-upgrade", "books_20_off_100")).toHaveLength(2);
    // svip carries no coupon packs in this catalog; a second vip payment extends, not reissues.
    const renewal = await s.createOrder("cp-upgrade", "vip_month");
    expect((await s.pay(renewal.orderId, renewal.amount.amount)).status).toBe(200);
    expect(await couponsOf(s, "cp-upgrade", "books_20_off_100")).toHaveLength(2);
  });
});
