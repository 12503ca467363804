/** The member centre's view: every benefit of the catalog with its state, computed with decide(). */
import type { BenefitKind, CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import { decideWithGrant } from "./decide.js";
import type { DecisionContext, MemberSnapshot, Reason, ReasonCode } from "./engine-types.js";
import { quotaResetAt, quotaUsedAt } from "./quota-usage.js";
import { isoTime } from "./time-format.js";

export type BenefitState =
  | "active"
  | "scheduled"
  | "needs_claim"
  | "toggled_off"
  | "on_hold"
  | "expired"
  | "not_included";

export interface MembershipEntry {
  id: string;
  tier: string;
  status: "active" | "expired" | "revoked";
  startsAt: string;
  expiresAt: string;
  sourceOrderId: string;
}

export interface QuotaEntry {
  limit: number;
  unit: string;
  used: number;
  remaining: number;
  period: string | null;
  /** When `used` goes back to 0 (ISO), or null: no period, or nothing used in this one. */
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
    status: m.status === "revoked" ? "revoked" : m.expiresAt <= at ? "expired" : "active",
    startsAt: isoTime(m.startsAt),
    expiresAt: isoTime(m.expiresAt),
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
      const resetAt = quotaResetAt(grant, at);
      entry.quota = {
        limit,
        unit,
        used,
        remaining: Math.max(0, limit - used),
        period,
        resetAt: resetAt === null ? null : isoTime(resetAt),
      };
    }
    benefits.push(entry);
  }
  return {
    memberId: snapshot.memberId,
    entitlementsVersion: snapshot.entitlementsVersion,
    memberships,
    benefits,
  };
}
