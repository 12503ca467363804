import { describe, expect, it } from "vitest";
import { couponState } from "./coupon-state.js";
import type { MemberCouponView } from "./coupon-types.js";

const base: MemberCouponView = {
  id: "cpn_1",
  memberId: "m1",
  template: "t",
  benefit: "monthly_coupons",
  issuedAt: 1_000,
  claimedAt: 1_000,
  validFrom: 1_000,
  validUntil: 5_000,
  status: "issued",
  orderRef: null,
};

describe("couponState", () => {
  it("is available inside the window once claimed, expired at its end", () => {
    expect(couponState(base, 4_999)).toBe("available");
    expect(couponState(base, 5_000)).toBe("expired");
  });
  it("is unclaimed until claimed, expired when the claim deadline passes", () => {
    const unclaimed = { ...base, claimedAt: null };
    expect(couponState(unclaimed, 2_000)).toBe("unclaimed");
    expect(couponState(unclaimed, 6_000)).toBe("expired");
  });
  it("shows locked and used whatever the time", () => {
    expect(couponState({ ...base, status: "locked", orderRef: "o1" }, 9_000)).toBe("locked");
    expect(couponState({ ...base, status: "used", orderRef: "o1" }, 9_000)).toBe("used");
  });
  it("never expires without an end", () => {
    expect(couponState({ ...base, validUntil: null }, Number.MAX_SAFE_INTEGER)).toBe("available");
  });
});
