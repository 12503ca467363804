import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import {
  context,
  fixtureCatalog,
  grant,
  hold,
  membership,
  pendingOrder,
  snapshot,
  T,
} from "./engine-fixtures.js";
import { snapshotFromWire, snapshotToWire } from "./snapshot-wire.js";

describe("member snapshot wire form", () => {
  const full = snapshot({
    locale: "en",
    memberships: [
      membership({ id: "ms1", tier: "vip", graceEndsAt: T.end + 3 * 86_400_000 }),
      membership({
        id: "ms0",
        tier: "vip",
        status: "revoked",
        revokedAt: T.start - 1000,
        expiresAt: T.start,
      }),
    ],
    grants: [
      grant({ benefit: "ad_free", membershipId: "ms1" }),
      grant({ benefit: "monthly_gift", membershipId: "ms1", claimedAt: T.start + 5 }),
      grant({ benefit: "cloud_storage", membershipId: "ms1", quotaUsed: 7, quotaResetsAt: T.nextDay }),
      grant({ benefit: "member_discount", membershipId: "ms1", rulesVersion: 2, rulesUntil: T.end }),
    ],
    pendingOrders: [pendingOrder({ orderId: "o2" })],
    holds: [hold({ id: "h1", benefits: ["vip_zone"] })],
    latestSession: { platform: "ios", version: "5.0.0", entitlementsVersion: 16, reportedAt: T.now - 60_000 },
  });

  it("survives JSON: times become ISO strings and come back as the same instants", () => {
    const wire = JSON.parse(JSON.stringify(snapshotToWire(full)));
    expect(wire.memberships[0]).toMatchObject({ startsAt: new Date(T.start).toISOString(), revokedAt: null });
    expect(wire.grants[2]).toMatchObject({ quotaUsed: 7, quotaResetsAt: new Date(T.nextDay).toISOString() });
    expect(wire).not.toHaveProperty("grantsByBenefit");
    expect(snapshotFromWire(wire)).toEqual(full);
  });

  it("decides the same after the round trip", () => {
    const catalog = fixtureCatalog();
    const back = snapshotFromWire(JSON.parse(JSON.stringify(snapshotToWire(full))));
    for (const benefit of catalog.benefits.keys()) {
      const ctx = context({ at: T.now, locale: "en" });
      expect(decide(back, catalog, benefit, ctx)).toEqual(decide(full, catalog, benefit, ctx));
    }
  });
});
