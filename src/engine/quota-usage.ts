/** A grant's quota use at an instant: a period that has ended counts as unused, before any job resets it. */
import type { GrantView } from "./engine-types.js";

/** Whether the grant's recorded use belongs to a period still running at `at`. */
export function isQuotaPeriodLive(grant: GrantView, at: number): boolean {
  return grant.quotaResetsAt === null || at < grant.quotaResetsAt;
}

/** The amount used in the period that contains `at`. */
export function quotaUsedAt(grant: GrantView, at: number): number {
  return isQuotaPeriodLive(grant, at) ? grant.quotaUsed : 0;
}

/** When the use counted at `at` resets (epoch ms), or null when it never does or nothing is used. */
export function quotaResetAt(grant: GrantView, at: number): number | null {
  const resetsAt = grant.quotaResetsAt;
  return resetsAt !== null && at < resetsAt && grant.quotaUsed > 0 ? resetsAt : null;
}
