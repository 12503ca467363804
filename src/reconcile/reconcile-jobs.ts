import type { CatalogService } from "../catalog/catalog-service.js";
import type { JobHandler } from "../jobs/scheduler.js";
import { nightlyReconcileJob, RECONCILE_JOBS } from "./reconcile-job-kinds.js";
import type { ReconcileService } from "./reconcile-service.js";
import { repairMember } from "./repair-member.js";

/** The job handlers: the nightly scan (which schedules the next night's) and the repair of one member. */
export function reconcileJobHandlers(service: ReconcileService, catalog: CatalogService): JobHandler[] {
  return [
    {
      kind: RECONCILE_JOBS.run,
      // A full scan of a large database takes minutes: no other worker may take it over meanwhile.
      leaseMs: 30 * 60_000,
      async run(scope, jobs, now) {
        // Several due at once (a server that was down for days): one scan does for all of them.
        // Before the first catalog there is nothing to compare with.
        if (jobs.length > 0 && catalog.peek() !== null) await service.runInJob(scope, now);
        await scope.stores.jobs.schedule([nightlyReconcileJob(now)]);
      },
    },
    {
      kind: RECONCILE_JOBS.member,
      async run(scope, jobs, now) {
        // Member order: two batches that share members lock them in the same order.
        const members = [
          ...new Set(jobs.map((j) => j.memberId).filter((id): id is string => id !== null)),
        ].sort();
        for (const memberId of members) await repairMember(scope, catalog, memberId, now);
      },
    },
  ];
}
