/** A grant's quota use at an instant: a period that has ended counts as unused, before any job resets it. */
import type { CompiledQuota } from "../catalog/catalog-types.js";
import { periodAt } from "../time/usage-period.js";
import { membershipById } from "./covering-grant.js";
import type { GrantView, MemberSnapshot } from "./engine-types.js";

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

/** Where a grant's periods are anchored: its membership's start (the grant's own start if the snapshot lacks it). */
export function membershipStartOf(snapshot: MemberSnapshot, grant: GrantView): number {
  return membershipById(snapshot, grant.membershipId)?.startsAt ?? grant.effectiveFrom;
}

/**
 * When the quota next resets, as the member centre shows it: the end of the period in use, else the
 * end of the period containing `at` by the quota's anchor in the member's time zone; null without a period.
 */
export function nextQuotaReset(
  snapshot: MemberSnapshot,
  grant: GrantView,
  quota: CompiledQuota,
  at: number,
): number | null {
  if (quota.period === null || quota.anchor === null) return null;
  const inUse = quotaResetAt(grant, at);
  if (inUse !== null) return inUse;
  return periodAt(quota.period, quota.anchor, at, snapshot.timezone, membershipStartOf(snapshot, grant)).end;
}
