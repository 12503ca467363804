/** Shared by the coupon-reason tests: the fixture catalog, a VIP member, and evaluation in both locales. */
import { expect } from "vitest";
import type { Locale } from "../catalog/catalog-types.js";
import type { MemberSnapshot } from "../engine/engine-types.js";
import { evaluateCheckout } from "./checkout-engine.js";
import { activeMember, cart, checkoutCatalog, checkoutInput, line } from "./checkout-fixtures.js";
import type { Cart, CheckoutInput, CouponEvaluation, MemberCouponView } from "./coupon-types.js";

export const catalog = checkoutCatalog();
export const vip = activeMember(catalog, "vip");
/** ¥92.63 of books on the web: ¥88.00 at the 5 % member price, ¥12.00 short of ¥100. */
export const booksCart = cart([line("b1", "books", 9263)], "official_web");
export const SHANGHAI_END = "2026-12-24 10:00 (Asia/Shanghai)";

export interface Run {
  coupons: MemberCouponView[];
  cart?: Cart;
  member?: MemberSnapshot;
  over?: Partial<CheckoutInput>;
}

export function evaluate(
  { coupons, cart: c = booksCart, member = vip, over = {} }: Run,
  locale: Locale = "en",
) {
  return evaluateCheckout(member, catalog, checkoutInput({ cart: c, coupons, locale, ...over }));
}

/** The coupon's evaluation in both locales: the English one, and the Chinese messages of its reasons. */
export function both(run: Run, id = run.coupons[0].id) {
  const en = evaluate(run, "en").coupons.find((c) => c.couponId === id)!;
  const zh = evaluate(run, "zh-CN").coupons.find((c) => c.couponId === id)!;
  expect(zh.reasons.map((r) => [r.code, r.details])).toEqual(en.reasons.map((r) => [r.code, r.details]));
  return { en, zh: zh.reasons.map((r) => [r.message, r.remedy.message]) };
}

export const codes = (c: CouponEvaluation) => c.reasons.map((r) => r.code);
