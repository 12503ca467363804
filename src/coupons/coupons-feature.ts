import type { CatalogService } from "../catalog/catalog-service.js";
import type { Clock } from "../clock.js";
import type { DataAccess } from "../db/stores.js";
import type { DecisionService } from "../decisions/decision-service.js";
import type { SnapshotCache } from "../decisions/snapshot-cache.js";
import type { MemberWrites } from "../members/member-writes.js";
import { CheckoutService } from "./checkout-service.js";
import { CouponService } from "./coupon-service.js";
import { RedemptionService } from "./redemption-service.js";

/** Members' coupons (issuance, claims), their redemptions on orders, and checkout evaluation. */
export function createCouponsFeature(deps: {
  data: Pick<DataAccess, "coupons">;
  catalog: CatalogService;
  writes: MemberWrites;
  cache: SnapshotCache;
  decisions: DecisionService;
  clock: Clock;
  /** Members whose coupons are kept in memory beside their snapshots. */
  cacheSize?: number;
}) {
  const { data, catalog, writes, cache, decisions, clock } = deps;
  const store = data.coupons;
  const coupons = new CouponService({
    catalog,
    writes,
    store,
    clock,
    snapshots: cache,
    cacheSize: deps.cacheSize,
  });
  return {
    coupons,
    redemptions: new RedemptionService({ catalog, coupons, writes, store, clock }),
    checkout: new CheckoutService({ catalog, cache, decisions, coupons }),
  };
}
