/** Plain-data inputs and outputs of the pure decision engine. Times are epoch milliseconds. */
import type { Locale } from "../catalog/catalog-types.js";

/**
 * Stored status. `expired` and `upgraded` are written by the lifecycle jobs and the upgrade; an
 * `active` membership whose end has passed is expired as well, whether or not its job has run yet.
 */
export type MembershipStatus = "active" | "revoked" | "expired" | "upgraded";

export interface MembershipView {
  id: string;
  tier: string;
  startsAt: number;
  expiresAt: number;
  status: MembershipStatus;
  sourceOrderId: string;
  /** When it was revoked (refund or chargeback), else null. */
  revokedAt: number | null;
  /** The end of the plan's grace period after expiresAt (benefits stay on until then), else null. */
  graceEndsAt: number | null;
}

export type GrantStatus = "active" | "ended";

export interface GrantView {
  id: string;
  benefit: string;
  tier: string;
  membershipId: string;
  status: GrantStatus;
  effectiveFrom: number;
  expiresAt: number;
  catalogVersion: number;
  claimedAt: number | null;
  toggledOn: boolean;
  /** Used in the current period; counts only while `at < quotaResetsAt` (see quota-usage.ts). */
  quotaUsed: number;
  /** End of the current usage period (epoch ms); null without a period or before the first use. */
  quotaResetsAt: number | null;
  /** A grandfathered grant decides by the rules of this catalog version while `at < rulesUntil`. */
  rulesVersion: number | null;
  rulesUntil: number | null;
}

export interface PendingOrderView {
  orderId: string;
  plan: string;
  tier: string;
  createdAt: number;
}

/** An open risk hold on the member. */
export interface HoldView {
  id: string;
  /** shared_device, unusual_location, unofficial_channel, chargeback, manual */
  reason: string;
  /** The benefits it covers; null: every benefit. */
  benefits: readonly string[] | null;
  /** How it ends: the member verifies their identity, or an agent decides. */
  clearMethod: "verify_identity" | "agent";
  placedAt: number;
}

/** Everything the engine needs to know about one member, loaded with one indexed read and cached. */
export interface MemberSnapshot {
  memberId: string;
  /** false for a member the platform never registered: every decision is NO_MEMBERSHIP. */
  exists: boolean;
  locale: Locale | null;
  timezone: string;
  entitlementsVersion: number;
  memberships: readonly MembershipView[];
  grants: readonly GrantView[];
  /** Grants indexed by benefit code, so a decision touches only its own benefit. */
  grantsByBenefit: ReadonlyMap<string, readonly GrantView[]>;
  pendingOrders: readonly PendingOrderView[];
  /** Open risk holds, oldest first. */
  holds: readonly HoldView[];
  /** What the member's app last reported; decisions without `context.client` use it. */
  latestSession: ClientSessionView | null;
}

/** The latest client session: a ClientContext, so decisions can use it as one without copying. */
export interface ClientSessionView extends ClientContext {
  platform: string;
  version: string;
  entitlementsVersion: number;
  reportedAt: number;
}

/** Grants indexed by benefit code, as MemberSnapshot.grantsByBenefit holds them. */
export function indexGrantsByBenefit(grants: readonly GrantView[]): Map<string, GrantView[]> {
  const byBenefit = new Map<string, GrantView[]>();
  for (const grant of grants) {
    const list = byBenefit.get(grant.benefit);
    if (list) list.push(grant);
    else byBenefit.set(grant.benefit, [grant]);
  }
  return byBenefit;
}

export interface ProductContext {
  id?: string;
  category?: string;
  onSale?: boolean;
  tags?: string[];
}

export interface ClientContext {
  platform?: string;
  version?: string;
  entitlementsVersion?: number;
}

export interface DecisionContext {
  /** The instant the decision is for (epoch ms). */
  at: number;
  locale: Locale;
  channel?: string;
  product?: ProductContext;
  client?: ClientContext;
  /** Amount about to be consumed from a quota benefit. */
  usage?: number;
}

export const REASON_CAUSES = [
  "membership_status",
  "sync_delay",
  "rule_condition",
  "account_risk",
  "rule_change",
  "client_stale",
  "system_fault",
] as const;
export type ReasonCause = (typeof REASON_CAUSES)[number];

/** The closed list of reason codes and the cause each belongs to (DESIGN.md). */
export const REASON_CODES = {
  GRANTED: null,
  NO_MEMBERSHIP: "membership_status",
  MEMBERSHIP_EXPIRED: "membership_status",
  MEMBERSHIP_REVOKED: "membership_status",
  MEMBERSHIP_IN_GRACE: "membership_status",
  TIER_NOT_ELIGIBLE: "membership_status",
  PAYMENT_PENDING: "sync_delay",
  NOT_YET_EFFECTIVE: "rule_condition",
  OUT_OF_SCOPE: "rule_condition",
  CLAIM_REQUIRED: "rule_condition",
  TOGGLE_OFF: "rule_condition",
  QUOTA_EXHAUSTED: "rule_condition",
  ACCOUNT_ON_HOLD: "account_risk",
  RULE_CHANGED: "rule_change",
  BENEFIT_WITHDRAWN: "rule_change",
  CLIENT_OUTDATED: "client_stale",
  CLIENT_CACHE_STALE: "client_stale",
  STATE_INCONSISTENT: "system_fault",
} as const satisfies Record<string, ReasonCause | null>;
export type ReasonCode = keyof typeof REASON_CODES;

export const REMEDY_ACTIONS = [
  "none",
  "wait",
  "pay",
  "claim",
  "toggle_on",
  "refresh_client",
  "update_client",
  "verify_identity",
  "upgrade_tier",
  "contact_support",
] as const;
export type RemedyAction = (typeof REMEDY_ACTIONS)[number];
export type RemedyActor = "member" | "platform" | "support";

export interface Remedy {
  actor: RemedyActor;
  action: RemedyAction;
  /** ISO time, with `wait`. */
  until?: string;
}

export interface Reason {
  code: ReasonCode;
  cause: ReasonCause | null;
  message: string;
  details: Record<string, unknown>;
  remedy: Remedy;
}

export interface DecisionGrant {
  tier: string;
  effectiveFrom: string;
  expiresAt: string;
  catalogVersion: number;
}

export interface Decision {
  memberId: string;
  benefit: string;
  allowed: boolean;
  reasons: Reason[];
  grant: DecisionGrant | null;
  entitlementsVersion: number;
}
