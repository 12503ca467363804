/**
 * What a payment provider's later word does to an order, in the caller's transaction: a full refund
 * takes back what the order paid for, a partial one is recorded, an unpaid order the provider closed
 * is no longer awaited. The orders feature writes its own rows; payments call these (as they call
 * `activateFromOrder` for a payment).
 */
import type { Stores } from "../db/stores.js";
import { type RefundResult, refundMembership } from "../memberships/membership-changes.js";
import type { OrderRecord } from "./order-store.js";

/** Takes back what a refunded order paid for (memberships and grants), then marks it refunded. */
export async function refundOrder(stores: Stores, order: OrderRecord, now: number): Promise<RefundResult> {
  const refund = await refundMembership(stores, order, now);
  await stores.orders.markRefunded(order.id, new Date(now));
  return refund;
}

/** A partial refund: the order keeps what it bought and records what has been refunded so far. */
export function recordPartialRefund(stores: Pick<Stores, "orders">, orderId: string, refundedAmount: number) {
  return stores.orders.setRefundedAmount(orderId, refundedAmount);
}

/** An order the provider closed before it was paid. */
export function closeUnpaidOrder(stores: Pick<Stores, "orders">, orderId: string, at: number) {
  return stores.orders.markClosed(orderId, new Date(at));
}
