/** `activation`: `claim` benefits must be claimed once per membership period, `toggle` ones switched on. */
import { type GrantRule, staticFailure } from "./rule-types.js";

const CLAIM_REQUIRED = staticFailure("CLAIM_REQUIRED", { actor: "member", action: "claim" });
const TOGGLE_OFF = staticFailure("TOGGLE_OFF", { actor: "member", action: "toggle_on" });

export const activationRule: GrantRule = {
  code: "activation",
  blocking: true,
  needsGrant: true,
  reasons: ["CLAIM_REQUIRED", "TOGGLE_OFF"],
  step: "benefit_rules",
  fields: ["rules.activation"],
  check({ benefit, grant }) {
    const activation = benefit.activation;
    if (activation === "claim") return grant.claimedAt === null ? CLAIM_REQUIRED : null;
    if (activation === "toggle") return grant.toggledOn ? null : TOGGLE_OFF;
    return null;
  },
};
