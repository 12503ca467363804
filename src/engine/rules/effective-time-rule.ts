/** `effective-time`: a grant is usable only from its effectiveFrom (e.g. `next_day`, `PT24H` delays). */
import { isoTime } from "../time-format.js";
import { type GrantRule, sharedFailure } from "./rule-types.js";

export const effectiveTimeRule: GrantRule = {
  code: "effective-time",
  blocking: true,
  needsGrant: true,
  reasons: ["NOT_YET_EFFECTIVE"],
  step: "benefit_rules",
  // A grant's effectiveFrom is fixed when it is granted, by the rules of its own catalog version: a
  // later change of `rules.effective` cannot be why it is not effective yet.
  fields: [],
  check({ grant, benefit, ctx }) {
    if (grant.effectiveFrom <= ctx.at) return null;
    return sharedFailure(grant, benefit, "", () => {
      const effectiveFrom = isoTime(grant.effectiveFrom);
      return {
        code: "NOT_YET_EFFECTIVE",
        details: { effectiveFrom },
        remedy: { actor: "member", action: "wait", until: effectiveFrom },
      };
    });
  },
};
