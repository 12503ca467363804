/**
 * Why no grant covers a benefit: the membership-level reasons, all that apply, most actionable first —
 * PAYMENT_PENDING, NOT_YET_EFFECTIVE (a membership that starts later), STATE_INCONSISTENT (an active
 * membership whose tier includes the benefit but no grant), TIER_NOT_ELIGIBLE, MEMBERSHIP_REVOKED or
 * MEMBERSHIP_EXPIRED (the most recent ended membership that included it), else NO_MEMBERSHIP.
 */
import { tierBenefitKey } from "../catalog/catalog-history.js";
import type { CompiledBenefit, CompiledCatalog } from "../catalog/catalog-types.js";
import { isGrantLive, isMembershipActive, membershipById, membershipEnd } from "./covering-grant.js";
import type { GrantView, MemberSnapshot, MembershipView, PendingOrderView } from "./engine-types.js";
import { type RuleFailure, sharedFailure } from "./rules/rule-types.js";
import { isoTime } from "./time-format.js";

export interface MembershipFindings {
  failures: RuleFailure[];
  /** A grant of a membership that has not started yet (NOT_YET_EFFECTIVE), else null. */
  grant: GrantView | null;
}

const PAY = Object.freeze({ actor: "member", action: "pay" } as const);
const UPGRADE = Object.freeze({ actor: "member", action: "upgrade_tier" } as const);
const PLATFORM_WAIT = Object.freeze({ actor: "platform", action: "wait" } as const);
const CONTACT_SUPPORT = Object.freeze({ actor: "member", action: "contact_support" } as const);

function tierIncludes(catalog: CompiledCatalog, tier: string, benefit: string): boolean {
  return catalog.tiers.get(tier)?.benefits.has(benefit) === true;
}

function orderCovers(catalog: CompiledCatalog, order: PendingOrderView, benefit: string): boolean {
  if (catalog.tiers.has(order.tier)) return tierIncludes(catalog, order.tier, benefit);
  const planTier = catalog.plans.get(order.plan)?.tier;
  return planTier !== undefined && tierIncludes(catalog, planTier, benefit);
}

function rankOf(catalog: CompiledCatalog, tier: string): number {
  return catalog.tiers.get(tier)?.rank ?? Number.NEGATIVE_INFINITY;
}

function endOf(membership: MembershipView): number {
  return membership.status === "revoked"
    ? (membership.revokedAt ?? membership.expiresAt)
    : membershipEnd(membership);
}

/** Ended by refund or by time; an upgraded membership did not end for the member, it became another. */
function hasEnded(membership: MembershipView, at: number): boolean {
  return (
    membership.status === "revoked" ||
    membership.status === "expired" ||
    (membership.status === "active" && membershipEnd(membership) <= at)
  );
}

function noMembership(benefit: CompiledBenefit): RuleFailure {
  return sharedFailure(benefit, benefit, "NO_MEMBERSHIP", () => ({
    code: "NO_MEMBERSHIP",
    details: { tiers: benefit.tiers },
    remedy: PAY,
  }));
}

function latestPendingOrder(snapshot: MemberSnapshot, catalog: CompiledCatalog, benefit: string) {
  let latest: PendingOrderView | null = null;
  for (const order of snapshot.pendingOrders) {
    if (!orderCovers(catalog, order, benefit)) continue;
    if (latest === null || order.createdAt > latest.createdAt) latest = order;
  }
  return latest;
}

/** The earliest-starting live grant of a membership that is active but has not started. */
function scheduledGrant(snapshot: MemberSnapshot, benefit: string, at: number) {
  let found: { grant: GrantView; from: number } | null = null;
  for (const grant of snapshot.grantsByBenefit.get(benefit) ?? []) {
    if (!isGrantLive(grant, at)) continue;
    const membership = membershipById(snapshot, grant.membershipId);
    if (membership === null || membership.status !== "active" || membership.startsAt <= at) continue;
    const from = Math.max(grant.effectiveFrom, membership.startsAt);
    if (found === null || from < found.from) found = { grant, from };
  }
  return found;
}

/** The membership-level reasons for a benefit no grant covers at `at`; never empty. */
export function membershipFailures(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  benefit: CompiledBenefit,
  at: number,
): MembershipFindings {
  if (!snapshot.exists) return { failures: [noMembership(benefit)], grant: null };
  const code = benefit.code;
  const failures: RuleFailure[] = [];

  const pending = latestPendingOrder(snapshot, catalog, code);
  if (pending !== null) {
    failures.push(
      sharedFailure(pending, benefit, "PAYMENT_PENDING", () => ({
        code: "PAYMENT_PENDING",
        details: { orderId: pending.orderId, since: isoTime(pending.createdAt), plan: pending.plan },
        remedy: PLATFORM_WAIT,
      })),
    );
  }

  const scheduled = scheduledGrant(snapshot, code, at);
  if (scheduled !== null) {
    failures.push(
      sharedFailure(scheduled.grant, benefit, "NOT_YET_EFFECTIVE", () => {
        const effectiveFrom = isoTime(scheduled.from);
        return {
          code: "NOT_YET_EFFECTIVE",
          details: { effectiveFrom },
          remedy: { actor: "member", action: "wait", until: effectiveFrom },
        };
      }),
    );
  }

  let activeIncluding: MembershipView | null = null;
  let activeOther: MembershipView | null = null;
  let ended: MembershipView | null = null;
  for (const m of snapshot.memberships) {
    const includes = tierIncludes(catalog, m.tier, code);
    if (isMembershipActive(m, at)) {
      if (includes) activeIncluding ??= m;
      else if (activeOther === null || rankOf(catalog, m.tier) > rankOf(catalog, activeOther.tier))
        activeOther = m;
    } else if (includes && hasEnded(m, at)) {
      if (
        ended === null ||
        m.startsAt > ended.startsAt ||
        (m.startsAt === ended.startsAt && endOf(m) > endOf(ended))
      ) {
        ended = m;
      }
    }
  }

  const added =
    activeIncluding === null
      ? undefined
      : catalog.history?.additions.get(tierBenefitKey(activeIncluding.tier, code));
  if (activeIncluding !== null && added !== undefined && activeIncluding.startsAt < added.at) {
    // The tier gained the benefit after this membership began: the catalog.activate job is creating its
    // grant right now. That is a short wait, not drift.
    failures.push(
      sharedFailure(added, benefit, "NOT_YET_EFFECTIVE", () => ({
        code: "NOT_YET_EFFECTIVE",
        details: { effectiveFrom: isoTime(added.at), addedInVersion: added.version },
        remedy: PLATFORM_WAIT,
      })),
    );
  } else if (activeIncluding !== null) {
    // Paid and active, yet nothing granted: drift between tables, for reconciliation to repair.
    const membership = activeIncluding;
    failures.push(
      sharedFailure(membership, benefit, "STATE_INCONSISTENT", () => ({
        code: "STATE_INCONSISTENT",
        details: { problem: "grant_missing", membershipId: membership.id, tier: membership.tier },
        remedy: CONTACT_SUPPORT,
      })),
    );
  } else {
    const other = activeOther;
    if (other !== null) {
      failures.push(
        sharedFailure(other, benefit, "TIER_NOT_ELIGIBLE", () => ({
          code: "TIER_NOT_ELIGIBLE",
          details: { tier: other.tier, tiers: benefit.tiers },
          remedy: UPGRADE,
        })),
      );
    }
    const last = ended;
    if (last?.status === "revoked") {
      failures.push(
        sharedFailure(last, benefit, "MEMBERSHIP_REVOKED", () => ({
          code: "MEMBERSHIP_REVOKED",
          details: { revokedAt: isoTime(endOf(last)), orderId: last.sourceOrderId, tier: last.tier },
          remedy: PAY,
        })),
      );
    } else if (last !== null) {
      failures.push(
        sharedFailure(last, benefit, "MEMBERSHIP_EXPIRED", () => ({
          code: "MEMBERSHIP_EXPIRED",
          details:
            last.graceEndsAt === null
              ? { expiredAt: isoTime(last.expiresAt), tier: last.tier }
              : {
                  expiredAt: isoTime(last.expiresAt),
                  graceEndedAt: isoTime(last.graceEndsAt),
                  tier: last.tier,
                },
          remedy: PAY,
        })),
      );
    }
  }

  if (failures.length === 0) failures.push(noMembership(benefit));
  return { failures, grant: scheduled?.grant ?? null };
}
