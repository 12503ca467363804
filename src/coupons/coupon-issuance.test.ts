import { describe, expect, it } from "vitest";
import type { CatalogDocument } from "../catalog/catalog-types.js";
import { compileCatalog } from "../catalog/compile-catalog.js";
import { claimedWindow, dueIssues, type MemberCouponRecord, type PackGrant } from "./coupon-issuance.js";

const DAY = 86_400_000;
const T0 = Date.parse("2026-11-24T02:00:00Z");
const doc: CatalogDocument = {
  tiers: [
    { code: "vip", name: "VIP", rank: 1, benefits: ["weekly", "monthly", "calendar_monthly"], plans: [] },
  ],
  coupons: [
    { code: "c5", name: "5 off", amountOff: { amount: 500, currency: "CNY" }, conditions: { validDays: 3 } },
    {
      code: "c9",
      name: "9% off",
      percentOff: 9,
      conditions: { validUntil: "2026-12-10T00:00:00Z" },
    },
  ],
  benefits: [
    {
      code: "weekly",
      kind: "coupon_pack",
      name: "Weekly",
      couponPack: { items: [{ coupon: "c5", count: 2 }], period: "P7D", anchor: "membership" },
    },
    {
      code: "monthly",
      kind: "coupon_pack",
      name: "Monthly",
      couponPack: {
        items: [
          { coupon: "c9", count: 1 },
          { coupon: "c5", count: 1 },
        ],
        period: "P1M",
      },
      rules: { activation: "claim" },
    },
    {
      code: "calendar_monthly",
      kind: "coupon_pack",
      name: "Monthly, by the calendar",
      couponPack: { items: [{ coupon: "c9", count: 1 }], period: "P1M", anchor: "calendar" },
      rules: { activation: "claim" },
    },
  ],
};
const catalog = compileCatalog(doc, 1, T0);
const grant = (over: Partial<PackGrant> = {}): PackGrant => ({
  id: "g1",
  benefit: "weekly",
  effectiveFrom: T0,
  expiresAt: T0 + 30 * DAY,
  endedAt: null,
  endReason: null,
  membershipStart: T0,
  ...over,
});
const stored = (issue: Omit<MemberCouponRecord, "id">[]): MemberCouponRecord[] =>
  issue.map((c, i) => ({ ...c, id: `cpn_${i}` }));

describe("dueIssues", () => {
  it("rolls a non-calendar period from the grant's start, up to now, and claims automatic ones at issue", () => {
    const due = dueIssues(catalog, [grant()], [], "Asia/Shanghai", "m1", T0 + 15 * DAY);
    expect(due.issue.map((c) => [c.issuedAt, c.sequence])).toEqual([
      [T0, 0],
      [T0, 1],
      [T0 + 7 * DAY, 0],
      [T0 + 7 * DAY, 1],
      [T0 + 14 * DAY, 0],
      [T0 + 14 * DAY, 1],
    ]);
    expect(due.issue[0]).toMatchObject({
      claimedAt: T0,
      validFrom: T0,
      validUntil: T0 + 3 * DAY,
      status: "issued",
    });
  });

  it("issues nothing twice, nothing after the grant ends, nothing ahead of time", () => {
    const first = dueIssues(catalog, [grant()], [], "Asia/Shanghai", "m1", T0 + 40 * DAY);
    // Periods starting at days 0, 7, 14, 21 and 28; the grant ends on day 30.
    expect(first.issue).toHaveLength(10);
    expect(dueIssues(catalog, [grant()], stored(first.issue), "Asia/Shanghai", "m1", T0 + 40 * DAY)).toEqual({
      issue: [],
      cut: [],
    });
    expect(dueIssues(catalog, [grant({ effectiveFrom: T0 + DAY })], [], "UTC", "m1", T0).issue).toEqual([]);
  });

  it("an unclaimed coupon's deadline is its calendar period's end, or the template's end if earlier", () => {
    const monthly = grant({ id: "g2", benefit: "calendar_monthly", expiresAt: T0 + 60 * DAY });
    const due = dueIssues(catalog, [monthly], [], "Asia/Shanghai", "m1", T0 + 10 * DAY);
    expect(due.issue.map((c) => [c.issuedAt, c.claimedAt, c.validUntil])).toEqual([
      [T0, null, Date.parse("2026-11-30T16:00:00Z")],
      [Date.parse("2026-11-30T16:00:00Z"), null, Date.parse("2026-12-10T00:00:00Z")],
    ]);
  });

  it("a membership-anchored month runs from the purchase: bought on the 24th, claimable until the 24th", () => {
    const monthly = grant({ id: "g3", benefit: "monthly", expiresAt: T0 + 60 * DAY });
    const due = dueIssues(catalog, [monthly], [], "Asia/Shanghai", "m1", T0 + 31 * DAY);
    const anniversary = Date.parse("2026-12-24T02:00:00Z");
    expect(due.issue.map((c) => [c.template, c.issuedAt, c.validUntil])).toEqual([
      // c9's own end comes first; c5 may be claimed until the month bought ends.
      ["c9", T0, Date.parse("2026-12-10T00:00:00Z")],
      ["c5", T0, anniversary],
      // The second month: c9's window has closed, so only c5, again for a whole month.
      ["c5", anniversary, Date.parse("2027-01-24T02:00:00Z")],
    ]);
  });

  it("a grant replacing another of the same benefit skips the period already issued", () => {
    const old = grant({ id: "old", endedAt: T0 + 3 * DAY, endReason: "upgraded" });
    const upgraded = grant({
      id: "new",
      effectiveFrom: T0 + 3 * DAY,
      expiresAt: T0 + 40 * DAY,
      membershipStart: T0 + 3 * DAY,
    });
    const due = dueIssues(catalog, [upgraded, old], [], "UTC", "m1", T0 + 12 * DAY);
    // old: its period at day 0; new: its first period (days 3–10) overlaps old's, its second does not.
    expect(due.issue.map((c) => [c.grantId, c.issuedAt])).toEqual([
      ["old", T0],
      ["old", T0],
      ["new", T0 + 10 * DAY],
      ["new", T0 + 10 * DAY],
    ]);
  });

  it("a refund cuts the grant's unused coupons at the refund; used ones stay", () => {
    const issued = stored(dueIssues(catalog, [grant()], [], "UTC", "m1", T0).issue);
    issued[1] = { ...issued[1], status: "used", orderRef: "o1" };
    const refunded = grant({ endedAt: T0 + DAY, endReason: "refunded" });
    const due = dueIssues(catalog, [refunded], issued, "UTC", "m1", T0 + 2 * DAY);
    expect(due).toEqual({ issue: [], cut: [{ id: "cpn_0", validUntil: T0 + DAY }] });
    // An expiry is no refund: nothing is cut.
    const expired = grant({ endedAt: T0 + DAY, endReason: "expired" });
    expect(dueIssues(catalog, [expired], issued, "UTC", "m1", T0 + 2 * DAY).cut).toEqual([]);
  });
});

describe("claimedWindow", () => {
  it("runs validDays from the claim, capped by the template's end", () => {
    expect(claimedWindow(catalog.coupons.get("c5"), T0)).toEqual({ validFrom: T0, validUntil: T0 + 3 * DAY });
    expect(claimedWindow(catalog.coupons.get("c9"), T0)).toEqual({
      validFrom: T0,
      validUntil: Date.parse("2026-12-10T00:00:00Z"),
    });
    expect(claimedWindow(undefined, T0)).toEqual({ validFrom: T0, validUntil: null });
  });
});
