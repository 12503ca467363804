/** Which grant, if any, covers a benefit at an instant. Loops over small arrays: no allocation. */
import type { CompiledCatalog } from "../catalog/catalog-types.js";
import type { GrantView, MemberSnapshot, MembershipView } from "./engine-types.js";

export function membershipById(snapshot: MemberSnapshot, id: string): MembershipView | null {
  const memberships = snapshot.memberships;
  for (let i = 0; i < memberships.length; i++) {
    if (memberships[i].id === id) return memberships[i];
  }
  return null;
}

/** When benefits stop: the end of the grace period if the plan has one, else the expiry. */
export function membershipEnd(membership: Pick<MembershipView, "expiresAt" | "graceEndsAt">): number {
  return membership.graceEndsAt ?? membership.expiresAt;
}

/** Stored `active`, started, and not yet past its expiry (or the grace period after it). */
export function isMembershipActive(membership: MembershipView, at: number): boolean {
  return membership.status === "active" && membership.startsAt <= at && at < membershipEnd(membership);
}

/** Expired but still within its grace period: benefits are on, and the member is told to renew. */
export function isInGrace(
  membership: Pick<MembershipView, "expiresAt" | "graceEndsAt">,
  at: number,
): boolean {
  return membership.graceEndsAt !== null && membership.expiresAt <= at && at < membership.graceEndsAt;
}

/**
 * A grant that may cover the benefit at `at` (its own status and expiry; the membership is checked
 * apart). A grant that runs to the membership's expiry also runs through its grace period.
 */
export function isGrantLive(grant: GrantView, at: number, membership: MembershipView | null = null): boolean {
  if (grant.status !== "active") return false;
  if (at < grant.expiresAt) return true;
  return (
    membership !== null &&
    membership.graceEndsAt !== null &&
    grant.expiresAt >= membership.expiresAt &&
    at < membership.graceEndsAt
  );
}

function rankOf(catalog: CompiledCatalog, tier: string): number {
  return catalog.tiers.get(tier)?.rank ?? Number.NEGATIVE_INFINITY;
}

/** Whether grant `a` should be considered rather than `b`: already effective, then higher tier, then longer. */
function prefer(a: GrantView, b: GrantView, catalog: CompiledCatalog, at: number): boolean {
  const aEffective = a.effectiveFrom <= at;
  if (aEffective !== b.effectiveFrom <= at) return aEffective;
  const aRank = rankOf(catalog, a.tier);
  const bRank = rankOf(catalog, b.tier);
  if (aRank !== bRank) return aRank > bRank;
  if (!aEffective && a.effectiveFrom !== b.effectiveFrom) return a.effectiveFrom < b.effectiveFrom;
  return a.expiresAt > b.expiresAt;
}

/**
 * The grant that covers the benefit at `at`: grant active and unexpired, its membership active and
 * started. Among several, the one already effective, then the highest tier rank. null when none.
 */
export function findCoveringGrant(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  grants: readonly GrantView[],
  at: number,
): GrantView | null {
  let best: GrantView | null = null;
  for (let i = 0; i < grants.length; i++) {
    const grant = grants[i];
    if (grant.status !== "active") continue;
    const membership = membershipById(snapshot, grant.membershipId);
    if (membership === null || !isMembershipActive(membership, at) || !isGrantLive(grant, at, membership))
      continue;
    if (best === null || prefer(grant, best, catalog, at)) best = grant;
  }
  return best;
}
