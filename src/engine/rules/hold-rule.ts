/**
 * `hold`: an open risk hold that covers the benefit denies it, whatever the grant says, with the
 * hold's reason and the way out (verify identity, or contact support). It runs only against a
 * covering grant: a member without one is told about their membership, not about a hold on
 * benefits they do not have. Step `membership_status`: a hold is a state of the member's account.
 */
import type { HoldView } from "../engine-types.js";
import { isoTime } from "../time-format.js";
import { type GrantRule, sharedFailure } from "./rule-types.js";

function covers(hold: HoldView, benefit: string): boolean {
  return hold.benefits === null || hold.benefits.includes(benefit);
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
    // The oldest covering hold, unless one only support can clear: verifying would not help then,
    // so that is what the member must hear about.
    let chosen: HoldView | null = null;
    for (let i = 0; i < holds.length; i++) {
      const hold = holds[i];
      if (!covers(hold, benefit.code)) continue;
      if (chosen === null || (chosen.clearMethod !== "agent" && hold.clearMethod === "agent")) chosen = hold;
    }
    if (chosen === null) return null;
    const hold = chosen;
    // Everything in the failure follows from the hold row (a snapshot's own object) and the benefit.
    return sharedFailure(hold, benefit, "", () => ({
      code: "ACCOUNT_ON_HOLD",
      details: {
        holdId: hold.id,
        holdReason: hold.reason,
        placedAt: isoTime(hold.placedAt),
        clearMethod: hold.clearMethod,
      },
      remedy:
        hold.clearMethod === "verify_identity"
          ? { actor: "member", action: "verify_identity" }
          : { actor: "support", action: "contact_support" },
    }));
  },
};
