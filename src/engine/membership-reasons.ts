/**
 * Why no grant covers a benefit: the membership-level reasons, all that apply, most actionable first —
 * PAYMENT_PENDING, NOT_YET_EFFECTIVE (a membership that starts later), STATE_INCONSISTENT (an active
 * membership whose tier includes the benefit but no grant), TIER_NOT_ELIGIBLE, MEMBERSHIP_REVOKED or
 * MEMBERSHIP_EXPIRED (the most recent ended membership that included it), else NO_MEMBERSHIP.
 */
import type { CompiledBenefit, CompiledCatalog } from "../catalog/catalog-types.js";
import { isGrantLive, isMembershipActive, membershipById } from "./covering-grant.js";
import type { GrantView, MemberSnapshot, MembershipView, PendingOrderView } from "./engine-types.js";
import type { RuleFailure } from "./rules/rule-types.js";
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
    : membership.expiresAt;
}

const memo = new WeakMap<object, WeakMap<CompiledBenefit, Map<string, RuleFailure>>>();

/**
 * A failure whose content depends only on `owner` (a row of the cached snapshot, or the benefit
 * itself) and the benefit: built once, frozen and shared, so its localized reason and JSON are
 * built once too (see toReason in decide.ts). A new snapshot brings new owners.
 */
function memoized(
  owner: object,
  benefit: CompiledBenefit,
  code: string,
  build: () => RuleFailure,
): RuleFailure {
  let byBenefit = memo.get(owner);
  if (byBenefit === undefined) {
    byBenefit = new WeakMap();
    memo.set(owner, byBenefit);
  }
  let byCode = byBenefit.get(benefit);
  if (byCode === undefined) {
    byCode = new Map();
    byBenefit.set(benefit, byCode);
  }
  let failure = byCode.get(code);
  if (failure === undefined) {
    const built = build();
    failure = Object.freeze({ ...built, details: Object.freeze(built.details) });
    byCode.set(code, failure);
  }
  return failure;
}

function noMembership(benefit: CompiledBenefit): RuleFailure {
  return memoized(benefit, benefit, "NO_MEMBERSHIP", () => ({
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
      memoized(pending, benefit, "PAYMENT_PENDING", () => ({
        code: "PAYMENT_PENDING",
        details: { orderId: pending.orderId, since: isoTime(pending.createdAt), plan: pending.plan },
        remedy: PLATFORM_WAIT,
      })),
    );
  }

  const scheduled = scheduledGrant(snapshot, code, at);
  if (scheduled !== null) {
    failures.push(
      memoized(scheduled.grant, benefit, "NOT_YET_EFFECTIVE", () => {
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
    } else if (includes && (m.status === "revoked" || m.expiresAt <= at)) {
      if (
        ended === null ||
        m.startsAt > ended.startsAt ||
        (m.startsAt === ended.startsAt && endOf(m) > endOf(ended))
      ) {
        ended = m;
      }
    }
  }

  if (activeIncluding !== null) {
    // Paid and active, yet nothing granted: drift between tables, for reconciliation to repair.
    const membership = activeIncluding;
    failures.push(
      memoized(membership, benefit, "STATE_INCONSISTENT", () => ({
        code: "STATE_INCONSISTENT",
        details: { problem: "grant_missing", membershipId: membership.id, tier: membership.tier },
        remedy: CONTACT_SUPPORT,
      })),
    );
  } else {
    const other = activeOther;
    if (other !== null) {
      failures.push(
        memoized(other, benefit, "TIER_NOT_ELIGIBLE", () => ({
          code: "TIER_NOT_ELIGIBLE",
          details: { tier: other.tier, tiers: benefit.tiers },
          remedy: UPGRADE,
        })),
      );
    }
    const last = ended;
    if (last?.status === "revoked") {
      failures.push(
        memoized(last, benefit, "MEMBERSHIP_REVOKED", () => ({
          code: "MEMBERSHIP_REVOKED",
          details: { revokedAt: isoTime(endOf(last)), orderId: last.sourceOrderId, tier: last.tier },
          remedy: PAY,
        })),
      );
    } else if (last !== null) {
      failures.push(
        memoized(last, benefit, "MEMBERSHIP_EXPIRED", () => ({
          code: "MEMBERSHIP_EXPIRED",
          details: { expiredAt: isoTime(last.expiresAt), tier: last.tier },
          remedy: PAY,
        })),
      );
    }
  }

  if (failures.length === 0) failures.push(noMembership(benefit));
  return { failures, grant: scheduled?.grant ?? null };
}
