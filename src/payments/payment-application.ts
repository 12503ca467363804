import type { CatalogService } from "../catalog/catalog-service.js";
import type { MemberWriteScope, TimelineChange } from "../members/member-writes.js";
import { type ActivationResult, refundMembership } from "../memberships/membership-changes.js";
import { activateFromOrder } from "../orders/activate-from-order.js";
import type { OrderRecord } from "../orders/order-store.js";
import type { Money } from "./money.js";
import type { PaymentEvent } from "./payment-event.js";
import type { PaymentOutcome } from "./payment-event-store.js";

export interface ApplyResult {
  outcome: PaymentOutcome;
  memberId: string | null;
  version?: number;
}

/** The timeline entry of the event itself, with the outcome it had. */
export type ReceivedEntry = (outcome: PaymentOutcome) => TimelineChange;

/**
 * Applies one internal payment event to its order, in the transaction that recorded it: the order
 * and its member are locked first (every writer to a member holds the member's row). Money is
 * compared with its currency: a bare amount is in the order's currency.
 */
export async function applyPaymentEvent(
  scope: MemberWriteScope,
  catalog: CatalogService,
  event: PaymentEvent,
  now: number,
  received: ReceivedEntry,
): Promise<ApplyResult> {
  const locked = await scope.stores.orders.lockWithMember(event.orderId);
  if (!locked) return { outcome: "unknown_order", memberId: null };
  const { member, order } = locked;
  const unchanged = (outcome: PaymentOutcome): ApplyResult => ({ outcome, memberId: member.id });
  if (event.type === "payment.closed") {
    if (order.status === "closed" || order.status === "refunded") return unchanged("already_applied");
    // An order the provider closes after it was paid was refunded in full.
    if (order.status === "paid") return refund(scope, order, member.id, now, received);
    return close(scope, order, member.id, now, received);
  }
  if (event.type === "payment.refund_failed") {
    // Nothing changes for the member; support sees the alert on the timeline, with the notification.
    await scope.record(member.id, "payment_provider", received("applied"), {
      kind: "order.refund_failed",
      data: { orderId: order.id, status: event.status, providerRef: event.providerRef ?? null },
    });
    return unchanged("applied");
  }
  const given: Money = { amount: event.amount.amount, currency: event.amount.currency ?? order.currency };
  if (given.currency !== order.currency) return unchanged("currency_mismatch");
  if (event.type === "payment.refunded") {
    if (order.status === "refunded") return unchanged("already_applied");
    // A provider that notifies each refund on its own: this one adds to what was refunded before.
    const paid = event.increment ? { ...given, amount: order.refundedAmount + given.amount } : given;
    // A refund is never more than the order: that is not this order's refund.
    if (paid.amount > order.amount) return unchanged("amount_mismatch");
    if (event.full || paid.amount === order.amount) return refund(scope, order, member.id, now, received);
    // Cumulative amounts: a smaller or equal one is an earlier refund arriving late.
    if (paid.amount <= order.refundedAmount) return unchanged("already_applied");
    await scope.stores.orders.setRefundedAmount(order.id, paid.amount);
    // Decisions do not change: what the order bought stays until it is refunded in full.
    await scope.record(member.id, "payment_provider", received("applied"), {
      kind: "order.partially_refunded",
      data: { orderId: order.id, refunded: paid, amount: { amount: order.amount, currency: order.currency } },
    });
    return unchanged("applied");
  }
  if (order.status === "paid") return unchanged("already_applied");
  if (order.status === "refunded") return unchanged("ignored_after_refund");
  if (given.amount !== order.amount) return unchanged("amount_mismatch");
  // A closed order paid after all (the member's money arrived) is honoured like a pending one.
  return activate(scope, catalog, order, member, event, now, received);
}

async function close(
  scope: MemberWriteScope,
  order: OrderRecord,
  memberId: string,
  now: number,
  received: ReceivedEntry,
): Promise<ApplyResult> {
  await scope.stores.orders.markClosed(order.id, new Date(now));
  // A pending order answers PAYMENT_PENDING; a closed one no longer does.
  const version = await scope.entitlementsChanged(
    memberId,
    "order.closed",
    { orderId: order.id },
    {
      source: "payment_provider",
      entries: [received("applied"), { kind: "order.closed", data: { orderId: order.id } }],
    },
  );
  return { outcome: "applied", version, memberId };
}

async function refund(
  scope: MemberWriteScope,
  order: OrderRecord,
  memberId: string,
  now: number,
  received: ReceivedEntry,
): Promise<ApplyResult> {
  const { stores } = scope;
  const refund = await refundMembership(stores, order, now);
  await stores.orders.markRefunded(order.id, new Date(now));
  const changes: TimelineChange[] = [{ kind: "order.refunded", data: { orderId: order.id } }];
  if (refund.membershipId) {
    changes.push(
      refund.revoked
        ? {
            kind: "membership.revoked",
            data: { membershipId: refund.membershipId, orderId: order.id, grantsEnded: refund.grantsEnded },
          }
        : {
            kind: "membership.shortened",
            data: { membershipId: refund.membershipId, orderId: order.id, expiresAt: refund.expiresAt },
          },
    );
  }
  for (const membershipId of refund.reinstated ?? []) {
    changes.push({ kind: "membership.reinstated", data: { membershipId, orderId: order.id } });
  }
  const version = await scope.entitlementsChanged(
    memberId,
    "payment.refunded",
    { orderId: order.id, membershipId: refund.membershipId, revoked: refund.revoked },
    { source: "payment_provider", entries: [received("applied"), ...changes] },
  );
  return { outcome: "applied", version, memberId };
}

async function activate(
  scope: MemberWriteScope,
  catalog: CatalogService,
  order: OrderRecord,
  member: Parameters<typeof activateFromOrder>[3],
  event: Extract<PaymentEvent, { type: "payment.succeeded" }>,
  now: number,
  received: ReceivedEntry,
): Promise<ApplyResult> {
  const { stores } = scope;
  // Grants follow the catalog as it is when the payment is confirmed.
  const payment = {
    paidAt: event.paidAt ? new Date(event.paidAt) : new Date(now),
    providerRef: event.providerRef ?? null,
  };
  const current = catalog.require();
  const activated = await activateFromOrder(stores, catalog, current, member, order, payment, now);
  if (!activated) throw new Error(`plan ${order.plan} of order ${order.id} is in no catalog version`);
  const { activation, catalog: version } = activated;
  const membership = {
    membershipId: activation.membershipId,
    tier: activation.tier,
    orderId: order.id,
    expiresAt: activation.periodEnd.toISOString(),
    graceEndsAt: activation.graceEndsAt?.toISOString() ?? null,
  };
  const changes: TimelineChange[] = [
    { kind: "order.paid", data: { orderId: order.id, catalogVersion: version.version } },
    membershipChange(activation, membership),
  ];
  if (activation.grantsCreated > 0 || activation.kind !== "extended") {
    changes.push({
      kind: "grants.created",
      data: {
        membershipId: activation.membershipId,
        catalogVersion: version.version,
        count: activation.grantsCreated,
        grants: activation.kind === "extended" ? undefined : activation.grants,
      },
    });
  }
  const entitlementsVersion = await scope.entitlementsChanged(
    member.id,
    "payment.succeeded",
    { ...membership, tier: version.plans.get(order.plan)!.tier, change: activation.kind },
    { source: "payment_provider", entries: [received("applied"), ...changes] },
  );
  return { outcome: "applied", version: entitlementsVersion, memberId: member.id };
}

/** The timeline entry of what a payment did to the member's memberships. */
function membershipChange(activation: ActivationResult, membership: Record<string, unknown>): TimelineChange {
  const from = activation.periodStart.toISOString();
  switch (activation.kind) {
    case "activated":
      return { kind: "membership.activated", data: { ...membership, startsAt: from } };
    case "extended":
      return { kind: "membership.extended", data: { ...membership, from } };
    case "upgraded":
      return { kind: "membership.upgraded", data: { ...membership, startsAt: from, ...activation.upgrade } };
    case "downgrade_scheduled":
      return {
        kind: "membership.downgrade_scheduled",
        data: { ...membership, startsAt: from, fromTier: activation.downgradeFrom },
      };
  }
}
