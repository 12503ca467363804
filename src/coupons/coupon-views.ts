import type { CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import { localize } from "../engine/message-format.js";
import { couponState } from "./coupon-state.js";
import type { CouponState, CouponUsage, MemberCouponView } from "./coupon-types.js";

/** One coupon as members and the platform see it (GET …/coupons). */
export interface CouponListItem {
  couponId: string;
  code: string;
  name: string;
  state: CouponState;
  validFrom: string;
  validUntil: string | null;
  claimedAt: string | null;
  orderRef: string | null;
  benefit: string | null;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** The coupon at `at`, its name in `locale` (the template code when the catalog no longer has it). */
export function couponItem(
  coupon: MemberCouponView,
  catalog: CompiledCatalog,
  locale: Locale,
  at: number,
): CouponListItem {
  const template = catalog.coupons.get(coupon.template);
  return {
    couponId: coupon.id,
    code: coupon.template,
    name: template ? localize(template.name, locale) : coupon.template,
    state: couponState(coupon, at),
    validFrom: new Date(coupon.validFrom).toISOString(),
    validUntil: iso(coupon.validUntil),
    claimedAt: iso(coupon.claimedAt),
    orderRef: coupon.orderRef,
    benefit: coupon.benefit,
  };
}

/** What the member's coupons count against template limits: locked or used, by them and by everyone. */
export function couponUsage(
  coupons: readonly MemberCouponView[],
  totalUsed: ReadonlyMap<string, number>,
): CouponUsage {
  const memberUsed = new Map<string, number>();
  for (const c of coupons) {
    if (c.status !== "issued") memberUsed.set(c.template, (memberUsed.get(c.template) ?? 0) + 1);
  }
  return { memberUsed, totalUsed };
}
