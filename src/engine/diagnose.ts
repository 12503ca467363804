/**
 * "Why isn't my benefit working?": the decision, followed through the member's own self-check steps
 * (membership status → benefit rules → the scenario → refresh the app → update the app), every cause
 * found with the records it rests on and the remedy, most actionable first. Pure: the caller loads the
 * evidence and passes the time.
 */
import type { CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import { decideWithGrant } from "./decide.js";
import { evidenceFor, grantItem, membershipItem, orderItem, paymentItem } from "./diagnosis-evidence.js";
import { claimedOrderAddendum, stepDetail } from "./diagnosis-messages.js";
import type {
  ClaimedOrder,
  Diagnosis,
  DiagnosisStepResult,
  DriftRepair,
  EvidenceBundle,
  Finding,
  PaymentWaitPolicy,
  ProviderAnswerEvidence,
} from "./diagnosis-types.js";
import {
  type DecisionContext,
  type MemberSnapshot,
  REASON_CODES,
  type Reason,
  type ReasonCause,
  type ReasonCode,
  type RemedyAction,
} from "./engine-types.js";
import { reasonMessage } from "./messages.js";
import { addProviderAnswers } from "./provider-answers.js";
import { benefitOf } from "./rule-changes.js";
import { RULES } from "./rules/rule-registry.js";
import type { DiagnosisStep } from "./rules/rule-types.js";
import { isoTime } from "./time-format.js";

export interface DiagnoseInput {
  snapshot: MemberSnapshot;
  catalog: CompiledCatalog;
  benefit: string;
  ctx: DecisionContext;
  /** True when ctx.client is the member's latest reported session rather than the request's. */
  clientFromSession: boolean;
  evidence: EvidenceBundle;
  /** The order the member says they paid, when they named one. */
  claimedOrder: ClaimedOrder | null;
  paymentWait: PaymentWaitPolicy;
  /** Drift found in the member's records just before (see reconcile/), repaired or not. */
  drift: readonly DriftRepair[];
  /** What payment providers answered when asked about pending orders just before (their query APIs). */
  providerAnswers?: readonly ProviderAnswerEvidence[];
}

/** Which self-check step each reason belongs to: the rules say it themselves; the rest are about the membership. */
const STEP_OF: Partial<Record<ReasonCode, DiagnosisStep>> = {
  RULE_CHANGED: "benefit_rules",
  BENEFIT_WITHDRAWN: "benefit_rules",
};
for (const rule of RULES) for (const code of rule.reasons) STEP_OF[code] = rule.step;
const stepOf = (code: ReasonCode): DiagnosisStep => STEP_OF[code] ?? "membership_status";

/**
 * How directly the member can act on a remedy: things they can do now first (claim, switch on,
 * verify, update, refresh), then paying, then waiting, then what only support can do.
 */
const ACTIONABILITY: Record<RemedyAction, number> = {
  claim: 0,
  toggle_on: 0,
  verify_identity: 1,
  update_client: 2,
  refresh_client: 3,
  pay: 4,
  upgrade_tier: 5,
  wait: 6,
  contact_support: 7,
  none: 8,
};

const AUTO_FIXED_RANK = ACTIONABILITY.none + 1;

const STEPS: readonly DiagnosisStep[] = [
  "membership_status",
  "benefit_rules",
  "scenario",
  "refresh_client",
  "update_client",
];

export function diagnose(input: DiagnoseInput): Diagnosis {
  const { snapshot, catalog, benefit, ctx } = input;
  const { decision, grant } = decideWithGrant(snapshot, catalog, benefit, ctx);
  const evidenceInput = {
    bundle: input.evidence,
    catalog,
    benefit,
    grantId: grant?.id ?? null,
    client: ctx.client,
    clientFromSession: input.clientFromSession,
    holds: snapshot.holds,
  };
  const findings: Finding[] = [];
  for (const reason of decision.reasons) {
    if (reason.code === "GRANTED") continue;
    findings.push(findingOf(reason, evidenceFor(reason, evidenceInput)));
  }
  const claimed = input.claimedOrder === null ? null : claimedOrderFinding(input, findings);
  if (claimed) findings.unshift(claimed);
  for (const drift of input.drift) {
    // Unrepaired drift the decision already reports (a missing grant) is that same finding.
    const known = findings.find(
      (f) => f.code === "STATE_INCONSISTENT" && f.details.membershipId === drift.membershipId,
    );
    if (known && !drift.repaired) continue;
    findings.push(driftFinding(input, drift));
  }
  if (input.providerAnswers?.length) {
    addProviderAnswers(
      findings,
      input.providerAnswers,
      input.evidence.orders,
      orderItem,
      ctx.locale,
      snapshot.timezone,
    );
  }
  // Stable: equally actionable findings keep the engine's order.
  const paymentPending = findings.some((f) => f.code === "PAYMENT_PENDING");
  const rank = (f: Finding) => {
    // Already repaired: nothing left to do but refresh, so after whatever still stands in the way.
    if (f.autoFixed) return AUTO_FIXED_RANK;
    // While a payment is being confirmed, "pay" would have the member pay twice: the wait comes first.
    if (paymentPending && f.remedy.action === "pay") return ACTIONABILITY.wait + 0.5;
    return ACTIONABILITY[f.remedy.action];
  };
  findings.sort((a, b) => rank(a) - rank(b));
  return {
    memberId: snapshot.memberId,
    benefit,
    allowed: decision.allowed,
    verdict: decision.allowed ? "working" : "not_working",
    causes: [...new Set(findings.map((f) => f.cause))],
    findings,
    steps: steps(input, findings, grant !== null, decision.allowed, ctx.locale),
    entitlementsVersion: decision.entitlementsVersion,
    at: isoTime(ctx.at),
  };
}

function findingOf(reason: Reason, evidence: Finding["evidence"]): Finding {
  return {
    cause: reason.cause as ReasonCause,
    code: reason.code,
    message: reason.message,
    details: reason.details,
    evidence,
    remedy: reason.remedy,
  };
}

/**
 * The order the member says they paid: still pending means the provider's notification has not
 * arrived. Its age against the expected wait says whether to wait or to go to support; one pending
 * past the threshold is flagged for support (the service records the flag).
 */
function claimedOrderFinding(input: DiagnoseInput, findings: Finding[]): Finding | null {
  const { order, paymentEvents } = input.claimedOrder!;
  if (order.status !== "pending_payment") return null;
  const ageMs = Math.max(0, input.ctx.at - order.createdAt);
  const expectedBy = order.createdAt + input.paymentWait.expectedWaitMs;
  const flagged = ageMs >= input.paymentWait.flagAfterMs;
  const details = {
    orderId: order.id,
    since: isoTime(order.createdAt),
    plan: order.plan,
    ageSeconds: Math.floor(ageMs / 1000),
    expectedBy: isoTime(expectedBy),
    expectedWaitSeconds: Math.floor(input.paymentWait.expectedWaitMs / 1000),
    flagAfterSeconds: Math.floor(input.paymentWait.flagAfterMs / 1000),
    overdue: input.ctx.at >= expectedBy,
    flaggedForSupport: flagged,
  };
  // The decision's own PAYMENT_PENDING about the same order gives way to this fuller one.
  const same = findings.findIndex((f) => f.code === "PAYMENT_PENDING" && f.details.orderId === order.id);
  if (same >= 0) findings.splice(same, 1);
  const benefit = benefitOf(input.catalog, input.benefit)!;
  return {
    cause: REASON_CODES.PAYMENT_PENDING,
    code: "PAYMENT_PENDING",
    message:
      reasonMessage(
        "PAYMENT_PENDING",
        details,
        input.ctx.locale,
        benefit,
        input.snapshot.timezone,
        input.catalog,
      ) + claimedOrderAddendum(details.ageSeconds, details.expectedWaitSeconds, input.ctx.locale),
    details,
    evidence: [orderItem(order), ...paymentEvents.map(paymentItem)],
    remedy: flagged
      ? { actor: "support", action: "contact_support" }
      : { actor: "platform", action: "wait", until: isoTime(Math.max(expectedBy, input.ctx.at)) },
  };
}

/** A system fault: drift between the member's records, and whether Perkwise repaired it itself. */
function driftFinding(input: DiagnoseInput, drift: DriftRepair): Finding {
  const details: Record<string, unknown> = { problem: drift.kind, autoFixed: drift.repaired };
  if (drift.membershipId) details.membershipId = drift.membershipId;
  if (drift.orderId) details.orderId = drift.orderId;
  if (drift.why) details.why = drift.why;
  const benefit = benefitOf(input.catalog, input.benefit)!;
  // The rows as they are now (loaded after the repair): what an agent checks the repair against.
  const evidence = [];
  const membership = input.evidence.memberships.find((m) => m.id === drift.membershipId);
  if (membership) evidence.push(membershipItem(membership));
  for (const g of input.evidence.grants)
    if (g.membershipId === drift.membershipId) evidence.push(grantItem(g));
  const order = input.evidence.orders.find((o) => o.id === (drift.orderId ?? membership?.sourceOrderId));
  if (order) evidence.push(orderItem(order));
  for (const t of input.evidence.timeline) {
    if (t.kind !== "reconcile.repaired" || t.data.drift !== drift.kind) continue;
    if (drift.membershipId && t.data.membershipId !== drift.membershipId) continue;
    evidence.push({
      type: "timeline" as const,
      id: t.id,
      at: isoTime(t.at),
      data: { kind: t.kind, ...t.data },
    });
  }
  return {
    cause: REASON_CODES.STATE_INCONSISTENT,
    code: "STATE_INCONSISTENT",
    message: reasonMessage(
      "STATE_INCONSISTENT",
      details,
      input.ctx.locale,
      benefit,
      input.snapshot.timezone,
      input.catalog,
    ),
    details,
    evidence,
    remedy: drift.repaired
      ? { actor: "member", action: "refresh_client" }
      : { actor: "support", action: "contact_support" },
    autoFixed: drift.repaired,
  };
}

function steps(
  input: DiagnoseInput,
  findings: Finding[],
  hasGrant: boolean,
  allowed: boolean,
  locale: Locale,
): DiagnosisStepResult[] {
  const { snapshot, catalog, ctx } = input;
  const results: DiagnosisStepResult[] = [];
  let blocked = false;
  for (const step of STEPS) {
    // Grace keeps the benefit on, a fault repaired just now no longer stands in the way, and an order
    // still being confirmed while the benefit works (a renewal) is news, not a failed check.
    const failed = findings.find(
      (f) =>
        stepOf(f.code) === step &&
        f.code !== "MEMBERSHIP_IN_GRACE" &&
        !f.autoFixed &&
        !(f.code === "PAYMENT_PENDING" && allowed),
    );
    if (failed) {
      results.push({ step, status: "fail", detail: failed.message });
      // Without a membership covering it, the benefit's own rules and the scenario cannot be judged.
      if (step === "membership_status" && !hasGrant) blocked = true;
      continue;
    }
    const unreported =
      (step === "refresh_client" && ctx.client?.entitlementsVersion === undefined) ||
      (step === "update_client" && ctx.client?.version === undefined);
    const clientStep = step === "refresh_client" || step === "update_client";
    const skip = clientStep ? unreported : blocked;
    results.push({
      step,
      status: skip ? "skip" : "pass",
      detail: stepDetail(step, skip ? "skip" : "pass", { snapshot, catalog, ctx, locale }),
    });
  }
  return results;
}
