import type { CatalogService } from "../catalog/catalog-service.js";
import type { CompiledCatalog } from "../catalog/catalog-types.js";
import type { Stores } from "../db/stores.js";
import type { MemberRecord } from "../members/member-record.js";
import { type ActivationResult, activateMembership } from "../memberships/membership-changes.js";
import type { OrderRecord } from "./order-store.js";

/** The payment behind an activation: when it was paid and the provider's reference. */
export interface OrderPayment {
  paidAt: Date;
  providerRef: string | null;
}

/**
 * "Activate the membership the order bought, then mark the order paid": the one implementation, used
 * by a payment and by the repair of a paid order without a membership. Grants follow the catalog in
 * force (`current`) when it still sells the plan; a plan withdrawn since the order was placed is
 * honoured as it was sold. Null when the plan is in neither catalog. The member row is locked.
 */
export async function activateFromOrder(
  stores: Stores,
  catalogs: CatalogService,
  current: CompiledCatalog,
  member: MemberRecord,
  order: OrderRecord,
  payment: OrderPayment,
  now: number,
): Promise<{ activation: ActivationResult; catalog: CompiledCatalog } | null> {
  const catalog = current.plans.has(order.plan)
    ? current
    : await catalogs.compiled(order.catalogVersion, stores.catalog);
  const plan = catalog.plans.get(order.plan);
  if (!plan) return null;
  const activation = await activateMembership(stores, catalog, member, order, plan, now);
  await stores.orders.markPaid(order.id, {
    membershipId: activation.membershipId,
    periodStart: activation.periodStart,
    periodEnd: activation.periodEnd,
    upgrade: activation.upgrade,
    paidAt: payment.paidAt,
    providerRef: payment.providerRef,
  });
  return { activation, catalog };
}

/** A paid order whose membership is still there, only unlinked: linked again, nothing sold twice. */
export function relinkOrder(stores: Pick<Stores, "orders">, orderId: string, membershipId: string) {
  return stores.orders.linkMembership(orderId, membershipId);
}
