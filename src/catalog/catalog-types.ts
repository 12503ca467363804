/** Types of the catalog document (what operators PUT) and of its compiled, engine-ready form. */
import type { CatalogHistory } from "./catalog-history.js";

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

export const BENEFIT_KINDS = ["feature", "quota", "discount", "access"] as const;
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
}

export interface DiscountDoc {
  percentOff?: number;
  amountOff?: Money;
  maxOff?: Money;
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
}

export interface CatalogDocument {
  tiers: TierDoc[];
  benefits: BenefitDoc[];
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
  quota: QuotaDoc | null;
  discount: DiscountDoc | null;
  resources: readonly string[];
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

/** The catalog in the form the engine reads: lookups by code, computed once per version. */
export interface CompiledCatalog {
  version: number;
  createdAt: number;
  benefits: ReadonlyMap<string, CompiledBenefit>;
  tiers: ReadonlyMap<string, CompiledTier>;
  plans: ReadonlyMap<string, CompiledPlan>;
  document: CatalogDocument;
  /**
   * The versions before this one, as decisions need them (rule changes, withdrawn benefits, the
   * rules grandfathered grants keep). Absent for a catalog compiled on its own (version 1, tests).
   */
  history?: CatalogHistory;
}
