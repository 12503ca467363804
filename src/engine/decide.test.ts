import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { activeMember, context, fixtureCatalog, grant, membership, snapshot, T } from "./engine-fixtures.js";
import type { Decision } from "./engine-types.js";

const catalog = fixtureCatalog();
const vip = activeMember(catalog, "vip", {}, { toggledOn: true, claimedAt: T.start });
const codes = (d: Decision) => d.reasons.map((r) => r.code);
const VIP_GRANT = {
  tier: "vip",
  effectiveFrom: "2026-11-24T02:00:00.000Z",
  expiresAt: "2026-12-24T02:00:00.000Z",
  catalogVersion: 3,
};

describe("decide: allowed", () => {
  it("grants a covered benefit with the GRANTED reason and the grant considered", () => {
    expect(decide(vip, catalog, "ad_free", context())).toEqual({
      memberId: "m1",
      benefit: "ad_free",
      allowed: true,
      reasons: [
        {
          code: "GRANTED",
          cause: null,
          message: "No ads is active.",
          details: {},
          remedy: { actor: "member", action: "none" },
        },
      ],
      grant: VIP_GRANT,
      entitlementsVersion: 17,
    });
    expect(decide(vip, catalog, "ad_free", context({ locale: "zh-CN" })).reasons[0].message).toBe(
      "免广告已生效",
    );
  });

  it("adds CLIENT_CACHE_STALE after GRANTED without denying", () => {
    const ctx = context({ client: { platform: "ios", version: "6.0.0", entitlementsVersion: 12 } });
    const d = decide(vip, catalog, "ad_free", ctx);
    expect(d.allowed).toBe(true);
    expect(codes(d)).toEqual(["GRANTED", "CLIENT_CACHE_STALE"]);
    expect(d.reasons[1]).toEqual({
      code: "CLIENT_CACHE_STALE",
      cause: "client_stale",
      message: "Your app is showing out-of-date membership information. Pull to refresh or reopen the app.",
      details: { clientVersion: 12, serverVersion: 17 },
      remedy: { actor: "member", action: "refresh_client" },
    });
    const zh = decide(vip, catalog, "ad_free", { ...ctx, locale: "zh-CN" });
    expect(zh.reasons[1].message).toBe("您的App显示的会员信息不是最新的，请下拉刷新或重新打开App");
  });

  it("returns a fresh reasons array each time, so a caller's edit cannot leak into later decisions", () => {
    const first = decide(vip, catalog, "ad_free", context());
    first.reasons.push(first.reasons[0]);
    expect(decide(vip, catalog, "ad_free", context()).reasons).toHaveLength(1);
    expect(Object.isFrozen(first.reasons[0])).toBe(true);
  });
});

describe("decide: edge times", () => {
  it("is effective at exactly effectiveFrom and not one millisecond before", () => {
    expect(decide(vip, catalog, "member_discount", context({ at: T.nextDay })).allowed).toBe(true);
    const before = decide(vip, catalog, "member_discount", context({ at: T.nextDay - 1 }));
    expect(before.allowed).toBe(false);
    expect(before.reasons).toEqual([
      {
        code: "NOT_YET_EFFECTIVE",
        cause: "rule_condition",
        message: "Member discount takes effect on 2026-11-25 00:00 (Asia/Shanghai).",
        details: { effectiveFrom: "2026-11-24T16:00:00.000Z" },
        remedy: { actor: "member", action: "wait", until: "2026-11-24T16:00:00.000Z" },
      },
    ]);
    expect(before.grant).toEqual({ ...VIP_GRANT, effectiveFrom: "2026-11-24T16:00:00.000Z" });
    const zh = decide(vip, catalog, "member_discount", context({ at: T.nextDay - 1, locale: "zh-CN" }));
    expect(zh.reasons[0].message).toBe("会员折扣将于2026-11-25 00:00 (Asia/Shanghai)生效");
  });

  it("covers until one millisecond before expiresAt; at expiresAt the membership has expired", () => {
    expect(decide(vip, catalog, "ad_free", context({ at: T.end - 1 })).allowed).toBe(true);
    const at = decide(vip, catalog, "ad_free", context({ at: T.end }));
    expect(at.allowed).toBe(false);
    expect(at.grant).toBeNull();
    expect(at.reasons).toEqual([
      {
        code: "MEMBERSHIP_EXPIRED",
        cause: "membership_status",
        message:
          "Your VIP membership expired on 2026-12-24 10:00 (Asia/Shanghai). Renew it to use No ads again.",
        details: { expiredAt: "2026-12-24T02:00:00.000Z", tier: "vip" },
        remedy: { actor: "member", action: "pay" },
      },
    ]);
  });

  it("covers from the membership's first millisecond", () => {
    expect(decide(vip, catalog, "ad_free", context({ at: T.start })).allowed).toBe(true);
  });
});

describe("decide: several reasons", () => {
  it("collects every failing rule, blocking reasons first, advisories last", () => {
    const d = decide(
      vip,
      catalog,
      "member_discount",
      context({
        at: T.start + T.hour,
        product: { id: "b7", category: "books", onSale: true },
        client: { platform: "android", version: "6.0.0", entitlementsVersion: 16 },
      }),
    );
    expect(d.allowed).toBe(false);
    expect(codes(d)).toEqual(["NOT_YET_EFFECTIVE", "OUT_OF_SCOPE", "CLIENT_CACHE_STALE"]);
    expect(d.reasons[1].details).toEqual({
      dimension: "sale_item",
      rule: "exclude",
      expected: false,
      actual: true,
    });
  });

  it("reports a client problem alone, and a claim problem with the advisory after it", () => {
    const unclaimed = activeMember(catalog);
    const d = decide(
      unclaimed,
      catalog,
      "vip_zone",
      context({ client: { platform: "web", version: "5.1.9", entitlementsVersion: 17 } }),
    );
    expect(codes(d)).toEqual(["CLIENT_OUTDATED"]);
    const gift = decide(unclaimed, catalog, "monthly_gift", context({ client: { entitlementsVersion: 1 } }));
    expect(codes(gift)).toEqual(["CLAIM_REQUIRED", "CLIENT_CACHE_STALE"]);
  });
});

describe("decide: which grant covers", () => {
  const vipM = membership({ id: "mv", tier: "vip" });
  const svipM = membership({ id: "ms", tier: "svip", startsAt: T.now - T.hour });

  it("prefers the highest tier among effective grants", () => {
    const s = snapshot({
      memberships: [vipM, svipM],
      grants: [
        grant({ benefit: "ad_free", membershipId: "mv", tier: "vip" }),
        grant({ benefit: "ad_free", membershipId: "ms", tier: "svip", effectiveFrom: svipM.startsAt }),
      ],
    });
    expect(decide(s, catalog, "ad_free", context()).grant?.tier).toBe("svip");
  });

  it("prefers a grant already effective over a higher tier's grant that is not", () => {
    const s = snapshot({
      memberships: [vipM, svipM],
      grants: [
        grant({ benefit: "member_discount", membershipId: "mv", tier: "vip", effectiveFrom: T.nextDay }),
        grant({ benefit: "member_discount", membershipId: "ms", tier: "svip", effectiveFrom: T.now + T.day }),
      ],
    });
    const d = decide(s, catalog, "member_discount", context());
    expect(d.allowed).toBe(true);
    expect(d.grant?.tier).toBe("vip");
  });

  it("ignores ended grants and grants of revoked memberships", () => {
    const revoked = membership({ id: "mr", tier: "svip", status: "revoked", revokedAt: T.now - T.day });
    const s = snapshot({
      memberships: [revoked],
      grants: [grant({ benefit: "ad_free", membershipId: "mr", tier: "svip", status: "ended" })],
    });
    expect(codes(decide(s, catalog, "ad_free", context()))).toEqual(["MEMBERSHIP_REVOKED"]);
  });
});

describe("decide: unknown member", () => {
  it("answers NO_MEMBERSHIP naming the tiers that include the benefit", () => {
    const ghost = snapshot({ memberId: "ghost", exists: false, entitlementsVersion: 0 });
    const d = decide(ghost, catalog, "ad_free", context());
    expect(d).toEqual({
      memberId: "ghost",
      benefit: "ad_free",
      allowed: false,
      reasons: [
        {
          code: "NO_MEMBERSHIP",
          cause: "membership_status",
          message: "No ads is a member benefit of Basic, VIP or SVIP. Become a member to use it.",
          details: { tiers: ["basic", "vip", "svip"] },
          remedy: { actor: "member", action: "pay" },
        },
      ],
      grant: null,
      entitlementsVersion: 0,
    });
    expect(decide(ghost, catalog, "priority_support", context({ locale: "zh-CN" })).reasons[0].message).toBe(
      "Priority support是超级会员专享权益，开通会员后即可使用",
    );
  });

  it("ignores whatever grants an unregistered member's snapshot might carry", () => {
    const ghost = { ...vip, exists: false };
    expect(codes(decide(ghost, catalog, "ad_free", context()))).toEqual(["NO_MEMBERSHIP"]);
  });
});
