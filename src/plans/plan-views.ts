/** The plans page as data: tiers, plans and benefits with their rules in words (pure). */
import type { CatalogDocument, CompiledCatalog, Locale, Money } from "../catalog/catalog-types.js";
import type { ExplainedCatalogChange } from "../engine/change-explainer.js";
import { explainCoupon } from "../engine/coupon-explainer.js";
import { localize } from "../engine/message-format.js";
import {
  benefitSummary,
  type ExplainEnv,
  explainBenefit,
  explainPlan,
  type RuleSentence,
} from "../engine/rule-explainer.js";

export interface PlanView {
  code: string;
  tier: string;
  period: string;
  price: Money;
  gracePeriod: string | null;
  rules: RuleSentence[];
}

export interface TierView {
  code: string;
  name: string;
  rank: number;
  benefits: string[];
  plans: PlanView[];
}

export interface BenefitView {
  code: string;
  kind: string;
  name: string;
  description: string | null;
  /** Codes of the tiers that include it, lowest rank first. */
  tiers: string[];
  /** One line: the name and every rule ("会员价：95折，…"). */
  summary: string;
  rules: RuleSentence[];
}

export interface CouponView {
  code: string;
  name: string;
  rules: RuleSentence[];
}

/** One catalog version's change, as members read it. */
export interface ChangeView extends ExplainedCatalogChange {
  version: number;
  effectiveFrom: string;
}

export interface PlansView {
  locale: Locale;
  /** The time zone the sentences' times are in. */
  timezone: string;
  catalog: { version: number; effectiveFrom: string };
  tiers: TierView[];
  benefits: BenefitView[];
  coupons: CouponView[];
  /** The latest changes that members read differently, newest first. */
  changes: ChangeView[];
}

/** The catalog in force, in words, for `env`; `changes` already explained. */
export function plansView(
  env: ExplainEnv & { catalog: CompiledCatalog },
  effectiveFrom: number,
  changes: ChangeView[],
): PlansView {
  const catalog = env.catalog;
  const doc: CatalogDocument = catalog.document;
  const tiers = [...doc.tiers].sort((a, b) => a.rank - b.rank);
  return {
    locale: env.locale,
    timezone: env.timezone,
    catalog: { version: catalog.version, effectiveFrom: new Date(effectiveFrom).toISOString() },
    tiers: tiers.map((t) => ({
      code: t.code,
      name: localize(t.name, env.locale) || t.code,
      rank: t.rank,
      benefits: [...t.benefits],
      plans: t.plans.map((p) => ({
        code: p.code,
        tier: t.code,
        period: p.period,
        price: p.price,
        gracePeriod: p.gracePeriod ?? null,
        rules: explainPlan(env, p),
      })),
    })),
    benefits: doc.benefits.map((b) => ({
      code: b.code,
      kind: b.kind,
      name: localize(b.name, env.locale) || b.code,
      description: b.description === undefined ? null : localize(b.description, env.locale),
      tiers: [...(catalog.benefits.get(b.code)?.tiers ?? [])],
      summary: benefitSummary(env, b),
      rules: explainBenefit(env, b),
    })),
    coupons: (doc.coupons ?? []).map((c) => ({
      code: c.code,
      name: localize(c.name, env.locale) || c.code,
      rules: explainCoupon(env, c),
    })),
    changes,
  };
}

/** True when a change touches `tier`: the tier itself, or a benefit or coupon it includes. */
export function touchesTier(change: ExplainedCatalogChange, tier: string, catalog: CompiledCatalog): boolean {
  if (change.tiers.some((t) => t.code === tier)) return true;
  const benefits = catalog.tiers.get(tier)?.benefits ?? new Set<string>();
  if (change.benefits.some((b) => benefits.has(b.code))) return true;
  const coupons = new Set(
    [...benefits].flatMap((b) => catalog.benefits.get(b)?.couponPack?.items.map((i) => i.coupon) ?? []),
  );
  return change.coupons.some((c) => coupons.has(c.code));
}
