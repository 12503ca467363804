/** Turns a validated catalog document into the lookup-friendly form the decision engine reads. */
import { AppError } from "../errors.js";
import { defaultAnchor } from "../time/usage-period.js";
import type {
  BenefitDoc,
  CatalogDocument,
  ClientPlatform,
  CompiledBenefit,
  CompiledCatalog,
  CompiledCoupon,
  CompiledCouponPack,
  CompiledPlan,
  CompiledQuota,
  CompiledScope,
  CompiledTier,
  CouponDoc,
  CouponPackDoc,
  EffectiveDelay,
  QuotaDoc,
  ScopeDoc,
} from "./catalog-types.js";

/**
 * Compiles a document that passed validateCatalog. The result owns a frozen copy of the document, so
 * later changes to the caller's object cannot leak into a published catalog version.
 */
export function compileCatalog(
  document: CatalogDocument,
  version: number,
  createdAtMs: number,
): CompiledCatalog {
  const doc = deepFreeze(structuredClone(document));

  const tiersByRank = [...doc.tiers].sort((a, b) => a.rank - b.rank);
  const tiersOfBenefit = new Map<string, string[]>(doc.benefits.map((b) => [b.code, []]));
  const tiers = new Map<string, CompiledTier>();
  const plans = new Map<string, CompiledPlan>();
  for (const t of tiersByRank) {
    for (const code of t.benefits) {
      const list = tiersOfBenefit.get(code);
      if (!list) throw new AppError("CATALOG_INVALID", `tier "${t.code}" lists unknown benefit "${code}"`);
      list.push(t.code);
    }
    const tierPlans = t.plans.map((p) =>
      Object.freeze({
        code: p.code,
        period: p.period,
        price: p.price,
        tier: t.code,
        gracePeriod: p.gracePeriod ?? null,
      }),
    );
    for (const p of tierPlans) plans.set(p.code, p);
    tiers.set(
      t.code,
      Object.freeze({
        code: t.code,
        name: t.name,
        rank: t.rank,
        benefits: new Set(t.benefits),
        plans: Object.freeze(tierPlans),
        doc: t,
      }),
    );
  }

  const benefits = new Map<string, CompiledBenefit>();
  for (const b of doc.benefits) {
    benefits.set(b.code, compileBenefit(b, Object.freeze(tiersOfBenefit.get(b.code) ?? [])));
  }

  const coupons = new Map<string, CompiledCoupon>();
  for (const c of doc.coupons ?? []) coupons.set(c.code, compileCoupon(c, tiers));
  for (const b of doc.benefits) {
    for (const item of b.couponPack?.items ?? []) {
      if (!coupons.has(item.coupon)) {
        throw new AppError("CATALOG_INVALID", `benefit "${b.code}" issues unknown coupon "${item.coupon}"`);
      }
    }
  }

  // Maps keep insertion order: tiers iterate lowest rank first, the rest in document order.
  return Object.freeze({ version, createdAt: createdAtMs, benefits, tiers, plans, coupons, document: doc });
}

function compileBenefit(b: BenefitDoc, tiers: readonly string[]): CompiledBenefit {
  const rules = b.rules ?? {};
  return Object.freeze({
    code: b.code,
    kind: b.kind,
    name: b.name,
    description: b.description,
    activation: rules.activation ?? "automatic",
    effective: compileDelay(rules.effective?.delay),
    scope: rules.scope ? compileScope(rules.scope) : null,
    minClientVersion: compileMinVersion(rules.minClientVersion),
    quota: b.quota ? compileQuota(b.quota) : null,
    discount: b.discount ?? null,
    resources: b.resources ?? Object.freeze([]),
    couponPack: b.couponPack ? compileCouponPack(b.couponPack) : null,
    tiers,
    doc: b,
  });
}

function compileCoupon(c: CouponDoc, tiers: ReadonlyMap<string, CompiledTier>): CompiledCoupon {
  const cond = c.conditions ?? {};
  if (cond.minTier !== undefined && !tiers.has(cond.minTier)) {
    throw new AppError("CATALOG_INVALID", `coupon "${c.code}" names unknown tier "${cond.minTier}"`);
  }
  // Date.parse is safe here: validateCatalog admitted only offset-qualified ISO date-times.
  const time = (iso: string | undefined) => (iso === undefined ? null : Date.parse(iso));
  return Object.freeze({
    code: c.code,
    name: c.name,
    description: c.description,
    percentOff: c.percentOff ?? null,
    amountOff: c.amountOff ?? null,
    maxOff: c.maxOff ?? null,
    minAmount: cond.minAmount ?? null,
    minQuantity: cond.minQuantity ?? null,
    // Validation admits channels in one place only, so the merge cannot drop a list.
    scope: compileScope({ ...cond.scope, ...(cond.channels ? { channels: cond.channels } : {}) }),
    validFrom: time(cond.validFrom),
    validUntil: time(cond.validUntil),
    validDays: cond.validDays ?? null,
    minTier: cond.minTier ?? null,
    perMember: c.limits?.perMember ?? null,
    total: c.limits?.total ?? null,
    stackingGroup: c.stacking?.group ?? null,
    exclusive: c.stacking?.exclusive === true,
    doc: c,
  });
}

/** A quota with its anchor resolved: the default by its period's length, none without a period. */
export function compileQuota(quota: QuotaDoc): CompiledQuota {
  const { limit, unit, period } = quota;
  const anchor = period === null ? null : (quota.anchor ?? defaultAnchor(period));
  return Object.freeze({ limit, unit, period, anchor });
}

/** A coupon pack with its anchor resolved. */
export function compileCouponPack(pack: CouponPackDoc): CompiledCouponPack {
  return Object.freeze({
    items: pack.items,
    period: pack.period,
    anchor: pack.anchor ?? defaultAnchor(pack.period),
  });
}

function compileDelay(delay: string | undefined): EffectiveDelay {
  if (delay === undefined || delay === "immediate") return { type: "immediate" };
  if (delay === "next_day") return { type: "next_day" };
  return { type: "duration", iso: delay };
}

/** An absent or empty list compiles to null, so the engine tests one pointer before any Set lookup. */
function toSet(values: readonly string[] | undefined): ReadonlySet<string> | null {
  return values && values.length > 0 ? new Set(values) : null;
}

function compileScope(s: ScopeDoc): CompiledScope | null {
  const scope: CompiledScope = {
    categories: toSet(s.categories),
    products: toSet(s.products),
    channels: toSet(s.channels),
    excludeCategories: toSet(s.excludeCategories),
    excludeProducts: toSet(s.excludeProducts),
    excludeChannels: toSet(s.excludeChannels),
    excludeSaleItems: s.excludeSaleItems === true,
  };
  const restricts = scope.excludeSaleItems || Object.values(scope).some((v) => v instanceof Set);
  return restricts ? Object.freeze(scope) : null;
}

function compileMinVersion(
  v: string | Partial<Record<ClientPlatform, string>> | undefined,
): CompiledBenefit["minClientVersion"] {
  if (v === undefined) return null;
  if (typeof v === "string") return Object.freeze({ "*": v });
  const entries = Object.entries(v).filter(([, version]) => version !== undefined);
  return entries.length > 0 ? Object.freeze(Object.fromEntries(entries)) : null;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
