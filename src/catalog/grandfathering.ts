import type { MemberRange } from "../db/member-range.js";
import type { Stores } from "../db/stores.js";
import type { CatalogPolicy } from "./catalog-types.js";

/**
 * A version's policy for the grants it changes, over one range of members: `grandfather` keeps
 * their rules of the version before until their membership's current expiry; `apply_now` ends any
 * grandfathering, so they decide by the rules in force. How many grants were marked or cleared.
 */
export function applyVersionPolicy(
  stores: Pick<Stores, "ruleChanges">,
  policy: CatalogPolicy,
  pairs: { tier: string; benefit: string }[],
  version: number,
  at: Date,
  range: MemberRange,
): Promise<number> {
  return policy === "grandfather"
    ? stores.ruleChanges.markGrandfathered(pairs, version, version - 1, at, range)
    : stores.ruleChanges.clearGrandfathered(pairs, at, range);
}
