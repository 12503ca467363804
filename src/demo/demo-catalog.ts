/** The catalog `npm start` seeds: two tiers and benefits that together exercise every rule. */
import type { CatalogDocument } from "../catalog/catalog-types.js";

const VIP_BENEFITS = [
  "ad_free",
  "hd_download_boost",
  "hd_downloads",
  "member_discount",
  "vip_zone",
  "monthly_gift",
  "monthly_coupons",
];

export const DEMO_CATALOG: CatalogDocument = {
  coupons: [
    {
      code: "books_20_off_100",
      name: { en: "¥20 off ¥100 of books", "zh-CN": "图书满100减20" },
      amountOff: { amount: 2000, currency: "CNY" },
      conditions: {
        minAmount: { amount: 10000, currency: "CNY" },
        scope: { categories: ["books"], excludeSaleItems: true },
        validDays: 7,
        minTier: "vip",
      },
      limits: { total: 100000 },
      stacking: { group: "order" },
    },
    {
      code: "any_9_off",
      name: { en: "9% off anything (up to ¥30)", "zh-CN": "全场91折（最高减30）" },
      percentOff: 9,
      maxOff: { amount: 3000, currency: "CNY" },
      conditions: { validDays: 30 },
      limits: { perMember: 1 },
      stacking: { exclusive: true },
    },
    {
      code: "app_10_off_50",
      name: { en: "¥10 off ¥50 in the app", "zh-CN": "App专享满50减10" },
      amountOff: { amount: 1000, currency: "CNY" },
      conditions: { minAmount: { amount: 5000, currency: "CNY" }, channels: ["app"], validDays: 14 },
    },
    {
      code: "svip_50_off_300",
      name: { en: "SVIP: ¥50 off ¥300", "zh-CN": "超级会员满300减50" },
      amountOff: { amount: 5000, currency: "CNY" },
      conditions: { minAmount: { amount: 30000, currency: "CNY" }, minTier: "svip", validDays: 30 },
      stacking: { group: "order" },
    },
  ],
  tiers: [
    {
      code: "vip",
      name: { en: "VIP", "zh-CN": "VIP会员" },
      rank: 1,
      benefits: [...VIP_BENEFITS, "cloud_storage"],
      plans: [
        { code: "vip_month", period: "P1M", price: { amount: 1500, currency: "CNY" }, gracePeriod: "P7D" },
        { code: "vip_year", period: "P1Y", price: { amount: 15800, currency: "CNY" } },
      ],
    },
    {
      code: "svip",
      name: { en: "SVIP", "zh-CN": "超级会员" },
      rank: 2,
      // A benefit has one quota for every tier that includes it, so svip's larger storage is a
      // benefit of its own, cloud_storage_plus, in place of cloud_storage.
      benefits: [...VIP_BENEFITS, "cloud_storage_plus", "svip_concierge"],
      plans: [
        { code: "svip_month", period: "P1M", price: { amount: 3000, currency: "CNY" }, gracePeriod: "P7D" },
        { code: "svip_year", period: "P1Y", price: { amount: 30800, currency: "CNY" } },
      ],
    },
  ],
  benefits: [
    {
      code: "monthly_coupons",
      kind: "coupon_pack",
      name: { en: "Monthly member coupons", "zh-CN": "每月会员券包" },
      description: {
        en: "Claim a new pack of member coupons every month.",
        "zh-CN": "每月可领取一组会员专享优惠券。",
      },
      couponPack: {
        items: [
          { coupon: "books_20_off_100", count: 2 },
          { coupon: "any_9_off", count: 1 },
          { coupon: "app_10_off_50", count: 1 },
          { coupon: "svip_50_off_300", count: 1 },
        ],
        // Each month of the membership (the default for a month), shown for the operator to see.
        period: "P1M",
        anchor: "membership",
      },
      rules: { activation: "claim" },
    },
    {
      code: "ad_free",
      kind: "feature",
      name: { en: "No ads", "zh-CN": "免广告" },
      description: { en: "Watch and browse without ads.", "zh-CN": "观看和浏览时不再显示广告。" },
    },
    {
      code: "hd_download_boost",
      kind: "feature",
      name: { en: "HD download boost", "zh-CN": "高清下载加速" },
      description: { en: "Faster HD downloads once switched on.", "zh-CN": "开启后高清下载更快。" },
      rules: { activation: "toggle" },
    },
    {
      code: "hd_downloads",
      kind: "quota",
      name: { en: "HD downloads", "zh-CN": "高清下载次数" },
      description: { en: "10 HD downloads a day.", "zh-CN": "每天 10 次高清下载。" },
      quota: { limit: 10, unit: "downloads", period: "P1D", anchor: "calendar" },
    },
    {
      code: "cloud_storage",
      kind: "quota",
      name: { en: "Cloud storage", "zh-CN": "云存储空间" },
      description: { en: "2048 GB of cloud storage.", "zh-CN": "2048 GB 云存储空间。" },
      quota: { limit: 2048, unit: "GB", period: null },
    },
    {
      code: "cloud_storage_plus",
      kind: "quota",
      name: { en: "Cloud storage (SVIP)", "zh-CN": "云存储空间（超级会员）" },
      description: { en: "8192 GB of cloud storage.", "zh-CN": "8192 GB 云存储空间。" },
      quota: { limit: 8192, unit: "GB", period: null },
    },
    {
      code: "member_discount",
      kind: "discount",
      name: { en: "Member price", "zh-CN": "会员价" },
      description: {
        en: "5% off books, except items on sale; starts the day after joining.",
        "zh-CN": "图书95折（特价商品除外），开通次日生效。",
      },
      discount: { percentOff: 5 },
      rules: {
        effective: { delay: "next_day" },
        scope: { categories: ["books"], excludeSaleItems: true },
      },
    },
    {
      code: "vip_zone",
      kind: "access",
      name: { en: "VIP zone", "zh-CN": "会员专区" },
      description: {
        en: "Entry to the VIP lounge (app 5.2.0 or later).",
        "zh-CN": "进入会员专区（需 5.2.0 及以上版本）。",
      },
      resources: ["zone:vip-lounge"],
      rules: { minClientVersion: "5.2.0" },
    },
    {
      code: "monthly_gift",
      kind: "feature",
      name: { en: "Monthly member gift", "zh-CN": "每月会员礼包" },
      description: {
        en: "Claim your gift once every membership period.",
        "zh-CN": "每个会员周期可领取一次礼包。",
      },
      rules: { activation: "claim" },
    },
    {
      code: "svip_concierge",
      kind: "feature",
      name: { en: "SVIP concierge", "zh-CN": "超级会员专属客服" },
      description: { en: "A dedicated support line.", "zh-CN": "专属客服通道。" },
    },
  ],
};

/**
 * A cart to try the demo's coupons on (docs/demo.md, member centre): ¥88 of books, a ¥30 book on sale and
 * a ¥20 toy, on the website. Books coupons need ¥100 of books not on sale; the app coupon needs the app.
 */
export const DEMO_SAMPLE_CART = {
  lines: [
    { productId: "book-1984", category: "books", price: { amount: 8800, currency: "CNY" }, quantity: 1 },
    {
      productId: "book-dune",
      category: "books",
      price: { amount: 3000, currency: "CNY" },
      quantity: 1,
      onSale: true,
    },
    { productId: "toy-robot", category: "toys", price: { amount: 2000, currency: "CNY" }, quantity: 1 },
  ],
  channel: "web",
};
