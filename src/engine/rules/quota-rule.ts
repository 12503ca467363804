/**
 * `quota`: a quota benefit is usable while its use in the current period leaves room. With
 * `context.usage` the question is "may I consume this much?" (used + usage ≤ limit); without it,
 * "is anything left?" (used < limit). Step `benefit_rules`: exhaustion is a state of the member's
 * grant under the benefit's limit, not a property of the product or channel of the request.
 */
import { quotaResetAt, quotaUsedAt } from "../quota-usage.js";
import { isoTime } from "../time-format.js";
import { type GrantRule, sharedFailure } from "./rule-types.js";

export const quotaRule: GrantRule = {
  code: "quota",
  blocking: true,
  needsGrant: true,
  reasons: ["QUOTA_EXHAUSTED"],
  step: "benefit_rules",
  fields: ["quota"],
  check({ benefit, grant, ctx }) {
    const quota = benefit.quota;
    if (quota === null) return null;
    const at = ctx.at;
    const used = quotaUsedAt(grant, at);
    const requested = ctx.usage ?? 0;
    const limit = quota.limit;
    if (requested > 0 ? used + requested <= limit : used < limit) return null;
    const resetsAt = quotaResetAt(grant, at);
    // Everything in the failure follows from the grant row (used, reset time), the benefit (limit,
    // unit) and the key: `used` is in the key because a period that ended counts as unused.
    return sharedFailure(grant, benefit, `${used}:${requested}:${resetsAt ?? ""}`, () => {
      const resetAt = resetsAt === null ? null : isoTime(resetsAt);
      // Waiting helps only when the next period can hold the request.
      const waitHelps = resetAt !== null && requested <= limit;
      return {
        code: "QUOTA_EXHAUSTED",
        details: { limit, used, requested, unit: quota.unit, resetAt },
        remedy: waitHelps
          ? { actor: "member", action: "wait", until: resetAt }
          : { actor: "member", action: "upgrade_tier" },
      };
    });
  },
};
