import { type Selectable, sql } from "kysely";
import type { QuotaUsageTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";

export type UsageOutcome = "consumed" | "denied";

/**
 * One usage request, kept by (member, idempotency key): a repeat gets its outcome again. `response` is
 * the receipt (consumed) or the refusal (denied), never an HTTP answer.
 */
export interface UsageRecord {
  memberId: string;
  idempotencyKey: string;
  grantId: string | null;
  benefit: string;
  amount: number;
  outcome: UsageOutcome;
  response: Record<string, unknown>;
  at: Date;
}

/** A grant's quota after a consumption. */
export interface ConsumedQuota {
  used: number;
  resetsAt: Date | null;
}

export interface ConsumeInput {
  grantId: string;
  amount: number;
  /** The most the period may hold: the limit, as an integer. */
  maxUsed: number;
  now: Date;
  /** End of the period that contains `now`; null for a quota without a period. */
  periodEnd: Date | null;
}

/** A quota period that was reset. */
export interface ResetQuota {
  grantId: string;
  memberId: string;
  benefit: string;
  resetAt: Date;
}

/** Quota use of grants, and the record of usage requests by idempotency key. */
export interface QuotaStore {
  findUsage(memberId: string, idempotencyKey: string): Promise<UsageRecord | null>;
  recordUsage(record: UsageRecord): Promise<void>;
  /**
   * Adds `amount` to the grant's use if it stays within `maxUsed`, in one conditional statement;
   * a period that ended at or before `now` is rolled forward (its use starts again from `amount`).
   * null when the amount does not fit (nothing is written).
   */
  consume(input: ConsumeInput): Promise<ConsumedQuota | null>;
  /**
   * Resets to zero the grants whose current period is still the one ending at the given instant and
   * has ended by `now`; a grant that moved on to a later period, or ended, is left alone (no reset,
   * no version bump for nothing). Returns those reset.
   */
  resetPeriods(periods: { grantId: string; resetAt: Date }[], now: Date): Promise<ResetQuota[]>;
}

type Row = Selectable<QuotaUsageTable>;

function toRecord(row: Row): UsageRecord {
  return {
    memberId: row.member_id,
    idempotencyKey: row.idempotency_key,
    grantId: row.grant_id,
    benefit: row.benefit_code,
    amount: Number(row.amount),
    outcome: row.outcome as UsageOutcome,
    response: row.response as Record<string, unknown>,
    at: new Date(row.at),
  };
}

export function createQuotaStore(db: Executor): QuotaStore {
  return {
    async findUsage(memberId, idempotencyKey) {
      const row = await db
        .selectFrom("quota_usage")
        .selectAll()
        .where("member_id", "=", memberId)
        .where("idempotency_key", "=", idempotencyKey)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async recordUsage(r) {
      await db
        .insertInto("quota_usage")
        .values({
          member_id: r.memberId,
          idempotency_key: r.idempotencyKey,
          grant_id: r.grantId,
          benefit_code: r.benefit,
          amount: r.amount,
          outcome: r.outcome,
          response: JSON.stringify(r.response),
          at: r.at,
        })
        .execute();
    },
    async consume({ grantId, amount, maxUsed, now, periodEnd }) {
      // `ended`: the stored use belongs to a period that is over, so it counts as zero. A period
      // starts on the first use after that, or on the first use at all.
      const { rows } = await sql<{ quota_used: number | string; quota_resets_at: Date | null }>`
        update grants set
          quota_used = case when quota_resets_at <= ${now}::timestamptz
            then ${amount}::bigint else quota_used + ${amount}::bigint end,
          quota_resets_at = case when quota_resets_at is null or quota_resets_at <= ${now}::timestamptz
            then ${periodEnd}::timestamptz else quota_resets_at end,
          updated_at = ${now}::timestamptz
        where id = ${grantId} and status = 'active'
          and (case when quota_resets_at <= ${now}::timestamptz then 0 else quota_used end)
              + ${amount}::bigint <= ${maxUsed}::bigint
        returning quota_used, quota_resets_at`.execute(db);
      const row = rows[0];
      if (!row) return null;
      return {
        used: Number(row.quota_used),
        resetsAt: row.quota_resets_at === null ? null : new Date(row.quota_resets_at),
      };
    },
    async resetPeriods(periods, now) {
      if (periods.length === 0) return [];
      const ids = periods.map((p) => p.grantId);
      const ats = periods.map((p) => p.resetAt.toISOString());
      const { rows } = await sql<{ id: string; member_id: string; benefit_code: string; reset_at: Date }>`
        update grants g set quota_used = 0, quota_resets_at = null, updated_at = ${now}::timestamptz
        from unnest(${ids}::text[], ${ats}::timestamptz[]) as due(id, reset_at)
        where g.id = due.id and g.status = 'active'
          and g.quota_resets_at = due.reset_at and due.reset_at <= ${now}::timestamptz
        returning g.id, g.member_id, g.benefit_code, due.reset_at`.execute(db);
      return rows.map((r) => ({
        grantId: r.id,
        memberId: r.member_id,
        benefit: r.benefit_code,
        resetAt: new Date(r.reset_at),
      }));
    },
  };
}
