import type { CatalogService } from "../catalog/catalog-service.js";
import type { CompiledBenefit } from "../catalog/catalog-types.js";
import type { Clock } from "../clock.js";
import { decideWithGrant } from "../engine/decide.js";
import { messageLocale, type RequestLocale } from "../engine/decision-context.js";
import type { Decision, GrantView, MemberSnapshot } from "../engine/engine-types.js";
import { membershipStartOf } from "../engine/quota-usage.js";
import { AppError, type ErrorDetail, type Refusal } from "../errors.js";
import type { MemberWriteScope, MemberWrites } from "../members/member-writes.js";
import { periodAt } from "../time/usage-period.js";
import { QUOTA_RESET_JOB } from "./quota-reset-job.js";
import type { UsageRecord } from "./quota-store.js";

export interface UsageInput {
  amount: number;
  idempotencyKey: string;
}

/** What a consumption answers (200). */
export interface UsageReceipt {
  benefit: string;
  consumed: number;
  used: number;
  limit: number;
  remaining: number;
  unit: string;
  /** When `used` goes back to 0 (ISO); null for a quota without a period. */
  resetAt: string | null;
  entitlementsVersion: number;
}

/**
 * The outcome of a usage request: consumed, with the receipt, or refused (QUOTA_EXHAUSTED or
 * USAGE_DENIED) with the decision's reasons as details. A denial is an expected outcome, so it is a
 * value (it must be recorded under its idempotency key, which a thrown error would roll back).
 */
export type UsageAnswer = { kind: "consumed"; receipt: UsageReceipt } | Refusal;

/** Consumes from metered quotas: atomically, idempotently, never past the limit. */
export class QuotaService {
  constructor(private readonly deps: { catalog: CatalogService; writes: MemberWrites; clock: Clock }) {}

  /** Consumes `amount` from the member's quota benefit, or answers why not; a repeated key replays. */
  async consume(
    memberId: string,
    benefitCode: string,
    input: UsageInput,
    requestLocale: RequestLocale,
  ): Promise<UsageAnswer> {
    const catalog = this.deps.catalog.require();
    const benefit = catalog.benefits.get(benefitCode);
    if (!benefit)
      throw new AppError("BENEFIT_NOT_FOUND", `Benefit ${benefitCode} is not in the catalog.`, [], {
        variant: "code",
        params: { benefit: benefitCode },
      });
    const quota = benefit.quota;
    if (benefit.kind !== "quota" || quota === null) {
      throw new AppError("BENEFIT_NOT_QUOTA", `Benefit ${benefitCode} is a ${benefit.kind}, not a quota.`);
    }
    const { amount, idempotencyKey } = input;
    return this.deps.writes.run(async (scope) => {
      // Every writer of a member locks its row first: concurrent requests of one member take turns
      // here, so each sees the use the previous one committed.
      const member = await scope.stores.members.lock(memberId);
      if (!member)
        throw new AppError("MEMBER_NOT_FOUND", `Member ${memberId} does not exist.`, [], {
          variant: "id",
          params: { memberId: memberId },
        });
      const earlier = await scope.stores.quotas.findUsage(memberId, idempotencyKey);
      if (earlier) return replay(earlier, benefitCode, amount);

      const now = this.deps.clock.now();
      const snapshot = await scope.stores.snapshots.load(memberId);
      const locale = messageLocale(snapshot.locale, requestLocale);
      const { decision, grant } = decideWithGrant(snapshot, catalog, benefitCode, {
        at: now,
        locale,
        usage: amount,
      });
      const record = { memberId, idempotencyKey, benefit: benefitCode, amount, at: new Date(now) };
      if (!decision.allowed || grant === null) {
        const answer = denial(decision);
        await scope.stores.quotas.recordUsage({
          ...record,
          grantId: grant?.id ?? null,
          outcome: "denied",
          response: { code: answer.code, message: answer.message, details: answer.details },
        });
        return answer;
      }
      const receipt = await this.apply(scope, snapshot, benefit, grant, input, now);
      await scope.stores.quotas.recordUsage({
        ...record,
        grantId: grant.id,
        outcome: "consumed",
        response: { ...receipt },
      });
      return { kind: "consumed", receipt };
    });
  }

  /** Consumes from the grant the decision allowed, schedules the period's reset, records the change. */
  private async apply(
    scope: MemberWriteScope,
    snapshot: MemberSnapshot,
    benefit: CompiledBenefit,
    grant: GrantView,
    { amount, idempotencyKey }: UsageInput,
    now: number,
  ): Promise<UsageReceipt> {
    const { limit, unit, period, anchor } = benefit.quota!;
    const periodEnd =
      period === null || anchor === null
        ? null
        : periodAt(period, anchor, now, snapshot.timezone, membershipStartOf(snapshot, grant)).end;
    const consumed = await scope.stores.quotas.consume({
      grantId: grant.id,
      amount,
      maxUsed: Math.floor(limit),
      now: new Date(now),
      periodEnd: periodEnd === null ? null : new Date(periodEnd),
    });
    // The member row is locked and the decision allowed it: only a writer that skipped the lock
    // could make this fail. Roll back rather than answer with numbers that are not true.
    if (consumed === null) {
      throw new AppError("CONFLICT", "The quota changed while the usage was applied; retry the request.");
    }
    const resetsAt = consumed.resetsAt?.getTime() ?? null;
    if (resetsAt !== null && resetsAt !== grant.quotaResetsAt) {
      // The first use of a period: its reset is due when it ends. The key makes this idempotent.
      await scope.stores.jobs.schedule([QUOTA_RESET_JOB.job(snapshot.memberId, grant.id, resetsAt)]);
    }
    const memberId = snapshot.memberId;
    const used = consumed.used;
    const data = { benefit: benefit.code, amount, used, limit, idempotencyKey };
    const entitlementsVersion = await scope.entitlementsChanged(
      memberId,
      "benefit.used",
      { benefit: benefit.code },
      { source: "service", entries: [{ kind: "benefit.used", data }] },
    );
    return {
      benefit: benefit.code,
      consumed: amount,
      used,
      limit,
      remaining: Math.max(0, limit - used),
      unit,
      resetAt: consumed.resetsAt?.toISOString() ?? null,
      entitlementsVersion,
    };
  }
}

/** The first answer to an idempotency key, if the repeat asks for the same thing. */
function replay(earlier: UsageRecord, benefit: string, amount: number): UsageAnswer {
  if (earlier.benefit !== benefit || earlier.amount !== amount) {
    throw new AppError(
      "IDEMPOTENCY_CONFLICT",
      `Idempotency key ${earlier.idempotencyKey} was used for ${earlier.amount} of ${earlier.benefit}; use a new key for a different request.`,
      [{ path: "/idempotencyKey", message: "already used for a different request" }],
    );
  }
  if (earlier.outcome === "consumed")
    return { kind: "consumed", receipt: earlier.response as unknown as UsageReceipt };
  // Rows written before migration 0014 kept the error body ({error: {…}}); later ones the refusal.
  const stored = (earlier.response.error ?? earlier.response) as Omit<Refusal, "kind">;
  return { kind: "refused", code: stored.code, message: stored.message, details: stored.details };
}

/** The 409 of a denied usage: QUOTA_EXHAUSTED when that is why, else USAGE_DENIED; details are the reasons. */
function denial(decision: Decision): Refusal {
  const reasons = decision.reasons;
  const code = reasons.every((r) => r.code === "QUOTA_EXHAUSTED") ? "QUOTA_EXHAUSTED" : "USAGE_DENIED";
  // Each reason is located like an input problem: the amount, for a quota that cannot hold it.
  const details: ErrorDetail[] = reasons.map((r) => ({
    path: r.code === "QUOTA_EXHAUSTED" ? "/amount" : "",
    ...r,
  }));
  return { kind: "refused", code, message: reasons[0].message, details };
}
