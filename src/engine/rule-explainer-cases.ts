/** The rule explainer's cases: one document per rule kind and its sentence in both languages (rule-explainer.test.ts). */
import type { BenefitDoc, CouponDoc, PlanDoc } from "../catalog/catalog-types.js";
import { explainCoupon } from "./coupon-explainer.js";
import {
  type ExplainEnv,
  explainBenefit,
  explainPlan,
  type RuleKind,
  type RuleSentence,
} from "./rule-explainer.js";

export type Subject = { benefit: BenefitDoc } | { coupon: CouponDoc } | { plan: PlanDoc };
export const benefit = (doc: Partial<BenefitDoc>): Subject => ({
  benefit: { code: "b", kind: "feature", name: "B", ...doc },
});
export const coupon = (doc: Partial<CouponDoc>): Subject => ({ coupon: { code: "c", name: "C", ...doc } });
export const CNY = (amount: number) => ({ amount, currency: "CNY" });

export function explain(subject: Subject, env: ExplainEnv): RuleSentence[] {
  if ("benefit" in subject) return explainBenefit(env, subject.benefit);
  if ("coupon" in subject) return explainCoupon(env, subject.coupon);
  return explainPlan(env, subject.plan);
}

/** One case per rule kind: a document holding it and its sentence in both languages. */
export const CASES: Record<RuleKind, { subject: Subject; en: string; "zh-CN": string }> = {
  feature: { subject: benefit({}), en: "Yours while your membership lasts", "zh-CN": "会员有效期内可用" },
  quota: {
    subject: benefit({ kind: "quota", quota: { limit: 10, unit: "downloads", period: "P1D" } }),
    en: "10 downloads a day, resets at 00:00 every day (Beijing time)",
    "zh-CN": "每天10 downloads，每天00:00（北京时间）重置",
  },
  discount: {
    subject: benefit({ kind: "discount", discount: { percentOff: 5 } }),
    en: "5% off",
    "zh-CN": "95折",
  },
  access: {
    subject: benefit({ kind: "access", resources: ["zone:vip-lounge"] }),
    en: "Access to zone:vip-lounge",
    "zh-CN": "可进入zone:vip-lounge",
  },
  coupon_pack: {
    subject: benefit({
      kind: "coupon_pack",
      couponPack: { items: [{ coupon: "books_20_off_100", count: 2 }], period: "P1M" },
    }),
    en: "Every month from the day your membership started: 2 × ¥20 off ¥100 of books",
    "zh-CN": "自开通之日起每月发放：图书满100减20×2",
  },
  effective: {
    subject: benefit({ rules: { effective: { delay: "next_day" } } }),
    en: "Takes effect at 00:00 the day after you buy (Beijing time)",
    "zh-CN": "购买次日00:00（北京时间）起生效",
  },
  activation: {
    subject: benefit({ rules: { activation: "toggle" } }),
    en: "Must be switched on once in the app (it starts off)",
    "zh-CN": "需在App中手动开启一次（默认关闭）",
  },
  min_client_version: {
    subject: benefit({ rules: { minClientVersion: { ios: "5.2.0" } } }),
    en: "Needs app version 5.2.0 or later on iOS",
    "zh-CN": "需要iOS客户端5.2.0或更高版本",
  },
  "scope.categories": {
    subject: benefit({ rules: { scope: { categories: ["books"] } } }),
    en: "Applies only to books",
    "zh-CN": "仅适用于「books」类商品",
  },
  "scope.products": {
    subject: benefit({ rules: { scope: { products: ["p1", "p2"] } } }),
    en: "Applies only to the products p1, p2",
    "zh-CN": "仅适用于指定商品（p1、p2）",
  },
  "scope.channels": {
    subject: benefit({ rules: { scope: { channels: ["official_app", "partner:acme"] } } }),
    en: "Only through the official app or partner channel acme",
    "zh-CN": "仅限官方App或合作渠道「acme」使用",
  },
  "scope.excludeCategories": {
    subject: benefit({ rules: { scope: { excludeCategories: ["toys"] } } }),
    en: "Does not apply to toys",
    "zh-CN": "不适用于「toys」类商品",
  },
  "scope.excludeProducts": {
    subject: benefit({ rules: { scope: { excludeProducts: ["p9"] } } }),
    en: "Does not apply to the products p9",
    "zh-CN": "不适用于商品p9",
  },
  "scope.excludeChannels": {
    subject: benefit({ rules: { scope: { excludeChannels: ["official_web"] } } }),
    en: "Cannot be used through the official website",
    "zh-CN": "不能在官网使用",
  },
  "scope.excludeSaleItems": {
    subject: benefit({ rules: { scope: { excludeSaleItems: true } } }),
    en: "Items on sale are excluded",
    "zh-CN": "特价商品除外",
  },
  "coupon.value": {
    subject: coupon({ percentOff: 9, maxOff: CNY(3000) }),
    en: "9% off, at most ¥30.00 off",
    "zh-CN": "91折，最多减¥30.00",
  },
  "coupon.min_amount": {
    subject: coupon({ amountOff: CNY(2000), conditions: { minAmount: CNY(10000) } }),
    en: "For orders of ¥100.00 or more",
    "zh-CN": "订单满¥100.00可用",
  },
  "coupon.min_quantity": {
    subject: coupon({ amountOff: CNY(500), conditions: { minQuantity: 3 } }),
    en: "For at least 3 items",
    "zh-CN": "满3件可用",
  },
  "coupon.valid_window": {
    subject: coupon({
      percentOff: 5,
      conditions: { validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" },
    }),
    en: "Valid from 2026-01-01 08:00 (Asia/Shanghai) until 2027-01-01 08:00 (Asia/Shanghai)",
    "zh-CN": "有效期2026-01-01 08:00 (Asia/Shanghai)至2027-01-01 08:00 (Asia/Shanghai)",
  },
  "coupon.valid_days": {
    subject: coupon({ percentOff: 5, conditions: { validDays: 7 } }),
    en: "Valid for 7 days after you claim it",
    "zh-CN": "领取后7天内有效",
  },
  "coupon.min_tier": {
    subject: coupon({ percentOff: 5, conditions: { minTier: "svip" } }),
    en: "For SVIP members and above",
    "zh-CN": "限超级会员及以上等级使用",
  },
  "coupon.per_member": {
    subject: coupon({ percentOff: 5, limits: { perMember: 1 } }),
    en: "At most 1 per member",
    "zh-CN": "每人限1张",
  },
  "coupon.total": {
    subject: coupon({ percentOff: 5, limits: { total: 100 } }),
    en: "Only 100 in all, while they last",
    "zh-CN": "限量100张，发完即止",
  },
  "coupon.stacking": {
    subject: coupon({ percentOff: 5, stacking: { exclusive: true } }),
    en: "Cannot be combined with any other coupon",
    "zh-CN": "不可与其他优惠券同时使用",
  },
  "plan.price": {
    subject: { plan: { code: "vip_month", period: "P1M", price: CNY(1500) } },
    en: "¥15.00 a month",
    "zh-CN": "¥15.00/月",
  },
  "plan.grace_period": {
    subject: { plan: { code: "vip_month", period: "P1M", price: CNY(1500), gracePeriod: "P7D" } },
    en: "Benefits stay on for 7 days after it expires, while you renew",
    "zh-CN": "到期后7天宽限期内权益照常可用，请在宽限期内续费",
  },
};
