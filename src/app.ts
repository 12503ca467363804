import { AuthService } from "./auth/auth-service.js";
import { CatalogService } from "./catalog/catalog-service.js";
import type { Clock } from "./clock.js";
import { ClusterBus } from "./cluster/cluster-bus.js";
import { ClusterSync } from "./cluster/cluster-sync.js";
import type { RetryPolicy } from "./cluster/postgres-listener.js";
import { CheckoutService } from "./coupons/checkout-service.js";
import { CouponService } from "./coupons/coupon-service.js";
import { RedemptionService } from "./coupons/redemption-service.js";
import type { DatabaseHandle } from "./db/database.js";
import { createDataAccess, type DataAccess } from "./db/stores.js";
import { DecisionService } from "./decisions/decision-service.js";
import { SnapshotCache } from "./decisions/snapshot-cache.js";
import type { PaymentWaitPolicy } from "./engine/diagnosis-types.js";
import { EventModule, type EventOptions } from "./events/event-module.js";
import { eventPruneJobHandler } from "./events/event-prune-job.js";
import { BenefitActionService } from "./grants/benefit-action-service.js";
import { QUOTA_RESET_JOB } from "./grants/quota-reset-job.js";
import { QuotaService } from "./grants/quota-service.js";
import { HoldService } from "./holds/hold-service.js";
import { SignalService } from "./holds/signal-service.js";
import { VerificationService } from "./holds/verification-service.js";
import { type JobHandler, Scheduler, type SchedulerOptions } from "./jobs/scheduler.js";
import { MemberService } from "./members/member-service.js";
import { MemberWrites } from "./members/member-writes.js";
import { MEMBERSHIP_JOB_HANDLERS } from "./memberships/membership-jobs.js";
import { AppMetrics } from "./metrics/app-metrics.js";
import { catalogActivation } from "./notices/catalog-activation.js";
import { NoticeService } from "./notices/notice-service.js";
import { OrderService } from "./orders/order-service.js";
import { GrantLatencyRecorder } from "./payments/grant-latency-recorder.js";
import { PaymentService } from "./payments/payment-service.js";
import { reconcileJobHandlers } from "./reconcile/reconcile-jobs.js";
import { ReconcileService } from "./reconcile/reconcile-service.js";
import { SessionService } from "./sessions/session-service.js";
import { StatsService } from "./stats/stats-service.js";
import { createStatsStore } from "./stats/stats-store.js";
import { DiagnosisService } from "./support/diagnosis-service.js";
import { TimelineService } from "./timeline/timeline-service.js";
import { DEFAULT_WEBHOOK_POLICY, type WebhookPolicy } from "./webhooks/webhook-policy.js";
import { WebhookService } from "./webhooks/webhook-service.js";
import { WebhookWorker } from "./webhooks/webhook-worker.js";

export interface AppOptions {
  database: DatabaseHandle;
  clock: Clock;
  adminKey: string;
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
}

/** The cluster channel that says "new events were numbered". */
const EVENTS_CHANNEL = "events";

function warnOnStderr(error: unknown, context: string): void {
  console.warn(`perkwise cluster: ${context}: ${error instanceof Error ? error.message : String(error)}`);
}

/** Every service, wired once; HTTP and CLI sit on top of this. */
export interface App {
  database: DatabaseHandle;
  data: DataAccess;
  clock: Clock;
  cache: SnapshotCache;
  /** Messages between the nodes on this database (LISTEN/NOTIFY); closed with the database. */
  cluster: ClusterBus;
  /** Member writes: one transaction, then the members' snapshots dropped here and on every node. */
  writes: MemberWrites;
  auth: AuthService;
  catalog: CatalogService;
  members: MemberService;
  orders: OrderService;
  payments: PaymentService;
  benefits: BenefitActionService;
  quotas: QuotaService;
  holds: HoldService;
  signals: SignalService;
  verifications: VerificationService;
  decisions: DecisionService;
  timeline: TimelineService;
  sessions: SessionService;
  diagnosis: DiagnosisService;
  notices: NoticeService;
  /** Finds and repairs drift between orders, payment events, memberships, grants and versions. */
  reconcile: ReconcileService;
  /** Runs due jobs; `serve` starts it, tests call `runDue()` after moving the clock. */
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
  /** Sends due webhook deliveries; `serve` starts it, tests call `runDue()`. */
  webhookWorker: WebhookWorker;
}

/** Wires the services over a migrated database and loads the current catalog. */
export async function createApp(options: AppOptions): Promise<App> {
  const { database, clock } = options;
  const committed = createDataAccess(database.db, clock);
  const dispatchOnCommit = options.events?.dispatchOnCommit !== false;
  // Every commit may have written outbox rows: the dispatcher numbers them at once, so this node's
  // streams see the change within a millisecond or two. Its own commits use the raw transaction.
  const data: DataAccess = {
    ...committed,
    transaction: async (work) => {
      const result = await committed.transaction(work);
      if (dispatchOnCommit) events.dispatcher.kick();
      return result;
    },
  };
  const events: EventModule = new EventModule(data, committed.transaction, clock, options.events);
  // Each event is numbered once, so the deliveries made in the numbering transaction are made once.
  events.dispatcher.onSequenced(async (stores, numbered, now) => {
    await stores.webhooks.enqueue(numbered, now);
  });
  const webhookPolicy = { ...DEFAULT_WEBHOOK_POLICY, ...options.webhooks };
  const cache = new SnapshotCache((id) => data.snapshots.load(id), options.snapshotCacheSize);
  const report = options.onClusterError ?? warnOnStderr;
  const cluster = new ClusterBus(database, { onError: report, retry: options.clusterRetry });
  database.onClose(() => cluster.close());
  const sync = new ClusterSync(cluster, cache, report);
  // Events numbered on another node wake this node's streams at once, not at the hub's next poll.
  events.dispatcher.onSequenced(async (stores) => {
    await cluster.notifyOthers(stores.executor, EVENTS_CHANNEL, "");
  });
  cluster.subscribe(EVENTS_CHANNEL, (_payload, origin) => {
    if (!origin.local) events.hub.refresh();
  });
  const statsStore = createStatsStore(database.db);
  const latencies = new GrantLatencyRecorder(data, (error) => report(error, "payment latency"));
  database.onClose(() => latencies.flush());
  const metrics = new AppMetrics(cache, cluster, statsStore, options.metricsToken);
  metrics.countStreamsWith(() => events.hub.stats().connections);
  const writes = new MemberWrites(data, cache, clock, (executor, ids) => sync.membersChanged(executor, ids));
  const catalog = new CatalogService(data, clock, (executor, version) =>
    sync.catalogStored(executor, version),
  );
  // A stored version may have marked grants (grandfathering), and one coming into force changes
  // decisions: no cached snapshot survives either. Affected members' entitlements versions move with
  // their notice (catalog.activate).
  catalog.onChange(() => cache.invalidateAll());
  const auth = new AuthService(options.adminKey, data, clock);
  await auth.init();
  await catalog.refresh();
  // Other nodes' writes drop our snapshots from here on; versions stored meanwhile come with the resync.
  sync.wire(catalog);
  await cluster.start();
  const members = new MemberService(data, writes, clock);
  const verifications = new VerificationService(data, writes, clock);
  await verifications.init();
  const reconcile = new ReconcileService(data, writes, catalog, clock);
  const jobHandlers: JobHandler[] = [
    ...MEMBERSHIP_JOB_HANDLERS,
    QUOTA_RESET_JOB.handler,
    catalogActivation(catalog),
    ...reconcileJobHandlers(reconcile, catalog),
    eventPruneJobHandler(events.retentionMs),
  ];
  const coupons = new CouponService(catalog, writes, clock, cache, options.snapshotCacheSize);
  // A decision that meets drift asks for the member's repair (a job; the decision does not wait).
  const decisions = new DecisionService(
    catalog,
    cache,
    clock,
    (memberId) => reconcile.requestRepair(memberId),
    metrics,
  );
  return {
    database,
    data,
    clock,
    cache,
    cluster,
    writes,
    auth,
    catalog,
    members,
    orders: new OrderService(catalog, writes, clock),
    payments: new PaymentService(options.paymentSecret, catalog, writes, clock, (webhookId, ms) => {
      metrics.paymentGranted(ms / 1000);
      latencies.record(webhookId, Math.round(ms));
    }),
    benefits: new BenefitActionService(catalog, writes, clock, (scope, memberId, benefit, source) =>
      coupons.claimForBenefit(scope, memberId, benefit, source),
    ),
    quotas: new QuotaService(catalog, writes, clock),
    holds: new HoldService(data, catalog, writes, clock),
    signals: new SignalService(data, writes, clock),
    verifications,
    decisions,
    timeline: new TimelineService(data, members, catalog),
    sessions: new SessionService(writes, clock),
    diagnosis: new DiagnosisService(catalog, cache, decisions, data, writes, clock, options.paymentWait),
    notices: new NoticeService(data, members, catalog, clock),
    reconcile,
    scheduler: new Scheduler(writes, clock, jobHandlers, options.scheduler),
    coupons,
    redemptions: new RedemptionService(catalog, coupons, writes, clock),
    checkout: new CheckoutService(catalog, cache, decisions, coupons),
    metrics,
    stats: new StatsService(metrics, statsStore, clock, cluster.nodeId, () => latencies.flush()),
    events,
    webhooks: new WebhookService(data, clock, webhookPolicy.allowPrivateNetworks),
    webhookWorker: new WebhookWorker(data, clock, webhookPolicy, options.events?.onError, (reason) =>
      metrics.webhookFailed(reason),
    ),
  };
}
