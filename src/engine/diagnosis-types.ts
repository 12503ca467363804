/** Plain-data inputs and outputs of the pure diagnosis. Times are epoch milliseconds in inputs, ISO in outputs. */

import type { ReasonCause, ReasonCode, Remedy } from "./engine-types.js";
import type { DiagnosisStep } from "./rules/rule-types.js";

export interface OrderEvidence {
  id: string;
  plan: string;
  tier: string;
  status: string;
  amount: number;
  currency: string;
  channel: string;
  membershipId: string | null;
  createdAt: number;
  paidAt: number | null;
  refundedAt: number | null;
}

export interface PaymentEventEvidence {
  webhookId: string;
  orderId: string | null;
  type: string;
  outcome: string;
  amount: number | null;
  receivedAt: number;
  /** `standard_webhooks` or the provider whose own notification (or query answer) it was. */
  provider?: string;
  /** What the provider sent, credentials removed and signatures shortened; null for Standard Webhooks. */
  notification?: unknown;
}

/** What a payment provider answered when diagnosis asked about a pending order (its query API). */
export interface ProviderAnswerEvidence {
  orderId: string;
  provider: string;
  askedAt: number;
  answer: "paid" | "not_paid" | "unknown";
  /** The provider's own status of a not-paid order (WAIT_BUYER_PAY, NOTPAY, ACQ.TRADE_NOT_EXIST …). */
  status?: string;
  /** Why there was no answer (unreachable, unverified). */
  reason?: string;
  /** The answer paid the order just now. */
  appliedNow: boolean;
  /** What the payment application answered a paid answer with. */
  outcome?: string;
  /** The answer itself, redacted. */
  notification?: unknown;
}

export interface MembershipEvidence {
  id: string;
  tier: string;
  status: string;
  startsAt: number;
  expiresAt: number;
  graceEndsAt: number | null;
  endedAt: number | null;
  sourceOrderId: string;
}

export interface GrantEvidence {
  id: string;
  benefit: string;
  tier: string;
  membershipId: string;
  status: string;
  effectiveFrom: number;
  expiresAt: number;
  catalogVersion: number;
  claimedAt: number | null;
  toggledOn: boolean;
  endedAt: number | null;
  endReason: string | null;
}

export interface SessionEvidence {
  id: string;
  platform: string;
  version: string;
  entitlementsVersion: number;
  reportedAt: number;
}

export interface TimelineEvidence {
  id: string;
  at: number;
  kind: string;
  source: string;
  data: Record<string, unknown>;
}

/** Everything diagnosis may cite about one member and one benefit, loaded in one statement. */
export interface EvidenceBundle {
  orders: OrderEvidence[];
  paymentEvents: PaymentEventEvidence[];
  memberships: MembershipEvidence[];
  /** Every grant of the benefit, ended ones too. */
  grants: GrantEvidence[];
  /** Newest first. */
  sessions: SessionEvidence[];
  /** The most recent entries, oldest first. */
  timeline: TimelineEvidence[];
}

export type EvidenceType =
  | "order"
  | "payment_event"
  | "membership"
  | "grant"
  | "catalog_version"
  | "hold"
  | "session"
  | "context"
  | "timeline"
  | "provider_answer";

/** One record a finding rests on, by id and time, with what matters of it. */
export interface EvidenceItem {
  type: EvidenceType;
  id: string;
  at: string | null;
  data: Record<string, unknown>;
}

export interface Finding {
  cause: ReasonCause;
  code: ReasonCode;
  message: string;
  details: Readonly<Record<string, unknown>>;
  evidence: EvidenceItem[];
  remedy: Remedy;
  /** Set when Perkwise repaired the cause itself while diagnosing. */
  autoFixed?: boolean;
}

export type StepStatus = "pass" | "fail" | "skip";

export interface DiagnosisStepResult {
  step: DiagnosisStep;
  status: StepStatus;
  detail: string;
}

export interface Diagnosis {
  memberId: string;
  benefit: string;
  allowed: boolean;
  verdict: "working" | "not_working";
  /** The causes of the findings, most actionable first, each once. */
  causes: ReasonCause[];
  findings: Finding[];
  steps: DiagnosisStepResult[];
  entitlementsVersion: number;
  at: string;
}

/** An order the member says they paid for (`{orderId}` in the request), with its payment events. */
export interface ClaimedOrder {
  order: OrderEvidence;
  paymentEvents: PaymentEventEvidence[];
}

/** Drift in the member's records that the diagnosis found, and whether it was repaired on the spot. */
export interface DriftRepair {
  kind: string;
  membershipId: string | null;
  orderId: string | null;
  repaired: boolean;
  /** Why it could not be repaired automatically. */
  why?: string;
}

/** How long payment confirmation normally takes, and when a pending order goes to support. */
export interface PaymentWaitPolicy {
  expectedWaitMs: number;
  flagAfterMs: number;
}
