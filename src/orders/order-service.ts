import { lockCatalogAgainstPublish } from "../catalog/catalog-publish-lock.js";
import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import { newId } from "../ids.js";
import { orderView } from "../members/member-views.js";
import type { MemberWrites } from "../members/member-writes.js";
import type { OrderStore } from "./order-store.js";

export const DEFAULT_CHANNEL = "official_web";

export interface OrderServiceOptions {
  store: Pick<OrderStore, "get">;
  catalog: CatalogService;
  writes: MemberWrites;
  clock: Clock;
}

/** Creating orders for a plan; the price comes from the catalog, never from the caller. */
export class OrderService {
  private readonly store: Pick<OrderStore, "get">;
  private readonly catalog: CatalogService;
  private readonly writes: MemberWrites;
  private readonly clock: Clock;

  constructor(options: OrderServiceOptions) {
    this.store = options.store;
    this.catalog = options.catalog;
    this.writes = options.writes;
    this.clock = options.clock;
  }

  /** One order as the platform sees it, or null. */
  async get(orderId: string) {
    const order = await this.store.get(orderId);
    return order === null ? null : orderView(order);
  }

  async create(input: { memberId: string; plan: string; channel?: string }) {
    const order = await this.writes.run(async (scope) => {
      // Waits for a catalog publish under way, then reads the catalog as it committed: a publish
      // counts every order that commits before it, and no later order names a plan it removed.
      await lockCatalogAgainstPublish(scope.stores.executor);
      await this.catalog.refresh(scope.stores.catalog);
      const catalog = this.catalog.require();
      const plan = catalog.plans.get(input.plan);
      if (!plan) throw new AppError("PLAN_NOT_FOUND", `Plan ${input.plan} is not in the catalog.`);
      const member = await scope.stores.members.lock(input.memberId);
      if (!member)
        throw new AppError("MEMBER_NOT_FOUND", `Member ${input.memberId} does not exist.`, [], {
          variant: "id",
          params: { memberId: input.memberId },
        });
      const created = await scope.stores.orders.insert({
        id: newId("ord"),
        memberId: input.memberId,
        plan: plan.code,
        tier: plan.tier,
        amount: plan.price.amount,
        currency: plan.price.currency,
        channel: input.channel ?? DEFAULT_CHANNEL,
        catalogVersion: catalog.version,
        createdAt: new Date(this.clock.now()),
      });
      // A pending order changes decisions (PAYMENT_PENDING instead of NO_MEMBERSHIP).
      const orderCreated = {
        orderId: created.id,
        plan: created.plan,
        tier: created.tier,
        amount: { amount: created.amount, currency: created.currency },
        channel: created.channel,
        catalogVersion: created.catalogVersion,
      };
      await scope.entitlementsChanged(
        input.memberId,
        "order.created",
        { orderId: created.id },
        { source: "service", entries: [{ kind: "order.created", data: orderCreated }] },
      );
      return created;
    });
    return orderView(order);
  }
}
