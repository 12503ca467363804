/**
 * A catalog with coupons (the demo's tiers and benefits, with coupon templates and packs of its own
 * in place of the demo's), and helpers for the coupon e2e tests.
 */
import { expect } from "vitest";
import type { CatalogDocument } from "../../src/catalog/catalog-types.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import type { TestServer } from "../e2e-harness.js";

const CNY = (amount: number) => ({ amount, currency: "CNY" });

const withoutDemoPack = (benefits: string[]) => benefits.filter((b) => b !== "monthly_coupons");

export const COUPON_CATALOG: CatalogDocument = {
  ...DEMO_CATALOG,
  tiers: DEMO_CATALOG.tiers.map((t) => ({
    ...t,
    benefits:
      t.code === "vip"
        ? [...withoutDemoPack(t.benefits), "monthly_coupons", "welcome_coupons", "flash_coupons"]
        : withoutDemoPack(t.benefits),
  })),
  coupons: [
    {
      code: "books_20_off_100",
      name: { en: "¥20 off ¥100 of books", "zh-CN": "图书满100减20" },
      amountOff: CNY(2000),
      conditions: { minAmount: CNY(10000), scope: { categories: ["books"] }, validDays: 7 },
      limits: { perMember: 1 },
      stacking: { group: "order" },
    },
    {
      code: "any_9_off",
      name: { en: "9% off anything", "zh-CN": "全场9.1折" },
      percentOff: 9,
      maxOff: CNY(3000),
      conditions: { validUntil: "2027-01-01T00:00:00Z" },
      stacking: { group: "order", exclusive: true },
    },
    {
      code: "ship_free",
      name: "Free shipping",
      amountOff: CNY(600),
      stacking: { group: "shipping" },
    },
    {
      code: "flash_5_off",
      name: "¥5 off, first 50 orders",
      amountOff: CNY(500),
      limits: { total: 50 },
      stacking: { group: "flash" },
    },
  ],
  benefits: [
    ...DEMO_CATALOG.benefits.filter((b) => b.code !== "monthly_coupons"),
    {
      code: "monthly_coupons",
      kind: "coupon_pack",
      name: { en: "Monthly member coupons", "zh-CN": "每月会员券" },
      // The member's calendar month; packs anchored to the membership: test/e2e/period-anchors.test.ts.
      couponPack: { items: [{ coupon: "books_20_off_100", count: 2 }], period: "P1M", anchor: "calendar" },
      rules: { activation: "claim" },
    },
    {
      code: "welcome_coupons",
      kind: "coupon_pack",
      name: "Welcome coupons",
      couponPack: {
        items: [
          { coupon: "any_9_off", count: 1 },
          { coupon: "ship_free", count: 1 },
        ],
        period: "P1M",
      },
    },
    {
      code: "flash_coupons",
      kind: "coupon_pack",
      name: "Flash coupons",
      couponPack: { items: [{ coupon: "flash_5_off", count: 1 }], period: "P1Y" },
    },
  ],
};

/** A member with a paid vip_month membership (from the server's current time). */
export async function vipMember(s: TestServer, memberId: string, body: Record<string, unknown> = {}) {
  await s.createMember(memberId, { locale: "en", ...body });
  const order = await s.createOrder(memberId, "vip_month");
  expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
  return order;
}

export interface ListedCoupon {
  couponId: string;
  code: string;
  name: string;
  state: string;
  validFrom: string;
  validUntil: string | null;
  claimedAt: string | null;
  orderRef: string | null;
  benefit: string | null;
}

/** The member's coupons, as the platform lists them (GET /v1/members/{id}/coupons). */
export async function couponsOf(s: TestServer, memberId: string, code?: string): Promise<ListedCoupon[]> {
  const res = await s.request("GET", `/v1/members/${memberId}/coupons`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const all = res.body.coupons as ListedCoupon[];
  return code === undefined ? all : all.filter((c) => c.code === code);
}

export const redeem = (s: TestServer, memberId: string, orderRef: string, coupons: string[]) =>
  s.request("POST", "/v1/checkout/redeem", { body: { memberId, orderRef, coupons } });
