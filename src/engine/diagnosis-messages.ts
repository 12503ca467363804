/** What a passed or skipped self-check step says, in English and Simplified Chinese. */
import type { CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import { isInGrace, isMembershipActive } from "./covering-grant.js";
import type { DecisionContext, MemberSnapshot } from "./engine-types.js";
import { type MessageEnv, tierName, when } from "./message-format.js";
import type { DiagnosisStep } from "./rules/rule-types.js";
import { isoTime } from "./time-format.js";

interface StepEnv {
  snapshot: MemberSnapshot;
  catalog: CompiledCatalog;
  ctx: DecisionContext;
  locale: Locale;
}

type Text = Record<Locale, (env: StepEnv, m: MessageEnv) => string>;

function membershipPass(env: StepEnv, m: MessageEnv): string {
  const active = env.snapshot.memberships.find((ms) => isMembershipActive(ms, env.ctx.at));
  if (!active) return env.locale === "en" ? "Membership is in order." : "会员状态正常";
  // In grace the expiry has passed: "active until" a past date would read as a contradiction.
  if (isInGrace(active, env.ctx.at)) {
    const expired = when(m, isoTime(active.expiresAt));
    const graceEnds = when(m, isoTime(active.graceEndsAt!));
    return env.locale === "en"
      ? `Your ${tierName(m, active.tier)} membership expired on ${expired}; its benefits stay on during the grace period until ${graceEnds}.`
      : `您的${tierName(m, active.tier)}已于${expired}到期，宽限期内权益仍可使用，至${graceEnds}止`;
  }
  const until = when(m, isoTime(active.expiresAt));
  return env.locale === "en"
    ? `Your ${tierName(m, active.tier)} membership is active until ${until}.`
    : `您的${tierName(m, active.tier)}有效，至${until}`;
}

const PASS: Record<DiagnosisStep, Text> = {
  membership_status: { en: membershipPass, "zh-CN": membershipPass },
  benefit_rules: {
    en: () =>
      "The benefit's own rules are met: it is in effect, claimed or switched on where needed, within its quota.",
    "zh-CN": () => "权益规则均已满足：已生效，需要领取或开启的已完成，额度充足",
  },
  scenario: {
    en: ({ ctx }) =>
      ctx.product || ctx.channel
        ? "It applies to this product and channel."
        : "No product or channel was given; nothing about the scenario stands in the way.",
    "zh-CN": ({ ctx }) =>
      ctx.product || ctx.channel ? "适用于当前商品和渠道" : "未提供商品或渠道信息，使用场景没有限制",
  },
  refresh_client: {
    en: ({ ctx }) =>
      `The app shows current membership information (version ${ctx.client?.entitlementsVersion}).`,
    "zh-CN": ({ ctx }) => `App显示的会员信息是最新的（版本${ctx.client?.entitlementsVersion}）`,
  },
  update_client: {
    en: ({ ctx }) => `App version ${ctx.client?.version} is recent enough.`,
    "zh-CN": ({ ctx }) => `App版本${ctx.client?.version}满足要求`,
  },
};

const SKIP: Record<DiagnosisStep, Record<Locale, string>> = {
  membership_status: { en: "Not checked.", "zh-CN": "未检查" },
  benefit_rules: {
    en: "Not checked: no membership covers this benefit yet.",
    "zh-CN": "未检查：目前没有覆盖该权益的会员",
  },
  scenario: {
    en: "Not checked: no membership covers this benefit yet.",
    "zh-CN": "未检查：目前没有覆盖该权益的会员",
  },
  refresh_client: {
    en: "Not checked: the app has not reported which membership information it shows.",
    "zh-CN": "未检查：App未上报其缓存的会员信息版本",
  },
  update_client: {
    en: "Not checked: the app has not reported its version.",
    "zh-CN": "未检查：App未上报其版本",
  },
};

export function stepDetail(step: DiagnosisStep, status: "pass" | "skip", env: StepEnv): string {
  if (status === "skip") return SKIP[step][env.locale];
  const m: MessageEnv = {
    locale: env.locale,
    benefit: "",
    timezone: env.snapshot.timezone,
    catalog: env.catalog,
  };
  return PASS[step][env.locale](env, m);
}

/** "3 minutes" / "3分钟": a wait or an age as a member reads it, rounded down, at least "a minute". */
function span(seconds: number, locale: Locale): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) {
    if (minutes < 1) return locale === "en" ? "less than a minute" : "不到1分钟";
    return locale === "en" ? `${minutes} minute${minutes === 1 ? "" : "s"}` : `${minutes}分钟`;
  }
  const hours = Math.floor(minutes / 60);
  return locale === "en" ? `${hours} hours` : `${hours}小时`;
}

/**
 * What a member asking about an order they paid needs besides "still confirming": how long ago they
 * ordered, and how long confirmation normally takes (the payment wait policy).
 */
export function claimedOrderAddendum(
  ageSeconds: number,
  expectedWaitSeconds: number,
  locale: Locale,
): string {
  return locale === "en"
    ? ` You ordered ${span(ageSeconds, locale)} ago; payments are usually confirmed within ${span(expectedWaitSeconds, locale)}.`
    : `（${span(ageSeconds, locale)}前下单，支付通常在${span(expectedWaitSeconds, locale)}内确认）`;
}
