import { type AuthStore, createAuthStore } from "../auth/auth-store.js";
import { type CatalogStore, createCatalogStore } from "../catalog/catalog-store.js";
import { createRuleChangeStore, type RuleChangeStore } from "../catalog/rule-change-store.js";
import type { Clock } from "../clock.js";
import { type CouponStore, createCouponStore } from "../coupons/coupon-store.js";
import { createSnapshotStore, type SnapshotStore } from "../decisions/snapshot-store.js";
import { createEventLogStore, type EventLogStore } from "../events/event-log-store.js";
import { createGrantStore, type GrantStore } from "../grants/grant-store.js";
import { createQuotaStore, type QuotaStore } from "../grants/quota-store.js";
import { createHoldStore, type HoldStore } from "../holds/hold-store.js";
import { createSignalStore, type SignalStore } from "../holds/signal-store.js";
import { createVerificationStore, type VerificationStore } from "../holds/verification-store.js";
import { createJobStore, type JobStore } from "../jobs/job-store.js";
import { createMemberStore, type MemberStore } from "../members/member-store.js";
import { createMembershipStore, type MembershipStore } from "../memberships/membership-store.js";
import { createNoticeStore, type NoticeStore } from "../notices/notice-store.js";
import { createOrderStore, type OrderStore } from "../orders/order-store.js";
import { createOutboxStore, type OutboxStore } from "../outbox/outbox-store.js";
import { createPaymentEventStore, type PaymentEventStore } from "../payments/payment-event-store.js";
import { createReconcileStore, type ReconcileStore } from "../reconcile/reconcile-store.js";
import { createSessionStore, type SessionStore } from "../sessions/session-store.js";
import { createEvidenceStore, type EvidenceStore } from "../support/evidence-store.js";
import { createTicketStore, type TicketStore } from "../tickets/ticket-store.js";
import { createTimelineStore, type TimelineStore } from "../timeline/timeline-store.js";
import { createWebhookStore, type WebhookStore } from "../webhooks/webhook-store.js";
import type { Db } from "./database.js";
import { type Executor, inTransaction } from "./transaction.js";

/** Every store, bound to one executor (the pool, or one transaction). */
export interface Stores {
  /** The connection or transaction the stores are bound to (the cluster bus notifies through it). */
  executor: Executor;
  auth: AuthStore;
  catalog: CatalogStore;
  members: MemberStore;
  orders: OrderStore;
  payments: PaymentEventStore;
  memberships: MembershipStore;
  grants: GrantStore;
  outbox: OutboxStore;
  snapshots: SnapshotStore;
  timeline: TimelineStore;
  jobs: JobStore;
  sessions: SessionStore;
  evidence: EvidenceStore;
  quotas: QuotaStore;
  ruleChanges: RuleChangeStore;
  notices: NoticeStore;
  holds: HoldStore;
  signals: SignalStore;
  verifications: VerificationStore;
  reconcile: ReconcileStore;
  coupons: CouponStore;
  events: EventLogStore;
  webhooks: WebhookStore;
  tickets: TicketStore;
}

/** `clock` is the app's: stores stamp rows with it, never with the wall clock. */
export function createStores(executor: Executor, clock: Clock): Stores {
  return {
    executor,
    auth: createAuthStore(executor),
    catalog: createCatalogStore(executor),
    members: createMemberStore(executor, clock),
    orders: createOrderStore(executor),
    payments: createPaymentEventStore(executor),
    memberships: createMembershipStore(executor, clock),
    grants: createGrantStore(executor, clock),
    outbox: createOutboxStore(executor),
    snapshots: createSnapshotStore(executor),
    timeline: createTimelineStore(executor),
    jobs: createJobStore(executor),
    sessions: createSessionStore(executor),
    evidence: createEvidenceStore(executor),
    quotas: createQuotaStore(executor),
    ruleChanges: createRuleChangeStore(executor),
    notices: createNoticeStore(executor),
    holds: createHoldStore(executor),
    signals: createSignalStore(executor),
    verifications: createVerificationStore(executor),
    reconcile: createReconcileStore(executor),
    coupons: createCouponStore(executor, clock),
    events: createEventLogStore(executor),
    webhooks: createWebhookStore(executor),
    tickets: createTicketStore(executor),
  };
}

/**
 * Runs `work` on stores bound to one transaction, which commits when `work` resolves. A service
 * types it over the stores it uses (`Transact<Pick<Stores, "catalog" | "outbox">>`); the app's
 * transaction, over every store, is assignable to each.
 */
export type Transact<S = Stores> = <T>(work: (stores: S) => Promise<T>) => Promise<T>;

/** The stores on the pool, plus `transaction` for work that must commit as a whole. */
export interface DataAccess extends Stores {
  transaction: Transact;
}

export function createDataAccess(db: Db, clock: Clock): DataAccess {
  return {
    ...createStores(db, clock),
    transaction: (work) => inTransaction(db, (trx) => work(createStores(trx, clock))),
  };
}
