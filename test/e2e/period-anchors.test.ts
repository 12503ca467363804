/**
 * Periods anchored to the membership, over HTTP: a month bought on the 29th or the 31st runs a whole
 * month (clamped at short months, never drifting), a renewal and an upgrade mid-period neither double
 * nor skip a pack, and a member who moves to another time zone keeps the period in force.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogDocument } from "../../src/catalog/catalog-types.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { couponsOf } from "../support/coupon-fixtures.js";
import { TEST_ENGINES } from "../test-database.js";

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

/** The demo catalog, whose monthly coupon pack follows the membership (the default for P1M), plus a monthly quota that does too. */
const CATALOG: CatalogDocument = {
  ...DEMO_CATALOG,
  tiers: DEMO_CATALOG.tiers.map((t) => ({ ...t, benefits: [...t.benefits, "monthly_exports"] })),
  benefits: [
    ...DEMO_CATALOG.benefits,
    {
      code: "monthly_exports",
      kind: "quota",
      name: "Exports",
      quota: { limit: 3, unit: "exports", period: "P1M", anchor: "membership" },
    },
  ],
};

describe.each(TEST_ENGINES)("period anchors ($name)", (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await TestServer.start(engine, at("2026-01-01T00:00:00Z"));
    await s.putCatalog(CATALOG);
  });
  afterAll(() => s.stop());

  const buy = async (memberId: string, plan: string) => {
    const order = await s.createOrder(memberId, plan);
    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
  };
  /** When each pack of books coupons was issued, and until when it may be claimed. */
  const packs = async (memberId: string) =>
    (await couponsOf(s, memberId, "books_20_off_100"))
      .filter((_, i) => i % 2 === 0)
      .map((c) => [c.validFrom, c.validUntil]);
  const use = (memberId: string, benefit: string, amount: number, key: string) =>
    s.request("POST", `/v1/members/${memberId}/benefits/${benefit}/usage`, {
      body: { amount, idempotencyKey: key },
    });

  it("bought on 29 November: the coupons may be claimed until 29 December, not 1 December", async () => {
    s.clock.set(at("2026-11-29T12:00:00Z"));
    await s.createMember("pa-29th");
    await buy("pa-29th", "vip_month");
    s.clock.set(at("2026-12-01T01:00:00Z")); // 09:00 on 1 December in Shanghai
    const coupons = await couponsOf(s, "pa-29th", "books_20_off_100");
    expect(coupons.map((c) => [c.state, c.validUntil])).toEqual([
      ["unclaimed", "2026-12-29T12:00:00.000Z"],
      ["unclaimed", "2026-12-29T12:00:00.000Z"],
    ]);
  });

  it("bought on 31 January: packs on 31 Jan, 28 Feb, 31 Mar; the quota resets on the same days", async () => {
    s.clock.set(at("2027-01-31T02:00:00Z")); // 10:00 in Shanghai
    await s.createMember("pa-31st");
    await buy("pa-31st", "vip_year");
    s.clock.set(at("2027-02-10T00:00:00Z"));
    const spent = await use("pa-31st", "monthly_exports", 3, "pa-31st-1");
    expect(spent.body).toMatchObject({ used: 3, resetAt: "2027-02-28T02:00:00.000Z" });
    const refused = await s.check("pa-31st", "monthly_exports", { usage: 1 });
    expect(refused.reasons[0]).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      details: { resetAt: "2027-02-28T02:00:00.000Z" },
    });

    s.clock.set(at("2027-04-01T00:00:00Z"));
    expect(await packs("pa-31st")).toEqual([
      ["2027-01-31T02:00:00.000Z", "2027-02-28T02:00:00.000Z"],
      ["2027-02-28T02:00:00.000Z", "2027-03-31T02:00:00.000Z"],
      ["2027-03-31T02:00:00.000Z", "2027-04-30T02:00:00.000Z"],
    ]);
    // Nothing used this period: the member centre still shows when it resets.
    const snapshot = await s.request("GET", "/v1/members/pa-31st/entitlements");
    const exports = snapshot.body.benefits.find((b: { benefit: string }) => b.benefit === "monthly_exports");
    expect(exports.quota).toMatchObject({
      used: 0,
      anchor: "membership",
      resetAt: "2027-04-30T02:00:00.000Z",
    });
  });

  it("a month bought on 31 January and renewed runs to 28 February, then to 31 March", async () => {
    s.clock.set(at("2027-01-31T02:00:00Z"));
    await s.createMember("pa-renew-31st");
    await buy("pa-renew-31st", "vip_month");
    const renewal = await s.createOrder("pa-renew-31st", "vip_month");
    expect((await s.pay(renewal.orderId, renewal.amount.amount)).status).toBe(200);
    const membership = async () => (await s.request("GET", "/v1/members/pa-renew-31st")).body.memberships[0];
    expect(await membership()).toMatchObject({
      startsAt: "2027-01-31T02:00:00.000Z",
      expiresAt: "2027-03-31T02:00:00.000Z",
    });
    // Refunding the renewal takes back exactly the month it paid for.
    expect((await s.refund(renewal.orderId, renewal.amount.amount)).status).toBe(200);
    expect((await membership()).expiresAt).toBe("2027-02-28T02:00:00.000Z");
  });

  it("a renewal mid-period neither issues the month again nor moves its anniversary", async () => {
    s.clock.set(at("2027-05-10T02:00:00Z"));
    await s.createMember("pa-renew");
    await buy("pa-renew", "vip_month");
    s.clock.set(at("2027-05-20T02:00:00Z"));
    await buy("pa-renew", "vip_month"); // the membership now runs to 10 July
    s.clock.set(at("2027-06-15T00:00:00Z"));
    expect(await packs("pa-renew")).toEqual([
      ["2027-05-10T02:00:00.000Z", "2027-06-10T02:00:00.000Z"],
      ["2027-06-10T02:00:00.000Z", "2027-07-10T02:00:00.000Z"],
    ]);
  });

  it("an upgrade mid-period does not double the month; the new tier's months follow its own start", async () => {
    s.clock.set(at("2027-08-10T02:00:00Z"));
    await s.createMember("pa-upgrade");
    await buy("pa-upgrade", "vip_month");
    s.clock.set(at("2027-08-20T02:00:00Z"));
    await buy("pa-upgrade", "svip_month");
    // The SVIP membership starts on 20 August; its first month overlaps the VIP month's pack.
    s.clock.set(at("2027-09-10T00:00:00Z"));
    expect(await packs("pa-upgrade")).toEqual([["2027-08-10T02:00:00.000Z", "2027-09-10T02:00:00.000Z"]]);
    const svip = (await s.request("GET", "/v1/members/pa-upgrade")).body.memberships.find(
      (m: { tier: string }) => m.tier === "svip",
    );
    const anniversary = new Date(Date.parse(svip.startsAt) + 31 * DAY).toISOString();
    s.clock.set(Date.parse(anniversary));
    const afterUpgrade = await packs("pa-upgrade");
    expect(afterUpgrade).toHaveLength(2);
    expect(afterUpgrade[1][0]).toBe(anniversary);
  });

  it("a member who moves to New York keeps today's period; the next one is New York's day", async () => {
    s.clock.set(at("2027-11-24T02:00:00Z")); // 10:00 in Shanghai
    await s.createMember("pa-moves");
    await buy("pa-moves", "vip_year");
    const spent = await use("pa-moves", "hd_downloads", 10, "pa-moves-1");
    expect(spent.body).toMatchObject({ used: 10, resetAt: "2027-11-24T16:00:00.000Z" });
    await s.createMember("pa-moves", { timezone: "America/New_York" });
    s.clock.set(at("2027-11-24T15:00:00Z"));
    expect((await s.check("pa-moves", "hd_downloads", { usage: 1 })).reasons[0]).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      details: { resetAt: "2027-11-24T16:00:00.000Z" },
    });
    s.clock.set(at("2027-11-24T16:00:00Z"));
    const again = await use("pa-moves", "hd_downloads", 1, "pa-moves-2");
    // Midnight in New York (EST, UTC−5) after 11:00 on 24 November there.
    expect(again.body).toMatchObject({ used: 1, resetAt: "2027-11-25T05:00:00.000Z" });
    // The months bought at 10:00 in Shanghai are 21:00 the day before in New York: the same instants.
    s.clock.set(at("2027-12-25T00:00:00Z"));
    expect(await packs("pa-moves")).toEqual([
      ["2027-11-24T02:00:00.000Z", "2027-12-24T02:00:00.000Z"],
      ["2027-12-24T02:00:00.000Z", "2028-01-24T02:00:00.000Z"],
    ]);
  });
});
