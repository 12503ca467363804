/**
 * The wording of one rule, clause by clause, in English and Chinese: the explainer (rule-explainer.ts)
 * builds its sentences from these, and the denial messages use the same helpers of message-format.ts
 * (`value`, `channelList`, `platformName`, `formatMoney`, `when`), so a rule reads the same before and
 * after the fact. Pure: durations are put into words by luxon, with no clock.
 */
import { Duration } from "luxon";
import type { DiscountDoc, Locale, ScopeDoc } from "../catalog/catalog-types.js";
import type { PeriodAnchor } from "../time/usage-period.js";
import { channelList, type FormatEnv, formatMoney, platformName, value } from "./message-format.js";

/** What an explanation may use: the reader's language and time zone, the catalog for tier names. */
export type ExplainEnv = FormatEnv;

export const zh = (env: Pick<ExplainEnv, "locale">) => env.locale === "zh-CN";

/** `P1M` → "1 month" / "1个月", `PT24H` → "24 hours" / "24小时" (luxon, Intl units). */
export function durationWords(iso: string, locale: Locale): string {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return iso;
  const words = duration.reconfigure({ locale }).toHuman({ unitDisplay: "long", listStyle: "narrow" });
  return locale === "zh-CN" ? words.replace(/, /g, "") : words;
}

/** A time zone as a member reads it: China's is "北京时间" / "Beijing time", others by IANA name. */
export function zoneWords(env: ExplainEnv): string {
  if (env.timezone === "Asia/Shanghai") return zh(env) ? "北京时间" : "Beijing time";
  return zh(env) ? `${env.timezone}时间` : `${env.timezone} time`;
}

/** The calendar unit of a one-unit period (P1D, P1W, P1M, P1Y), else null. */
function unitPeriod(iso: string): "day" | "week" | "month" | "year" | null {
  return ({ P1D: "day", P1W: "week", P1M: "month", P1Y: "year" } as const)[iso as "P1D"] ?? null;
}

const PER_EN = { day: "a day", week: "a week", month: "a month", year: "a year" } as const;
const PER_ZH = { day: "每天", week: "每周", month: "每月", year: "每年" } as const;

/** "a day" / "每天"; "every 3 months" / "每3个月". */
export function perPeriod(env: ExplainEnv, iso: string): string {
  const unit = unitPeriod(iso);
  if (unit !== null) return zh(env) ? PER_ZH[unit] : PER_EN[unit];
  const words = durationWords(iso, env.locale);
  return zh(env) ? `每${words}` : `every ${words}`;
}

/** "every month" / "每月"; "every 3 months" / "每3个月". */
export function everyPeriod(env: ExplainEnv, iso: string): string {
  const unit = unitPeriod(iso);
  if (zh(env)) return perPeriod(env, iso);
  return unit !== null ? `every ${unit}` : `every ${durationWords(iso, env.locale)}`;
}

const PRICE_UNIT_ZH = { day: "天", week: "周", month: "月", year: "年" } as const;

/** "¥15.00 a month" / "¥15.00/月"; "¥40.00 every 3 months" / "¥40.00/3个月". */
export function pricePer(env: ExplainEnv, price: string, iso: string): string {
  const unit = unitPeriod(iso);
  if (zh(env)) return `${price}/${unit !== null ? PRICE_UNIT_ZH[unit] : durationWords(iso, env.locale)}`;
  return `${price} ${perPeriod(env, iso)}`;
}

const CALENDAR_RESET_EN = {
  day: "at 00:00 every day",
  week: "at 00:00 every Monday",
  month: "at 00:00 on the 1st of every month",
  year: "at 00:00 on 1 January",
} as const;
const CALENDAR_RESET_ZH = {
  day: "每天00:00",
  week: "每周一00:00",
  month: "每月1日00:00",
  year: "每年1月1日00:00",
} as const;

/** When a period restarts: local midnight (calendar) or the membership's anniversary. */
export function resetWords(env: ExplainEnv, iso: string, anchor: PeriodAnchor): string {
  const unit = unitPeriod(iso);
  if (anchor === "membership") {
    const every = zh(env) ? `每${durationWords(iso, env.locale)}` : `every ${durationWords(iso, env.locale)}`;
    return zh(env) ? `自开通之日起${every}重置` : `resets ${every} from the day your membership started`;
  }
  if (unit === null) {
    return zh(env)
      ? `每${durationWords(iso, env.locale)}重置（${zoneWords(env)}）`
      : `resets every ${durationWords(iso, env.locale)} (${zoneWords(env)})`;
  }
  return zh(env)
    ? `${CALENDAR_RESET_ZH[unit]}（${zoneWords(env)}）重置`
    : `resets ${CALENDAR_RESET_EN[unit]} (${zoneWords(env)})`;
}

/** An amount with its unit: a Latin unit is set apart from the number ("10 GB"), a Chinese one not ("10次"). */
export function withUnit(amount: number, unit: string): string {
  return /^[A-Za-z]/.test(unit) ? `${amount} ${unit}` : `${amount}${unit}`;
}

/** 5 % off as Chinese shoppers read it: 95折; 10 % → 9折; 100 % → 免费. */
export function zheWords(percentOff: number): string {
  const rest = Math.round((100 - percentOff) * 100) / 100;
  if (rest <= 0) return "免费";
  if (Number.isInteger(rest)) return rest % 10 === 0 ? `${rest / 10}折` : `${rest}折`;
  return `${Math.round(rest * 10) / 100}折`;
}

/** What a discount or a coupon takes off: "5% off, at most ¥30.00 off" / "95折，最多减¥30.00". */
export function discountWords(env: ExplainEnv, d: DiscountDoc): string {
  const parts: string[] = [];
  if (d.percentOff !== undefined) parts.push(zh(env) ? zheWords(d.percentOff) : `${d.percentOff}% off`);
  if (d.amountOff !== undefined)
    parts.push(zh(env) ? `立减${formatMoney(d.amountOff)}` : `${formatMoney(d.amountOff)} off`);
  if (d.maxOff !== undefined)
    parts.push(zh(env) ? `最多减${formatMoney(d.maxOff)}` : `at most ${formatMoney(d.maxOff)} off`);
  return parts.join(zh(env) ? "，" : ", ");
}

/** The fields of a scope, each with its clause; `excludeSaleItems: false` says nothing. */
export const SCOPE_FRAGMENTS: Readonly<
  Record<keyof ScopeDoc, (env: ExplainEnv, v: NonNullable<ScopeDoc[keyof ScopeDoc]>) => string | null>
> = {
  categories: (env, v) =>
    zh(env) ? `仅适用于「${value(env, v)}」类商品` : `applies only to ${value(env, v)}`,
  products: (env, v) =>
    zh(env) ? `仅适用于指定商品（${value(env, v)}）` : `applies only to the products ${value(env, v)}`,
  channels: (env, v) => (zh(env) ? `仅限${channelList(env, v)}使用` : `only through ${channelList(env, v)}`),
  excludeCategories: (env, v) =>
    Array.isArray(v) && v.length === 0
      ? null
      : zh(env)
        ? `不适用于「${value(env, v)}」类商品`
        : `does not apply to ${value(env, v)}`,
  excludeProducts: (env, v) =>
    Array.isArray(v) && v.length === 0
      ? null
      : zh(env)
        ? `不适用于商品${value(env, v)}`
        : `does not apply to the products ${value(env, v)}`,
  excludeChannels: (env, v) =>
    Array.isArray(v) && v.length === 0
      ? null
      : zh(env)
        ? `不能在${channelList(env, v)}使用`
        : `cannot be used through ${channelList(env, v)}`,
  excludeSaleItems: (env, v) =>
    v === true ? (zh(env) ? "特价商品除外" : "items on sale are excluded") : null,
};

/** The scope fields in the order a member reads them: what it applies to, then what it does not. */
export const SCOPE_ORDER: readonly (keyof ScopeDoc)[] = [
  "categories",
  "products",
  "channels",
  "excludeCategories",
  "excludeProducts",
  "excludeChannels",
  "excludeSaleItems",
];

/**
 * The app a rule needs: "version 5.2.0 or later on iOS" / "iOS客户端5.2.0或更高版本"; without a
 * platform "version 5.2.0 or later" / "App 5.2.0或更高版本". The CLIENT_OUTDATED denial says the same.
 */
export function versionClause(env: ExplainEnv, version: string, platform: string | null | undefined): string {
  if (zh(env))
    return platform ? `${platformName(env, platform)}客户端${version}或更高版本` : `App ${version}或更高版本`;
  return platform
    ? `version ${version} or later on ${platformName(env, platform)}`
    : `version ${version} or later`;
}

/** Capitalizes an English clause for use as a sentence; Chinese is left alone. */
export function sentence(env: ExplainEnv, clause: string): string {
  return zh(env) || clause.length === 0 ? clause : clause[0].toUpperCase() + clause.slice(1);
}
