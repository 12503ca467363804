import { AuthService } from "./auth/auth-service.js";
import { CatalogService } from "./catalog/catalog-service.js";
import type { Clock } from "./clock.js";
import type { DatabaseHandle } from "./db/database.js";
import { createDataAccess, type DataAccess } from "./db/stores.js";
import { DecisionService } from "./decisions/decision-service.js";
import { SnapshotCache } from "./decisions/snapshot-cache.js";
import type { PaymentWaitPolicy } from "./engine/diagnosis-types.js";
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
import { catalogActivation } from "./notices/catalog-activation.js";
import { NoticeService } from "./notices/notice-service.js";
import { OrderService } from "./orders/order-service.js";
import { PaymentService } from "./payments/payment-service.js";
import { reconcileJobHandlers } from "./reconcile/reconcile-jobs.js";
import { ReconcileService } from "./reconcile/reconcile-service.js";
import { SessionService } from "./sessions/session-service.js";
import { DiagnosisService } from "./support/diagnosis-service.js";
import { TimelineService } from "./timeline/timeline-service.js";

export interface AppOptions {
  database: DatabaseHandle;
  clock: Clock;
  adminKey: string;
  paymentSecret: string;
  snapshotCacheSize?: number;
  scheduler?: SchedulerOptions;
  /** When a pending payment is late, and when it goes to support (diagnosis). */
  paymentWait?: PaymentWaitPolicy;
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
}

/** Wires the services over a migrated database and loads the current catalog. */
export async function createApp(options: AppOptions): Promise<App> {
  const { database, clock } = options;
  const data = createDataAccess(database.db);
  const cache = new SnapshotCache((id) => data.snapshots.load(id), options.snapshotCacheSize);
  const writes = new MemberWrites(data, cache, clock);
  const catalog = new CatalogService(data, clock);
  // A stored version may have marked grants (grandfathering), and one coming into force changes
  // decisions: no cached snapshot survives either. Affected members' entitlements versions move with
  // their notice (catalog.activate).
  catalog.onChange(() => cache.invalidateAll());
  const auth = new AuthService(options.adminKey, data, clock);
  await auth.init();
  await catalog.refresh();
  const members = new MemberService(data, writes, clock);
  const verifications = new VerificationService(data, writes, clock);
  await verifications.init();
  const reconcile = new ReconcileService(data, writes, catalog, clock);
  const jobHandlers: JobHandler[] = [
    ...MEMBERSHIP_JOB_HANDLERS,
    QUOTA_RESET_JOB.handler,
    catalogActivation(catalog),
    ...reconcileJobHandlers(reconcile, catalog),
  ];
  // A decision that meets drift asks for the member's repair (a job; the decision does not wait).
  const decisions = new DecisionService(catalog, cache, clock, (memberId) =>
    reconcile.requestRepair(memberId),
  );
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
  };
}
