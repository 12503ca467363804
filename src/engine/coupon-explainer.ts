/** A coupon template's conditions and stacking in plain words, beside the benefits' (rule-explainer.ts). */
import type { CouponDoc } from "../catalog/catalog-types.js";
import { formatMoney, tierName, when } from "./message-format.js";
import { type RuleSentence, scopeSentences } from "./rule-explainer.js";
import { discountWords, type ExplainEnv, SCOPE_FRAGMENTS, sentence, zh } from "./rule-fragments.js";

/** Every condition, limit and stacking rule of a coupon, one sentence each. */
export function explainCoupon(env: ExplainEnv, c: CouponDoc): RuleSentence[] {
  const out: RuleSentence[] = [];
  const cond = c.conditions ?? {};
  const worth = discountWords(env, { percentOff: c.percentOff, amountOff: c.amountOff, maxOff: c.maxOff });
  if (worth.length > 0) out.push({ rule: "coupon.value", text: sentence(env, worth) });
  if (cond.minAmount !== undefined) {
    const min = formatMoney(cond.minAmount);
    out.push({
      rule: "coupon.min_amount",
      text: zh(env) ? `订单满${min}可用` : `For orders of ${min} or more`,
    });
  }
  if (cond.minQuantity !== undefined) {
    out.push({
      rule: "coupon.min_quantity",
      text: zh(env) ? `满${cond.minQuantity}件可用` : `For at least ${cond.minQuantity} items`,
    });
  }
  out.push(...scopeSentences(env, cond.scope));
  // `conditions.channels` is the shorthand of `conditions.scope.channels`: the same clause.
  if (cond.channels !== undefined) {
    const clause = SCOPE_FRAGMENTS.channels(env, cond.channels);
    if (clause !== null) out.push({ rule: "scope.channels", text: sentence(env, clause) });
  }
  if (cond.validFrom !== undefined || cond.validUntil !== undefined) {
    const from = cond.validFrom === undefined ? null : when(env, cond.validFrom);
    const until = cond.validUntil === undefined ? null : when(env, cond.validUntil);
    const text = zh(env)
      ? from && until
        ? `有效期${from}至${until}`
        : from
          ? `${from}起可用`
          : `${until}前可用`
      : from && until
        ? `Valid from ${from} until ${until}`
        : from
          ? `Valid from ${from}`
          : `Valid until ${until}`;
    out.push({ rule: "coupon.valid_window", text });
  }
  if (cond.validDays !== undefined) {
    out.push({
      rule: "coupon.valid_days",
      text: zh(env)
        ? `领取后${cond.validDays}天内有效`
        : `Valid for ${cond.validDays} days after you claim it`,
    });
  }
  if (cond.minTier !== undefined) {
    const tier = tierName(env, cond.minTier);
    out.push({
      rule: "coupon.min_tier",
      text: zh(env) ? `限${tier}及以上等级使用` : `For ${tier} members and above`,
    });
  }
  if (c.limits?.perMember !== undefined) {
    out.push({
      rule: "coupon.per_member",
      text: zh(env) ? `每人限${c.limits.perMember}张` : `At most ${c.limits.perMember} per member`,
    });
  }
  if (c.limits?.total !== undefined) {
    out.push({
      rule: "coupon.total",
      text: zh(env) ? `限量${c.limits.total}张，发完即止` : `Only ${c.limits.total} in all, while they last`,
    });
  }
  out.push(stackingSentence(env, c));
  return out;
}

function stackingSentence(env: ExplainEnv, c: CouponDoc): RuleSentence {
  const { group, exclusive } = c.stacking ?? {};
  let text: string;
  if (exclusive === true)
    text = zh(env) ? "不可与其他优惠券同时使用" : "Cannot be combined with any other coupon";
  else if (group !== undefined)
    text = zh(env)
      ? `同一订单只能使用一张「${group}」组的优惠券，可与其他组叠加`
      : `Only one coupon of the "${group}" group per order; combines with coupons of other groups`;
  else text = zh(env) ? "可与其他优惠券叠加使用" : "Combines with other coupons";
  return { rule: "coupon.stacking", text };
}
