import type { NewJob } from "../jobs/new-job.js";
import type { JobHandler } from "../jobs/scheduler.js";

const KIND = "quota.reset";

/**
 * Quota period resets. Decisions already count an ended period as unused, so this job is not what
 * makes a member's quota usable again; it zeroes the stored use and bumps the entitlements version,
 * so clients holding the old numbers learn of the reset (outbox, timeline `quota.reset`).
 */
export const QUOTA_RESET_JOB = {
  kind: KIND,
  /** The reset of the period of `grantId` that ends at `resetAt`: one job per grant and period. */
  job(memberId: string, grantId: string, resetAt: number): NewJob {
    const at = new Date(resetAt);
    return {
      kind: KIND,
      key: `${KIND}:${grantId}:${at.toISOString()}`,
      memberId,
      runAt: at,
      payload: { grantId, resetAt: at.toISOString() },
    };
  },
  handler: {
    kind: KIND,
    async run(scope, jobs, now) {
      // Members first, in id order, as every writer of a member does: a concurrent usage request
      // locks the member and then the grant, so taking the grant first could deadlock with it.
      const memberIds = [...new Set(jobs.map((j) => j.memberId).filter((id): id is string => id !== null))];
      await scope.stores.members.lockMany(memberIds);
      const reset = await scope.stores.quotas.resetPeriods(
        jobs.map((j) => ({
          grantId: String(j.payload.grantId),
          resetAt: new Date(String(j.payload.resetAt)),
        })),
        new Date(now),
      );
      for (const r of reset) {
        const data = { benefit: r.benefit, grantId: r.grantId, resetAt: r.resetAt.toISOString() };
        await scope.entitlementsChanged(r.memberId, "quota.reset", data, {
          source: "system",
          entries: [{ kind: "quota.reset", data }],
        });
      }
    },
  } satisfies JobHandler,
};
