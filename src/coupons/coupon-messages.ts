/** The member-facing words of every coupon reason and its remedy, in English and Simplified Chinese. */
import type { CompiledCatalog, Locale, Money } from "../catalog/catalog-types.js";
import {
  alternatives,
  channelList,
  channelName,
  formatMoney,
  holdReasonText,
  isMoney,
  type MessageEnv,
  text,
  tierName,
  when,
} from "../engine/message-format.js";
import type { CouponFailure } from "./coupon-conditions.js";
import type { CouponReason, CouponReasonCode } from "./coupon-types.js";

type Details = Readonly<Record<string, unknown>>;

/** MessageEnv with `benefit` holding the coupon's name, plus the names of other coupons by id. */
export interface CouponMessageEnv extends MessageEnv {
  couponNames: (ids: readonly string[]) => string[];
}

type Template = (d: Details, env: CouponMessageEnv) => string;
interface Words {
  reason: Template;
  remedy: Template;
}

const m = (v: unknown) => (isMoney(v) ? formatMoney(v as Money) : text(v));
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const others = (d: Details, env: CouponMessageEnv) =>
  alternatives(env, env.couponNames(ids(d.conflictsWith)));
const andOthers = (d: Details, env: CouponMessageEnv, joiner: string) =>
  env.couponNames(ids(d.conflictsWith)).join(joiner);
const scopeHint = (d: Details): string[] => {
  const lines = Array.isArray(d.lines) ? (d.lines as Details[]) : [];
  const allowed = lines.find((l) => l.dimension === "category" && l.rule === "allow")?.expected;
  return Array.isArray(allowed) ? allowed.map(String) : [];
};

const EN: Record<CouponReasonCode, Words> = {
  NOT_FOUND: {
    reason: () => "This coupon is not one of your coupons.",
    remedy: () => "Remove it from your order.",
  },
  NOT_CLAIMED: {
    reason: (d, env) =>
      `${env.benefit} has not been claimed yet${d.claimBy ? `; claim it by ${when(env, d.claimBy)}` : ""}.`,
    remedy: (_, env) => `Claim ${env.benefit} to use it.`,
  },
  ALREADY_USED: {
    reason: (d, env) => `${env.benefit} was already used on order ${text(d.orderRef)}.`,
    remedy: () => "Choose another coupon.",
  },
  LOCKED: {
    reason: (d, env) => `${env.benefit} is held by order ${text(d.orderRef)}, which is not finished yet.`,
    remedy: () => "It comes back to you if that order is cancelled or refunded.",
  },
  NOT_STARTED: {
    reason: (d, env) => `${env.benefit} can be used from ${when(env, d.validFrom)}.`,
    remedy: (d, env) => `Use it from ${when(env, d.validFrom)}.`,
  },
  EXPIRED: {
    reason: (d, env) => {
      if (d.withdrawn) return `${env.benefit} is no longer offered.`;
      if (d.unclaimed)
        return `${env.benefit} was not claimed in time; the claim deadline was ${when(env, d.validUntil)}.`;
      return `${env.benefit} expired on ${when(env, d.validUntil)}.`;
    },
    remedy: () => "Choose another coupon.",
  },
  TIER_TOO_LOW: {
    reason: (d, env) =>
      `${env.benefit} is for ${tierName(env, d.required)} members and above; ` +
      (d.current === null ? "you are not a member." : `you are ${tierName(env, d.current)}.`),
    remedy: (d, env) => `Upgrade to ${tierName(env, d.required)} to use it.`,
  },
  ACCOUNT_ON_HOLD: {
    reason: (d, env) =>
      `${env.benefit} cannot be used while your account is on hold because of ${holdReasonText(env, d.holdReason)}.`,
    remedy: (d) =>
      d.clearMethod === "verify_identity"
        ? "Verify your identity to lift the hold."
        : "Contact support: an agent reviews the hold.",
  },
  CHANNEL_NOT_ELIGIBLE: {
    reason: (d, env) =>
      d.allowed
        ? `${env.benefit} can only be used through ${channelList(env, d.allowed)}, not ${channelName(env, d.channel)}.`
        : `${env.benefit} cannot be used through ${channelName(env, d.channel)}.`,
    remedy: (d, env) =>
      d.allowed ? `Check out through ${channelList(env, d.allowed)}.` : "Check out through another channel.",
  },
  NOT_IN_SCOPE: {
    reason: (_, env) => `${env.benefit} does not apply to any item in your cart.`,
    remedy: (d, env) => {
      const hint = scopeHint(d);
      return hint.length > 0
        ? `Add items from ${alternatives(env, hint)} to use it.`
        : "Add items it applies to.";
    },
  },
  MIN_AMOUNT_NOT_MET: {
    reason: (d, env) => `${env.benefit} needs ${m(d.required)} of eligible items; you have ${m(d.actual)}.`,
    remedy: (d) => `Add ${m(d.shortBy)} more of eligible items.`,
  },
  MIN_QUANTITY_NOT_MET: {
    reason: (d, env) =>
      `${env.benefit} needs at least ${text(d.required)} eligible items; you have ${text(d.actual)}.`,
    remedy: (d) => `Add ${text(d.shortBy)} more eligible item${d.shortBy === 1 ? "" : "s"}.`,
  },
  CURRENCY_MISMATCH: {
    reason: (d, env) =>
      `${env.benefit} is in ${text(d.coupon)} and cannot be used on a cart in ${text(d.cart)}.`,
    remedy: () => "Remove it from your order.",
  },
  USAGE_LIMIT_REACHED: {
    reason: (d, env) =>
      d.scope === "member"
        ? `You have used ${env.benefit} ${text(d.used)} time${d.used === 1 ? "" : "s"}, the limit per member (${text(d.limit)}).`
        : `${env.benefit} has reached its overall limit of ${text(d.limit)} uses.`,
    remedy: () => "Choose another coupon.",
  },
  NOT_STACKABLE: {
    reason: (d, env) => {
      if (d.rule === "exclusive") return `${env.benefit} cannot be combined with other coupons.`;
      if (d.rule === "exclusive_other")
        return `${env.benefit} cannot be combined with ${others(d, env)}, which is used on its own.`;
      if (d.rule === "usage_limit")
        return `You can use ${env.benefit} only ${text(d.remaining)} more time${d.remaining === 1 ? "" : "s"}, and this order already does.`;
      return `${env.benefit} cannot be combined with ${others(d, env)}: only one coupon of that kind per order.`;
    },
    remedy: (d, env) =>
      d.rule === "usage_limit"
        ? `Remove another ${env.benefit} from the order to use this one.`
        : `Remove ${andOthers(d, env, " and ")} to use ${env.benefit}.`,
  },
};

const ZH: Record<CouponReasonCode, Words> = {
  NOT_FOUND: {
    reason: () => "该优惠券不存在或不属于您",
    remedy: () => "请从订单中移除该优惠券",
  },
  NOT_CLAIMED: {
    reason: (d, env) => `${env.benefit}尚未领取${d.claimBy ? `，请在${when(env, d.claimBy)}前领取` : ""}`,
    remedy: (_, env) => `领取${env.benefit}后即可使用`,
  },
  ALREADY_USED: {
    reason: (d, env) => `${env.benefit}已在订单${text(d.orderRef)}中使用`,
    remedy: () => "请选择其他优惠券",
  },
  LOCKED: {
    reason: (d, env) => `${env.benefit}已被未完成的订单${text(d.orderRef)}占用`,
    remedy: () => "该订单取消或退款后，优惠券将退回",
  },
  NOT_STARTED: {
    reason: (d, env) => `${env.benefit}将于${when(env, d.validFrom)}起可用`,
    remedy: (d, env) => `请于${when(env, d.validFrom)}后使用`,
  },
  EXPIRED: {
    reason: (d, env) => {
      if (d.withdrawn) return `${env.benefit}已下线`;
      if (d.unclaimed) return `${env.benefit}未在领取期限（${when(env, d.validUntil)}）前领取，已失效`;
      return `${env.benefit}已于${when(env, d.validUntil)}过期`;
    },
    remedy: () => "请选择其他优惠券",
  },
  TIER_TOO_LOW: {
    reason: (d, env) =>
      `${env.benefit}仅限${tierName(env, d.required)}及以上会员使用，` +
      (d.current === null ? "您还不是会员" : `您当前为${tierName(env, d.current)}`),
    remedy: (d, env) => `升级为${tierName(env, d.required)}即可使用`,
  },
  ACCOUNT_ON_HOLD: {
    reason: (d, env) =>
      `因${holdReasonText(env, d.holdReason)}，您的账号已被暂停权益，${env.benefit}暂不可用`,
    remedy: (d) => (d.clearMethod === "verify_identity" ? "完成身份验证即可恢复" : "请联系客服处理"),
  },
  CHANNEL_NOT_ELIGIBLE: {
    reason: (d, env) =>
      d.allowed
        ? `${env.benefit}仅限${channelList(env, d.allowed)}使用，当前为${channelName(env, d.channel)}`
        : `${env.benefit}不能在${channelName(env, d.channel)}使用`,
    remedy: (d, env) => (d.allowed ? `请在${channelList(env, d.allowed)}下单` : "请更换下单渠道"),
  },
  NOT_IN_SCOPE: {
    reason: (_, env) => `${env.benefit}不适用于购物车中的任何商品`,
    remedy: (d, env) => {
      const hint = scopeHint(d);
      return hint.length > 0
        ? `添加「${alternatives(env, hint)}」类商品后即可使用`
        : "添加适用商品后即可使用";
    },
  },
  MIN_AMOUNT_NOT_MET: {
    reason: (d, env) => `${env.benefit}需适用商品满${m(d.required)}，当前为${m(d.actual)}`,
    remedy: (d) => `再买${m(d.shortBy)}的适用商品即可使用`,
  },
  MIN_QUANTITY_NOT_MET: {
    reason: (d, env) => `${env.benefit}需购买至少${text(d.required)}件适用商品，当前为${text(d.actual)}件`,
    remedy: (d) => `再买${text(d.shortBy)}件适用商品即可使用`,
  },
  CURRENCY_MISMATCH: {
    reason: (d, env) => `${env.benefit}以${text(d.coupon)}计价，不能用于${text(d.cart)}结算的订单`,
    remedy: () => "请从订单中移除该优惠券",
  },
  USAGE_LIMIT_REACHED: {
    reason: (d, env) =>
      d.scope === "member"
        ? `${env.benefit}每人限用${text(d.limit)}次，您已使用${text(d.used)}次`
        : `${env.benefit}已达总使用上限（${text(d.limit)}次）`,
    remedy: () => "请选择其他优惠券",
  },
  NOT_STACKABLE: {
    reason: (d, env) => {
      if (d.rule === "exclusive") return `${env.benefit}不能与其他优惠券同时使用`;
      if (d.rule === "exclusive_other")
        return `${env.benefit}不能与${others(d, env)}同时使用（该券不可叠加）`;
      if (d.rule === "usage_limit") return `${env.benefit}您最多还能使用${text(d.remaining)}张，本单已用满`;
      return `${env.benefit}不能与${others(d, env)}同时使用（同类优惠券每单限用一张）`;
    },
    remedy: (d, env) =>
      d.rule === "usage_limit"
        ? `从订单中移除另一张${env.benefit}后即可使用这张`
        : `移除${andOthers(d, env, "、")}后即可使用${env.benefit}`,
  },
};

/** The words, by locale; a test checks both locales of every code. */
export const COUPON_MESSAGES: Readonly<Record<Locale, Record<CouponReasonCode, Words>>> = {
  en: EN,
  "zh-CN": ZH,
};

/** A failure with its message and its remedy's message, in the env's locale. */
export function couponReason(failure: CouponFailure, env: CouponMessageEnv): CouponReason {
  const words = COUPON_MESSAGES[env.locale][failure.code];
  return {
    code: failure.code,
    message: words.reason(failure.details, env),
    details: failure.details,
    remedy: { ...failure.remedy, message: words.remedy(failure.details, env) },
  };
}

/** A message env for one coupon name. */
export function couponMessageEnv(
  locale: Locale,
  timezone: string,
  catalog: CompiledCatalog,
  couponNames: CouponMessageEnv["couponNames"],
): CouponMessageEnv {
  return { locale, timezone, catalog, benefit: "", couponNames };
}
