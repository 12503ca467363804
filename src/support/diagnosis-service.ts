import type { CatalogService } from "../catalog/catalog-service.js";
import type { CompiledCatalog } from "../catalog/catalog-types.js";
import type { Clock } from "../clock.js";
import type { ContextInput, DecisionService } from "../decisions/decision-service.js";
import type { SnapshotCache } from "../decisions/snapshot-cache.js";
import { messageLocale, type RequestLocale } from "../engine/decision-context.js";
import { diagnose } from "../engine/diagnose.js";
import type {
  ClaimedOrder,
  Diagnosis,
  DriftRepair,
  EvidenceBundle,
  PaymentWaitPolicy,
  ProviderAnswerEvidence,
} from "../engine/diagnosis-types.js";
import { isKnownBenefit } from "../engine/rule-changes.js";
import { AppError } from "../errors.js";
import type { MemberWrites } from "../members/member-writes.js";
import type { PaymentQueryService, ProviderCheck } from "../payments/payment-query-service.js";
import { redactNotification } from "../payments/redact-notification.js";
import type { ReconcileService } from "../reconcile/reconcile-service.js";
import type { EvidenceStore } from "./evidence-store.js";

export interface DiagnoseRequest {
  benefit: string;
  context?: ContextInput;
  /** An order the member says they paid for. */
  orderId?: string;
}

/** How long a payment usually takes to be confirmed, and when a pending order goes to support (DESIGN: sync delay). */
export const DEFAULT_PAYMENT_WAIT: PaymentWaitPolicy = {
  expectedWaitMs: 5 * 60_000,
  flagAfterMs: 30 * 60_000,
};

export interface DiagnosisDeps {
  /** The evidence reads (orders, payments, grants, timeline of one member and benefit). */
  store: EvidenceStore;
  catalog: CatalogService;
  cache: SnapshotCache;
  decisions: DecisionService;
  /** Repairs the member's drift before the diagnosis describes it. */
  reconcile: ReconcileService;
  writes: MemberWrites;
  clock: Clock;
  paymentWait?: PaymentWaitPolicy;
  /** Asks the providers about a pending order and applies a paid answer (absent or unconfigured: not asked). */
  paymentQueries?: Pick<PaymentQueryService, "configured" | "checkNow">;
}

/** Pending orders a diagnosis asks the providers about at most: the member's newest. */
const ORDERS_ASKED = 3;

/** Diagnoses "my benefit is not working": loads the evidence, runs the pure diagnosis, flags overdue payments. */
export class DiagnosisService {
  constructor(private readonly deps: DiagnosisDeps) {}

  /** `requestLocale` applies when the member has no locale of their own, unless `forceLocale`. */
  async diagnose(
    memberId: string,
    request: DiagnoseRequest,
    requestLocale: RequestLocale,
    forceLocale = false,
  ): Promise<Diagnosis> {
    const catalog = this.deps.catalog.require();
    if (!isKnownBenefit(catalog, request.benefit)) {
      throw new AppError(
        "BENEFIT_NOT_FOUND",
        `Benefit ${request.benefit} is not in the catalog.`,
        [{ path: "/benefit", message: "unknown benefit" }],
        { variant: "code", params: { benefit: request.benefit } },
      );
    }
    const drift = await this.heal(memberId, catalog);
    // Before the snapshot: a payment the provider confirms now is applied, and the diagnosis sees it.
    const providerAnswers = await this.askProviders(memberId, request.orderId);
    const snapshot = await this.deps.cache.get(memberId);
    if (!snapshot.exists)
      throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
        variant: "id",
        params: { memberId: memberId },
      });
    const ctx = this.deps.decisions.context(snapshot, request.context, requestLocale, "");
    if (forceLocale && requestLocale) ctx.locale = messageLocale(null, requestLocale);
    const [evidence, claimedOrder] = await Promise.all([
      this.deps.store.load(memberId, request.benefit),
      request.orderId === undefined ? null : this.deps.store.claimedOrder(memberId, request.orderId),
    ]);
    // Another member's order answers like one that does not exist.
    if (request.orderId !== undefined && claimedOrder === null)
      throw new AppError("ORDER_NOT_FOUND", `Order ${request.orderId} does not exist.`);
    const diagnosis = diagnose({
      snapshot,
      catalog,
      benefit: request.benefit,
      ctx,
      clientFromSession: request.context?.client === undefined && snapshot.latestSession !== null,
      evidence,
      claimedOrder,
      paymentWait: this.deps.paymentWait ?? DEFAULT_PAYMENT_WAIT,
      drift,
      providerAnswers,
    });
    await this.flagOverduePayment(memberId, diagnosis, evidence);
    return diagnosis;
  }

  /**
   * A pending payment is asked about at its provider's query API (when one is configured): the
   * order the member names, else their newest pending orders. A paid answer is applied now, through
   * the payment application path; every answer is cited with when it was given.
   */
  private async askProviders(
    memberId: string,
    orderId: string | undefined,
  ): Promise<ProviderAnswerEvidence[]> {
    const queries = this.deps.paymentQueries;
    if (!queries?.configured) return [];
    const pending = await this.deps.store.pendingOrders(memberId, ORDERS_ASKED);
    const asked = orderId === undefined ? pending : pending.filter((id) => id === orderId);
    const checks = (await Promise.all(asked.map((id) => queries.checkNow(id)))).flat();
    return checks.map(answerEvidence);
  }

  /**
   * The member's order with its payment events (what the provider answered), as a diagnosis cites
   * it; null for an unknown order or another member's. A ticket freezes it in its evidence.
   */
  async claimedOrder(memberId: string, orderId: string): Promise<ClaimedOrder | null> {
    return this.deps.store.claimedOrder(memberId, orderId);
  }

  /**
   * Self-healing: drift in this member's records (reconcile/) is repaired now, under the member's
   * lock, so the diagnosis describes the repaired state and says what was fixed. One read when there
   * is none, which is nearly always.
   */
  private async heal(memberId: string, catalog: CompiledCatalog): Promise<DriftRepair[]> {
    const repair = await this.deps.reconcile.repairIfDrifting(memberId, catalog);
    if (repair === null) return [];
    return [
      ...repair.repaired.map(({ finding }) => ({
        kind: finding.kind,
        membershipId: finding.membershipId,
        orderId: finding.orderId,
        repaired: true,
      })),
      ...repair.skipped.map(({ finding, why }) => ({
        kind: finding.kind,
        membershipId: finding.membershipId,
        orderId: finding.orderId,
        repaired: false,
        why,
      })),
    ];
  }

  /**
   * An order pending past the threshold goes to support once: a timeline entry and an outbox event.
   * The cited timeline says whether it was flagged already without a write in the common case; the
   * member's lock and a re-check under it keep concurrent diagnoses from flagging it twice.
   */
  private async flagOverduePayment(memberId: string, diagnosis: Diagnosis, evidence: EvidenceBundle) {
    const overdue = diagnosis.findings.find(
      (f) => f.code === "PAYMENT_PENDING" && f.details.flaggedForSupport,
    );
    if (!overdue) return;
    const orderId = String(overdue.details.orderId);
    const seen = evidence.timeline.some(
      (t) => t.kind === "order.flagged_for_support" && t.data.orderId === orderId,
    );
    if (seen) return;
    const data = { orderId, since: overdue.details.since, ageSeconds: overdue.details.ageSeconds };
    await this.deps.writes.run(async (scope) => {
      await scope.stores.members.lock(memberId);
      if (await scope.stores.evidence.flaggedForSupport(memberId, orderId)) return;
      await scope.stores.outbox.append({
        memberId,
        type: "support.payment_overdue",
        payload: { memberId, ...data, flaggedAt: new Date(this.deps.clock.now()).toISOString() },
      });
      await scope.record(memberId, "system", { kind: "order.flagged_for_support", data });
    });
  }
}

function answerEvidence(c: ProviderCheck): ProviderAnswerEvidence {
  const { answer } = c;
  return {
    orderId: c.orderId,
    provider: c.provider,
    askedAt: Date.parse(c.askedAt),
    answer: answer.kind,
    ...(answer.kind === "not_paid" && { status: answer.status }),
    ...(answer.kind === "unknown" && { reason: answer.reason }),
    appliedNow: c.appliedNow,
    ...(c.outcome !== undefined && { outcome: c.outcome }),
    ...(answer.kind !== "unknown" && { notification: redactNotification(answer.answer) }),
  };
}
