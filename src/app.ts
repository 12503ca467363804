import { AuthService } from "./auth/auth-service.js";
import { CatalogService } from "./catalog/catalog-service.js";
import type { Clock } from "./clock.js";
import type { DatabaseHandle } from "./db/database.js";
import { createDataAccess, type DataAccess } from "./db/stores.js";
import { DecisionService } from "./decisions/decision-service.js";
import { SnapshotCache } from "./decisions/snapshot-cache.js";
import { BenefitActionService } from "./grants/benefit-action-service.js";
import { QUOTA_RESET_JOB } from "./grants/quota-reset-job.js";
import { QuotaService } from "./grants/quota-service.js";
import { type JobHandler, Scheduler, type SchedulerOptions } from "./jobs/scheduler.js";
import { MemberService } from "./members/member-service.js";
import { MemberWrites } from "./members/member-writes.js";
import { MEMBERSHIP_JOB_HANDLERS } from "./memberships/membership-jobs.js";
import { OrderService } from "./orders/order-service.js";
import { PaymentService } from "./payments/payment-service.js";
import { reconcileJobHandlers } from "./reconcile/reconcile-jobs.js";
import { ReconcileService } from "./reconcile/reconcile-service.js";
import { TimelineService } from "./timeline/timeline-service.js";

export interface AppOptions {
  database: DatabaseHandle;
  clock: Clock;
  adminKey: string;
  paymentSecret: string;
  snapshotCacheSize?: number;
  scheduler?: SchedulerOptions;
}

/** Every service, wired once; HTTP and CLI sit on top of this. */
export interface App {
  database: DatabaseHandle;
  data: DataAccess;
  clock: Clock;
  cache: SnapshotCache;
  auth: AuthService;
  catalog: CatalogService;
  members: MemberService;
  orders: OrderService;
  payments: PaymentService;
  benefits: BenefitActionService;
  quotas: QuotaService;
  decisions: DecisionService;
  timeline: TimelineService;
  /** Finds and repairs drift between orders, payment events, memberships, grants and versions. */
  reconcile: ReconcileService;
  /** Runs due jobs; `serve` starts it, tests call `runDue()` after moving the clock. */
  scheduler: Scheduler;
}

/** Wires the services over a migrated database and loads the current catalog. */
export async function createApp(options: AppOptions): Promise<App> {
  const { database, clock } = options;
  const data = createDataAccess(database.db);
  const cache = new SnapshotCache((id) => data.snapshots.load(id), options.snapshotCacheSize);
  const writes = new MemberWrites(data, cache, clock);
  const catalog = new CatalogService(data, clock);
  // A catalog change bumps every member's entitlements version: no cached snapshot survives it.
  catalog.onChange(() => cache.invalidateAll());
  const auth = new AuthService(options.adminKey, data, clock);
  await auth.init();
  await catalog.refresh();
  const members = new MemberService(data, writes, clock);
  const reconcile = new ReconcileService(data, writes, catalog, clock);
  const jobHandlers: JobHandler[] = [
    ...MEMBERSHIP_JOB_HANDLERS,
    QUOTA_RESET_JOB.handler,
    ...reconcileJobHandlers(reconcile, catalog),
  ];
  return {
    database,
    data,
    clock,
    cache,
    auth,
    catalog,
    members,
    orders: new OrderService(catalog, writes, clock),
    payments: new PaymentService(options.paymentSecret, catalog, writes, clock),
    benefits: new BenefitActionService(catalog, writes, clock),
    quotas: new QuotaService(catalog, writes, clock),
    decisions: new DecisionService(catalog, cache, clock, (memberId) => reconcile.requestRepair(memberId)),
    timeline: new TimelineService(data, members, catalog),
    reconcile,
    scheduler: new Scheduler(writes, clock, jobHandlers, options.scheduler),
  };
}
