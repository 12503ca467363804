import type { NewJob } from "../jobs/new-job.js";
import type { JobHandler } from "../jobs/scheduler.js";

const KIND = "events.prune";
const HOUR = 3_600_000;

/** The next hourly pruning of the event log, after `now`; its key makes scheduling it twice a no-op. */
export function eventPruneJob(now: number): NewJob {
  const runAt = new Date(Math.floor(now / HOUR) * HOUR + HOUR);
  return { kind: KIND, key: `${KIND}:${runAt.toISOString()}`, runAt, payload: {} };
}

/**
 * Deletes events older than the retention window (and the outbox rows they came from), then
 * schedules the next run. A stream resuming from before the pruned events gets `reset`.
 */
export function eventPruneJobHandler(retentionMs: number): JobHandler {
  return {
    kind: KIND,
    async run(scope, _jobs, now) {
      await scope.stores.events.prune(new Date(now - retentionMs));
      await scope.stores.jobs.schedule([eventPruneJob(now)]);
    },
  };
}
