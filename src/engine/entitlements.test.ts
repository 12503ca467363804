import { describe, expect, it } from "vitest";
import {
  activeMember,
  context,
  fixtureCatalog,
  membership,
  pendingOrder,
  snapshot,
  T,
} from "./engine-fixtures.js";
import { buildEntitlements } from "./entitlements.js";

const catalog = fixtureCatalog();
const stateMap = (e: ReturnType<typeof buildEntitlements>) =>
  Object.fromEntries(e.benefits.map((b) => [b.benefit, b.state]));

describe("buildEntitlements", () => {
  const member = activeMember(catalog, "vip", {}, { quotaUsed: 100 });

  it("lists every benefit of the catalog, in catalog order, with its state", () => {
    const e = buildEntitlements(member, catalog, context({ at: T.start + T.hour }));
    expect(e.memberId).toBe("m1");
    expect(e.entitlementsVersion).toBe(17);
    expect(e.benefits.map((b) => b.benefit)).toEqual([...catalog.benefits.keys()]);
    expect(stateMap(e)).toEqual({
      ad_free: "active",
      hd_download_boost: "toggled_off",
      cloud_storage: "active",
      member_discount: "scheduled",
      vip_zone: "active",
      monthly_gift: "needs_claim",
      app_exclusive: "active",
      early_access: "scheduled",
      mobile_pip: "active",
      priority_support: "not_included",
    });
  });

  it("carries times, kind, quota and the decision's reasons", () => {
    const e = buildEntitlements(member, catalog, context({ at: T.start + T.hour, locale: "zh-CN" }));
    const by = (code: string) => e.benefits.find((b) => b.benefit === code)!;
    expect(by("cloud_storage")).toEqual({
      benefit: "cloud_storage",
      kind: "quota",
      state: "active",
      effectiveFrom: "2026-11-24T02:00:00.000Z",
      expiresAt: "2026-12-24T02:00:00.000Z",
      quota: {
        limit: 2048,
        unit: "GB",
        used: 100,
        remaining: 1948,
        period: null,
        anchor: null,
        resetAt: null,
      },
      reasons: [
        {
          code: "GRANTED",
          cause: null,
          message: "云存储空间已生效",
          details: {},
          remedy: { actor: "member", action: "none" },
        },
      ],
    });
    expect(by("member_discount")).toMatchObject({
      kind: "discount",
      state: "scheduled",
      effectiveFrom: "2026-11-24T16:00:00.000Z",
      reasons: [{ code: "NOT_YET_EFFECTIVE", message: "会员折扣将于2026-11-25 00:00 (Asia/Shanghai)生效" }],
    });
    expect(by("member_discount")).not.toHaveProperty("quota");
    expect(by("priority_support")).toMatchObject({
      state: "not_included",
      effectiveFrom: null,
      expiresAt: null,
      reasons: [{ code: "TIER_NOT_ELIGIBLE", details: { tier: "vip", tiers: ["svip"] } }],
    });
  });

  it("ignores product, channel and client in the context given", () => {
    const ctx = context({
      at: T.now,
      channel: "official_web",
      product: { category: "toys", onSale: true },
      client: { platform: "ios", version: "1.0.0", entitlementsVersion: 1 },
    });
    const e = buildEntitlements(member, catalog, ctx);
    for (const code of ["vip_zone", "app_exclusive", "member_discount", "mobile_pip"]) {
      expect(e.benefits.find((b) => b.benefit === code)?.state).toBe("active");
    }
    expect(e.benefits.flatMap((b) => b.reasons.map((r) => r.code))).not.toContain("CLIENT_CACHE_STALE");
  });

  it("shows memberships with their status at `at`", () => {
    const s = snapshot({
      memberships: [
        membership({ id: "a", tier: "vip" }),
        membership({
          id: "b",
          tier: "basic",
          startsAt: T.start - 60 * T.day,
          expiresAt: T.start - 30 * T.day,
        }),
        membership({ id: "c", tier: "svip", status: "revoked", revokedAt: T.start + T.day }),
      ],
    });
    expect(buildEntitlements(s, catalog, context()).memberships).toEqual([
      {
        id: "a",
        tier: "vip",
        status: "active",
        startsAt: "2026-11-24T02:00:00.000Z",
        expiresAt: "2026-12-24T02:00:00.000Z",
        graceEndsAt: null,
        sourceOrderId: "order-a",
      },
      {
        id: "b",
        tier: "basic",
        status: "expired",
        startsAt: "2026-09-25T02:00:00.000Z",
        expiresAt: "2026-10-25T02:00:00.000Z",
        graceEndsAt: null,
        sourceOrderId: "order-b",
      },
      {
        id: "c",
        tier: "svip",
        status: "revoked",
        startsAt: "2026-11-24T02:00:00.000Z",
        expiresAt: "2026-12-24T02:00:00.000Z",
        graceEndsAt: null,
        sourceOrderId: "order-c",
      },
    ]);
  });

  it("shows a membership in its grace period, an upgraded one, and a scheduled downgrade with its date", () => {
    const svipEnd = T.start + 10 * T.day;
    const s = snapshot({
      memberships: [
        membership({ id: "old", tier: "basic", status: "upgraded" }),
        membership({ id: "graced", tier: "vip", expiresAt: T.start, graceEndsAt: T.start + 3 * T.day }),
        membership({ id: "svip", tier: "svip", expiresAt: svipEnd }),
        membership({ id: "next", tier: "vip", startsAt: svipEnd, expiresAt: svipEnd + 30 * T.day }),
      ],
    });
    const e = buildEntitlements(s, catalog, context({ at: T.start + T.hour }));
    expect(e.memberships.map((m) => [m.id, m.status])).toEqual([
      ["old", "upgraded"],
      ["graced", "in_grace"],
      ["svip", "active"],
      ["next", "scheduled"],
    ]);
    expect(e.memberships[1].graceEndsAt).toBe(new Date(T.start + 3 * T.day).toISOString());
    expect(e.scheduledChanges).toEqual([
      {
        kind: "downgrade",
        fromTier: "svip",
        toTier: "vip",
        at: new Date(svipEnd).toISOString(),
        membershipId: "next",
      },
    ]);
    // After the grace period the membership reads expired, and once the downgrade started it is no longer scheduled.
    const later = buildEntitlements(s, catalog, context({ at: svipEnd }));
    expect(later.memberships.map((m) => m.status)).toEqual(["upgraded", "expired", "expired", "active"]);
    expect(later.scheduledChanges).toEqual([]);
  });

  it("marks an ended membership's benefits expired, without quota", () => {
    const e = buildEntitlements(member, catalog, context({ at: T.end }));
    const states = new Set(Object.values(stateMap(e)));
    expect(states).toEqual(new Set(["expired", "not_included"]));
    expect(e.benefits.find((b) => b.benefit === "cloud_storage")).toMatchObject({
      state: "expired",
      effectiveFrom: null,
    });
    expect(e.benefits.find((b) => b.benefit === "cloud_storage")).not.toHaveProperty("quota");
    expect(e.memberships[0].status).toBe("expired");
  });

  it("marks everything not_included while a first payment is pending, saying so", () => {
    const e = buildEntitlements(
      snapshot({ pendingOrders: [pendingOrder({ orderId: "o1" })] }),
      catalog,
      context(),
    );
    expect(new Set(Object.values(stateMap(e)))).toEqual(new Set(["not_included"]));
    expect(e.benefits.find((b) => b.benefit === "vip_zone")?.reasons.map((r) => r.code)).toEqual([
      "PAYMENT_PENDING",
    ]);
    expect(e.benefits.find((b) => b.benefit === "ad_free")?.reasons.map((r) => r.code)).toEqual([
      "PAYMENT_PENDING",
    ]);
  });
});
