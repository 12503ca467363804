import { membershipStatusAt } from "../engine/entitlements.js";
import type { GrantRecord } from "../grants/grant-rows.js";
import type { MembershipRecord } from "../memberships/membership-store.js";
import type { OrderRecord } from "../orders/order-store.js";
import type { MemberRecord } from "./member-record.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A membership as the API shows it: its status at `now` (a stored `active` one may read `in_grace`, `expired`, `scheduled`). */
export function membershipView(m: MembershipRecord, now: number) {
  const status = membershipStatusAt(
    {
      status: m.status,
      startsAt: m.startsAt.getTime(),
      expiresAt: m.expiresAt.getTime(),
      graceEndsAt: m.graceEndsAt?.getTime() ?? null,
    },
    now,
  );
  return {
    id: m.id,
    tier: m.tier,
    status,
    startsAt: m.startsAt.toISOString(),
    expiresAt: m.expiresAt.toISOString(),
    graceEndsAt: iso(m.graceEndsAt),
    sourceOrderId: m.sourceOrderId,
    revokedAt: iso(m.revokedAt),
    endedAt: iso(m.endedAt),
  };
}

export function grantView(g: GrantRecord) {
  return {
    id: g.id,
    benefit: g.benefit,
    tier: g.tier,
    membershipId: g.membershipId,
    status: g.status,
    effectiveFrom: g.effectiveFrom.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
    catalogVersion: g.catalogVersion,
    claimedAt: iso(g.claimedAt),
    toggledOn: g.toggledOn,
    quotaUsed: g.quotaUsed,
    quotaResetsAt: iso(g.quotaResetsAt),
    endedAt: iso(g.endedAt),
    endReason: g.endReason,
    rulesVersion: g.rulesVersion,
    rulesUntil: iso(g.rulesUntil),
  };
}

export function orderView(o: OrderRecord) {
  return {
    orderId: o.id,
    memberId: o.memberId,
    plan: o.plan,
    tier: o.tier,
    status: o.status,
    amount: { amount: o.amount, currency: o.currency },
    channel: o.channel,
    catalogVersion: o.catalogVersion,
    membershipId: o.membershipId,
    createdAt: o.createdAt.toISOString(),
    paidAt: iso(o.paidAt),
    refundedAt: iso(o.refundedAt),
    refunded: { amount: o.refundedAmount, currency: o.currency },
    upgrade: o.upgrade,
  };
}

export function memberView(m: MemberRecord) {
  return {
    memberId: m.id,
    displayName: m.displayName,
    locale: m.locale,
    timezone: m.timezone,
    entitlementsVersion: m.entitlementsVersion,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
