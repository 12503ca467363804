/**
 * `hold`: an open risk hold that covers the benefit denies it, whatever the grant says, with the
 * hold's reason and the way out (verify identity, or contact support). It runs only against a
 * covering grant: a member without one is told about their membership, not about a hold on
 * benefits they do not have. Step `membership_status`: a hold is a state of the member's account.
 */
import type { HoldView } from "../engine-types.js";
import { isoTime } from "../time-format.js";
import { type GrantRule, sharedFailure } from "./rule-types.js";

/**
 * The hold that blocks something covered by `benefit` (null: covered only by holds on every benefit):
 * the oldest covering one, unless one only support can clear — verifying would not help then, so
 * that is what the member must hear about. Coupons use it too, with the benefit that issued them.
 */
export function blockingHold(holds: readonly HoldView[], benefit: string | null): HoldView | null {
  let chosen: HoldView | null = null;
  for (let i = 0; i < holds.length; i++) {
    const hold = holds[i];
    if (hold.benefits !== null && (benefit === null || !hold.benefits.includes(benefit))) continue;
    if (chosen === null || (chosen.clearMethod !== "agent" && hold.clearMethod === "agent")) chosen = hold;
  }
  return chosen;
}

/** ACCOUNT_ON_HOLD's details and remedy: the hold's reason and the way out. */
export function holdFailureParts(hold: HoldView) {
  return {
    details: {
      holdId: hold.id,
      holdReason: hold.reason,
      placedAt: isoTime(hold.placedAt),
      clearMethod: hold.clearMethod,
    },
    remedy:
      hold.clearMethod === "verify_identity"
        ? ({ actor: "member", action: "verify_identity" } as const)
        : ({ actor: "support", action: "contact_support" } as const),
  };
}

export const holdRule: GrantRule = {
  code: "hold",
  blocking: true,
  needsGrant: true,
  reasons: ["ACCOUNT_ON_HOLD"],
  step: "membership_status",
  // About the account, not the benefit's rules: no catalog change can cause it.
  fields: [],
  check({ snapshot, benefit }) {
    const holds = snapshot.holds;
    if (holds.length === 0) return null;
    const hold = blockingHold(holds, benefit.code);
    if (hold === null) return null;
    // Everything in the failure follows from the hold row (a snapshot's own object) and the benefit.
    return sharedFailure(hold, benefit, "", () => ({ code: "ACCOUNT_ON_HOLD", ...holdFailureParts(hold) }));
  },
};
