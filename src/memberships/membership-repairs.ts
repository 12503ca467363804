import type { CompiledCatalog } from "../catalog/catalog-types.js";
import type { Stores } from "../db/stores.js";
import { addMembershipGrants, endMembershipGrants } from "../grants/membership-grants.js";
import { newGrants } from "../grants/new-grants.js";
import { lifecycleJobs } from "./lifecycle-jobs.js";
import type { MembershipRecord } from "./membership-store.js";

/**
 * Gives an active membership the grants of its tier it lacks, with the jobs of those that take
 * effect later (known job keys are not scheduled twice): how many grants were created.
 */
export async function restoreMembershipGrants(
  stores: Pick<Stores, "grants" | "jobs">,
  catalog: CompiledCatalog,
  membership: MembershipRecord,
  timezone: string,
  now: number,
): Promise<number | "tier_not_in_catalog"> {
  const tier = catalog.tiers.get(membership.tier);
  if (!tier) return "tier_not_in_catalog";
  const startsAt = membership.startsAt.getTime();
  const holder = {
    memberId: membership.memberId,
    membershipId: membership.id,
    tier: membership.tier,
    timezone,
    expiresAt: membership.expiresAt,
  };
  const grants = newGrants(catalog, catalog.version, tier.benefits, holder, startsAt);
  const created = await addMembershipGrants(stores, grants);
  await stores.jobs.schedule(
    lifecycleJobs(
      {
        id: membership.id,
        memberId: membership.memberId,
        tier: membership.tier,
        startsAt,
        expiresAt: membership.expiresAt.getTime(),
        graceEndsAt: membership.graceEndsAt?.getTime() ?? null,
      },
      grants.map((g) => g.effectiveFrom.getTime()),
      now,
    ),
  );
  return created;
}

/** Revokes a membership (if still active) and ends its grants, as a full refund does. */
export async function revokeMembership(
  stores: Pick<Stores, "memberships" | "grants">,
  membership: MembershipRecord,
  now: number,
): Promise<{ revoked: boolean; grantsEnded: number }> {
  const revoked = membership.status === "active";
  if (revoked) await stores.memberships.revoke(membership.id, new Date(now));
  const grantsEnded = await endMembershipGrants(stores, membership.id, new Date(now), "refunded");
  return { revoked, grantsEnded };
}
