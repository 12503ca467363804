/**
 * Every rule of a benefit and a plan in plain words, before the member buys: when it takes effect,
 * where it applies, whether it must be claimed or switched on, the app it needs, its quota and when
 * that resets. Pure: the reader's language and time zone come in `env`.
 */
import type { BenefitDoc, BenefitRulesDoc, PlanDoc, ScopeDoc } from "../catalog/catalog-types.js";
import { defaultAnchor } from "../time/usage-period.js";
import { localize, value } from "./message-format.js";
import {
  discountWords,
  durationWords,
  type ExplainEnv,
  everyPeriod,
  perPeriod,
  pricePer,
  resetWords,
  SCOPE_FRAGMENTS,
  SCOPE_ORDER,
  sentence,
  versionClause,
  withUnit,
  zh,
  zoneWords,
} from "./rule-fragments.js";

export type { ExplainEnv } from "./rule-fragments.js";

/** Every kind of rule the catalog can hold, each with its sentence (a test keeps this list whole). */
export const RULE_KINDS = [
  "feature",
  "quota",
  "discount",
  "access",
  "coupon_pack",
  "effective",
  "activation",
  "min_client_version",
  "scope.categories",
  "scope.products",
  "scope.channels",
  "scope.excludeCategories",
  "scope.excludeProducts",
  "scope.excludeChannels",
  "scope.excludeSaleItems",
  "coupon.value",
  "coupon.min_amount",
  "coupon.min_quantity",
  "coupon.valid_window",
  "coupon.valid_days",
  "coupon.min_tier",
  "coupon.per_member",
  "coupon.total",
  "coupon.stacking",
  "plan.price",
  "plan.grace_period",
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** One rule in words. */
export interface RuleSentence {
  rule: RuleKind;
  text: string;
}

/** A scope's fields in words (benefit rules and coupon conditions share them). */
export function scopeSentences(env: ExplainEnv, scope: ScopeDoc | undefined): RuleSentence[] {
  const out: RuleSentence[] = [];
  if (scope === undefined) return out;
  for (const field of SCOPE_ORDER) {
    const v = scope[field];
    if (v === undefined) continue;
    const clause = SCOPE_FRAGMENTS[field](env, v);
    if (clause !== null) out.push({ rule: `scope.${field}`, text: sentence(env, clause) });
  }
  return out;
}

function kindSentence(env: ExplainEnv, b: BenefitDoc): RuleSentence {
  switch (b.kind) {
    case "quota": {
      const q = b.quota;
      if (q === undefined) break;
      const amount = withUnit(q.limit, q.unit);
      if (q.period === null)
        return { rule: "quota", text: zh(env) ? `共${amount}，不重置` : `${amount} in all, never reset` };
      const reset = resetWords(env, q.period, q.anchor ?? defaultAnchor(q.period));
      return {
        rule: "quota",
        text: zh(env)
          ? `${perPeriod(env, q.period)}${amount}，${reset}`
          : `${amount} ${perPeriod(env, q.period)}, ${reset}`,
      };
    }
    case "discount":
      if (b.discount === undefined) break;
      return { rule: "discount", text: sentence(env, discountWords(env, b.discount)) };
    case "access":
      return {
        rule: "access",
        text: zh(env)
          ? `可进入${value(env, b.resources ?? [])}`
          : `Access to ${value(env, b.resources ?? [])}`,
      };
    case "coupon_pack": {
      const pack = b.couponPack;
      if (pack === undefined) break;
      const coupons = env.catalog?.coupons;
      const items = pack.items.map((i) => {
        const name = localize(coupons?.get(i.coupon)?.name, env.locale) || i.coupon;
        return zh(env) ? `${name}×${i.count}` : `${i.count} × ${name}`;
      });
      const anchor = pack.anchor ?? defaultAnchor(pack.period);
      const when =
        anchor === "membership"
          ? zh(env)
            ? `自开通之日起${perPeriod(env, pack.period)}发放`
            : `${sentence(env, everyPeriod(env, pack.period))} from the day your membership started`
          : zh(env)
            ? `${perPeriod(env, pack.period)}发放`
            : sentence(env, everyPeriod(env, pack.period));
      return {
        rule: "coupon_pack",
        text: zh(env) ? `${when}：${items.join("、")}` : `${when}: ${items.join(", ")}`,
      };
    }
    case "feature":
      break;
  }
  return { rule: "feature", text: zh(env) ? "会员有效期内可用" : "Yours while your membership lasts" };
}

function effectiveSentence(env: ExplainEnv, delay: string | undefined): RuleSentence {
  if (delay === undefined || delay === "immediate")
    return { rule: "effective", text: zh(env) ? "支付成功后立即生效" : "Takes effect as soon as you pay" };
  if (delay === "next_day")
    return {
      rule: "effective",
      text: zh(env)
        ? `购买次日00:00（${zoneWords(env)}）起生效`
        : `Takes effect at 00:00 the day after you buy (${zoneWords(env)})`,
    };
  const words = durationWords(delay, env.locale);
  return {
    rule: "effective",
    text: zh(env) ? `购买${words}后生效` : `Takes effect ${words} after you buy`,
  };
}

const ACTIVATION: Record<string, Record<"en" | "zh-CN", string>> = {
  automatic: { en: "On automatically, nothing to claim", "zh-CN": "自动生效，无需领取" },
  claim: { en: "Claim it once each membership period", "zh-CN": "每个会员周期需手动领取一次" },
  toggle: {
    en: "Must be switched on once in the app (it starts off)",
    "zh-CN": "需在App中手动开启一次（默认关闭）",
  },
};

function versionSentence(env: ExplainEnv, rules: BenefitRulesDoc | undefined): RuleSentence | null {
  const v = rules?.minClientVersion;
  if (v === undefined) return null;
  const clauses =
    typeof v === "string"
      ? [versionClause(env, v, null)]
      : Object.entries(v).map(([platform, version]) => versionClause(env, version, platform));
  return {
    rule: "min_client_version",
    text: zh(env) ? `需要${clauses.join("、")}` : `Needs app ${clauses.join(", ")}`,
  };
}

/**
 * A benefit's rules in words, one sentence per rule, in reading order: what it gives, where it
 * applies, when it takes effect, how it is activated, the app it needs.
 */
export function explainBenefit(env: ExplainEnv, b: BenefitDoc): RuleSentence[] {
  const rules = b.rules;
  const out: RuleSentence[] = [kindSentence(env, b)];
  out.push(...scopeSentences(env, rules?.scope));
  out.push(effectiveSentence(env, rules?.effective?.delay));
  const activation = rules?.activation ?? "automatic";
  out.push({ rule: "activation", text: ACTIVATION[activation][env.locale] });
  const version = versionSentence(env, rules);
  if (version !== null) out.push(version);
  return out;
}

/** "会员价：95折，仅适用于「books」类商品，…" — a benefit and its rules on one line. */
export function benefitSummary(env: ExplainEnv, b: BenefitDoc): string {
  const name = localize(b.name, env.locale) || b.code;
  const texts = explainBenefit(env, b).map((s) => s.text);
  if (zh(env)) return `${name}：${texts.join("，")}`;
  return `${name}: ${texts.map((t, i) => (i === 0 ? t : t[0].toLowerCase() + t.slice(1))).join(", ")}.`;
}

/** What a plan costs and how long it runs, and its grace period. */
export function explainPlan(env: ExplainEnv, plan: PlanDoc): RuleSentence[] {
  const price = value(env, plan.price);
  const out: RuleSentence[] = [
    {
      rule: "plan.price",
      text: pricePer(env, price, plan.period),
    },
  ];
  if (plan.gracePeriod !== undefined) {
    const words = durationWords(plan.gracePeriod, env.locale);
    out.push({
      rule: "plan.grace_period",
      text: zh(env)
        ? `到期后${words}宽限期内权益照常可用，请在宽限期内续费`
        : `Benefits stay on for ${words} after it expires, while you renew`,
    });
  }
  return out;
}
