import type { CatalogService } from "../catalog/catalog-service.js";
import type { NewJob } from "../jobs/job-store.js";
import type { JobHandler } from "../jobs/scheduler.js";
import type { ReconcileService } from "./reconcile-service.js";
import { repairMember } from "./repair-member.js";

export const RECONCILE_JOBS = { run: "reconcile.run", member: "reconcile.member" } as const;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The nightly run starts at 03:00 UTC, when platforms in China (UTC+8) are quietest. */
const NIGHTLY_AT_MS = 3 * 3600 * 1000;

/**
 * The repair of one member. Keyed per minute (or per run): a member whose every check meets drift
 * gets one repair job a minute, not one per check.
 */
export function reconcileMemberJob(memberId: string, now: number, runId?: string): NewJob {
  const slot = runId ?? new Date(Math.floor(now / MINUTE) * MINUTE).toISOString();
  return {
    kind: RECONCILE_JOBS.member,
    key: `${RECONCILE_JOBS.member}:${memberId}:${slot}`,
    memberId,
    runAt: new Date(now),
    payload: {},
  };
}

/** The next nightly run after `now`; its key is its time, so scheduling it twice is a no-op. */
export function nightlyReconcileJob(now: number): NewJob {
  let at = Math.floor(now / DAY) * DAY + NIGHTLY_AT_MS;
  if (at <= now) at += DAY;
  const runAt = new Date(at);
  return {
    kind: RECONCILE_JOBS.run,
    key: `${RECONCILE_JOBS.run}:${runAt.toISOString()}`,
    runAt,
    payload: {},
  };
}

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
