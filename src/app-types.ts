import type { AuthService } from "./auth/auth-service.js";
import type { CatalogService } from "./catalog/catalog-service.js";
import type { Clock } from "./clock.js";
import type { ClusterBus } from "./cluster/cluster-bus.js";
import type { RetryPolicy } from "./cluster/postgres-listener.js";
import type { AlipayConfig, StripeConfig, WechatPayConfig } from "./config.js";
import type { CheckoutService } from "./coupons/checkout-service.js";
import type { CouponService } from "./coupons/coupon-service.js";
import type { RedemptionService } from "./coupons/redemption-service.js";
import type { DatabaseHandle } from "./db/database.js";
import type { DataAccess } from "./db/stores.js";
import type { DecisionService } from "./decisions/decision-service.js";
import type { SnapshotCache } from "./decisions/snapshot-cache.js";
import type { PaymentWaitPolicy } from "./engine/diagnosis-types.js";
import type { EventModule, EventOptions } from "./events/event-module.js";
import type { BenefitActionService } from "./grants/benefit-action-service.js";
import type { QuotaService } from "./grants/quota-service.js";
import type { HoldService } from "./holds/hold-service.js";
import type { SignalService } from "./holds/signal-service.js";
import type { VerificationService } from "./holds/verification-service.js";
import type { Scheduler, SchedulerOptions } from "./jobs/scheduler.js";
import type { LifecyclePart } from "./lifecycle.js";
import type { MemberService } from "./members/member-service.js";
import type { MemberWrites } from "./members/member-writes.js";
import type { AppMetrics } from "./metrics/app-metrics.js";
import type { NoticeService } from "./notices/notice-service.js";
import type { OrderService } from "./orders/order-service.js";
import type { AlipayAdapter } from "./payments/alipay-adapter.js";
import type { PaymentQueryPolicy } from "./payments/payment-query-policy.js";
import type { PaymentQueryService } from "./payments/payment-query-service.js";
import type { PaymentService } from "./payments/payment-service.js";
import type { StripeAdapter } from "./payments/stripe-adapter.js";
import type { WechatPayAdapter } from "./payments/wechatpay-adapter.js";
import type { PlanService } from "./plans/plan-service.js";
import type { ReconcileService } from "./reconcile/reconcile-service.js";
import type { SessionService } from "./sessions/session-service.js";
import type { StatsService } from "./stats/stats-service.js";
import type { DiagnosisService } from "./support/diagnosis-service.js";
import type { SelfResolveService } from "./tickets/self-resolve-service.js";
import type { TicketDeskService } from "./tickets/ticket-desk-service.js";
import type { TicketService } from "./tickets/ticket-service.js";
import type { TimelineService } from "./timeline/timeline-service.js";
import type { WebhookPolicy } from "./webhooks/webhook-policy.js";
import type { WebhookService } from "./webhooks/webhook-service.js";
import type { WebhookWorker } from "./webhooks/webhook-worker.js";

/** What `createApp` is given, and what it returns: the app's services and lifecycle (app.ts wires them). */

export interface AppOptions {
  database: DatabaseHandle;
  clock: Clock;
  adminKey: string;
  /** A rotated-out admin key, still accepted until then (`perkwise admin-key rotate`). */
  previousAdminKey?: { key: string; validUntil: Date };
  paymentSecret: string;
  snapshotCacheSize?: number;
  scheduler?: SchedulerOptions;
  /** When a pending payment is late, and when it goes to support (diagnosis). */
  paymentWait?: PaymentWaitPolicy;
  /** Where the cluster bus reports a lost connection or a failing handler (default: a warning on stderr). */
  onClusterError?: (error: unknown, context: string) => void;
  /** A bearer token that may read GET /metrics and nothing else (PERKWISE_METRICS_TOKEN). */
  metricsToken?: string;
  /** How the LISTEN connection retries after it was lost (PostgreSQL). */
  clusterRetry?: RetryPolicy;
  /** Event log, streams (SSE). */
  events?: EventOptions;
  /** Outgoing webhooks: timeouts, retries, when an endpoint is disabled. */
  webhooks?: Partial<WebhookPolicy>;
  /** GET /v1/plans without a credential, for the platform's shop pages (PERKWISE_PUBLIC_PLANS). */
  publicPlans?: boolean;
  /** Alipay's notifications (config.alipay); absent: its endpoint answers PROVIDER_NOT_CONFIGURED. */
  alipay?: AlipayConfig;
  /** WeChat Pay's notifications (config.wechatpay); absent: its endpoint answers PROVIDER_NOT_CONFIGURED. */
  wechatpay?: WechatPayConfig;
  /** When pending orders are asked about at their provider's query API (PERKWISE_PAYMENT_QUERY_AFTER). */
  paymentQuery?: Partial<PaymentQueryPolicy>;
  /** Stripe's webhooks (config.stripe); absent: its endpoint answers PROVIDER_NOT_CONFIGURED. */
  stripe?: StripeConfig;
}

export interface AppStartOptions {
  /**
   * The background workers on their timers: the scheduler, the event dispatcher's outbox poll and
   * the webhook worker (`serve`: true). Without them (tests, one-shot commands) jobs and deliveries
   * run when `runDue()` is called, and outbox rows are numbered after each local commit.
   */
  workers?: boolean;
  /** Parts started after the app's own and stopped before them: `serve`'s HTTP listener. */
  after?: LifecyclePart[];
}

/** Every service, wired once; HTTP and CLI sit on top of this. */
export interface App {
  /**
   * Loads the secrets and the catalog, starts the cluster bus listener and (with `workers`) the
   * background workers, then `after`. A failed start stops what already started and rethrows.
   */
  start(options?: AppStartOptions): Promise<void>;
  /**
   * Stops, last started first: `after`, the webhook worker, the event dispatcher and streams, the
   * scheduler; then waits for the repairs decisions asked for, flushes the payment latencies and
   * closes the cluster bus listener. Idempotent. The database stays open: its opener closes it
   * (closing it stops the app first).
   */
  stop(): Promise<void>;
  /** The names of the started parts, in start order (empty before start and after stop). */
  running(): string[];
  database: DatabaseHandle;
  data: DataAccess;
  clock: Clock;
  cache: SnapshotCache;
  /** Messages between the nodes on this database (LISTEN/NOTIFY); its listener runs from start() to stop(). */
  cluster: ClusterBus;
  /** Member writes: one transaction, then the members' snapshots dropped here and on every node. */
  writes: MemberWrites;
  auth: AuthService;
  catalog: CatalogService;
  members: MemberService;
  orders: OrderService;
  payments: PaymentService;
  /** Pending orders asked about at their providers' query APIs: the scheduled job and diagnosis. */
  paymentQueries: PaymentQueryService;
  /** Verifies and translates Alipay's notifications; null when Alipay is not configured. */
  alipay: AlipayAdapter | null;
  /** Verifies, decrypts and translates WeChat Pay's notifications; null when WeChat Pay is not configured. */
  wechatpay: WechatPayAdapter | null;
  /** Verifies and translates Stripe's webhook events; null when Stripe is not configured. */
  stripe: StripeAdapter | null;
  benefits: BenefitActionService;
  quotas: QuotaService;
  holds: HoldService;
  signals: SignalService;
  verifications: VerificationService;
  decisions: DecisionService;
  timeline: TimelineService;
  sessions: SessionService;
  diagnosis: DiagnosisService;
  /** The support desk: tickets as members and the platform open them, and the agents' desk. */
  tickets: TicketService;
  ticketDesk: TicketDeskService;
  ticketSelfResolve: SelfResolveService;
  notices: NoticeService;
  /** Every plan's benefits and rules in words (GET /v1/plans, GET /v1/me/plans). */
  plans: PlanService;
  /** Finds and repairs drift between orders, payment events, memberships, grants and versions. */
  reconcile: ReconcileService;
  /** Runs due jobs; `start({ workers: true })` polls it, tests call `runDue()` after moving the clock. */
  scheduler: Scheduler;
  /** Members' coupons: lazy issuance by coupon_pack grants, listing, claims, checkout loading. */
  coupons: CouponService;
  /** Coupons locked to orders: redeem, complete, release. */
  redemptions: RedemptionService;
  /** Checkout evaluation: member prices, every coupon's reasons, the best combination. */
  checkout: CheckoutService;
  /** Prometheus metrics of this process (GET /metrics); other features report through it. */
  metrics: AppMetrics;
  /** The operator console's charts (GET /v1/stats). */
  stats: StatsService;
  /** Outbox → numbered event log → SSE streams. */
  events: EventModule;
  webhooks: WebhookService;
  /** Sends due webhook deliveries; `start({ workers: true })` polls it, tests call `runDue()`. */
  webhookWorker: WebhookWorker;
}
