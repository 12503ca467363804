/** Types of the catalog document (what operators PUT) and of its compiled, engine-ready form. */
import type { PeriodAnchor } from "../time/usage-period.js";

export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

/** Localized text: a plain string (used for every locale) or one string per locale. */
export type LocalizedText = string | Partial<Record<Locale, string>>;

/** Money in integer minor units (fen, cents). */
export interface Money {
  amount: number;
  currency: string;
}

export interface PlanDoc {
  code: string;
  /** ISO-8601 duration, e.g. P1M, P1Y. */
  period: string;
  price: Money;
  /** ISO-8601 duration after expiry during which benefits stay on (the member is told to renew). */
  gracePeriod?: string;
}

export interface TierDoc {
  code: string;
  name: LocalizedText;
  rank: number;
  benefits: string[];
  plans: PlanDoc[];
}

export const BENEFIT_KINDS = ["feature", "quota", "discount", "access", "coupon_pack"] as const;
export type BenefitKind = (typeof BENEFIT_KINDS)[number];

export const ACTIVATIONS = ["automatic", "claim", "toggle"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const CLIENT_PLATFORMS = ["ios", "android", "web"] as const;
export type ClientPlatform = (typeof CLIENT_PLATFORMS)[number];

export interface ScopeDoc {
  categories?: string[];
  products?: string[];
  channels?: string[];
  excludeCategories?: string[];
  excludeProducts?: string[];
  excludeChannels?: string[];
  excludeSaleItems?: boolean;
}

export interface BenefitRulesDoc {
  /** `immediate` (default), `next_day` (00:00 next day in the member's time zone) or an ISO-8601 duration. */
  effective?: { delay: string };
  scope?: ScopeDoc;
  activation?: Activation;
  /** A semver for every platform, or one per platform. */
  minClientVersion?: string | Partial<Record<ClientPlatform, string>>;
}

export interface QuotaDoc {
  limit: number;
  unit: string;
  /** ISO-8601 reset period, or null for a limit that never resets. */
  period: string | null;
  /** Where the periods start; default: `calendar` below a month, `membership` from a month on. */
  anchor?: PeriodAnchor;
}

/** A quota as the engine reads it: the anchor resolved (null only without a period). */
export interface CompiledQuota {
  limit: number;
  unit: string;
  period: string | null;
  anchor: PeriodAnchor | null;
}

export interface DiscountDoc {
  percentOff?: number;
  amountOff?: Money;
  maxOff?: Money;
}

/** What a `coupon_pack` benefit issues: `count` coupons of each template, again every `period`. */
export interface CouponPackDoc {
  items: { coupon: string; count: number }[];
  /** ISO-8601 duration between issues, e.g. P1M. */
  period: string;
  /** Where the periods start; default: `calendar` below a month, `membership` from a month on. */
  anchor?: PeriodAnchor;
}

/** A coupon pack as issuance reads it: the anchor resolved. */
export interface CompiledCouponPack {
  items: readonly { coupon: string; count: number }[];
  period: string;
  anchor: PeriodAnchor;
}

export interface BenefitDoc {
  code: string;
  kind: BenefitKind;
  name: LocalizedText;
  description?: LocalizedText;
  rules?: BenefitRulesDoc;
  quota?: QuotaDoc;
  discount?: DiscountDoc;
  resources?: string[];
  couponPack?: CouponPackDoc;
}

/** When and to whom a coupon applies: a benefit-style scope plus order thresholds and a window. */
export interface CouponConditionsDoc {
  scope?: ScopeDoc;
  /** Allowed channels, a shorthand for `scope.channels` (DESIGN.md names it directly in conditions). */
  channels?: string[];
  minAmount?: Money;
  minQuantity?: number;
  /** Absolute window, ISO-8601 date-times with an offset. */
  validFrom?: string;
  validUntil?: string;
  /** Days a coupon stays valid after the member claims it. */
  validDays?: number;
  /** Code of the lowest tier whose members may use it. */
  minTier?: string;
}

/** A coupon template: what one issued coupon is worth and when it applies. */
export interface CouponDoc {
  code: string;
  name: LocalizedText;
  description?: LocalizedText;
  percentOff?: number;
  amountOff?: Money;
  maxOff?: Money;
  conditions?: CouponConditionsDoc;
  limits?: { perMember?: number; total?: number };
  stacking?: { group?: string; exclusive?: boolean };
}

export interface CatalogDocument {
  tiers: TierDoc[];
  benefits: BenefitDoc[];
  /** Coupon templates, issued by `coupon_pack` benefits. Optional so that older documents stay valid. */
  coupons?: CouponDoc[];
}

/** `effective.delay` compiled: how to compute a grant's effectiveFrom from the membership start. */
export type EffectiveDelay = { type: "immediate" } | { type: "next_day" } | { type: "duration"; iso: string };

export interface CompiledScope {
  categories: ReadonlySet<string> | null;
  products: ReadonlySet<string> | null;
  channels: ReadonlySet<string> | null;
  excludeCategories: ReadonlySet<string> | null;
  excludeProducts: ReadonlySet<string> | null;
  excludeChannels: ReadonlySet<string> | null;
  excludeSaleItems: boolean;
}

export interface CompiledBenefit {
  code: string;
  kind: BenefitKind;
  name: LocalizedText;
  description: LocalizedText | undefined;
  activation: Activation;
  effective: EffectiveDelay;
  /** null when the benefit has no scope rule. */
  scope: CompiledScope | null;
  /** Minimum client version per platform; `*` applies to platforms not listed. null when unset. */
  minClientVersion: Partial<Record<ClientPlatform | "*", string>> | null;
  quota: CompiledQuota | null;
  discount: DiscountDoc | null;
  resources: readonly string[];
  couponPack: CompiledCouponPack | null;
  /** Codes of the tiers that include this benefit, lowest rank first. */
  tiers: readonly string[];
  /** The document as written, for diffs and display. */
  doc: BenefitDoc;
}

export interface CompiledPlan {
  code: string;
  period: string;
  price: Money;
  tier: string;
  /** ISO-8601 duration, or null for none. */
  gracePeriod: string | null;
}

export interface CompiledTier {
  code: string;
  name: LocalizedText;
  rank: number;
  benefits: ReadonlySet<string>;
  plans: readonly CompiledPlan[];
  doc: TierDoc;
}

/** A coupon template in the form the engine reads: times as epoch ms, scope as sets. */
export interface CompiledCoupon {
  code: string;
  name: LocalizedText;
  description: LocalizedText | undefined;
  percentOff: number | null;
  amountOff: Money | null;
  maxOff: Money | null;
  minAmount: Money | null;
  minQuantity: number | null;
  /** null when the coupon applies everywhere. */
  scope: CompiledScope | null;
  validFrom: number | null;
  validUntil: number | null;
  validDays: number | null;
  minTier: string | null;
  perMember: number | null;
  total: number | null;
  stackingGroup: string | null;
  exclusive: boolean;
  /** The document as written, for diffs and display. */
  doc: CouponDoc;
}

/** The catalog in the form the engine reads: lookups by code, computed once per version. */
export interface CompiledCatalog {
  version: number;
  createdAt: number;
  benefits: ReadonlyMap<string, CompiledBenefit>;
  tiers: ReadonlyMap<string, CompiledTier>;
  plans: ReadonlyMap<string, CompiledPlan>;
  /** Coupon templates by code, in document order. */
  coupons: ReadonlyMap<string, CompiledCoupon>;
  document: CatalogDocument;
  /**
   * The versions before this one, as decisions need them (rule changes, withdrawn benefits, the
   * rules grandfathered grants keep). Absent for a catalog compiled on its own (version 1, tests).
   */
  history?: CatalogHistory;
}

/** One changed field of a benefit: `field` is the dotted path inside the benefit document. */
export interface BenefitFieldChange {
  version: number;
  /** When that version came into force (epoch ms). */
  changedAt: number;
  field: string;
  before: unknown;
  after: unknown;
}

/** A version that dropped a benefit from a tier (or added it), and when it came into force. */
export interface TierBenefitChange {
  version: number;
  at: number;
}

export interface CatalogHistory {
  /** Older compiled versions, by number, for grants that keep the rules they were bought under. */
  previous: ReadonlyMap<number, CompiledCatalog>;
  /** Per benefit, its field changes in version order (name and description excluded). */
  benefitChanges: ReadonlyMap<string, readonly BenefitFieldChange[]>;
  /** Per `tier\u0000benefit`, the versions in which the tier stopped including the benefit. */
  withdrawals: ReadonlyMap<string, readonly TierBenefitChange[]>;
  /** Per `tier\u0000benefit`, the latest version in which the tier gained the benefit. */
  additions: ReadonlyMap<string, TierBenefitChange>;
  /** Benefits no longer in the catalog: their last compiled form and the version that removed them. */
  removed: ReadonlyMap<string, { benefit: CompiledBenefit; version: number; at: number }>;
}

/** How a stored catalog version treats grants made under earlier ones. */
export type CatalogPolicy = "apply_now" | "grandfather";
