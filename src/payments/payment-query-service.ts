import type { Clock } from "../clock.js";
import type { NewJob } from "../jobs/new-job.js";
import type { JobHandler } from "../jobs/scheduler.js";
import type { MemberWriteScope } from "../members/member-writes.js";
import type { PaymentEvent, PaymentProvider } from "./payment-event.js";
import { nextQuery, type PaymentQueryPolicy } from "./payment-query-policy.js";
import type { IncomingPaymentEvent, PaymentResult, PaymentService } from "./payment-service.js";
import type { ProviderQuery, QueriedOrder, QueryAnswer } from "./provider-query.js";
import { redactNotification } from "./redact-notification.js";

export const PAYMENT_QUERY_JOB = "payment.query";

/** A job as its handler is given it (the record type lives with the job store, not ours to import). */
type QueryJob = Parameters<JobHandler["run"]>[1][number];

/** Orders asked about at the same time by one batch of jobs. */
const QUERIES_AT_ONCE = 16;

/** An order as the query needs it, and what is known of its payment so far. */
export interface OrderPaymentState {
  orderId: string;
  status: string;
  memberId: string;
  amount: number;
  currency: string;
  createdAt: Date;
  /** The providers whose notifications (any outcome) were recorded for the order. */
  providers: string[];
}

/** One provider's answer about one order, when it was asked, and whether it was applied just now. */
export interface ProviderCheck {
  orderId: string;
  provider: PaymentProvider;
  askedAt: string;
  answer: QueryAnswer;
  /** The answer paid the order now (it was pending until this query). */
  appliedNow: boolean;
  /** What the application path answered a paid answer with (`applied`, `already_applied`, `duplicate` …, or a refusal's code). */
  outcome?: string;
}

export interface PaymentQueryDeps {
  /** The configured providers' query APIs. */
  queries: ProviderQuery[];
  payments: PaymentService;
  clock: Clock;
  policy: PaymentQueryPolicy;
  /** The order's status and the providers it was notified by; null for an unknown order (app.ts reads it). */
  orderState: (orderId: string) => Promise<OrderPaymentState | null>;
}

/**
 * The idempotency key of a payment the query found: the same key as the provider's own success
 * notification (`<provider>:<transaction>:succeeded`), so whichever comes second is a redelivery
 * that changes nothing.
 */
export function queriedPaymentKey(
  provider: PaymentProvider,
  event: Extract<PaymentEvent, { type: "payment.succeeded" }>,
) {
  return `${provider}:${event.providerRef ?? event.orderId}:succeeded`;
}

interface JobPayload {
  order: { orderId: string; amount: number; currency: string; createdAt: string };
  attempt: number;
}

/** What a job's query found, before its transaction. */
interface Prepared {
  state: OrderPaymentState | null;
  checks: { provider: PaymentProvider; askedAt: number; answer: QueryAnswer }[];
}

/**
 * Lost notifications recovered: an order still pending `afterMs` after its creation is asked about
 * at its provider's query API, by a job on the durable scheduler (one worker per job across nodes:
 * the lease), with backoff (payment-query-policy.ts); diagnosis asks on demand. A paid answer goes
 * through the payment application path like a notification, under the notification's key.
 *
 * Which provider is asked: those whose notifications were recorded for the order (one refused for
 * its amount is recorded too), else every configured provider — one that never saw the order
 * answers that it does not know it (Alipay ACQ.TRADE_NOT_EXIST, WeChat Pay ORDER_NOT_EXIST).
 */
export class PaymentQueryService {
  constructor(private readonly deps: PaymentQueryDeps) {}

  get configured(): boolean {
    return this.deps.queries.length > 0;
  }

  /** The first query job of a new order (in the transaction that creates it); none without a provider. */
  async scheduleFirst(
    scope: MemberWriteScope,
    order: { id: string; memberId: string; amount: number; currency: string; createdAt: Date },
  ): Promise<void> {
    if (!this.configured) return;
    const job = this.job(
      {
        orderId: order.id,
        amount: order.amount,
        currency: order.currency,
        createdAt: order.createdAt.toISOString(),
      },
      order.memberId,
      order.createdAt.getTime(),
    );
    if (job) await scope.stores.jobs.schedule([job]);
  }

  /** The next query job after `now`, or null when the order is too old for another. */
  private job(order: JobPayload["order"], memberId: string, now: number): NewJob | null {
    const next = nextQuery(Date.parse(order.createdAt), now, this.deps.policy);
    if (!next) return null;
    const payload: JobPayload = { order, attempt: next.attempt };
    return {
      kind: PAYMENT_QUERY_JOB,
      key: `${PAYMENT_QUERY_JOB}:${order.orderId}:${next.attempt}`,
      memberId,
      runAt: new Date(next.at),
      payload: payload as unknown as Record<string, unknown>,
      // A job that throws (queries do not: the database, a bug) is retried by the scheduler; after
      // 3 failures it is `failed` (perkwise jobs lists it) and the order is not asked about again.
      maxAttempts: 3,
    };
  }

  /** Asks the order's providers now, all at once. */
  private async ask(order: QueriedOrder, state: OrderPaymentState): Promise<Prepared["checks"]> {
    const known = this.deps.queries.filter((q) => state.providers.includes(q.provider));
    const asked = known.length > 0 ? known : this.deps.queries;
    return Promise.all(
      asked.map(async (q) => {
        const askedAt = this.deps.clock.now();
        return { provider: q.provider, askedAt, answer: await q.query(order, askedAt) };
      }),
    );
  }

  /**
   * On demand (diagnosis of a pending payment): asks the order's providers now and applies a paid
   * answer in its own transaction. Empty when no provider is configured or the order is not pending.
   */
  async checkNow(orderId: string): Promise<ProviderCheck[]> {
    if (!this.configured) return [];
    const state = await this.deps.orderState(orderId);
    if (state?.status !== "pending_payment") return [];
    const order = queriedOrder(state);
    const checks: ProviderCheck[] = [];
    for (const check of await this.ask(order, state)) {
      const result: ProviderCheck = {
        orderId,
        provider: check.provider,
        askedAt: new Date(check.askedAt).toISOString(),
        answer: check.answer,
        appliedNow: false,
      };
      if (check.answer.kind === "paid" && !checks.some((c) => c.appliedNow)) {
        const applied = await this.deps.payments.apply(this.incoming(check.provider, check.answer));
        result.outcome = outcomeOf(applied);
        result.appliedNow = result.outcome === "applied";
      }
      checks.push(result);
    }
    return checks;
  }

  private incoming(
    provider: PaymentProvider,
    answer: Extract<QueryAnswer, { kind: "paid" }>,
  ): IncomingPaymentEvent {
    return {
      key: queriedPaymentKey(provider, answer.event),
      event: answer.event,
      notification: answer.answer,
      via: "query",
    };
  }

  /** The scheduled query: I/O before the transaction, then the answers applied and recorded in it. */
  jobHandler(): JobHandler {
    return {
      kind: PAYMENT_QUERY_JOB,
      // A batch's queries take a while (each up to the 5 s timeout): nobody takes the jobs over meanwhile.
      leaseMs: 10 * 60_000,
      prepare: async (jobs) => {
        const prepared = new Map<string, Prepared>();
        const prepareOne = async (job: QueryJob) => {
          const { order } = job.payload as unknown as JobPayload;
          const state = await this.deps.orderState(order.orderId);
          const pending = state !== null && state.status === "pending_payment";
          prepared.set(job.id, { state, checks: pending ? await this.ask(queriedOrder(state), state) : [] });
        };
        // A few orders at a time: a batch of hundreds neither waits on them one by one nor floods a provider.
        for (let i = 0; i < jobs.length; i += QUERIES_AT_ONCE)
          await Promise.all(jobs.slice(i, i + QUERIES_AT_ONCE).map(prepareOne));
        return prepared;
      },
      run: async (scope, jobs, now, prepared) => {
        const found = prepared as Map<string, Prepared>;
        // Member order: two batches that share members lock them in the same order.
        const sorted = [...jobs].sort((a, b) => (a.memberId ?? "").localeCompare(b.memberId ?? ""));
        for (const job of sorted) await this.settle(scope, job, found.get(job.id), now);
      },
    };
  }

  private async settle(scope: MemberWriteScope, job: QueryJob, prepared: Prepared | undefined, now: number) {
    const { order, attempt } = job.payload as unknown as JobPayload;
    if (!prepared || prepared.checks.length === 0) return;
    // Paid (by a notification) while the provider was being asked: nothing left to do. Read without
    // a lock: a paid answer takes its key before the order's lock, as a notification does — locking
    // the order first could deadlock with a notification of the same payment arriving now.
    const current = await scope.stores.orders.get(order.orderId);
    if (current?.status !== "pending_payment") return;
    const outcomes = new Map<number, string>();
    const paid = prepared.checks.findIndex((c) => c.answer.kind === "paid");
    if (paid >= 0) {
      const check = prepared.checks[paid];
      const answer = check.answer as Extract<QueryAnswer, { kind: "paid" }>;
      outcomes.set(
        paid,
        outcomeOf(await this.deps.payments.applyIn(scope, this.incoming(check.provider, answer))),
      );
    }
    const locked = await scope.stores.orders.lockWithMember(order.orderId);
    if (!locked) return;
    // Applied, or refused and recorded (a wrong amount): asking again would change nothing.
    const settled = paid >= 0;
    for (const [index, check] of prepared.checks.entries()) {
      const outcome = outcomes.get(index);
      // What the provider said, on the member's timeline (a paid one's application has its own entries).
      await scope.record(locked.member.id, "system", {
        kind: "payment.queried",
        data: {
          orderId: order.orderId,
          provider: check.provider,
          attempt,
          askedAt: new Date(check.askedAt).toISOString(),
          answer: check.answer.kind,
          ...(check.answer.kind === "not_paid" && { status: check.answer.status }),
          ...(check.answer.kind === "unknown" && { reason: check.answer.reason }),
          ...(check.answer.kind !== "unknown" && { notification: redactNotification(check.answer.answer) }),
          ...(outcome && { outcome }),
        },
      });
    }
    if (settled) return;
    const next = this.job(order, locked.member.id, now);
    if (next) await scope.stores.jobs.schedule([next]);
    else
      await scope.record(locked.member.id, "system", {
        kind: "payment.query_stopped",
        data: {
          orderId: order.orderId,
          attempts: attempt,
          why: "the order is too old to be asked about again",
        },
      });
  }
}

function queriedOrder(state: OrderPaymentState): QueriedOrder {
  return {
    orderId: state.orderId,
    amount: state.amount,
    currency: state.currency,
    createdAt: state.createdAt,
    providerRef: null,
  };
}

function outcomeOf(result: PaymentResult): string {
  return result.kind === "answered" ? result.receipt.outcome : result.code;
}
