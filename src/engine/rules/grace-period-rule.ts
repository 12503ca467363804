/**
 * `grace-period`: advisory, never blocking. The membership has expired but its plan's grace period
 * keeps the benefits on; the member should hear that now, with the date they stop, not after.
 */
import { isInGrace } from "../covering-grant.js";
import { isoTime } from "../time-format.js";
import { type GrantRule, sharedFailure } from "./rule-types.js";

export const gracePeriodRule: GrantRule = {
  code: "grace-period",
  blocking: false,
  needsGrant: true,
  reasons: ["MEMBERSHIP_IN_GRACE"],
  step: "membership_status",
  // About the membership's dates, not the benefit's rules: no catalog change can cause it.
  fields: [],
  check({ membership, benefit, ctx }) {
    if (!isInGrace(membership, ctx.at)) return null;
    const graceEndsAt = membership.graceEndsAt!;
    // Keyed by both dates: a renewal or refund changes them, and the row object may be reused.
    return sharedFailure(membership, benefit, `${membership.expiresAt}:${graceEndsAt}`, () => ({
      code: "MEMBERSHIP_IN_GRACE",
      details: {
        tier: membership.tier,
        expiredAt: isoTime(membership.expiresAt),
        graceEndsAt: isoTime(graceEndsAt),
      },
      remedy: { actor: "member", action: "pay" },
    }));
  },
};
