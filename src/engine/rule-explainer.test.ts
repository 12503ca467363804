import type { TObject, TSchema } from "@sinclair/typebox";
import { describe, expect, it } from "vitest";
import { BenefitSchema, CouponSchema, PlanSchema } from "../catalog/catalog-schema.js";
import { type BenefitDoc, LOCALES, type Locale } from "../catalog/catalog-types.js";
import { compileCatalog } from "../catalog/compile-catalog.js";
import { DEMO_CATALOG } from "../demo/demo-catalog.js";
import {
  benefitSummary,
  type ExplainEnv,
  explainBenefit,
  RULE_KINDS,
  type RuleKind,
} from "./rule-explainer.js";
import { benefit, CASES, CNY, coupon, explain, type Subject } from "./rule-explainer-cases.js";

const catalog = compileCatalog(DEMO_CATALOG, 1, 0);
const envOf = (locale: Locale, timezone = "Asia/Shanghai"): ExplainEnv => ({ locale, timezone, catalog });

/**
 * Which rule kind states each field of the catalog's schemas ("label" for names and codes, which are
 * shown as they are). A field added to the schema fails the test below until it is listed here with
 * the kind whose sentence says it.
 */
const FIELD_KINDS: Record<string, RuleKind | "label"> = {
  "benefit.code": "label",
  "benefit.kind": "feature",
  "benefit.name": "label",
  "benefit.description": "label",
  "benefit.rules.effective.delay": "effective",
  "benefit.rules.activation": "activation",
  "benefit.rules.minClientVersion": "min_client_version",
  "benefit.rules.minClientVersion.ios": "min_client_version",
  "benefit.rules.minClientVersion.android": "min_client_version",
  "benefit.rules.minClientVersion.web": "min_client_version",
  "benefit.rules.scope.categories": "scope.categories",
  "benefit.rules.scope.products": "scope.products",
  "benefit.rules.scope.channels": "scope.channels",
  "benefit.rules.scope.excludeCategories": "scope.excludeCategories",
  "benefit.rules.scope.excludeProducts": "scope.excludeProducts",
  "benefit.rules.scope.excludeChannels": "scope.excludeChannels",
  "benefit.rules.scope.excludeSaleItems": "scope.excludeSaleItems",
  "benefit.quota.limit": "quota",
  "benefit.quota.unit": "quota",
  "benefit.quota.period": "quota",
  "benefit.quota.anchor": "quota",
  "benefit.discount.percentOff": "discount",
  "benefit.discount.amountOff": "discount",
  "benefit.discount.maxOff": "discount",
  "benefit.resources": "access",
  "benefit.couponPack.items": "coupon_pack",
  "benefit.couponPack.period": "coupon_pack",
  "benefit.couponPack.anchor": "coupon_pack",
  "coupon.code": "label",
  "coupon.name": "label",
  "coupon.description": "label",
  "coupon.percentOff": "coupon.value",
  "coupon.amountOff": "coupon.value",
  "coupon.maxOff": "coupon.value",
  "coupon.conditions.scope.categories": "scope.categories",
  "coupon.conditions.scope.products": "scope.products",
  "coupon.conditions.scope.channels": "scope.channels",
  "coupon.conditions.scope.excludeCategories": "scope.excludeCategories",
  "coupon.conditions.scope.excludeProducts": "scope.excludeProducts",
  "coupon.conditions.scope.excludeChannels": "scope.excludeChannels",
  "coupon.conditions.scope.excludeSaleItems": "scope.excludeSaleItems",
  "coupon.conditions.channels": "scope.channels",
  "coupon.conditions.minAmount": "coupon.min_amount",
  "coupon.conditions.minQuantity": "coupon.min_quantity",
  "coupon.conditions.validFrom": "coupon.valid_window",
  "coupon.conditions.validUntil": "coupon.valid_window",
  "coupon.conditions.validDays": "coupon.valid_days",
  "coupon.conditions.minTier": "coupon.min_tier",
  "coupon.limits.perMember": "coupon.per_member",
  "coupon.limits.total": "coupon.total",
  "coupon.stacking.group": "coupon.stacking",
  "coupon.stacking.exclusive": "coupon.stacking",
  "plan.code": "label",
  "plan.period": "plan.price",
  "plan.price": "plan.price",
  "plan.gracePeriod": "plan.grace_period",
};

/** Dotted paths of every property of an object schema; money and localized text count as leaves. */
function schemaPaths(schema: TSchema, prefix: string): string[] {
  const objects: TObject[] =
    schema.type === "object" && schema.properties
      ? [schema as TObject]
      : ((schema.anyOf ?? []) as TSchema[]).filter(
          (s): s is TObject => s.type === "object" && s.properties !== undefined,
        );
  const leafish = objects.length === 0 || prefix.endsWith(".name") || prefix.endsWith(".description");
  const money = objects.some((o) => "amount" in o.properties && "currency" in o.properties);
  if (leafish || money) return [prefix];
  const paths = new Set<string>();
  // A union of a string and an object (minClientVersion) is a rule of its own as well.
  if (objects.length > 0 && schema.anyOf !== undefined) paths.add(prefix);
  for (const o of objects)
    for (const [key, sub] of Object.entries(o.properties)) {
      const path = `${prefix}.${key}`;
      // A list (of ids, of pack items) is one rule: its members are values, not fields.
      for (const p of (sub as TSchema).type === "array" ? [path] : schemaPaths(sub as TSchema, path))
        paths.add(p);
    }
  return [...paths];
}

describe("the rule explainer", () => {
  it("has a case for exactly the rule kinds of RULE_KINDS", () => {
    expect(Object.keys(CASES).sort()).toEqual([...RULE_KINDS].sort());
  });

  for (const kind of RULE_KINDS) {
    for (const locale of LOCALES) {
      it(`says ${kind} in ${locale}`, () => {
        const sentences = explain(CASES[kind].subject, envOf(locale));
        expect(sentences.filter((s) => s.rule === kind).map((s) => s.text)).toContain(CASES[kind][locale]);
      });
    }
  }

  it("lists every field of the catalog's schemas with the rule kind that says it", () => {
    const paths = [
      ...schemaPaths(BenefitSchema, "benefit"),
      ...schemaPaths(CouponSchema, "coupon"),
      ...schemaPaths(PlanSchema, "plan"),
    ];
    const unlisted = paths.filter((p) => !(p in FIELD_KINDS));
    expect(unlisted, "schema fields without a sentence: add a rule kind and a case").toEqual([]);
    for (const kind of Object.values(FIELD_KINDS)) if (kind !== "label") expect(RULE_KINDS).toContain(kind);
  });

  it("says the variants of each rule in both languages", () => {
    const variants: [Subject, Locale, RuleKind, string][] = [
      [
        benefit({ rules: { effective: { delay: "PT24H" } } }),
        "en",
        "effective",
        "Takes effect 24 hours after you buy",
      ],
      [benefit({ rules: { effective: { delay: "PT24H" } } }), "zh-CN", "effective", "购买24小时后生效"],
      [benefit({}), "zh-CN", "effective", "支付成功后立即生效"],
      [
        benefit({ rules: { activation: "claim" } }),
        "en",
        "activation",
        "Claim it once each membership period",
      ],
      [
        benefit({ rules: { minClientVersion: "5.2.0" } }),
        "en",
        "min_client_version",
        "Needs app version 5.2.0 or later",
      ],
      [
        benefit({ rules: { minClientVersion: { ios: "5.2.0", android: "5.1.0" } } }),
        "zh-CN",
        "min_client_version",
        "需要iOS客户端5.2.0或更高版本、Android客户端5.1.0或更高版本",
      ],
      [
        benefit({ kind: "quota", quota: { limit: 2048, unit: "GB", period: null } }),
        "zh-CN",
        "quota",
        "共2048 GB，不重置",
      ],
      [
        benefit({ kind: "quota", quota: { limit: 5, unit: "次", period: "P1M", anchor: "membership" } }),
        "zh-CN",
        "quota",
        "每月5次，自开通之日起每1个月重置",
      ],
      [
        benefit({ kind: "quota", quota: { limit: 3, unit: "passes", period: "P1W" } }),
        "en",
        "quota",
        "3 passes a week, resets at 00:00 every Monday (Beijing time)",
      ],
      [benefit({ kind: "discount", discount: { amountOff: CNY(500) } }), "zh-CN", "discount", "立减¥5.00"],
      [benefit({ kind: "discount", discount: { percentOff: 10 } }), "zh-CN", "discount", "9折"],
      [
        coupon({ percentOff: 5, stacking: { group: "order" } }),
        "zh-CN",
        "coupon.stacking",
        "同一订单只能使用一张「order」组的优惠券，可与其他组叠加",
      ],
      [coupon({ percentOff: 5 }), "en", "coupon.stacking", "Combines with other coupons"],
      [
        coupon({ percentOff: 5, conditions: { channels: ["official_app"] } }),
        "zh-CN",
        "scope.channels",
        "仅限官方App使用",
      ],
      [
        coupon({ percentOff: 5, conditions: { validUntil: "2027-01-01T00:00:00Z" } }),
        "en",
        "coupon.valid_window",
        "Valid until 2027-01-01 08:00 (Asia/Shanghai)",
      ],
      [{ plan: { code: "q", period: "P3M", price: CNY(4000) } }, "zh-CN", "plan.price", "¥40.00/3个月"],
      [{ plan: { code: "y", period: "P1Y", price: CNY(15800) } }, "en", "plan.price", "¥158.00 a year"],
    ];
    for (const [subject, locale, kind, text] of variants) {
      const texts = explain(subject, envOf(locale))
        .filter((s) => s.rule === kind)
        .map((s) => s.text);
      expect(texts, `${kind} ${locale}`).toContain(text);
    }
  });

  it("names the member's own time zone when it is not China's", () => {
    const [effective] = explain(CASES.effective.subject, envOf("en", "Europe/Berlin")).filter(
      (s) => s.rule === "effective",
    );
    expect(effective.text).toBe("Takes effect at 00:00 the day after you buy (Europe/Berlin time)");
  });

  it("renders a benefit with every rule at once, in reading order, on one line", () => {
    const doc = DEMO_CATALOG.benefits.find((b) => b.code === "member_discount") as BenefitDoc;
    expect(benefitSummary(envOf("zh-CN"), doc)).toBe(
      "会员价：95折，仅适用于「books」类商品，特价商品除外，购买次日00:00（北京时间）起生效，自动生效，无需领取",
    );
    expect(benefitSummary(envOf("en"), doc)).toBe(
      "Member price: 5% off, applies only to books, items on sale are excluded, takes effect at 00:00 the day after you buy (Beijing time), on automatically, nothing to claim.",
    );
    const all = explainBenefit(envOf("en"), {
      code: "all",
      kind: "quota",
      name: "All",
      quota: { limit: 1, unit: "GB", period: "P1D" },
      rules: {
        effective: { delay: "P2D" },
        activation: "claim",
        minClientVersion: { web: "1.0.0" },
        scope: {
          categories: ["a"],
          products: ["p"],
          channels: ["official_app"],
          excludeCategories: ["b"],
          excludeProducts: ["q"],
          excludeChannels: ["official_web"],
          excludeSaleItems: true,
        },
      },
    });
    expect(all.map((s) => s.rule)).toEqual([
      "quota",
      "scope.categories",
      "scope.products",
      "scope.channels",
      "scope.excludeCategories",
      "scope.excludeProducts",
      "scope.excludeChannels",
      "scope.excludeSaleItems",
      "effective",
      "activation",
      "min_client_version",
    ]);
  });
});
