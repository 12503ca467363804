/** The member-facing message of every reason code, in English and Simplified Chinese. */
import type { CompiledBenefit, CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import type { ReasonCode } from "./engine-types.js";
import {
  channelList,
  channelName,
  fieldLabel,
  holdReasonText,
  localize,
  type MessageEnv,
  text,
  tierList,
  tierName,
  value,
  when,
} from "./message-format.js";
import { SCOPE_FRAGMENTS, versionClause } from "./rule-fragments.js";

export { localize, type MessageEnv } from "./message-format.js";

type Details = Readonly<Record<string, unknown>>;

/** A detail that lists codes (a scope's `expected`), as the scope clauses take it. */
const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(text) : v == null ? [] : [text(v)]);
const platformOf = (d: Details) => (typeof d.platform === "string" ? d.platform : null);
type Template = (d: Details, env: MessageEnv) => string;

function outOfScopeEn(d: Details, env: MessageEnv): string {
  const b = env.benefit;
  const exclude = d.rule === "exclude";
  switch (d.dimension) {
    case "sale_item":
      return `${b} does not apply to items on sale.`;
    case "category":
      return exclude
        ? `${b} does not apply to the ${text(d.actual)} category.`
        : `${b} ${SCOPE_FRAGMENTS.categories(env, listOf(d.expected))}; this item is in ${text(d.actual)}.`;
    case "product":
      return `${b} does not apply to this product.`;
    case "channel":
      return exclude
        ? `${b} ${SCOPE_FRAGMENTS.excludeChannels(env, [text(d.actual)])}.`
        : `${b} can only be used through ${channelList(env, d.expected)}, not ${channelName(env, d.actual)}.`;
    default:
      return `${b} does not apply here.`;
  }
}

function outOfScopeZh(d: Details, env: MessageEnv): string {
  const b = env.benefit;
  const exclude = d.rule === "exclude";
  switch (d.dimension) {
    case "sale_item":
      return `${b}不适用于特价商品`;
    case "category":
      return exclude
        ? `${b}${SCOPE_FRAGMENTS.excludeCategories(env, [text(d.actual)])}`
        : `${b}${SCOPE_FRAGMENTS.categories(env, listOf(d.expected))}，该商品属于「${text(d.actual)}」`;
    case "product":
      return `${b}不适用于该商品`;
    case "channel":
      return exclude
        ? `${b}${SCOPE_FRAGMENTS.excludeChannels(env, [text(d.actual)])}`
        : `${b}${SCOPE_FRAGMENTS.channels(env, listOf(d.expected))}，当前为${channelName(env, d.actual)}`;
    default:
      return `${b}不适用于当前场景`;
  }
}

/** What is left of a quota when a request asks for more than that, else null (nothing is left). */
function quotaShortfall(d: Details): { left: number; requested: number } | null {
  const { limit, used, requested } = d;
  if (typeof limit !== "number" || typeof used !== "number" || typeof requested !== "number") return null;
  return requested > 0 && used < limit ? { left: limit - used, requested } : null;
}

function quotaExhaustedEn(d: Details, env: MessageEnv): string {
  const unit = d.unit ? ` ${text(d.unit)}` : "";
  const reset = d.resetAt ? `; it resets on ${when(env, d.resetAt)}` : "";
  const short = quotaShortfall(d);
  if (short !== null) {
    return `You asked for ${text(short.requested)}${unit} of ${env.benefit}, but only ${text(short.left)} of your ${text(d.limit)}${unit} are left${reset}.`;
  }
  return `You have used ${text(d.used)} of your ${text(d.limit)}${unit} of ${env.benefit}${reset}.`;
}

function quotaExhaustedZh(d: Details, env: MessageEnv): string {
  // A Latin unit ("downloads", "GB") is set apart from the number; a Chinese one ("次") is not.
  const unit = /^[A-Za-z]/.test(text(d.unit)) ? ` ${text(d.unit)}` : text(d.unit);
  const reset = d.resetAt ? `，将于${when(env, d.resetAt)}重置` : "";
  const short = quotaShortfall(d);
  if (short !== null) {
    return `${env.benefit}剩余额度不足（剩余${text(short.left)}${unit}，本次需要${text(short.requested)}${unit}）${reset}`;
  }
  return `${env.benefit}额度已用完（已用${text(d.used)}/${text(d.limit)}${unit}）${reset}`;
}

/** The templates; a test checks that every code of REASON_CODES has both locales. */
export const MESSAGES: Readonly<Record<ReasonCode, Readonly<Record<Locale, Template>>>> = {
  GRANTED: {
    en: (_, env) => `${env.benefit} is active.`,
    "zh-CN": (_, env) => `${env.benefit}已生效`,
  },
  NO_MEMBERSHIP: {
    en: (d, env) =>
      `${env.benefit} is a member benefit${d.tiers ? ` of ${tierList(env, d.tiers)}` : ""}. Become a member to use it.`,
    "zh-CN": (d, env) =>
      `${env.benefit}是${d.tiers ? tierList(env, d.tiers) : "会员"}专享权益，开通会员后即可使用`,
  },
  MEMBERSHIP_EXPIRED: {
    en: (d, env) =>
      `Your ${tierName(env, d.tier)} membership expired on ${when(env, d.expiredAt)}. Renew it to use ${env.benefit} again.`,
    "zh-CN": (d, env) =>
      `您的${tierName(env, d.tier)}已于${when(env, d.expiredAt)}到期，续费后即可继续使用${env.benefit}`,
  },
  MEMBERSHIP_REVOKED: {
    en: (d, env) =>
      `Your ${tierName(env, d.tier)} membership was cancelled on ${when(env, d.revokedAt)} after a refund (order ${text(d.orderId)}), so ${env.benefit} is no longer available.`,
    "zh-CN": (d, env) =>
      `您的${tierName(env, d.tier)}因退款（订单${text(d.orderId)}）已于${when(env, d.revokedAt)}取消，${env.benefit}已停用`,
  },
  MEMBERSHIP_IN_GRACE: {
    en: (d, env) =>
      `Your ${tierName(env, d.tier)} membership expired on ${when(env, d.expiredAt)}. ${env.benefit} stays on during the grace period until ${when(env, d.graceEndsAt)}; renew before then to keep it.`,
    "zh-CN": (d, env) =>
      `您的${tierName(env, d.tier)}已于${when(env, d.expiredAt)}到期，宽限期内${env.benefit}仍可使用，至${when(env, d.graceEndsAt)}止，请在此之前续费`,
  },
  TIER_NOT_ELIGIBLE: {
    en: (d, env) =>
      `${env.benefit} is not included in your ${tierName(env, d.tier)} membership. Upgrade to ${tierList(env, d.tiers)} to use it.`,
    "zh-CN": (d, env) =>
      `您当前的${tierName(env, d.tier)}不包含${env.benefit}，升级为${tierList(env, d.tiers)}即可使用`,
  },
  PAYMENT_PENDING: {
    en: (d, env) =>
      `We are still confirming the payment for your order ${text(d.orderId)} (placed ${when(env, d.since)}). ${env.benefit} turns on as soon as it is confirmed; you do not need to pay again.${d.flaggedForSupport ? " It is taking longer than it should, so we have passed it to support." : d.overdue ? " It is taking longer than usual." : ""}`,
    "zh-CN": (d, env) =>
      `您的订单${text(d.orderId)}（${when(env, d.since)}下单）正在确认支付，确认后${env.benefit}立即生效，无需重复支付${d.flaggedForSupport ? "；确认时间已超出正常范围，已转交客服处理" : d.overdue ? "；确认时间比平时稍长" : ""}`,
  },
  NOT_YET_EFFECTIVE: {
    en: (d, env) => `${env.benefit} takes effect on ${when(env, d.effectiveFrom)}.`,
    "zh-CN": (d, env) => `${env.benefit}将于${when(env, d.effectiveFrom)}生效`,
  },
  OUT_OF_SCOPE: { en: outOfScopeEn, "zh-CN": outOfScopeZh },
  CLAIM_REQUIRED: {
    en: (_, env) => `Claim ${env.benefit} first to start using it.`,
    "zh-CN": (_, env) => `请先领取${env.benefit}，领取后即可使用`,
  },
  TOGGLE_OFF: {
    en: (_, env) => `${env.benefit} is switched off. Turn it on to use it.`,
    "zh-CN": (_, env) => `${env.benefit}尚未开启，打开开关后即可使用`,
  },
  QUOTA_EXHAUSTED: { en: quotaExhaustedEn, "zh-CN": quotaExhaustedZh },
  ACCOUNT_ON_HOLD: {
    // A hold only support can clear must not send the member to a verification that cannot help.
    en: (d, env) =>
      `${env.benefit} is paused on your account because of ${holdReasonText(env, d.holdReason)}. ${
        d.clearMethod === "agent"
          ? "Please contact support to restore it."
          : "Verify your identity to restore it."
      }`,
    "zh-CN": (d, env) =>
      `因${holdReasonText(env, d.holdReason)}，为保障账户安全，${env.benefit}已暂停，${
        d.clearMethod === "agent" ? "请联系客服处理" : "完成身份验证后即可恢复"
      }`,
  },
  RULE_CHANGED: {
    en: (d, env) =>
      `The rules of ${env.benefit} changed on ${when(env, d.changedAt)} (catalog version ${text(d.version)}): ${fieldLabel(env, d.field)} was ${value(env, d.before)}, now ${value(env, d.after)}.`,
    "zh-CN": (d, env) =>
      `${env.benefit}的规则已于${when(env, d.changedAt)}调整（目录版本${text(d.version)}）：${fieldLabel(env, d.field)}由${value(env, d.before)}变为${value(env, d.after)}`,
  },
  BENEFIT_WITHDRAWN: {
    en: (d, env) =>
      `${env.benefit} is no longer part of ${d.tier ? `the ${tierName(env, d.tier)}` : "your"} membership since catalog version ${text(d.version)}${d.withdrawnAt ? ` (${when(env, d.withdrawnAt)})` : ""}.`,
    "zh-CN": (d, env) =>
      `自目录版本${text(d.version)}${d.withdrawnAt ? `（${when(env, d.withdrawnAt)}）` : ""}起，${d.tier ? tierName(env, d.tier) : "您的会员"}不再包含${env.benefit}`,
  },
  // The clause of the plans page's sentence (rule-fragments.ts), so the rule reads the same before and after.
  CLIENT_OUTDATED: {
    en: (d, env) =>
      `${env.benefit} needs app ${versionClause(env, text(d.minVersion), platformOf(d))}; yours is ${text(d.version)}. Please update the app.`,
    "zh-CN": (d, env) =>
      `${env.benefit}需要${versionClause(env, text(d.minVersion), platformOf(d))}，您当前为${text(d.version)}，请更新App`,
  },
  CLIENT_CACHE_STALE: {
    en: () => "Your app is showing out-of-date membership information. Pull to refresh or reopen the app.",
    "zh-CN": () => "您的App显示的会员信息不是最新的，请下拉刷新或重新打开App",
  },
  STATE_INCONSISTENT: {
    en: (d, env) =>
      d.autoFixed
        ? `We found a problem in the records behind your ${env.benefit} and fixed it just now. If the app still shows the old state, refresh it.`
        : `We found a problem in the records behind your ${env.benefit} and are fixing it. If it is not back soon, contact support.`,
    "zh-CN": (d, env) =>
      d.autoFixed
        ? `系统发现您的${env.benefit}记录异常，已自动修复；如App仍显示旧状态，请刷新`
        : `系统发现您的${env.benefit}记录异常，正在修复；如未尽快恢复，请联系客服`,
  },
};

/** The message of one reason for a member, in `locale`, with dates in the member's time zone. */
export function reasonMessage(
  code: ReasonCode,
  details: Details,
  locale: Locale,
  benefit: CompiledBenefit,
  timezone: string,
  catalog: CompiledCatalog | null,
): string {
  const env: MessageEnv = {
    locale,
    benefit: localize(benefit.name, locale) || benefit.code,
    timezone,
    catalog,
  };
  return MESSAGES[code][locale](details, env);
}
