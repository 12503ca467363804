import { AuthService } from "./auth/auth-service.js";
import { CatalogService } from "./catalog/catalog-service.js";
import type { Clock } from "./clock.js";
import { ClusterBus } from "./cluster/cluster-bus.js";
import { ClusterSync } from "./cluster/cluster-sync.js";
import type { RetryPolicy } from "./cluster/postgres-listener.js";
import type { AlipayConfig, WechatPayConfig } from "./config.js";
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
import { Lifecycle, type LifecyclePart } from "./lifecycle.js";
import { MemberService } from "./members/member-service.js";
import { MemberWrites } from "./members/member-writes.js";
import { MEMBERSHIP_JOB_HANDLERS } from "./memberships/membership-jobs.js";
import { AppMetrics } from "./metrics/app-metrics.js";
import { catalogActivation } from "./notices/catalog-activation.js";
import { NoticeService } from "./notices/notice-service.js";
import { OrderService } from "./orders/order-service.js";
import { AlipayAdapter } from "./payments/alipay-adapter.js";
import { GrantLatencyRecorder } from "./payments/grant-latency-recorder.js";
import { PaymentService } from "./payments/payment-service.js";
import { WechatPayAdapter } from "./payments/wechatpay-adapter.js";
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
  /** Alipay's notifications (config.alipay); absent: its endpoint answers PROVIDER_NOT_CONFIGURED. */
  alipay?: AlipayConfig;
  /** WeChat Pay's notifications (config.wechatpay); absent: its endpoint answers PROVIDER_NOT_CONFIGURED. */
  wechatpay?: WechatPayConfig;
}

/** The cluster channel that says "new events were numbered". */
const EVENTS_CHANNEL = "events";

function warnOnStderr(error: unknown, context: string): void {
  console.warn(`perkwise cluster: ${context}: ${error instanceof Error ? error.message : String(error)}`);
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
  /** Verifies and translates Alipay's notifications; null when Alipay is not configured. */
  alipay: AlipayAdapter | null;
  /** Verifies, decrypts and translates WeChat Pay's notifications; null when WeChat Pay is not configured. */
  wechatpay: WechatPayAdapter | null;
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

/**
 * Wires the services over a migrated database; nothing runs and nothing is read until `start()`.
 */
export function createApp(options: AppOptions): App {
  const { database, clock } = options;
  const committed = createDataAccess(database.db, clock);
  const dispatchOnCommit = options.events?.dispatchOnCommit !== false;
  // The dispatcher's own commits use the raw transaction: they must not kick it again.
  const events = new EventModule(committed, committed.transaction, clock, options.events);
  // Every commit may have written outbox rows: the dispatcher numbers them at once, so this node's
  // streams see the change within a millisecond or two.
  const data: DataAccess = {
    ...committed,
    transaction: async (work) => {
      const result = await committed.transaction(work);
      if (dispatchOnCommit) events.dispatcher.kick();
      return result;
    },
  };
  // Each event is numbered once, so the deliveries made in the numbering transaction are made once.
  events.dispatcher.onSequenced(async (stores, numbered, now) => {
    await stores.webhooks.enqueue(numbered, now);
  });
  const webhookPolicy = { ...DEFAULT_WEBHOOK_POLICY, ...options.webhooks };
  const cache = new SnapshotCache((id) => data.snapshots.load(id), options.snapshotCacheSize);
  const report = options.onClusterError ?? warnOnStderr;
  const cluster = new ClusterBus(database, { onError: report, retry: options.clusterRetry });
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
  const metrics = new AppMetrics(cache, cluster, statsStore, options.metricsToken);
  metrics.countStreamsWith(() => events.hub.stats().connections);
  const writes = new MemberWrites({
    transaction: data.transaction,
    cache,
    clock,
    announce: (executor, ids) => sync.membersChanged(executor, ids),
  });
  const catalog = new CatalogService(data, clock, (executor, version) =>
    sync.catalogStored(executor, version),
  );
  // A stored version may have marked grants (grandfathering), and one coming into force changes
  // decisions: no cached snapshot survives either. Affected members' entitlements versions move with
  // their notice (catalog.activate).
  catalog.onChange(() => cache.invalidateAll());
  const auth = new AuthService({ adminKey: options.adminKey, store: data.auth, clock });
  const members = new MemberService(data, writes, clock);
  const verifications = new VerificationService({ auth, writes, clock });
  const reconcile = new ReconcileService(data, writes, catalog, clock);
  const jobHandlers: JobHandler[] = [
    ...MEMBERSHIP_JOB_HANDLERS,
    QUOTA_RESET_JOB.handler,
    catalogActivation(catalog),
    ...reconcileJobHandlers(reconcile, catalog),
    eventPruneJobHandler(events.retentionMs),
  ];
  const coupons = new CouponService({
    catalog,
    writes,
    store: data.coupons,
    clock,
    snapshots: cache,
    cacheSize: options.snapshotCacheSize,
  });
  // A decision that meets drift asks for the member's repair (a job; the decision does not wait).
  const decisions = new DecisionService(
    catalog,
    cache,
    clock,
    (memberId) => reconcile.requestRepair(memberId),
    metrics,
  );
  const scheduler = new Scheduler(
    { writes, jobs: data.jobs, clock, handlers: jobHandlers },
    options.scheduler,
  );
  const webhookWorker = new WebhookWorker(data, clock, webhookPolicy, options.events?.onError, (reason) =>
    metrics.webhookFailed(reason),
  );
  // Run on every stop, started or not: repairs decisions asked for are still being scheduled, the
  // streams and the dispatcher's pass under way end, the latencies are written, all before the
  // database closes.
  const lifecycle = new Lifecycle([
    { name: "event streams and dispatcher", stop: () => events.stop() },
    { name: "repair requests", stop: () => reconcile.settle() },
    { name: "payment latencies", stop: () => latencies.flush() },
    { name: "cluster bus", stop: () => cluster.close() },
  ]);
  const coreParts: LifecyclePart[] = [
    { name: "auth secrets", start: () => auth.init() },
    { name: "verification key", start: () => verifications.init() },
    {
      name: "catalog",
      start: async () => {
        await catalog.refresh();
        // Other nodes' writes drop our snapshots from here on; versions stored meanwhile come with the resync.
        sync.wire(catalog);
      },
    },
    // Closed by the last stop step, after the repairs and latencies that may still notify.
    { name: "cluster bus listener", start: () => cluster.start() },
  ];
  const workerParts: LifecyclePart[] = [
    // Jobs that fell due while the server was down run now; then every second.
    { name: "scheduler", start: () => scheduler.start(), stop: () => scheduler.stop() },
    // Outbox rows left undelivered by a previous run are numbered now; then kicks and a slow poll.
    { name: "event dispatcher", start: () => events.start(), stop: () => events.stop() },
    { name: "webhook worker", start: () => webhookWorker.start(), stop: () => webhookWorker.stop() },
  ];
  // A process that only closes the database (a one-shot command, a test) still stops the app.
  database.onClose(() => lifecycle.stop());
  return {
    start: (startOptions = {}) =>
      lifecycle.start([
        ...coreParts,
        ...(startOptions.workers ? workerParts : []),
        ...(startOptions.after ?? []),
      ]),
    stop: () => lifecycle.stop(),
    running: () => lifecycle.running(),
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
    alipay: options.alipay ? new AlipayAdapter(options.alipay) : null,
    wechatpay: options.wechatpay ? new WechatPayAdapter(options.wechatpay) : null,
    benefits: new BenefitActionService(catalog, writes, clock, (scope, memberId, benefit, source) =>
      coupons.claimForBenefit(scope, memberId, benefit, source),
    ),
    quotas: new QuotaService(catalog, writes, clock),
    holds: new HoldService(data, catalog, writes, clock),
    signals: new SignalService({ store: data.signals, writes, clock }),
    verifications,
    decisions,
    timeline: new TimelineService({ store: data.timeline, members, catalog }),
    sessions: new SessionService(writes, clock),
    diagnosis: new DiagnosisService(catalog, cache, decisions, data, writes, clock, options.paymentWait),
    notices: new NoticeService(data, members, catalog, clock),
    reconcile,
    scheduler,
    coupons,
    redemptions: new RedemptionService({ catalog, coupons, writes, store: data.coupons, clock }),
    checkout: new CheckoutService(catalog, cache, decisions, coupons),
    metrics,
    stats: new StatsService(metrics, statsStore, clock, cluster.nodeId, () => latencies.flush()),
    events,
    webhooks: new WebhookService({
      store: data.webhooks,
      clock,
      allowPrivateNetworks: webhookPolicy.allowPrivateNetworks,
    }),
    webhookWorker,
  };
}

/** `createApp` then `start()`: for one-shot commands, tests and benchmarks that run no workers. */
export async function startApp(options: AppOptions, startOptions?: AppStartOptions): Promise<App> {
  const app = createApp(options);
  await app.start(startOptions);
  return app;
}
