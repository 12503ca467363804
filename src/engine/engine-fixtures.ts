/**
 * Test and bench fixtures for the engine: a compiled catalog built by hand (independent of the catalog
 * compiler) and member snapshots in the states decisions care about.
 */
import type {
  BenefitDoc,
  CatalogDocument,
  CompiledBenefit,
  CompiledCatalog,
  CompiledPlan,
  CompiledTier,
  EffectiveDelay,
} from "../catalog/catalog-types.js";
import { defaultAnchor } from "../time/usage-period.js";
import {
  type DecisionContext,
  type GrantView,
  type HoldView,
  indexGrantsByBenefit,
  type MemberSnapshot,
  type MembershipView,
  type PendingOrderView,
} from "./engine-types.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Fixed instants. The membership starts 10:00 Shanghai; `next_day` is 2026-11-25 00:00 Shanghai. */
export const T = {
  start: Date.parse("2026-11-24T02:00:00.000Z"),
  nextDay: Date.parse("2026-11-24T16:00:00.000Z"),
  end: Date.parse("2026-12-24T02:00:00.000Z"),
  now: Date.parse("2026-11-30T12:00:00.000Z"),
  hour: HOUR,
  day: DAY,
} as const;

const VIP_BENEFITS = [
  "ad_free",
  "hd_download_boost",
  "cloud_storage",
  "member_discount",
  "vip_zone",
  "monthly_gift",
  "app_exclusive",
  "early_access",
  "mobile_pip",
];

export const FIXTURE_DOCUMENT: CatalogDocument = {
  tiers: [
    {
      code: "basic",
      name: { en: "Basic", "zh-CN": "基础会员" },
      rank: 1,
      benefits: ["ad_free"],
      plans: [{ code: "basic_month", period: "P1M", price: { amount: 600, currency: "CNY" } }],
    },
    {
      code: "vip",
      name: { en: "VIP", "zh-CN": "VIP会员" },
      rank: 2,
      benefits: VIP_BENEFITS,
      plans: [
        { code: "vip_month", period: "P1M", price: { amount: 1500, currency: "CNY" } },
        { code: "vip_year", period: "P1Y", price: { amount: 15800, currency: "CNY" } },
      ],
    },
    {
      code: "svip",
      name: { en: "SVIP", "zh-CN": "超级会员" },
      rank: 3,
      benefits: [...VIP_BENEFITS, "priority_support"],
      plans: [{ code: "svip_month", period: "P1M", price: { amount: 3000, currency: "CNY" } }],
    },
  ],
  benefits: [
    { code: "ad_free", kind: "feature", name: { en: "No ads", "zh-CN": "免广告" } },
    {
      code: "hd_download_boost",
      kind: "feature",
      name: { en: "HD download boost", "zh-CN": "高清下载加速" },
      rules: { activation: "toggle" },
    },
    {
      code: "cloud_storage",
      kind: "quota",
      name: { en: "Cloud storage", "zh-CN": "云存储空间" },
      quota: { limit: 2048, unit: "GB", period: null },
    },
    {
      code: "member_discount",
      kind: "discount",
      name: { en: "Member discount", "zh-CN": "会员折扣" },
      discount: { percentOff: 5 },
      rules: {
        effective: { delay: "next_day" },
        scope: { categories: ["books"], excludeSaleItems: true, excludeProducts: ["book-999"] },
      },
    },
    {
      code: "vip_zone",
      kind: "access",
      name: { en: "VIP zone", "zh-CN": "VIP专区" },
      resources: ["zone:vip-lounge"],
      rules: { minClientVersion: "5.2.0" },
    },
    {
      code: "monthly_gift",
      kind: "feature",
      name: { en: "Monthly gift", "zh-CN": "每月礼包" },
      rules: { activation: "claim" },
    },
    {
      code: "app_exclusive",
      kind: "discount",
      name: { en: "App-only price", "zh-CN": "App专享价" },
      discount: { amountOff: { amount: 1200, currency: "CNY" } },
      rules: { scope: { channels: ["official_app"], excludeCategories: ["gift_cards"] } },
    },
    {
      code: "early_access",
      kind: "feature",
      name: { en: "Early access", "zh-CN": "抢先看" },
      rules: { effective: { delay: "PT24H" } },
    },
    {
      code: "mobile_pip",
      kind: "feature",
      name: { en: "Picture in picture", "zh-CN": "画中画" },
      rules: { minClientVersion: { ios: "6.0.0", android: "6.1.0" } },
    },
    // English only: zh-CN messages fall back to it.
    { code: "priority_support", kind: "feature", name: { en: "Priority support" } },
  ],
};

function compileDelay(delay: string | undefined): EffectiveDelay {
  if (delay === undefined || delay === "immediate") return { type: "immediate" };
  return delay === "next_day" ? { type: "next_day" } : { type: "duration", iso: delay };
}

const setOf = (values: string[] | undefined) => (values && values.length > 0 ? new Set(values) : null);

function compileBenefit(doc: BenefitDoc, tiers: readonly string[]): CompiledBenefit {
  const rules = doc.rules ?? {};
  const s = rules.scope;
  const mcv = rules.minClientVersion;
  return {
    code: doc.code,
    kind: doc.kind,
    couponPack: doc.couponPack
      ? { ...doc.couponPack, anchor: doc.couponPack.anchor ?? defaultAnchor(doc.couponPack.period) }
      : null,
    name: doc.name,
    description: doc.description,
    activation: rules.activation ?? "automatic",
    effective: compileDelay(rules.effective?.delay),
    scope: s
      ? {
          categories: setOf(s.categories),
          products: setOf(s.products),
          channels: setOf(s.channels),
          excludeCategories: setOf(s.excludeCategories),
          excludeProducts: setOf(s.excludeProducts),
          excludeChannels: setOf(s.excludeChannels),
          excludeSaleItems: s.excludeSaleItems === true,
        }
      : null,
    minClientVersion: mcv === undefined ? null : typeof mcv === "string" ? { "*": mcv } : mcv,
    quota: doc.quota
      ? {
          ...doc.quota,
          anchor: doc.quota.period === null ? null : (doc.quota.anchor ?? defaultAnchor(doc.quota.period)),
        }
      : null,
    discount: doc.discount ?? null,
    resources: doc.resources ?? [],
    tiers,
    doc,
  };
}

/** A compiled catalog, built by hand the way the catalog compiler shapes it. */
export function fixtureCatalog(document: CatalogDocument = FIXTURE_DOCUMENT, version = 3): CompiledCatalog {
  const byRank = [...document.tiers].sort((a, b) => a.rank - b.rank);
  const tiers = new Map<string, CompiledTier>();
  const plans = new Map<string, CompiledPlan>();
  for (const t of byRank) {
    const tierPlans = t.plans.map((p) => ({
      code: p.code,
      period: p.period,
      price: p.price,
      tier: t.code,
      gracePeriod: p.gracePeriod ?? null,
    }));
    for (const p of tierPlans) plans.set(p.code, p);
    tiers.set(t.code, {
      code: t.code,
      name: t.name,
      rank: t.rank,
      benefits: new Set(t.benefits),
      plans: tierPlans,
      doc: t,
    });
  }
  const benefits = new Map<string, CompiledBenefit>();
  for (const b of document.benefits) {
    const including = byRank.filter((t) => t.benefits.includes(b.code)).map((t) => t.code);
    benefits.set(b.code, compileBenefit(b, including));
  }
  // Engine fixtures carry no coupon templates: the decision engine does not read them.
  return { version, createdAt: T.start - 30 * DAY, benefits, tiers, plans, coupons: new Map(), document };
}

export function membership(over: Partial<MembershipView> & { id: string; tier: string }): MembershipView {
  return {
    startsAt: T.start,
    expiresAt: T.end,
    status: "active",
    sourceOrderId: `order-${over.id}`,
    revokedAt: null,
    graceEndsAt: null,
    ...over,
  };
}

export function grant(over: Partial<GrantView> & { benefit: string; membershipId: string }): GrantView {
  return {
    id: `grant-${over.membershipId}-${over.benefit}`,
    tier: "vip",
    status: "active",
    effectiveFrom: T.start,
    expiresAt: T.end,
    catalogVersion: 3,
    claimedAt: null,
    toggledOn: false,
    quotaUsed: 0,
    quotaResetsAt: null,
    rulesVersion: null,
    rulesUntil: null,
    ...over,
  };
}

export function hold(over: Partial<HoldView> & { id: string }): HoldView {
  return {
    reason: "shared_device",
    benefits: null,
    clearMethod: "verify_identity",
    placedAt: T.now - HOUR,
    ...over,
  };
}

export function pendingOrder(over: Partial<PendingOrderView> & { orderId: string }): PendingOrderView {
  return { plan: "vip_month", tier: "vip", createdAt: T.now - HOUR, ...over };
}

/** A snapshot; grantsByBenefit is derived from `grants`. */
export function snapshot(
  over: Partial<Omit<MemberSnapshot, "grantsByBenefit">> & { memberId?: string } = {},
): MemberSnapshot {
  const grants = over.grants ?? [];
  const grantsByBenefit = indexGrantsByBenefit(grants);
  return {
    memberId: "m1",
    exists: true,
    locale: null,
    timezone: "Asia/Shanghai",
    entitlementsVersion: 17,
    memberships: [],
    pendingOrders: [],
    latestSession: null,
    holds: [],
    ...over,
    grants,
    grantsByBenefit,
  };
}

/** When a grant of `benefit` for a membership starting at T.start takes effect (fixture delays only). */
export function fixtureEffectiveFrom(benefit: CompiledBenefit, startsAt: number = T.start): number {
  const e = benefit.effective;
  if (e.type === "next_day") return T.nextDay;
  if (e.type === "duration") return startsAt + Number.parseInt(e.iso.slice(2), 10) * HOUR;
  return startsAt;
}

/** A member with an active membership of `tier` (T.start to T.end) and a grant for each of its benefits. */
export function activeMember(
  catalog: CompiledCatalog,
  tier = "vip",
  over: Partial<Omit<MemberSnapshot, "grantsByBenefit">> = {},
  grantOver: Partial<GrantView> = {},
): MemberSnapshot {
  const m = membership({ id: `ms-${tier}`, tier });
  const grants = [...(catalog.tiers.get(tier)?.benefits ?? [])].map((code) =>
    grant({
      benefit: code,
      membershipId: m.id,
      tier,
      effectiveFrom: fixtureEffectiveFrom(catalog.benefits.get(code)!),
      ...grantOver,
    }),
  );
  return snapshot({ memberships: [m], grants, ...over });
}

export function context(over: Partial<DecisionContext> = {}): DecisionContext {
  return { at: T.now, locale: "en", ...over };
}
