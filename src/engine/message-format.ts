/** Helpers that turn reason details into words a member reads: names, times, money, lists. */
import type { CompiledCatalog, Locale, LocalizedText, Money } from "../catalog/catalog-types.js";
import { formatLocalTime } from "./time-format.js";

/** What a message template may use besides the reason's details. */
export interface MessageEnv {
  locale: Locale;
  /** The benefit's name in `locale`. */
  benefit: string;
  /** The member's IANA time zone. */
  timezone: string;
  /** For tier names; null renders tier codes. */
  catalog: CompiledCatalog | null;
}

/** What the helpers below use: every part of a message's environment but the benefit's name. */
export type FormatEnv = Omit<MessageEnv, "benefit">;

/** Localized text in `locale`, falling back to the other locale, then to any text at all. */
export function localize(text: LocalizedText | null | undefined, locale: Locale): string {
  if (text == null) return "";
  if (typeof text === "string") return text;
  const own = text[locale];
  if (own) return own;
  const other = locale === "en" ? text["zh-CN"] : text.en;
  if (other) return other;
  for (const value of Object.values(text)) if (value) return value;
  return "";
}

const isZh = (env: FormatEnv) => env.locale === "zh-CN";

/** A detail as plain text (empty for null/undefined). */
export function text(value: unknown): string {
  return value == null ? "" : String(value);
}

/** An instant (ISO string or epoch ms) in the member's time zone. */
export function when(env: FormatEnv, value: unknown): string {
  return formatLocalTime(value, env.timezone);
}

export function tierName(env: FormatEnv, code: unknown): string {
  const tier = typeof code === "string" ? env.catalog?.tiers.get(code) : undefined;
  return tier === undefined ? text(code) : localize(tier.name, env.locale) || text(code);
}

/** `a, b or c` / `a、b或c`. */
export function alternatives(env: FormatEnv, items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  const head = items.slice(0, -1).join(isZh(env) ? "、" : ", ");
  return `${head}${isZh(env) ? "或" : " or "}${items[items.length - 1]}`;
}

export function tierList(env: FormatEnv, codes: unknown): string {
  if (!Array.isArray(codes)) return tierName(env, codes);
  return alternatives(
    env,
    codes.map((code) => tierName(env, code)),
  );
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  CNY: "¥",
  JPY: "¥",
  USD: "$",
  EUR: "€",
  GBP: "£",
  HKD: "HK$",
};
const ZERO_DECIMAL = new Set(["JPY", "KRW"]);

export function isMoney(value: unknown): value is Money {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Money).amount === "number" &&
    typeof (value as Money).currency === "string"
  );
}

/** Money in minor units as a member reads it: `¥12.00`, `$3.50`, `12.00 CHF`. */
export function formatMoney(money: Money): string {
  const digits = ZERO_DECIMAL.has(money.currency) ? 0 : 2;
  const major = (Math.abs(money.amount) / 10 ** digits).toFixed(digits);
  const sign = money.amount < 0 ? "-" : "";
  const symbol = CURRENCY_SYMBOLS[money.currency];
  return symbol === undefined ? `${sign}${major} ${money.currency}` : `${sign}${symbol}${major}`;
}

/** Any detail value (a rule's before/after): money, lists, flags, numbers, objects. */
export function value(env: FormatEnv, v: unknown): string {
  if (v == null) return isZh(env) ? "无" : "none";
  if (isMoney(v)) return formatMoney(v);
  if (typeof v === "boolean") return isZh(env) ? (v ? "是" : "否") : v ? "yes" : "no";
  if (Array.isArray(v)) return v.map((item) => value(env, item)).join(isZh(env) ? "、" : ", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

type Labels = Record<string, Record<Locale, string>>;

function label(labels: Labels, env: FormatEnv, key: unknown): string {
  const entry = typeof key === "string" ? labels[key] : undefined;
  return entry === undefined ? text(key) : entry[env.locale];
}

const PLATFORMS: Labels = {
  ios: { en: "iOS", "zh-CN": "iOS" },
  android: { en: "Android", "zh-CN": "Android" },
  web: { en: "the web", "zh-CN": "网页" },
};

export function platformName(env: FormatEnv, platform: unknown): string {
  return label(PLATFORMS, env, platform);
}

const CHANNELS: Labels = {
  official_app: { en: "the official app", "zh-CN": "官方App" },
  official_web: { en: "the official website", "zh-CN": "官网" },
};

export function channelName(env: FormatEnv, channel: unknown): string {
  if (typeof channel === "string" && channel.startsWith("partner:")) {
    return isZh(env) ? `合作渠道「${channel.slice(8)}」` : `partner channel ${channel.slice(8)}`;
  }
  return label(CHANNELS, env, channel);
}

export function channelList(env: FormatEnv, channels: unknown): string {
  if (!Array.isArray(channels)) return channelName(env, channels);
  return alternatives(
    env,
    channels.map((c) => channelName(env, c)),
  );
}

const HOLD_REASONS: Labels = {
  shared_device: { en: "the account being used on a shared device", "zh-CN": "账号存在多设备共享" },
  unusual_location: { en: "an unusual login location", "zh-CN": "检测到异地登录" },
  unofficial_channel: { en: "a purchase through an unofficial channel", "zh-CN": "会员通过非官方渠道购买" },
  chargeback: { en: "a payment dispute", "zh-CN": "存在支付争议" },
  manual: { en: "a manual security review", "zh-CN": "人工安全审核" },
};

export function holdReasonText(env: FormatEnv, reason: unknown): string {
  return label(HOLD_REASONS, env, reason);
}

const FIELDS: Labels = {
  "rules.effective.delay": { en: "when it takes effect", "zh-CN": "生效时间" },
  "rules.scope": { en: "where it applies", "zh-CN": "适用范围" },
  "rules.scope.categories": { en: "eligible categories", "zh-CN": "适用品类" },
  "rules.scope.excludeSaleItems": { en: "sale-item exclusion", "zh-CN": "特价商品是否除外" },
  "rules.scope.products": { en: "eligible products", "zh-CN": "适用商品" },
  "rules.scope.channels": { en: "eligible channels", "zh-CN": "适用渠道" },
  "rules.scope.excludeCategories": { en: "excluded categories", "zh-CN": "不适用品类" },
  "rules.scope.excludeProducts": { en: "excluded products", "zh-CN": "不适用商品" },
  "rules.scope.excludeChannels": { en: "excluded channels", "zh-CN": "不适用渠道" },
  "rules.activation": { en: "how it is activated", "zh-CN": "开启方式" },
  "rules.minClientVersion": { en: "minimum app version", "zh-CN": "最低App版本" },
  "rules.minClientVersion.ios": { en: "minimum iOS app version", "zh-CN": "最低iOS App版本" },
  "rules.minClientVersion.android": { en: "minimum Android app version", "zh-CN": "最低Android App版本" },
  "rules.minClientVersion.web": { en: "minimum web version", "zh-CN": "最低网页版本" },
  "quota.limit": { en: "limit", "zh-CN": "额度" },
  "discount.percentOff": { en: "discount (% off)", "zh-CN": "折扣比例" },
  "discount.amountOff": { en: "discount amount", "zh-CN": "优惠金额" },
  tiers: { en: "tiers that include it", "zh-CN": "包含该权益的会员等级" },
};

export function fieldLabel(env: FormatEnv, field: unknown): string {
  return label(FIELDS, env, field);
}
