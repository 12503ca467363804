import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import type { StopStep } from "../lifecycle.js";
import type { MemberWrites } from "../members/member-writes.js";
import { reconcileJobHandlers } from "./reconcile-jobs.js";
import { ReconcileService } from "./reconcile-service.js";

/** Drift between orders, payments, memberships and grants: found by scans, repaired by jobs. */
export function createReconcileFeature(deps: {
  data: Pick<DataAccess, "reconcile" | "jobs">;
  catalog: CatalogService;
  writes: MemberWrites;
  clock: Clock;
}) {
  const { data, catalog, writes, clock } = deps;
  const reconcile = new ReconcileService({ store: data.reconcile, jobs: data.jobs, writes, catalog, clock });
  return {
    reconcile,
    jobHandlers: reconcileJobHandlers(reconcile, catalog),
    /** The repairs decisions asked for are still being scheduled: wait before the database closes. */
    settle: { name: "repair requests", stop: () => reconcile.settle() } satisfies StopStep,
  };
}
