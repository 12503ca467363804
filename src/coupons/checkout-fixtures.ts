/**
 * Test and bench fixtures for checkout evaluation: the engine fixtures' catalog plus a coupon pack
 * and coupon templates, compiled through the real validator and compiler; held coupons, carts, usage.
 */
import type { BenefitDoc, CatalogDocument, CompiledCatalog, CouponDoc } from "../catalog/catalog-types.js";
import { compileCatalog } from "../catalog/compile-catalog.js";
import { validateCatalog } from "../catalog/validate-catalog.js";
import { FIXTURE_DOCUMENT, T } from "../engine/engine-fixtures.js";
import type { Cart, CartLine, CheckoutInput, CouponUsage, MemberCouponView } from "./coupon-types.js";

export { activeMember, hold, membership, snapshot, T } from "../engine/engine-fixtures.js";

const CNY = (amount: number) => ({ amount, currency: "CNY" });

/** The coupon templates of the fixtures: one of each kind of condition. */
export const FIXTURE_COUPONS: CouponDoc[] = [
  {
    code: "books_20_off_100",
    name: { en: "¥20 off ¥100 of books", "zh-CN": "图书满100减20" },
    amountOff: CNY(2000),
    conditions: {
      minAmount: CNY(10000),
      scope: { categories: ["books"], excludeSaleItems: true },
      validDays: 7,
      minTier: "vip",
    },
    limits: { perMember: 1, total: 100000 },
    stacking: { group: "order" },
  },
  {
    code: "any_9_off",
    name: { en: "9% off anything", "zh-CN": "全场9折" },
    percentOff: 9,
    maxOff: CNY(3000),
    conditions: { validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" },
    stacking: { group: "order", exclusive: true },
  },
  {
    code: "app_5_off",
    name: { en: "¥5 off in the app", "zh-CN": "App立减5元" },
    amountOff: CNY(500),
    conditions: { channels: ["official_app"] },
    stacking: { group: "app" },
  },
  {
    code: "svip_15_off",
    name: { en: "15% off for SVIP", "zh-CN": "超级会员85折" },
    percentOff: 15,
    conditions: { minTier: "svip" },
  },
  {
    code: "three_items_10_off",
    name: { en: "10% off 3 items", "zh-CN": "任选3件9折" },
    percentOff: 10,
    conditions: { minQuantity: 3 },
  },
  {
    code: "usd_5_off",
    name: { en: "$5 off", "zh-CN": "立减5美元" },
    amountOff: { amount: 500, currency: "USD" },
  },
];

const COUPON_PACK: BenefitDoc = {
  code: "monthly_coupons",
  kind: "coupon_pack",
  name: { en: "Monthly member coupons", "zh-CN": "每月会员券" },
  rules: { activation: "claim" },
};

/** The engine fixtures' tiers and benefits, `coupons`, and a pack of the first of them in vip and svip. */
export function checkoutDocument(coupons: CouponDoc[] = FIXTURE_COUPONS): CatalogDocument {
  const pack = {
    ...COUPON_PACK,
    couponPack: { items: [{ coupon: coupons[0].code, count: 2 }], period: "P1M" },
  };
  return {
    tiers: FIXTURE_DOCUMENT.tiers.map((t) =>
      t.code === "basic" ? t : { ...t, benefits: [...t.benefits, COUPON_PACK.code] },
    ),
    benefits: [...FIXTURE_DOCUMENT.benefits, pack],
    coupons,
  };
}

/** A catalog document validated and compiled the way a PUT /v1/catalog would; throws on a bad one. */
export function compileFixture(document: CatalogDocument, version = 3): CompiledCatalog {
  const result = validateCatalog(document);
  if (!result.ok) throw new Error(`fixture catalog is invalid: ${JSON.stringify(result.problems)}`);
  return compileCatalog(result.document, version, T.start - 30 * T.day);
}

/** The fixture catalog with FIXTURE_COUPONS (or `coupons`). */
export function checkoutCatalog(coupons?: CouponDoc[]): CompiledCatalog {
  return compileFixture(checkoutDocument(coupons));
}

let nextId = 1;

/** A claimed, available coupon valid from T.start to T.end, issued by monthly_coupons. */
export function heldCoupon(template: string, over: Partial<MemberCouponView> = {}): MemberCouponView {
  return {
    id: `cpn_${nextId++}`,
    memberId: "m1",
    template,
    benefit: COUPON_PACK.code,
    issuedAt: T.start,
    claimedAt: T.start,
    validFrom: T.start,
    validUntil: T.end,
    status: "issued",
    orderRef: null,
    ...over,
  };
}

/** A cart line at `price` fen, in CNY. */
export function line(
  productId: string,
  category: string | undefined,
  price: number,
  quantity = 1,
  onSale = false,
): CartLine {
  return { productId, category, price: CNY(price), quantity, onSale };
}

export function cart(lines: readonly CartLine[], channel = "official_app"): Cart {
  return { lines, channel };
}

export function usage(
  memberUsed: Record<string, number> = {},
  totalUsed: Record<string, number> = {},
): CouponUsage {
  return { memberUsed: new Map(Object.entries(memberUsed)), totalUsed: new Map(Object.entries(totalUsed)) };
}

export function checkoutInput(over: Partial<CheckoutInput> & Pick<CheckoutInput, "cart">): CheckoutInput {
  return { coupons: [], usage: usage(), selected: null, at: T.now, locale: "en", ...over };
}
