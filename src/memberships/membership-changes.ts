import type { CompiledCatalog, CompiledPlan } from "../catalog/catalog-types.js";
import type { Stores } from "../db/stores.js";
import {
  addMembershipGrants,
  endMembershipGrants,
  reinstateMembershipGrants,
  setMembershipGrantsExpiry,
  shiftMembershipGrants,
} from "../grants/membership-grants.js";
import { newGrants } from "../grants/new-grants.js";
import { newId } from "../ids.js";
import type { MemberRecord } from "../members/member-record.js";
import type { OrderRecord, UpgradeRecord } from "../orders/order-store.js";
import { addIsoDuration } from "../time/durations.js";
import { periodAt } from "../time/usage-period.js";
import { lifecycleJobs } from "./lifecycle-jobs.js";
import { revokeMembership } from "./membership-repairs.js";
import type { MembershipRecord } from "./membership-store.js";
import { classifyPurchase, quoteUpgrade } from "./upgrade-quote.js";

/** What a payment did to the member's memberships. */
export type ActivationKind = "activated" | "extended" | "upgraded" | "downgrade_scheduled";

export interface ActivationResult {
  kind: ActivationKind;
  membershipId: string;
  tier: string;
  /** The tier's benefits with their effective times (for an extension, only the missing ones were inserted). */
  grants: { benefit: string; effectiveFrom: string }[];
  /** The period this order paid for. */
  periodStart: Date;
  periodEnd: Date;
  graceEndsAt: Date | null;
  grantsCreated: number;
  /** For an upgrade: what it replaced and the credit carried over. */
  upgrade: UpgradeRecord | null;
  /** For a scheduled downgrade: the tier the member keeps until periodStart. */
  downgradeFrom: string | null;
}

function graceEnd(plan: CompiledPlan, expiresAt: number, timeZone: string): number | null {
  return plan.gracePeriod === null ? null : addIsoDuration(expiresAt, plan.gracePeriod, timeZone);
}

/**
 * Applies a paid order to the member's memberships, inside the payment transaction with the member's
 * row locked:
 * (classifyPurchase, upgrade-quote.ts, tells which of these applies; the plans page asks it too)
 * - the same tier again: extends that membership from its current expiry (renewal);
 * - a higher tier than one running now: an upgrade, at once — the old membership ends `upgraded`, its
 *   unused value becomes extra time on the new one (upgrade-credit.ts);
 * - a lower tier than one running now: a downgrade, scheduled for the end of the current term
 *   (END_OF_TERM) — the member keeps the higher tier until then;
 * - otherwise a new membership from now.
 * Grants of the tier are written in the same transaction, and the lifecycle jobs are scheduled.
 */
export async function activateMembership(
  stores: Stores,
  catalog: CompiledCatalog,
  member: MemberRecord,
  order: OrderRecord,
  plan: CompiledPlan,
  now: number,
): Promise<ActivationResult> {
  // A statement of its own, after the member's row is locked: under READ COMMITTED it then sees a
  // membership that a concurrent payment just committed. Read in the locking statement itself, it
  // would come from that statement's older snapshot and a second membership would be created.
  const active = await stores.memberships.listActive(member.id, new Date(now));
  const purchase = classifyPurchase(catalog, active, plan, now);
  if (purchase.kind === "extend") return extend(stores, catalog, member, plan, purchase.membership, now);
  if (purchase.kind === "downgrade_scheduled") {
    const { until } = purchase;
    // A paid follow-on is no lapse: the higher tier ends at its expiry, without a grace period.
    if (until.graceEndsAt !== null) {
      await stores.memberships.setExpiry(until.id, until.expiresAt, null);
      await stores.jobs.schedule(lifecycleJobs(scheduledOf({ ...until, graceEndsAt: null }), [], now));
    }
    return create(stores, catalog, member, order, plan, until.expiresAt.getTime(), now, {
      kind: "downgrade_scheduled",
      downgradeFrom: until.tier,
    });
  }
  if (purchase.kind === "upgrade") return upgrade(stores, catalog, member, order, plan, purchase.lower, now);
  return create(stores, catalog, member, order, plan, now, now, { kind: "activated", downgradeFrom: null });
}

/** Every benefit of the plan's tier as grants of a membership starting at `startsAt`. */
function tierGrants(
  catalog: CompiledCatalog,
  member: MemberRecord,
  plan: CompiledPlan,
  membershipId: string,
  startsAt: number,
  expiresAt: number,
) {
  const tier = catalog.tiers.get(plan.tier);
  const holder = {
    memberId: member.id,
    membershipId,
    tier: plan.tier,
    timezone: member.timezone,
    expiresAt: new Date(expiresAt),
  };
  return newGrants(catalog, catalog.version, tier?.benefits ?? [], holder, startsAt);
}

async function create(
  stores: Stores,
  catalog: CompiledCatalog,
  member: MemberRecord,
  order: OrderRecord,
  plan: CompiledPlan,
  startsAt: number,
  now: number,
  how: { kind: ActivationKind; downgradeFrom: string | null; upgrade?: UpgradeRecord; extraMs?: number },
): Promise<ActivationResult> {
  const expiresAt = addIsoDuration(startsAt, plan.period, member.timezone) + (how.extraMs ?? 0);
  const graceEndsAt = graceEnd(plan, expiresAt, member.timezone);
  const membershipId = newId("msh");
  const grants = tierGrants(catalog, member, plan, membershipId, startsAt, expiresAt);
  const jobs = lifecycleJobs(
    { id: membershipId, memberId: member.id, tier: plan.tier, startsAt, expiresAt, graceEndsAt },
    grants.map((g) => g.effectiveFrom.getTime()),
    now,
    how.downgradeFrom,
  );
  await stores.memberships.insertWithGrants(
    {
      id: membershipId,
      memberId: member.id,
      tier: plan.tier,
      startsAt: new Date(startsAt),
      expiresAt: new Date(expiresAt),
      graceEndsAt: graceEndsAt === null ? null : new Date(graceEndsAt),
      sourceOrderId: order.id,
    },
    grants,
    jobs,
  );
  return {
    kind: how.kind,
    membershipId,
    tier: plan.tier,
    grants: grants.map((g) => ({ benefit: g.benefit, effectiveFrom: g.effectiveFrom.toISOString() })),
    periodStart: new Date(startsAt),
    periodEnd: new Date(expiresAt),
    graceEndsAt: graceEndsAt === null ? null : new Date(graceEndsAt),
    grantsCreated: grants.length,
    upgrade: how.upgrade ?? null,
    downgradeFrom: how.downgradeFrom,
  };
}

/**
 * Where a renewal from `expiresAt` ends: the membership's next anniversary when its term so far is
 * whole periods from its start (bought 31 January: 28 February, then 31 March — not 28 March, as
 * adding a month to 28 February would give), else one period after `expiresAt` (an upgrade's credit
 * or another plan's length made the term uneven).
 */
function renewalEnd(startsAt: number, expiresAt: number, period: string, timeZone: string): number {
  const anniversary = periodAt(period, "membership", expiresAt, timeZone, startsAt);
  return anniversary.start === expiresAt ? anniversary.end : addIsoDuration(expiresAt, period, timeZone);
}

/** Renewal: the same tier extends from the current expiry; a downgrade scheduled after it moves with it. */
async function extend(
  stores: Stores,
  catalog: CompiledCatalog,
  member: MemberRecord,
  plan: CompiledPlan,
  current: MembershipRecord,
  now: number,
): Promise<ActivationResult> {
  const periodStart = current.expiresAt.getTime();
  const periodEnd = renewalEnd(current.startsAt.getTime(), periodStart, plan.period, member.timezone);
  // A downgrade waiting for the end of this term now waits for the new end, and as before the term
  // runs to it without a grace period.
  const followers = (await stores.memberships.listActive(member.id, new Date(now))).filter(
    (m) => m.id !== current.id && m.startsAt.getTime() === periodStart,
  );
  const graceEndsAt = followers.length > 0 ? null : graceEnd(plan, periodEnd, member.timezone);
  const startsAt = current.startsAt.getTime();
  await stores.memberships.setExpiry(
    current.id,
    new Date(periodEnd),
    graceEndsAt === null ? null : new Date(graceEndsAt),
  );
  await setMembershipGrantsExpiry(stores, current.id, new Date(periodEnd));
  // Every benefit of the tier: an extension also fills in those the tier gained since it began.
  const grants = tierGrants(catalog, member, plan, current.id, startsAt, periodEnd);
  const grantsCreated = await addMembershipGrants(stores, grants);
  const jobs = lifecycleJobs(
    { id: current.id, memberId: member.id, tier: plan.tier, startsAt, expiresAt: periodEnd, graceEndsAt },
    grants.map((g) => g.effectiveFrom.getTime()),
    now,
  );
  const delta = periodEnd - periodStart;
  for (const later of followers) {
    await stores.memberships.shift(later.id, delta);
    await shiftMembershipGrants(stores, later.id, delta);
    const moved = await stores.memberships.get(later.id);
    const movedGrants = await stores.grants.listActiveOfActiveMemberships([later.id]);
    if (moved) {
      const times = movedGrants.map((g) => g.effectiveFrom.getTime());
      jobs.push(...lifecycleJobs(scheduledOf(moved), times, now, current.tier));
    }
  }
  await stores.jobs.schedule(jobs);
  return {
    kind: "extended",
    membershipId: current.id,
    tier: plan.tier,
    grants: grants.map((g) => ({ benefit: g.benefit, effectiveFrom: g.effectiveFrom.toISOString() })),
    periodStart: new Date(periodStart),
    periodEnd: new Date(periodEnd),
    graceEndsAt: graceEndsAt === null ? null : new Date(graceEndsAt),
    grantsCreated,
    upgrade: null,
    downgradeFrom: null,
  };
}

/** Upgrade: the lower memberships end `upgraded` now; their unused value is extra time on the new one. */
async function upgrade(
  stores: Stores,
  catalog: CompiledCatalog,
  member: MemberRecord,
  order: OrderRecord,
  plan: CompiledPlan,
  lower: MembershipRecord[],
  now: number,
): Promise<ActivationResult> {
  const quote = await quoteUpgrade(stores.orders, catalog, lower, plan, member.timezone, now);
  for (const membership of lower) {
    await stores.memberships.end(membership.id, "upgraded", new Date(now));
    await endMembershipGrants(stores, membership.id, new Date(now), "upgraded");
  }
  const record: UpgradeRecord = {
    fromMembershipIds: lower.map((m) => m.id),
    fromTier: quote.fromTier,
    creditAmount: quote.credit,
    currency: quote.currency,
    creditMs: quote.extraMs,
  };
  return create(stores, catalog, member, order, plan, now, now, {
    kind: "upgraded",
    downgradeFrom: null,
    upgrade: record,
    extraMs: quote.extraMs,
  });
}

function scheduledOf(m: MembershipRecord) {
  return {
    id: m.id,
    memberId: m.memberId,
    tier: m.tier,
    startsAt: m.startsAt.getTime(),
    expiresAt: m.expiresAt.getTime(),
    graceEndsAt: m.graceEndsAt?.getTime() ?? null,
  };
}

export interface RefundResult {
  membershipId: string | null;
  revoked: boolean;
  grantsEnded?: number;
  expiresAt?: string;
  /** Memberships an upgrade had replaced, active again because the upgrade was refunded. */
  reinstated?: string[];
}

/**
 * Takes back what a refunded order paid for: the membership loses that order's period, and is
 * revoked (grants ended) when no other paid order keeps it alive. Refunding an upgrade also gives
 * back the memberships it replaced, for what is left of their term: their credit was not used.
 */
export async function refundMembership(
  stores: Stores,
  order: OrderRecord,
  now: number,
): Promise<RefundResult> {
  if (!order.membershipId || !order.periodStart || !order.periodEnd)
    return { revoked: false, membershipId: null };
  const membership = await stores.memberships.get(order.membershipId);
  if (membership?.status !== "active") return { revoked: false, membershipId: order.membershipId };
  const remaining = (await stores.orders.paidForMembership(membership.id)).filter((o) => o.id !== order.id);
  if (remaining.length === 0) {
    const { grantsEnded } = await revokeMembership(stores, membership, now);
    const reinstated = await reinstateUpgraded(stores, order, now);
    return { revoked: true, membershipId: membership.id, grantsEnded, reinstated };
  }
  const removed = order.periodEnd.getTime() - order.periodStart.getTime();
  const expiresAt = membership.expiresAt.getTime() - removed;
  const graceEndsAt = membership.graceEndsAt === null ? null : membership.graceEndsAt.getTime() - removed;
  await stores.memberships.setExpiry(
    membership.id,
    new Date(expiresAt),
    graceEndsAt === null ? null : new Date(graceEndsAt),
  );
  await setMembershipGrantsExpiry(stores, membership.id, new Date(expiresAt));
  await stores.jobs.schedule(
    lifecycleJobs(
      scheduledOf({
        ...membership,
        expiresAt: new Date(expiresAt),
        graceEndsAt: graceEndsAt === null ? null : new Date(graceEndsAt),
      }),
      [],
      now,
    ),
  );
  return { revoked: false, membershipId: membership.id, expiresAt: new Date(expiresAt).toISOString() };
}

async function reinstateUpgraded(stores: Stores, order: OrderRecord, now: number): Promise<string[]> {
  const reinstated: string[] = [];
  for (const id of order.upgrade?.fromMembershipIds ?? []) {
    const old = await stores.memberships.get(id);
    if (old?.status !== "upgraded" || (old.graceEndsAt ?? old.expiresAt).getTime() <= now) continue;
    await stores.memberships.reinstate(id);
    await reinstateMembershipGrants(stores, id, "upgraded");
    reinstated.push(id);
  }
  return reinstated;
}
