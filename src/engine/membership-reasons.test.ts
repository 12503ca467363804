import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { context, fixtureCatalog, grant, membership, pendingOrder, snapshot, T } from "./engine-fixtures.js";
import type { Decision, MemberSnapshot } from "./engine-types.js";

const catalog = fixtureCatalog();
const codes = (d: Decision) => d.reasons.map((r) => r.code);
const both = (s: MemberSnapshot, benefit: string) => ({
  en: decide(s, catalog, benefit, context()),
  zh: decide(s, catalog, benefit, context({ locale: "zh-CN" })),
});

const basic = membership({ id: "mb", tier: "basic" });
const basicGrant = grant({ benefit: "ad_free", membershipId: "mb", tier: "basic" });

describe("membership reasons", () => {
  it("PAYMENT_PENDING for a pending order whose tier includes the benefit, never NO_MEMBERSHIP", () => {
    const s = snapshot({ pendingOrders: [pendingOrder({ orderId: "o9", createdAt: T.now - 20 * 60_000 })] });
    const { en, zh } = both(s, "hd_download_boost");
    expect(en.reasons).toEqual([
      {
        code: "PAYMENT_PENDING",
        cause: "sync_delay",
        message:
          "We are still confirming the payment for your order o9 (placed 2026-11-30 19:40 (Asia/Shanghai)). HD download boost turns on as soon as it is confirmed; you do not need to pay again.",
        details: { orderId: "o9", since: "2026-11-30T11:40:00.000Z", plan: "vip_month" },
        remedy: { actor: "platform", action: "wait" },
      },
    ]);
    expect(zh.reasons[0].message).toBe(
      "您的订单o9（2026-11-30 19:40 (Asia/Shanghai)下单）正在确认支付，确认后高清下载加速立即生效，无需重复支付",
    );
  });

  it("names the latest pending order and ignores orders for tiers without the benefit", () => {
    const s = snapshot({
      pendingOrders: [
        pendingOrder({ orderId: "old", createdAt: T.now - T.day }),
        pendingOrder({ orderId: "new", createdAt: T.now - T.hour, plan: "vip_year" }),
        pendingOrder({ orderId: "basic", createdAt: T.now, plan: "basic_month", tier: "basic" }),
      ],
    });
    const d = decide(s, catalog, "hd_download_boost", context());
    expect(d.reasons.map((r) => r.details.orderId)).toEqual(["new"]);
    expect(
      codes(decide(snapshot({ pendingOrders: [s.pendingOrders[2]] }), catalog, "vip_zone", context())),
    ).toEqual(["NO_MEMBERSHIP"]);
  });

  it("TIER_NOT_ELIGIBLE when the active tier lacks the benefit, naming the tiers that have it", () => {
    const s = snapshot({ memberships: [basic], grants: [basicGrant] });
    const { en, zh } = both(s, "hd_download_boost");
    expect(en.reasons).toEqual([
      {
        code: "TIER_NOT_ELIGIBLE",
        cause: "membership_status",
        message:
          "HD download boost is not included in your Basic membership. Upgrade to VIP or SVIP to use it.",
        details: { tier: "basic", tiers: ["vip", "svip"] },
        remedy: { actor: "member", action: "upgrade_tier" },
      },
    ]);
    expect(zh.reasons[0].message).toBe("您当前的基础会员不包含高清下载加速，升级为VIP会员或超级会员即可使用");
  });

  it("puts a pending upgrade first, then the tier problem", () => {
    const s = snapshot({
      memberships: [basic],
      grants: [basicGrant],
      pendingOrders: [pendingOrder({ orderId: "up" })],
    });
    expect(codes(decide(s, catalog, "vip_zone", context()))).toEqual([
      "PAYMENT_PENDING",
      "TIER_NOT_ELIGIBLE",
    ]);
  });

  it("MEMBERSHIP_REVOKED with the refund time and source order", () => {
    const revoked = membership({ id: "mr", tier: "vip", status: "revoked", revokedAt: T.start + 2 * T.day });
    const s = snapshot({
      memberships: [revoked],
      grants: [grant({ benefit: "ad_free", membershipId: "mr", status: "ended" })],
    });
    const { en, zh } = both(s, "ad_free");
    expect(en.reasons).toEqual([
      {
        code: "MEMBERSHIP_REVOKED",
        cause: "membership_status",
        message:
          "Your VIP membership was cancelled on 2026-11-26 10:00 (Asia/Shanghai) after a refund (order order-mr), so No ads is no longer available.",
        details: { revokedAt: "2026-11-26T02:00:00.000Z", orderId: "order-mr", tier: "vip" },
        remedy: { actor: "member", action: "pay" },
      },
    ]);
    expect(zh.reasons[0].message).toBe(
      "您的VIP会员因退款（订单order-mr）已于2026-11-26 10:00 (Asia/Shanghai)取消，免广告已停用",
    );
  });

  it("MEMBERSHIP_EXPIRED with the expiry, in both locales", () => {
    const expired = membership({
      id: "me",
      tier: "svip",
      startsAt: T.start - 30 * T.day,
      expiresAt: T.start,
    });
    const { en, zh } = both(snapshot({ memberships: [expired] }), "priority_support");
    expect(en.reasons).toEqual([
      {
        code: "MEMBERSHIP_EXPIRED",
        cause: "membership_status",
        message:
          "Your SVIP membership expired on 2026-11-24 10:00 (Asia/Shanghai). Renew it to use Priority support again.",
        details: { expiredAt: "2026-11-24T02:00:00.000Z", tier: "svip" },
        remedy: { actor: "member", action: "pay" },
      },
    ]);
    expect(zh.reasons[0].message).toBe(
      "您的超级会员已于2026-11-24 10:00 (Asia/Shanghai)到期，续费后即可继续使用Priority support",
    );
  });

  it("judges revoked versus expired by the most recent membership that included the benefit", () => {
    const older = membership({
      id: "a",
      tier: "vip",
      startsAt: T.start - 60 * T.day,
      expiresAt: T.start - 30 * T.day,
    });
    const newerRevoked = membership({ id: "b", tier: "vip", status: "revoked", revokedAt: T.start + T.day });
    expect(
      codes(decide(snapshot({ memberships: [older, newerRevoked] }), catalog, "ad_free", context())),
    ).toEqual(["MEMBERSHIP_REVOKED"]);
    const olderRevoked = { ...older, status: "revoked" as const, revokedAt: older.startsAt + T.day };
    const newerExpired = membership({
      id: "c",
      tier: "vip",
      startsAt: T.start - 20 * T.day,
      expiresAt: T.start,
    });
    const d = decide(snapshot({ memberships: [olderRevoked, newerExpired] }), catalog, "ad_free", context());
    expect(codes(d)).toEqual(["MEMBERSHIP_EXPIRED"]);
    expect(d.reasons[0].details.expiredAt).toBe("2026-11-24T02:00:00.000Z");
  });

  it("an expired membership of a tier without the benefit is no membership for it", () => {
    const expiredBasic = { ...basic, expiresAt: T.now - T.day };
    expect(codes(decide(snapshot({ memberships: [expiredBasic] }), catalog, "vip_zone", context()))).toEqual([
      "NO_MEMBERSHIP",
    ]);
  });

  it("lists a current lower tier and the expired higher tier together", () => {
    const expiredVip = membership({
      id: "mv",
      tier: "vip",
      startsAt: T.start - 31 * T.day,
      expiresAt: T.start - T.day,
    });
    const s = snapshot({ memberships: [basic, expiredVip], grants: [basicGrant] });
    expect(codes(decide(s, catalog, "vip_zone", context()))).toEqual([
      "TIER_NOT_ELIGIBLE",
      "MEMBERSHIP_EXPIRED",
    ]);
  });

  it("NOT_YET_EFFECTIVE with the grant when the membership starts later", () => {
    const later = membership({
      id: "ml",
      tier: "vip",
      startsAt: T.now + T.day,
      expiresAt: T.now + 31 * T.day,
    });
    const s = snapshot({
      memberships: [later],
      grants: [
        grant({
          benefit: "ad_free",
          membershipId: "ml",
          effectiveFrom: later.startsAt,
          expiresAt: later.expiresAt,
        }),
      ],
    });
    const d = decide(s, catalog, "ad_free", context());
    expect(d.reasons).toEqual([
      {
        code: "NOT_YET_EFFECTIVE",
        cause: "rule_condition",
        message: "No ads takes effect on 2026-12-01 20:00 (Asia/Shanghai).",
        details: { effectiveFrom: "2026-12-01T12:00:00.000Z" },
        remedy: { actor: "member", action: "wait", until: "2026-12-01T12:00:00.000Z" },
      },
    ]);
    expect(d.grant).toEqual({
      tier: "vip",
      effectiveFrom: "2026-12-01T12:00:00.000Z",
      expiresAt: "2026-12-31T12:00:00.000Z",
      catalogVersion: 3,
    });
  });

  it("STATE_INCONSISTENT when an active membership's tier includes the benefit but nothing was granted", () => {
    const s = snapshot({ memberships: [membership({ id: "mv", tier: "vip" })] });
    const { en, zh } = both(s, "ad_free");
    expect(en.reasons).toEqual([
      {
        code: "STATE_INCONSISTENT",
        cause: "system_fault",
        message:
          "We found a problem in the records behind your No ads and are fixing it. If it is not back soon, contact support.",
        details: { problem: "grant_missing", membershipId: "mv", tier: "vip" },
        remedy: { actor: "member", action: "contact_support" },
      },
    ]);
    expect(zh.reasons[0].message).toBe("系统发现您的免广告记录异常，正在修复；如未尽快恢复，请联系客服");
  });

  it("NO_MEMBERSHIP for a registered member with nothing at all, in both locales", () => {
    const { en, zh } = both(snapshot(), "vip_zone");
    expect(en.reasons).toEqual([
      {
        code: "NO_MEMBERSHIP",
        cause: "membership_status",
        message: "VIP zone is a member benefit of VIP or SVIP. Become a member to use it.",
        details: { tiers: ["vip", "svip"] },
        remedy: { actor: "member", action: "pay" },
      },
    ]);
    expect(zh.reasons[0].message).toBe("VIP专区是VIP会员或超级会员专享权益，开通会员后即可使用");
  });

  it("adds the stale-cache advisory to a denial without a grant", () => {
    const d = decide(snapshot(), catalog, "ad_free", context({ client: { entitlementsVersion: 3 } }));
    expect(codes(d)).toEqual(["NO_MEMBERSHIP", "CLIENT_CACHE_STALE"]);
    expect(d.allowed).toBe(false);
  });
});
