import type { CompiledCatalog, CompiledPlan } from "../catalog/catalog-types.js";
import type { Stores } from "../db/stores.js";
import { grantEffectiveFrom } from "../grants/grant-times.js";
import { newId } from "../ids.js";
import type { MemberRecord } from "../members/member-store.js";
import type { OrderRecord } from "../orders/order-store.js";
import { addIsoDuration } from "../time/durations.js";

export interface ActivationResult {
  membershipId: string;
  tier: string;
  /** The tier's benefits with their effective times (for an extension, only the missing ones were inserted). */
  grants: { benefit: string; effectiveFrom: string }[];
  periodStart: Date;
  periodEnd: Date;
  extended: boolean;
  grantsCreated: number;
}

/**
 * Activates or extends the member's membership of the plan's tier and materializes its grants.
 * Paying again for the same tier extends from the current expiry; another tier gets its own
 * membership. Runs inside the payment transaction, with the member row locked.
 */
export async function activateMembership(
  stores: Stores,
  catalog: CompiledCatalog,
  member: MemberRecord,
  order: OrderRecord,
  plan: CompiledPlan,
  now: number,
): Promise<ActivationResult> {
  // A statement of its own, after the member's row is locked: under READ COMMITTED it then sees a
  // membership that a concurrent payment just committed. Read in the locking statement itself, it
  // would come from that statement's older snapshot and a second membership would be created.
  const current = await stores.memberships.findActive(member.id, plan.tier, new Date(now));
  const periodStart = current ? current.expiresAt.getTime() : now;
  const periodEnd = addIsoDuration(periodStart, plan.period, member.timezone);
  const membershipId = current ? current.id : newId("msh");
  const startsAt = current ? current.startsAt.getTime() : now;
  // Every benefit of the tier; an extension also fills in those the tier gained since it began.
  const tier = catalog.tiers.get(plan.tier);
  const grants = [...(tier?.benefits ?? [])].map((code) => ({
    id: newId("grt"),
    memberId: member.id,
    membershipId,
    benefit: code,
    tier: plan.tier,
    effectiveFrom: new Date(grantEffectiveFrom(catalog.benefits.get(code)!, startsAt, member.timezone)),
    expiresAt: new Date(periodEnd),
    catalogVersion: catalog.version,
  }));
  let grantsCreated: number;
  if (current) {
    await stores.memberships.setExpiry(current.id, new Date(periodEnd));
    await stores.grants.setMembershipExpiry(current.id, new Date(periodEnd));
    grantsCreated = await stores.grants.insertMissing(grants);
  } else {
    const membership = {
      id: membershipId,
      memberId: member.id,
      tier: plan.tier,
      startsAt: new Date(now),
      expiresAt: new Date(periodEnd),
      sourceOrderId: order.id,
    };
    await stores.memberships.insertWithGrants(membership, grants);
    grantsCreated = grants.length;
  }
  return {
    membershipId,
    tier: plan.tier,
    periodStart: new Date(periodStart),
    periodEnd: new Date(periodEnd),
    extended: current !== null,
    grantsCreated,
    grants: grants.map((g) => ({ benefit: g.benefit, effectiveFrom: g.effectiveFrom.toISOString() })),
  };
}

/**
 * Takes back what a refunded order paid for: the membership loses that order's period, and is
 * revoked (grants ended) when no other paid order keeps it alive.
 */
export async function refundMembership(stores: Stores, order: OrderRecord, now: number) {
  if (!order.membershipId || !order.periodStart || !order.periodEnd)
    return { revoked: false, membershipId: null };
  const membership = await stores.memberships.get(order.membershipId);
  if (membership?.status !== "active") return { revoked: false, membershipId: order.membershipId };
  const remaining = (await stores.orders.paidForMembership(membership.id)).filter((o) => o.id !== order.id);
  if (remaining.length === 0) {
    await stores.memberships.revoke(membership.id, new Date(now));
    const grantsEnded = await stores.grants.endForMembership(membership.id, new Date(now), "refunded");
    return { revoked: true, membershipId: membership.id, grantsEnded };
  }
  const removed = order.periodEnd.getTime() - order.periodStart.getTime();
  const expiresAt = new Date(membership.expiresAt.getTime() - removed);
  await stores.memberships.setExpiry(membership.id, expiresAt);
  await stores.grants.setMembershipExpiry(membership.id, expiresAt);
  return { revoked: false, membershipId: membership.id, expiresAt: expiresAt.toISOString() };
}
