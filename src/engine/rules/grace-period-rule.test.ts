import { describe, expect, it } from "vitest";
import { decide } from "../decide.js";
import { context, fixtureCatalog, grant, membership, snapshot, T } from "../engine-fixtures.js";

const catalog = fixtureCatalog();
const expiresAt = T.start + 30 * T.day;
const graceEndsAt = expiresAt + 3 * T.day;

/** A vip member whose membership expires at `expiresAt`, with a grace period of three days (or none). */
function member(grace: number | null) {
  const m = membership({ id: "ms", tier: "vip", expiresAt, graceEndsAt: grace });
  return snapshot({
    memberships: [m],
    grants: [grant({ benefit: "ad_free", membershipId: "ms", expiresAt })],
  });
}

const codes = (at: number, grace: number | null = graceEndsAt) =>
  decide(member(grace), catalog, "ad_free", context({ at })).reasons.map((r) => r.code);

describe("grace-period rule", () => {
  it("keeps the benefit on during the grace period, with an advisory that says until when", () => {
    expect(codes(expiresAt - 1)).toEqual(["GRANTED"]);
    const inGrace = decide(member(graceEndsAt), catalog, "ad_free", context({ at: expiresAt }));
    expect(inGrace.allowed).toBe(true);
    expect(inGrace.reasons.map((r) => r.code)).toEqual(["GRANTED", "MEMBERSHIP_IN_GRACE"]);
    expect(inGrace.reasons[1]).toMatchObject({
      cause: "membership_status",
      details: {
        tier: "vip",
        expiredAt: new Date(expiresAt).toISOString(),
        graceEndsAt: new Date(graceEndsAt).toISOString(),
      },
      remedy: { actor: "member", action: "pay" },
    });
    expect(inGrace.reasons[1].message).toContain("grace period");
  });

  it("ends with MEMBERSHIP_EXPIRED at the end of the grace period, naming both dates", () => {
    const after = decide(member(graceEndsAt), catalog, "ad_free", context({ at: graceEndsAt }));
    expect(after.allowed).toBe(false);
    expect(after.reasons[0]).toMatchObject({
      code: "MEMBERSHIP_EXPIRED",
      details: {
        expiredAt: new Date(expiresAt).toISOString(),
        graceEndedAt: new Date(graceEndsAt).toISOString(),
      },
    });
  });

  it("without a grace period the benefit stops at expiry", () => {
    expect(codes(expiresAt, null)).toEqual(["MEMBERSHIP_EXPIRED"]);
  });

  it("a grant that ended before the membership's expiry gets no grace", () => {
    const m = membership({ id: "ms", tier: "vip", expiresAt, graceEndsAt });
    const s = snapshot({
      memberships: [m],
      grants: [grant({ benefit: "ad_free", membershipId: "ms", expiresAt: expiresAt - T.day })],
    });
    expect(decide(s, catalog, "ad_free", context({ at: expiresAt })).allowed).toBe(false);
  });
});
