/** The reconciliation jobs: their kinds and keys (the handlers are in reconcile-jobs.ts). */
import type { NewJob } from "../jobs/new-job.js";

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
