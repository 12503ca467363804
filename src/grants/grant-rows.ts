/**
 * A grant as the other features see it, and a new grant's row. The row builder is shared so that the
 * memberships store can insert a membership with its grants (and jobs) in one statement: a payment's
 * round trips (docs/performance.md). The shape of a grant row is still defined here, by its feature.
 */
export interface GrantRecord {
  id: string;
  memberId: string;
  membershipId: string;
  benefit: string;
  tier: string;
  status: "active" | "ended";
  effectiveFrom: Date;
  expiresAt: Date;
  catalogVersion: number;
  claimedAt: Date | null;
  toggledOn: boolean;
  /** Used in the period that ends at quotaResetsAt; a period that has ended counts as unused. */
  quotaUsed: number;
  quotaResetsAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
  /** Grandfathered: decides by this catalog version's rules until rulesUntil. */
  rulesVersion: number | null;
  rulesUntil: Date | null;
}

export type NewGrant = Pick<
  GrantRecord,
  "id" | "memberId" | "membershipId" | "benefit" | "tier" | "effectiveFrom" | "expiresAt" | "catalogVersion"
>;

/** A new grant as a row: active, not claimed, toggled off, nothing used. */
export function grantRow(g: NewGrant, now: Date) {
  return {
    id: g.id,
    member_id: g.memberId,
    membership_id: g.membershipId,
    benefit_code: g.benefit,
    tier_code: g.tier,
    status: "active",
    effective_from: g.effectiveFrom,
    expires_at: g.expiresAt,
    catalog_version: g.catalogVersion,
    updated_at: now,
  };
}
