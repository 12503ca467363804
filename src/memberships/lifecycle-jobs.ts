import type { NewJob } from "../jobs/new-job.js";

/** Job kinds of the membership lifecycle (handlers in membership-jobs.ts). */
export const LIFECYCLE_JOBS = {
  grantsEffective: "grants.effective",
  expire: "membership.expire",
  remind: "membership.remind",
  start: "membership.start",
} as const;

/** The reminder goes out this long before a membership expires. */
export const REMINDER_BEFORE_MS = 3 * 24 * 3600 * 1000;

export interface ScheduledMembership {
  id: string;
  memberId: string;
  tier: string;
  startsAt: number;
  expiresAt: number;
  graceEndsAt: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Everything that will happen to a membership by time alone, as jobs: grants taking effect later, the
 * start of a scheduled (downgrade) membership, the expiry reminder, the start of the grace period and
 * the end. Keys carry the dates, so a renewal or refund that moves a date schedules new jobs and the
 * old ones, finding their date no longer current, complete without effect.
 */
export function lifecycleJobs(
  membership: ScheduledMembership,
  grantTimes: readonly number[],
  now: number,
  downgradeFrom: string | null = null,
): NewJob[] {
  const { id, memberId } = membership;
  const jobs: NewJob[] = [];
  for (const effectiveFrom of new Set(grantTimes)) {
    if (effectiveFrom <= now || effectiveFrom <= membership.startsAt) continue;
    jobs.push({
      kind: LIFECYCLE_JOBS.grantsEffective,
      key: `${LIFECYCLE_JOBS.grantsEffective}:${id}:${iso(effectiveFrom)}`,
      memberId,
      runAt: new Date(effectiveFrom),
      payload: { membershipId: id, effectiveFrom: iso(effectiveFrom) },
    });
  }
  if (membership.startsAt > now) {
    jobs.push({
      kind: LIFECYCLE_JOBS.start,
      key: `${LIFECYCLE_JOBS.start}:${id}:${iso(membership.startsAt)}`,
      memberId,
      runAt: new Date(membership.startsAt),
      payload: { membershipId: id, startsAt: iso(membership.startsAt), tier: membership.tier, downgradeFrom },
    });
  }
  const remindAt = membership.expiresAt - REMINDER_BEFORE_MS;
  if (remindAt > now) {
    jobs.push({
      kind: LIFECYCLE_JOBS.remind,
      key: `${LIFECYCLE_JOBS.remind}:${id}:${iso(membership.expiresAt)}`,
      memberId,
      runAt: new Date(remindAt),
      payload: { membershipId: id, expiresAt: iso(membership.expiresAt) },
    });
  }
  if (membership.graceEndsAt !== null) {
    jobs.push({
      kind: LIFECYCLE_JOBS.expire,
      key: `${LIFECYCLE_JOBS.expire}:${id}:grace:${iso(membership.expiresAt)}`,
      memberId,
      runAt: new Date(membership.expiresAt),
      payload: { membershipId: id, phase: "grace", expiresAt: iso(membership.expiresAt) },
    });
  }
  const end = membership.graceEndsAt ?? membership.expiresAt;
  jobs.push({
    kind: LIFECYCLE_JOBS.expire,
    key: `${LIFECYCLE_JOBS.expire}:${id}:end:${iso(end)}`,
    memberId,
    runAt: new Date(end),
    payload: { membershipId: id, phase: "end", endsAt: iso(end) },
  });
  return jobs;
}
