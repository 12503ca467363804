import type { CouponState, MemberCouponView } from "./coupon-types.js";

/** The state a member sees at `at`: used and locked win, then the claim, then the window. */
export function couponState(coupon: MemberCouponView, at: number): CouponState {
  if (coupon.status === "used") return "used";
  if (coupon.status === "locked") return "locked";
  if (coupon.validUntil !== null && at >= coupon.validUntil) return "expired";
  return coupon.claimedAt === null ? "unclaimed" : "available";
}
