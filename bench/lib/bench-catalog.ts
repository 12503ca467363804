/** The payment benchmark's catalog: one tier of exactly 10 benefits, so each payment writes 10 grants. */
import type { BenefitDoc, CatalogDocument } from "../../src/catalog/catalog-types.js";

export const BENCH_PLAN = "bench_month";
export const BENCH_PLAN_AMOUNT = 1000;

/** Benefits a paid member may use at once, with no context: the read-your-writes check asks for these. */
export const IMMEDIATE_BENEFITS = [
  "bench_feature_1",
  "bench_feature_2",
  "bench_feature_3",
  "bench_feature_4",
];

const features: BenefitDoc[] = IMMEDIATE_BENEFITS.map((code, i) => ({
  code,
  kind: "feature",
  name: { en: `Bench feature ${i + 1}`, "zh-CN": `基准功能 ${i + 1}` },
}));

export const BENCH_SERVER_CATALOG: CatalogDocument = {
  tiers: [
    {
      code: "bench",
      name: { en: "Bench", "zh-CN": "基准会员" },
      rank: 1,
      benefits: [
        ...IMMEDIATE_BENEFITS,
        "bench_toggle",
        "bench_claim",
        "bench_storage",
        "bench_discount",
        "bench_zone",
        "bench_next_day",
      ],
      plans: [
        { code: BENCH_PLAN, period: "P1M", price: { amount: BENCH_PLAN_AMOUNT, currency: "CNY" } },
        { code: "bench_year", period: "P1Y", price: { amount: 10000, currency: "CNY" } },
      ],
    },
  ],
  benefits: [
    ...features,
    { code: "bench_toggle", kind: "feature", name: "Toggle", rules: { activation: "toggle" } },
    { code: "bench_claim", kind: "feature", name: "Claim", rules: { activation: "claim" } },
    {
      code: "bench_storage",
      kind: "quota",
      name: "Storage",
      quota: { limit: 100, unit: "GB", period: null },
    },
    {
      code: "bench_discount",
      kind: "discount",
      name: "Discount",
      discount: { percentOff: 5 },
      rules: { scope: { categories: ["books"], excludeSaleItems: true } },
    },
    {
      code: "bench_zone",
      kind: "access",
      name: "Zone",
      resources: ["zone:bench"],
      rules: { minClientVersion: "5.0.0" },
    },
    {
      code: "bench_next_day",
      kind: "feature",
      name: "Next day",
      rules: { effective: { delay: "next_day" } },
    },
  ],
};
