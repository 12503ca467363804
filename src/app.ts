import type { App, AppOptions, AppStartOptions } from "./app-types.js";
import { API_KEYS_CHANNEL, AuthService } from "./auth/auth-service.js";
import { createCatalogFeature } from "./catalog/catalog-feature.js";
import { ClusterBus } from "./cluster/cluster-bus.js";
import { ClusterSync } from "./cluster/cluster-sync.js";
import { createCouponsFeature } from "./coupons/coupons-feature.js";
import { createDataAccess, type DataAccess } from "./db/stores.js";
import { DecisionService } from "./decisions/decision-service.js";
import { SnapshotCache } from "./decisions/snapshot-cache.js";
import { EventModule } from "./events/event-module.js";
import { eventPruneJobHandler } from "./events/event-prune-job.js";
import { createGrantsFeature } from "./grants/grants-feature.js";
import { createHoldsFeature } from "./holds/holds-feature.js";
import { Scheduler } from "./jobs/scheduler.js";
import { Lifecycle, type LifecyclePart } from "./lifecycle.js";
import { createMembersFeature } from "./members/members-feature.js";
import { MEMBERSHIP_JOB_HANDLERS } from "./memberships/membership-jobs.js";
import { AppMetrics } from "./metrics/app-metrics.js";
import { createNoticesFeature } from "./notices/notices-feature.js";
import { OrderService } from "./orders/order-service.js";
import { AlipayAdapter } from "./payments/alipay-adapter.js";
import { AlipayQuery } from "./payments/alipay-query.js";
import { GrantLatencyRecorder } from "./payments/grant-latency-recorder.js";
import { DEFAULT_PAYMENT_QUERY_POLICY } from "./payments/payment-query-policy.js";
import { PaymentQueryService } from "./payments/payment-query-service.js";
import { PaymentService } from "./payments/payment-service.js";
import type { ProviderQuery } from "./payments/provider-query.js";
import { StripeAdapter } from "./payments/stripe-adapter.js";
import { StripeQuery } from "./payments/stripe-query.js";
import { WechatPayAdapter } from "./payments/wechatpay-adapter.js";
import { WechatPayQuery } from "./payments/wechatpay-query.js";
import { PlanService } from "./plans/plan-service.js";
import { createReconcileFeature } from "./reconcile/reconcile-feature.js";
import { SessionService } from "./sessions/session-service.js";
import { StatsService } from "./stats/stats-service.js";
import { createStatsStore } from "./stats/stats-store.js";
import { DiagnosisService } from "./support/diagnosis-service.js";
import { createTicketsFeature } from "./tickets/tickets-feature.js";
import { TimelineService } from "./timeline/timeline-service.js";
import { createWebhooksFeature } from "./webhooks/webhooks-feature.js";

export type { App, AppOptions, AppStartOptions } from "./app-types.js";

/** The cluster channel that says "new events were numbered". */
const EVENTS_CHANNEL = "events";

function warnOnStderr(error: unknown, context: string): void {
  console.warn(`perkwise cluster: ${context}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Wires the features over a migrated database, each given only what it uses, in dependency order;
 * nothing runs and nothing is read until `start()`.
 */
export function createApp(options: AppOptions): App {
  const { database, clock } = options;
  const committed = createDataAccess(database.db, clock);
  // The dispatcher's own commits use the raw transaction: they must not kick it again.
  const events = new EventModule(
    { store: committed.events, transaction: committed.transaction, clock },
    options.events,
  );
  // Every commit may have written outbox rows: the dispatcher numbers them at once, so this node's
  // streams see the change within a millisecond or two.
  const dispatchOnCommit = options.events?.dispatchOnCommit !== false;
  const data: DataAccess = {
    ...committed,
    transaction: async (work) => {
      const result = await committed.transaction(work);
      if (dispatchOnCommit) events.dispatcher.kick();
      return result;
    },
  };
  const cache = new SnapshotCache((id) => data.snapshots.load(id), options.snapshotCacheSize);
  const report = options.onClusterError ?? warnOnStderr;
  const cluster = new ClusterBus(database, { onError: report, retry: options.clusterRetry });
  const sync = new ClusterSync(cluster, cache, report);
  const statsStore = createStatsStore(database.db);
  const metrics = new AppMetrics(cache, cluster, statsStore, options.metricsToken);
  metrics.countStreamsWith(() => events.hub.stats().connections);
  const webhooks = createWebhooksFeature({
    data,
    dispatcher: events.dispatcher,
    clock,
    policy: options.webhooks,
    onError: options.events?.onError,
    onFailedAttempt: (reason) => metrics.webhookFailed(reason),
  });
  // Events numbered on another node wake this node's streams at once, not at the hub's next poll.
  events.dispatcher.onSequenced(async (stores) => {
    await cluster.notifyOthers(stores.executor, EVENTS_CHANNEL, "");
  });
  cluster.subscribe(EVENTS_CHANNEL, (_payload, origin) => {
    if (!origin.local) events.hub.refresh();
  });
  const latencies = new GrantLatencyRecorder(data.payments, (error) => report(error, "payment latency"));
  const { writes, members } = createMembersFeature({
    data,
    cache,
    clock,
    announce: (executor, ids) => sync.membersChanged(executor, ids),
  });
  const { catalog } = createCatalogFeature({
    data,
    cache,
    clock,
    announce: (executor, version) => sync.catalogStored(executor, version),
  });
  const auth = new AuthService({
    adminKey: options.adminKey,
    previousAdminKey: options.previousAdminKey,
    store: data.auth,
    clock,
    announce: (keyId) => cluster.notifyOthers(database.db, API_KEYS_CHANNEL, keyId),
    onError: (error) => report(error, "api key last use"),
  });
  // A key revoked or rotated on another node is refused here at once, not when its cache entry ages out.
  cluster.subscribe(API_KEYS_CHANNEL, (keyId, origin) => {
    if (!origin.local) auth.forgetKey(keyId);
  });
  cluster.onResync(() => auth.forgetAll());
  const holds = createHoldsFeature({ data, auth, catalog, writes, clock });
  const repairs = createReconcileFeature({ data, catalog, writes, clock });
  const { reconcile } = repairs;
  // A decision that meets drift asks for the member's repair (a job; the decision does not wait).
  const decisions = new DecisionService({
    catalog,
    cache,
    clock,
    onDrift: (memberId) => reconcile.requestRepair(memberId),
    recorder: metrics,
  });
  const coupons = createCouponsFeature({
    data,
    catalog,
    writes,
    cache,
    decisions,
    clock,
    cacheSize: options.snapshotCacheSize,
  });
  const grants = createGrantsFeature({
    catalog,
    writes,
    clock,
    claimCouponPack: (scope, memberId, benefit, source) =>
      coupons.coupons.claimForBenefit(scope, memberId, benefit, source),
  });
  const notices = createNoticesFeature({ data, members, catalog, clock });
  const payments = new PaymentService({
    secret: options.paymentSecret,
    catalog,
    writes,
    clock,
    onGranted: (webhookId, ms) => {
      metrics.paymentGranted(ms / 1000);
      latencies.record(webhookId, Math.round(ms));
    },
    // A paid order's channel is judged by the unofficial-channel rule in the payment's transaction.
    onPaid: (scope, paid) => holds.signals.judgePaidOrder(scope, paid),
  });
  const paymentQueries = new PaymentQueryService({
    queries: providerQueries(options),
    payments,
    clock,
    policy: { ...DEFAULT_PAYMENT_QUERY_POLICY, ...options.paymentQuery },
    orderState: async (orderId) => {
      const order = await data.orders.get(orderId);
      if (!order) return null;
      const events = await data.payments.listForOrder(orderId);
      return {
        orderId,
        status: order.status,
        memberId: order.memberId,
        amount: order.amount,
        currency: order.currency,
        createdAt: order.createdAt,
        providers: [...new Set(events.map((e) => e.provider))],
      };
    },
  });
  const timeline = new TimelineService({ store: data.timeline, members, catalog });
  const diagnosis = new DiagnosisService({
    store: data.evidence,
    catalog,
    cache,
    decisions,
    reconcile,
    writes,
    clock,
    paymentWait: options.paymentWait,
    paymentQueries,
  });
  const support = createTicketsFeature({
    data,
    writes,
    clock,
    members,
    timeline,
    diagnosis,
    catalog,
    decisions,
    dispatcher: events.dispatcher,
    onError: report,
  });
  const scheduler = new Scheduler(
    {
      writes,
      jobs: data.jobs,
      clock,
      handlers: [
        ...MEMBERSHIP_JOB_HANDLERS,
        ...grants.jobHandlers,
        ...notices.jobHandlers,
        ...repairs.jobHandlers,
        ...support.jobHandlers,
        eventPruneJobHandler(events.retentionMs),
        paymentQueries.jobHandler(),
      ],
    },
    options.scheduler,
  );
  // Run on every stop, started or not: repairs decisions asked for are still being scheduled, the
  // streams and the dispatcher's pass under way end, the latencies are written, all before the
  // database closes.
  const lifecycle = new Lifecycle([
    { name: "event streams and dispatcher", stop: () => events.stop() },
    repairs.settle,
    { name: "payment latencies", stop: () => latencies.flush() },
    { name: "cluster bus", stop: () => cluster.close() },
  ]);
  const coreParts: LifecyclePart[] = [
    { name: "auth secrets", start: () => auth.init() },
    holds.verificationKey,
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
    webhooks.worker,
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
    // A new order gets its first payment query job (when a provider is configured) as it is created.
    orders: new OrderService({
      store: data.orders,
      catalog,
      writes,
      clock,
      onCreated: (scope, order) => paymentQueries.scheduleFirst(scope, order),
    }),
    payments,
    paymentQueries,
    alipay: options.alipay ? new AlipayAdapter(options.alipay) : null,
    wechatpay: options.wechatpay ? new WechatPayAdapter(options.wechatpay) : null,
    stripe: options.stripe ? new StripeAdapter(options.stripe) : null,
    benefits: grants.benefits,
    quotas: grants.quotas,
    holds: holds.holds,
    signals: holds.signals,
    verifications: holds.verifications,
    decisions,
    timeline,
    sessions: new SessionService({ writes, clock }),
    diagnosis,
    tickets: support.tickets,
    ticketDesk: support.desk,
    ticketSelfResolve: support.selfResolve,
    notices: notices.notices,
    plans: new PlanService({
      catalog,
      members,
      reads: { memberships: data.memberships, orders: data.orders },
      clock,
      publicPlans: options.publicPlans ?? false,
    }),
    reconcile,
    scheduler,
    ...coupons,
    metrics,
    stats: new StatsService({
      metrics,
      store: statsStore,
      clock,
      nodeId: cluster.nodeId,
      flushLatencies: () => latencies.flush(),
    }),
    events,
    webhooks: webhooks.webhooks,
    webhookWorker: webhooks.webhookWorker,
  };
}

/** The query APIs of the configured providers (WeChat Pay's needs our merchant key too). */
function providerQueries(options: AppOptions): ProviderQuery[] {
  const queries: ProviderQuery[] = [];
  if (options.alipay) queries.push(new AlipayQuery(options.alipay));
  const wechatpay = options.wechatpay && WechatPayQuery.create(options.wechatpay);
  if (wechatpay) queries.push(wechatpay);
  // Stripe's queries need an API key; its webhooks alone do not.
  const stripe = options.stripe;
  if (stripe?.apiKey) queries.push(new StripeQuery({ ...stripe, apiKey: stripe.apiKey }));
  return queries;
}

/** `createApp` then `start()`: for one-shot commands, tests and benchmarks that run no workers. */
export async function startApp(options: AppOptions, startOptions?: AppStartOptions): Promise<App> {
  const app = createApp(options);
  await app.start(startOptions);
  return app;
}
