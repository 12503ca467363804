import { endMembershipGrants } from "../grants/membership-grants.js";
import type { JobRecord } from "../jobs/job-store.js";
import type { JobHandler } from "../jobs/scheduler.js";
import type { MemberWriteScope } from "../members/member-writes.js";
import { LIFECYCLE_JOBS } from "./lifecycle-jobs.js";
import type { MembershipRecord } from "./membership-store.js";

const iso = (d: Date) => d.toISOString();

/**
 * Grants that take effect later (a `next_day` or delayed benefit, a scheduled membership): at that
 * instant the member's decisions change, so the entitlements version is bumped and clients learn of it.
 * Set-based: a batch of hundreds of jobs is three statements.
 */
const grantsEffective: JobHandler = {
  kind: LIFECYCLE_JOBS.grantsEffective,
  async run(scope, jobs) {
    const due = new Map<string, Set<string>>();
    for (const job of jobs) {
      const { membershipId, effectiveFrom } = job.payload as { membershipId: string; effectiveFrom: string };
      const times = due.get(membershipId) ?? new Set<string>();
      times.add(effectiveFrom);
      due.set(membershipId, times);
    }
    const grants = await scope.stores.grants.listActiveOfActiveMemberships([...due.keys()]);
    const byMember = new Map<
      string,
      Map<string, { membershipId: string; effectiveFrom: string; benefits: string[] }>
    >();
    for (const grant of grants) {
      const at = iso(grant.effectiveFrom);
      if (!due.get(grant.membershipId)?.has(at)) continue;
      const entries = byMember.get(grant.memberId) ?? new Map();
      byMember.set(grant.memberId, entries);
      const key = `${grant.membershipId}@${at}`;
      const entry = entries.get(key) ?? { membershipId: grant.membershipId, effectiveFrom: at, benefits: [] };
      entry.benefits.push(grant.benefit);
      entries.set(key, entry);
    }
    if (byMember.size === 0) return;
    await scope.stores.members.lockMany([...byMember.keys()]);
    await scope.entitlementsChangedMany(
      "grants.effective",
      "system",
      [...byMember].map(([memberId, entries]) => ({
        memberId,
        extra: {},
        entries: [...entries.values()].map((data) => ({ kind: "grants.effective", data: { ...data } })),
      })),
    );
  },
};

/** Runs `work` for each job's membership with the member's row locked, if the membership is still active. */
async function eachActiveMembership(
  scope: MemberWriteScope,
  jobs: JobRecord[],
  work: (membership: MembershipRecord, payload: Record<string, unknown>) => Promise<void>,
) {
  // Member order: two batches that share members lock them in the same order.
  const sorted = [...jobs].sort((a, b) => (a.memberId ?? "").localeCompare(b.memberId ?? ""));
  for (const job of sorted) {
    if (job.memberId) await scope.stores.members.lock(job.memberId);
    const membership = await scope.stores.memberships.get(String(job.payload.membershipId));
    if (membership?.status === "active") await work(membership, job.payload);
  }
}

/**
 * A membership's end, in up to two phases: at its expiry it enters the grace period (benefits stay on,
 * decisions say so), at the end of that — or at expiry without one — it is `expired` and its grants
 * end. A job whose date is no longer the membership's (renewed, shortened) does nothing.
 */
const expiry: JobHandler = {
  kind: LIFECYCLE_JOBS.expire,
  async run(scope, jobs, now) {
    await eachActiveMembership(scope, jobs, async (m, payload) => {
      const data = {
        membershipId: m.id,
        tier: m.tier,
        expiredAt: iso(m.expiresAt),
        graceEndsAt: m.graceEndsAt ? iso(m.graceEndsAt) : null,
      };
      if (payload.phase === "grace") {
        if (iso(m.expiresAt) !== payload.expiresAt || !m.graceEndsAt || m.graceEndsAt.getTime() <= now)
          return;
        await scope.entitlementsChanged(
          m.memberId,
          "membership.grace_started",
          { membershipId: m.id },
          { source: "system", entries: [{ kind: "membership.grace_started", data }] },
        );
        return;
      }
      const end = m.graceEndsAt ?? m.expiresAt;
      if (iso(end) !== payload.endsAt || end.getTime() > now) return;
      await scope.stores.memberships.end(m.id, "expired", end);
      const grantsEnded = await endMembershipGrants(scope.stores, m.id, end, "expired");
      await scope.entitlementsChanged(
        m.memberId,
        "membership.expired",
        { membershipId: m.id },
        { source: "system", entries: [{ kind: "membership.expired", data: { ...data, grantsEnded } }] },
      );
    });
  },
};

/** Three days before a membership expires: an outbox event for the platform to remind the member. */
const reminder: JobHandler = {
  kind: LIFECYCLE_JOBS.remind,
  async run(scope, jobs) {
    await eachActiveMembership(scope, jobs, async (m, payload) => {
      if (iso(m.expiresAt) !== payload.expiresAt) return;
      const data = {
        memberId: m.memberId,
        membershipId: m.id,
        tier: m.tier,
        expiresAt: iso(m.expiresAt),
        graceEndsAt: m.graceEndsAt ? iso(m.graceEndsAt) : null,
      };
      await scope.stores.outbox.append({ memberId: m.memberId, type: "membership.expiring", payload: data });
      await scope.record(m.memberId, "system", { kind: "membership.expiry_reminder", data });
    });
  },
};

/** A membership scheduled to start later — a downgrade at the end of the term — starts now. */
const start: JobHandler = {
  kind: LIFECYCLE_JOBS.start,
  async run(scope, jobs) {
    await eachActiveMembership(scope, jobs, async (m, payload) => {
      if (iso(m.startsAt) !== payload.startsAt) return;
      const fromTier = (payload.downgradeFrom as string | null) ?? null;
      const kind = fromTier ? "membership.downgraded" : "membership.started";
      await scope.entitlementsChanged(
        m.memberId,
        kind,
        { membershipId: m.id },
        {
          source: "system",
          entries: [
            { kind, data: { membershipId: m.id, tier: m.tier, fromTier, expiresAt: iso(m.expiresAt) } },
          ],
        },
      );
    });
  },
};

/** The lifecycle's job handlers, for the scheduler. */
export const MEMBERSHIP_JOB_HANDLERS: readonly JobHandler[] = [grantsEffective, expiry, reminder, start];
