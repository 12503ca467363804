/**
 * Every condition of one held coupon against the cart, each checked on its own so that a coupon
 * failing several lists all of them. Failures carry details and the remedy's kind; the words are
 * added by coupon-messages.ts. Stacking (NOT_STACKABLE) is decided later, over the combination.
 */
import type { CompiledCatalog, CompiledCoupon, CompiledScope, Money } from "../catalog/catalog-types.js";
import { isMembershipActive } from "../engine/covering-grant.js";
import type { MemberSnapshot } from "../engine/engine-types.js";
import { blockingHold, holdFailureParts } from "../engine/rules/hold-rule.js";
import { listOf } from "../engine/rules/scope-rule.js";
import { isoTime } from "../engine/time-format.js";
import { couponSaving } from "./checkout-money.js";
import type { Cart, CouponReasonCode, CouponRemedy, CouponUsage, MemberCouponView } from "./coupon-types.js";
import type { PricedCart } from "./member-prices.js";

/** A remedy before its message is written. */
export type RemedySpec = Omit<CouponRemedy, "message">;

export interface CouponFailure {
  code: CouponReasonCode;
  details: Record<string, unknown>;
  remedy: RemedySpec;
}

/** What the evaluation needs to know once per request, whatever the coupon. */
export interface CheckoutFacts {
  snapshot: MemberSnapshot;
  catalog: CompiledCatalog;
  cart: Cart;
  priced: PricedCart;
  usage: CouponUsage;
  at: number;
  /** The member's highest-rank tier in force at `at`, null for none. */
  tier: { code: string; rank: number } | null;
}

/** One template against the cart: the same for every coupon of that template, so computed once. */
export interface TemplateOnCart {
  template: CompiledCoupon;
  eligibleLines: number[];
  eligibleSubtotal: number;
  eligibleQuantity: number;
  /** The coupon's money currency (amountOff, maxOff or minAmount), null for a plain percentage. */
  currency: string | null;
  /** What one coupon saves alone when every condition holds. */
  saving: number;
  /** How many more coupons of it may be used: min(perMember − memberUsed, total − totalUsed). */
  capacity: number;
  /** Failures that follow from the template and the cart, the same for all its coupons. */
  failures: CouponFailure[];
}

const NONE: RemedySpec = { actor: "member", action: "none" };
const money = (amount: number, currency: string): Money => ({ amount, currency });

/** The member's highest-rank tier among memberships in force at `at`. */
export function currentTier(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  at: number,
): CheckoutFacts["tier"] {
  let best: CheckoutFacts["tier"] = null;
  for (const m of snapshot.memberships) {
    const tier = catalog.tiers.get(m.tier);
    if (tier === undefined || !isMembershipActive(m, at)) continue;
    if (best === null || tier.rank > best.rank) best = { code: tier.code, rank: tier.rank };
  }
  return best;
}

type Line = Cart["lines"][number];

/** Whether a line is inside the coupon's scope; allocation-free, for the hot path. */
function inScope(scope: CompiledScope, line: Line): boolean {
  const id = line.productId;
  if (scope.products !== null && !scope.products.has(id)) return false;
  if (scope.excludeProducts?.has(id)) return false;
  const category = line.category;
  // A line without a category cannot be shown to be in an allowed one: money is not given on doubt.
  if (scope.categories !== null && (category === undefined || !scope.categories.has(category))) return false;
  if (category !== undefined && scope.excludeCategories?.has(category)) return false;
  return !(scope.excludeSaleItems && line.onSale === true);
}

/** Why a line is outside the scope (most specific dimension first), for NOT_IN_SCOPE; mirrors inScope. */
function whyOutside(scope: CompiledScope, line: Line, index: number): Record<string, unknown> {
  const at = { index, productId: line.productId };
  const id = line.productId;
  if (scope.products !== null && !scope.products.has(id)) {
    return { ...at, dimension: "product", rule: "allow", expected: listOf(scope.products), actual: id };
  }
  if (scope.excludeProducts?.has(id)) {
    return {
      ...at,
      dimension: "product",
      rule: "exclude",
      expected: listOf(scope.excludeProducts),
      actual: id,
    };
  }
  const category = line.category ?? null;
  if (scope.categories !== null && (category === null || !scope.categories.has(category))) {
    return {
      ...at,
      dimension: "category",
      rule: "allow",
      expected: listOf(scope.categories),
      actual: category,
    };
  }
  if (category !== null && scope.excludeCategories?.has(category)) {
    const expected = listOf(scope.excludeCategories);
    return { ...at, dimension: "category", rule: "exclude", expected, actual: category };
  }
  return { ...at, dimension: "sale_item", rule: "exclude", expected: false, actual: true };
}

function channelFailure(scope: CompiledScope | null, channel: string | undefined): CouponFailure | null {
  // As in decisions, a cart that names no channel is not on a wrong one.
  if (scope === null || channel === undefined) return null;
  if (scope.channels !== null && !scope.channels.has(channel)) {
    const allowed = listOf(scope.channels);
    return {
      code: "CHANNEL_NOT_ELIGIBLE",
      details: { channel, allowed },
      remedy: { actor: "member", action: "change_channel" },
    };
  }
  if (scope.excludeChannels?.has(channel)) {
    return {
      code: "CHANNEL_NOT_ELIGIBLE",
      details: { channel, excluded: listOf(scope.excludeChannels) },
      remedy: { actor: "member", action: "change_channel" },
    };
  }
  return null;
}

function usageFailures(template: CompiledCoupon, usage: CouponUsage): CouponFailure[] {
  const failures: CouponFailure[] = [];
  const memberUsed = usage.memberUsed.get(template.code) ?? 0;
  const totalUsed = usage.totalUsed.get(template.code) ?? 0;
  if (template.perMember !== null && memberUsed >= template.perMember) {
    failures.push({
      code: "USAGE_LIMIT_REACHED",
      details: { scope: "member", limit: template.perMember, used: memberUsed },
      remedy: NONE,
    });
  }
  if (template.total !== null && totalUsed >= template.total) {
    failures.push({
      code: "USAGE_LIMIT_REACHED",
      details: { scope: "total", limit: template.total, used: totalUsed },
      remedy: NONE,
    });
  }
  return failures;
}

function capacityOf(template: CompiledCoupon, usage: CouponUsage): number {
  const member =
    template.perMember === null ? Infinity : template.perMember - (usage.memberUsed.get(template.code) ?? 0);
  const total =
    template.total === null ? Infinity : template.total - (usage.totalUsed.get(template.code) ?? 0);
  return Math.max(0, Math.min(member, total));
}

/** The template against the cart: eligible lines, thresholds, currency, channel, usage limits. */
export function templateOnCart(template: CompiledCoupon, facts: CheckoutFacts): TemplateOnCart {
  const { cart, priced } = facts;
  const failures: CouponFailure[] = [];
  const eligibleLines: number[] = [];
  let eligibleSubtotal = 0;
  let eligibleQuantity = 0;
  const scope = template.scope;
  const lines = cart.lines;
  for (let index = 0; index < lines.length; index++) {
    if (scope !== null && !inScope(scope, lines[index])) continue;
    eligibleLines.push(index);
    eligibleSubtotal += priced.lines[index].lineTotal.amount;
    eligibleQuantity += lines[index].quantity;
  }

  const channel = channelFailure(scope, cart.channel);
  if (channel !== null) failures.push(channel);
  if (eligibleLines.length === 0) {
    // No line is eligible, so there is a scope (an empty cart never gets here) and every line is outside it.
    failures.push({
      code: "NOT_IN_SCOPE",
      details: { lines: lines.map((line, index) => whyOutside(scope!, line, index)) },
      remedy: { actor: "member", action: "add_items" },
    });
  }
  const currency = (template.amountOff ?? template.maxOff ?? template.minAmount)?.currency ?? null;
  const currencyOk = currency === null || currency === priced.currency;
  const min = template.minAmount;
  // A minimum in another currency cannot be compared; CURRENCY_MISMATCH below says why.
  if (min !== null && currencyOk && eligibleSubtotal < min.amount) {
    const shortBy = money(min.amount - eligibleSubtotal, priced.currency);
    failures.push({
      code: "MIN_AMOUNT_NOT_MET",
      details: { required: min, actual: money(eligibleSubtotal, priced.currency), shortBy },
      remedy: { actor: "member", action: "add_items", amount: shortBy },
    });
  }
  const minQuantity = template.minQuantity;
  if (minQuantity !== null && eligibleQuantity < minQuantity) {
    const shortBy = minQuantity - eligibleQuantity;
    failures.push({
      code: "MIN_QUANTITY_NOT_MET",
      details: { required: minQuantity, actual: eligibleQuantity, shortBy },
      remedy: { actor: "member", action: "add_items", quantity: shortBy },
    });
  }
  if (!currencyOk) {
    failures.push({
      code: "CURRENCY_MISMATCH",
      details: { coupon: currency, cart: priced.currency },
      remedy: { actor: "member", action: "remove_coupon" },
    });
  }
  failures.push(...usageFailures(template, facts.usage));
  return {
    template,
    eligibleLines,
    eligibleSubtotal,
    eligibleQuantity,
    currency,
    saving: currencyOk ? couponSaving(template, eligibleSubtotal) : 0,
    capacity: capacityOf(template, facts.usage),
    failures,
  };
}

/** The coupon's own state: claim, use, lock, window and whether its template is still offered. */
function stateFailures(coupon: MemberCouponView, withdrawn: boolean, at: number): CouponFailure[] {
  const failures: CouponFailure[] = [];
  const expired = coupon.validUntil !== null && at >= coupon.validUntil;
  // A claim deadline that passed cannot be met by claiming: EXPIRED says it, not NOT_CLAIMED.
  if (coupon.status === "issued" && coupon.claimedAt === null && !expired) {
    const claimBy = coupon.validUntil === null ? null : isoTime(coupon.validUntil);
    failures.push({
      code: "NOT_CLAIMED",
      details: { claimBy },
      remedy: { actor: "member", action: "claim" },
    });
  }
  if (coupon.status === "used") {
    failures.push({ code: "ALREADY_USED", details: { orderRef: coupon.orderRef }, remedy: NONE });
  }
  if (coupon.status === "locked") {
    failures.push({ code: "LOCKED", details: { orderRef: coupon.orderRef }, remedy: NONE });
  }
  if (at < coupon.validFrom) {
    const validFrom = isoTime(coupon.validFrom);
    failures.push({
      code: "NOT_STARTED",
      details: { validFrom },
      remedy: { actor: "member", action: "wait", until: validFrom },
    });
  }
  if (expired || withdrawn) {
    const details: Record<string, unknown> = {};
    if (coupon.validUntil !== null) details.validUntil = isoTime(coupon.validUntil);
    if (withdrawn) details.withdrawn = true;
    if (expired && coupon.claimedAt === null) details.unclaimed = true;
    failures.push({ code: "EXPIRED", details, remedy: NONE });
  }
  return failures;
}

/** Every failure of one held coupon, in a fixed order; `onCart` is null when the template left the catalog. */
export function couponFailures(
  coupon: MemberCouponView,
  onCart: TemplateOnCart | null,
  facts: CheckoutFacts,
): CouponFailure[] {
  const failures = stateFailures(coupon, onCart === null, facts.at);
  if (onCart === null) return failures;
  const template = onCart.template;
  if (template.minTier !== null) {
    const required = facts.catalog.tiers.get(template.minTier);
    if (required !== undefined && (facts.tier === null || facts.tier.rank < required.rank)) {
      failures.push({
        code: "TIER_TOO_LOW",
        details: { required: required.code, current: facts.tier?.code ?? null },
        remedy: { actor: "member", action: "upgrade_tier" },
      });
    }
  }
  const hold = blockingHold(facts.snapshot.holds, coupon.benefit);
  if (hold !== null) failures.push({ code: "ACCOUNT_ON_HOLD", ...holdFailureParts(hold) });
  failures.push(...onCart.failures);
  return failures;
}
