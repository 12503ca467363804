/** The member centre's view: every benefit of the catalog with its state, computed with decide(). */
import type { BenefitKind, CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import type { PeriodAnchor } from "../time/usage-period.js";
import { isInGrace, membershipEnd } from "./covering-grant.js";
import { decideWithGrant } from "./decide.js";
import type { DecisionContext, MemberSnapshot, MembershipView, Reason, ReasonCode } from "./engine-types.js";
import { nextQuotaReset, quotaUsedAt } from "./quota-usage.js";
import { isoTime } from "./time-format.js";

export type BenefitState =
  | "active"
  | "scheduled"
  | "needs_claim"
  | "toggled_off"
  | "on_hold"
  | "expired"
  | "not_included";

export type MembershipEntryStatus = "active" | "in_grace" | "scheduled" | "expired" | "revoked" | "upgraded";

export interface MembershipEntry {
  id: string;
  tier: string;
  status: MembershipEntryStatus;
  startsAt: string;
  expiresAt: string;
  /** Benefits stay on until then after expiresAt; null when the plan has no grace period. */
  graceEndsAt: string | null;
  sourceOrderId: string;
}

/** A change already decided that takes effect later: today, a downgrade at the end of the current term. */
export interface ScheduledChange {
  kind: "downgrade";
  fromTier: string;
  toTier: string;
  at: string;
  membershipId: string;
}

export interface QuotaEntry {
  limit: number;
  unit: string;
  used: number;
  remaining: number;
  period: string | null;
  /** Where the periods start (`calendar` or `membership`); null without a period. */
  anchor: PeriodAnchor | null;
  /** When the period in force ends and `used` goes back to 0 (ISO); null: the quota never resets. */
  resetAt: string | null;
}

export interface BenefitEntitlement {
  benefit: string;
  kind: BenefitKind;
  state: BenefitState;
  effectiveFrom: string | null;
  expiresAt: string | null;
  quota?: QuotaEntry;
  reasons: Reason[];
}

export interface Entitlements {
  memberId: string;
  entitlementsVersion: number;
  memberships: MembershipEntry[];
  scheduledChanges: ScheduledChange[];
  benefits: BenefitEntitlement[];
}

/** The state a blocking reason puts a benefit in; the first reason with a state wins. */
const STATE_OF: Partial<Record<ReasonCode, BenefitState>> = {
  ACCOUNT_ON_HOLD: "on_hold",
  NOT_YET_EFFECTIVE: "scheduled",
  CLAIM_REQUIRED: "needs_claim",
  TOGGLE_OFF: "toggled_off",
  MEMBERSHIP_EXPIRED: "expired",
  MEMBERSHIP_REVOKED: "expired",
};

function stateOf(allowed: boolean, reasons: readonly Reason[], hasGrant: boolean): BenefitState {
  if (allowed) return "active";
  for (const reason of reasons) {
    const state = STATE_OF[reason.code];
    if (state !== undefined) return state;
  }
  // Denied by something that is not about the member's own state (e.g. a spent quota): still theirs.
  return hasGrant ? "active" : "not_included";
}

/**
 * The entitlements snapshot at `ctx.at`, messages in `ctx.locale`. Scenario and client rules do not
 * apply here: the context is reduced to time and locale.
 */
export function buildEntitlements(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  ctx: { at: number; locale: Locale },
): Entitlements {
  const at = ctx.at;
  const plain: DecisionContext = { at, locale: ctx.locale };
  const memberships: MembershipEntry[] = snapshot.memberships.map((m) => ({
    id: m.id,
    tier: m.tier,
    status: membershipStatusAt(m, at),
    startsAt: isoTime(m.startsAt),
    expiresAt: isoTime(m.expiresAt),
    graceEndsAt: m.graceEndsAt === null ? null : isoTime(m.graceEndsAt),
    sourceOrderId: m.sourceOrderId,
  }));
  const benefits: BenefitEntitlement[] = [];
  for (const benefit of catalog.benefits.values()) {
    const { decision, grant } = decideWithGrant(snapshot, catalog, benefit.code, plain);
    const entry: BenefitEntitlement = {
      benefit: benefit.code,
      kind: benefit.kind,
      state: stateOf(decision.allowed, decision.reasons, grant !== null),
      effectiveFrom: decision.grant?.effectiveFrom ?? null,
      expiresAt: decision.grant?.expiresAt ?? null,
      reasons: decision.reasons,
    };
    if (benefit.kind === "quota" && benefit.quota !== null && grant !== null) {
      const { limit, unit, period } = benefit.quota;
      const used = quotaUsedAt(grant, at);
      const resetAt = nextQuotaReset(snapshot, grant, benefit.quota, at);
      entry.quota = {
        limit,
        unit,
        used,
        remaining: Math.max(0, limit - used),
        period,
        anchor: benefit.quota.anchor,
        resetAt: resetAt === null ? null : isoTime(resetAt),
      };
    }
    benefits.push(entry);
  }
  return {
    memberId: snapshot.memberId,
    entitlementsVersion: snapshot.entitlementsVersion,
    memberships,
    scheduledChanges: scheduledChanges(snapshot, catalog, at),
    benefits,
  };
}

/** What a membership is at `at`, from its stored status and its dates. */
export function membershipStatusAt(
  m: Pick<MembershipView, "status" | "startsAt" | "expiresAt" | "graceEndsAt">,
  at: number,
): MembershipEntryStatus {
  if (m.status !== "active") return m.status;
  if (membershipEnd(m) <= at) return "expired";
  if (m.startsAt > at) return "scheduled";
  return isInGrace(m, at) ? "in_grace" : "active";
}

/** Memberships of a lower tier that start when a higher one, running now, expires: scheduled downgrades. */
function scheduledChanges(snapshot: MemberSnapshot, catalog: CompiledCatalog, at: number): ScheduledChange[] {
  const rank = (tier: string) => catalog.tiers.get(tier)?.rank ?? Number.NEGATIVE_INFINITY;
  const changes: ScheduledChange[] = [];
  for (const next of snapshot.memberships) {
    if (next.status !== "active" || next.startsAt <= at) continue;
    const current = snapshot.memberships.find(
      (m) => m.status === "active" && m.startsAt <= at && m.expiresAt === next.startsAt,
    );
    if (current === undefined || rank(current.tier) <= rank(next.tier)) continue;
    changes.push({
      kind: "downgrade",
      fromTier: current.tier,
      toTier: next.tier,
      at: isoTime(next.startsAt),
      membershipId: next.id,
    });
  }
  return changes;
}
