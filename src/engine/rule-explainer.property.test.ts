import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BenefitDoc, type CouponDoc, LOCALES, type Locale } from "../catalog/catalog-types.js";
import { compileCatalog } from "../catalog/compile-catalog.js";
import { DEMO_CATALOG } from "../demo/demo-catalog.js";
import { explainCoupon } from "./coupon-explainer.js";
import {
  benefitSummary,
  type ExplainEnv,
  explainBenefit,
  explainPlan,
  RULE_KINDS,
} from "./rule-explainer.js";

const catalog = compileCatalog(DEMO_CATALOG, 1, 0);
const envOf = (locale: Locale, timezone = "Asia/Shanghai"): ExplainEnv => ({ locale, timezone, catalog });
const CNY = (amount: number) => ({ amount, currency: "CNY" });
/** What a sentence must never show: a value the template did not handle. */
const PLACEHOLDER = /undefined|null|NaN|\[object|[{}]|^\s*$/;

/** The demo catalog and generated ones, every rule in both languages: words, never placeholders. */
describe("the rule explainer on whole catalogs", () => {
  it("renders every benefit, coupon and plan of the demo catalog in both languages with no placeholder", () => {
    for (const locale of LOCALES) {
      const env = envOf(locale);
      const texts = [
        ...DEMO_CATALOG.benefits.flatMap((b) => [
          ...explainBenefit(env, b),
          { text: benefitSummary(env, b) },
        ]),
        ...(DEMO_CATALOG.coupons ?? []).flatMap((c) => explainCoupon(env, c)),
        ...DEMO_CATALOG.tiers.flatMap((t) => t.plans.flatMap((p) => explainPlan(env, p))),
      ].map((s) => s.text);
      for (const text of texts) expect(text, text).not.toMatch(PLACEHOLDER);
      // A Chinese page reads Chinese: no English sentence in it, and the other way round.
      if (locale === "zh-CN") for (const text of texts) expect(text).toMatch(/[\u4e00-\u9fff]/);
      else for (const text of texts) expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("renders any generated benefit and coupon in both languages with no placeholder", () => {
    const ids = fc.array(fc.constantFrom("books", "toys", "official_app", "partner:x", "p-1"), {
      minLength: 1,
      maxLength: 3,
    });
    const duration = fc.constantFrom("P1D", "P1W", "P1M", "P1Y", "PT12H", "P3M", "P2W");
    const scope = fc.record(
      {
        categories: ids,
        products: ids,
        channels: ids,
        excludeCategories: fc.array(fc.constantFrom("a", "b"), { maxLength: 2 }),
        excludeProducts: ids,
        excludeChannels: ids,
        excludeSaleItems: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const money = fc.integer({ min: 0, max: 10_000_000 }).map(CNY);
    const benefitDoc = fc.record({
      code: fc.constant("g"),
      kind: fc.constantFrom("feature", "quota", "discount", "access", "coupon_pack" as const),
      name: fc.constant({ en: "Gen", "zh-CN": "生成" }),
      quota: fc.record({
        limit: fc.integer({ min: 1, max: 100000 }),
        unit: fc.constantFrom("GB", "次", "downloads"),
        period: fc.option(duration, { nil: null }),
        anchor: fc.constantFrom("calendar", "membership" as const),
      }),
      // As the catalog's validation allows: exactly one of percentOff and amountOff.
      discount: fc.oneof(
        fc.record(
          { percentOff: fc.integer({ min: 1, max: 100 }), maxOff: money },
          { requiredKeys: ["percentOff"] },
        ),
        fc.record({ amountOff: money }),
      ),
      resources: ids,
      couponPack: fc.record({
        items: fc.array(
          fc.record({
            coupon: fc.constantFrom("books_20_off_100", "unknown"),
            count: fc.integer({ min: 1, max: 9 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        period: duration,
      }),
      rules: fc.record(
        {
          effective: fc.record({ delay: fc.oneof(fc.constantFrom("immediate", "next_day"), duration) }),
          scope,
          activation: fc.constantFrom("automatic", "claim", "toggle" as const),
          minClientVersion: fc.oneof(
            fc.constant("5.2.0"),
            fc.record({ ios: fc.constant("1.0.0"), android: fc.constant("2.0.0") }, { requiredKeys: [] }),
          ),
        },
        { requiredKeys: [] },
      ),
    }) as fc.Arbitrary<BenefitDoc>;
    const couponDoc = fc.record(
      {
        code: fc.constant("c"),
        name: fc.constant("C"),
        percentOff: fc.integer({ min: 1, max: 100 }),
        amountOff: money,
        maxOff: money,
        conditions: fc.record(
          {
            scope,
            channels: ids,
            minAmount: money,
            minQuantity: fc.integer({ min: 1, max: 99 }),
            validFrom: fc.constant("2026-02-28T16:00:00Z"),
            validUntil: fc.constant("2026-12-31T16:00:00Z"),
            validDays: fc.integer({ min: 1, max: 365 }),
            minTier: fc.constantFrom("vip", "svip", "gone"),
          },
          { requiredKeys: [] },
        ),
        limits: fc.record({ perMember: fc.nat(), total: fc.nat() }, { requiredKeys: [] }),
        stacking: fc.record({ group: fc.constant("order"), exclusive: fc.boolean() }, { requiredKeys: [] }),
      },
      { requiredKeys: ["code", "name"] },
    ) as fc.Arbitrary<CouponDoc>;
    fc.assert(
      fc.property(benefitDoc, couponDoc, fc.constantFrom(...LOCALES), (b, c, locale) => {
        const env = envOf(locale, "America/New_York");
        const texts = [...explainBenefit(env, b), ...explainCoupon(env, c)].map((s) => s.text);
        texts.push(benefitSummary(env, b));
        for (const text of texts) expect(text).not.toMatch(PLACEHOLDER);
        for (const s of [...explainBenefit(env, b), ...explainCoupon(env, c)])
          expect(RULE_KINDS).toContain(s.rule);
      }),
      { numRuns: 200 },
    );
  });
});
