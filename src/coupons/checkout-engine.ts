/**
 * Checkout evaluation: member prices per line, every held (and selected) coupon with all that blocks
 * it, and the best combination of the selected coupons. Pure: a function of its arguments, no I/O,
 * no clock. The money arithmetic and its rounding are documented in checkout-money.ts.
 */
import type { CompiledCatalog, CompiledCoupon, LocalizedText } from "../catalog/catalog-types.js";
import type { MemberSnapshot } from "../engine/engine-types.js";
import { localize } from "../engine/message-format.js";
import {
  bestCombination,
  type CombinationCoupon,
  type CombinationProblem,
  type TemplateShares,
  templateShares,
} from "./best-combination.js";
import {
  type CheckoutFacts,
  type CouponFailure,
  couponFailures,
  currentTier,
  type TemplateOnCart,
  templateOnCart,
} from "./coupon-conditions.js";
import { type CouponMessageEnv, couponMessageEnv, couponReason } from "./coupon-messages.js";
import { couponState } from "./coupon-state.js";
import type {
  CheckoutEvaluation,
  CheckoutInput,
  CouponDiagnosis,
  CouponDiagnosisInput,
  CouponEvaluation,
  MemberCouponView,
} from "./coupon-types.js";
import { priceCart } from "./member-prices.js";

/** One held coupon on its own, before stacking. */
interface HeldCoupon {
  coupon: MemberCouponView;
  onCart: TemplateOnCart | null;
  failures: CouponFailure[];
}

/** A template's name, from the catalog or (for a template since withdrawn) the latest version that had it. */
function templateName(catalog: CompiledCatalog, code: string): LocalizedText | null {
  const template = catalog.coupons.get(code);
  if (template !== undefined) return template.name;
  const previous = catalog.history?.previous;
  if (previous === undefined) return null;
  const versions = [...previous.keys()].sort((a, b) => b - a);
  for (const v of versions) {
    const old = previous.get(v)!.coupons.get(code);
    if (old !== undefined) return old.name;
  }
  return null;
}

/** Why `held` cannot join `best`, or null when it could (it is then simply not needed). */
function stackingFailure(
  held: HeldCoupon,
  best: readonly HeldCoupon[],
  capacity: number,
): CouponFailure | null {
  if (best.length === 0) return null;
  const template = held.onCart!.template;
  const conflict = (rule: string, with_: readonly HeldCoupon[], extra: Record<string, unknown> = {}) => ({
    code: "NOT_STACKABLE" as const,
    details: { conflictsWith: with_.map((h) => h.coupon.id), rule, ...extra },
    remedy: { actor: "member" as const, action: "remove_coupon" as const },
  });
  if (template.exclusive) return conflict("exclusive", best);
  const exclusive = best.filter((h) => h.onCart!.template.exclusive);
  if (exclusive.length > 0) return conflict("exclusive_other", exclusive);
  const group = template.stackingGroup;
  const sameGroup = group === null ? [] : best.filter((h) => h.onCart!.template.stackingGroup === group);
  if (sameGroup.length > 0) return conflict("group", sameGroup, { group });
  const sameTemplate = best.filter((h) => h.coupon.template === template.code);
  if (sameTemplate.length >= capacity) return conflict("usage_limit", sameTemplate, { remaining: capacity });
  return null;
}

function combinationCoupon(held: HeldCoupon, listIndex: number): CombinationCoupon {
  const template: CompiledCoupon = held.onCart!.template;
  return {
    listIndex,
    template: template.code,
    expiresAt: held.coupon.validUntil ?? Number.POSITIVE_INFINITY,
    group: template.stackingGroup,
    exclusive: template.exclusive,
  };
}

/** Evaluates a valid cart (see validateCart) for the member at `input.at`. */
export function evaluateCheckout(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  input: CheckoutInput,
): CheckoutEvaluation {
  const { cart, at, locale } = input;
  const priced = priceCart(snapshot, catalog, cart, at, locale);
  const facts: CheckoutFacts = {
    snapshot,
    catalog,
    cart,
    priced,
    usage: input.usage,
    at,
    tier: currentTier(snapshot, catalog, at),
  };

  const onCartByCode = new Map<string, TemplateOnCart | null>();
  const held: HeldCoupon[] = input.coupons.map((coupon) => {
    let onCart = onCartByCode.get(coupon.template);
    if (onCart === undefined) {
      const template = catalog.coupons.get(coupon.template);
      onCart = template === undefined ? null : templateOnCart(template, facts);
      onCartByCode.set(coupon.template, onCart);
    }
    return { coupon, onCart, failures: couponFailures(coupon, onCart, facts) };
  });

  // The search: usable coupons among those the member selected (all of them when none are).
  const selected = input.selected === null ? null : new Set(input.selected);
  const lineTotals = priced.lines.map((l) => l.lineTotal.amount);
  const templates = new Map<string, TemplateShares>();
  const candidates: number[] = [];
  const problemCoupons: CombinationCoupon[] = [];
  held.forEach((h, i) => {
    if (h.failures.length > 0 || (selected !== null && !selected.has(h.coupon.id))) return;
    const t = h.onCart!;
    if (!templates.has(t.template.code)) {
      templates.set(t.template.code, templateShares(t.saving, t.eligibleLines, lineTotals, t.capacity));
    }
    candidates.push(i);
    problemCoupons.push(combinationCoupon(h, i));
  });
  const problem: CombinationProblem = { lineTotals, coupons: problemCoupons, templates };
  const combination = bestCombination(problem);
  const bestHeld = combination.coupons.map((k) => held[candidates[k]]);
  const inBest = new Set(bestHeld);

  const nameOf = new Map<string, string | null>();
  const knownName = (code: string) => {
    let name = nameOf.get(code);
    if (name === undefined) {
      const text = templateName(catalog, code);
      name = text === null ? null : localize(text, locale);
      nameOf.set(code, name);
    }
    return name;
  };
  const couponName = (code: string) => knownName(code) || code;
  const heldById = new Map(input.coupons.map((c) => [c.id, c]));
  const couponNames = (ids: readonly string[]) => [
    ...new Set(ids.map((id) => couponName(heldById.get(id)?.template ?? id))),
  ];
  const baseEnv = couponMessageEnv(locale, snapshot.timezone, catalog, couponNames);

  const coupons: CouponEvaluation[] = held.map((h) => {
    const code = h.coupon.template;
    const usable = h.failures.length === 0;
    const failures =
      usable && !inBest.has(h)
        ? [stackingFailure(h, bestHeld, h.onCart!.capacity)].filter((f) => f !== null)
        : h.failures;
    const env = { ...baseEnv, benefit: couponName(code) };
    return {
      couponId: h.coupon.id,
      code,
      name: knownName(code),
      state: couponState(h.coupon, at),
      applicable: failures.length === 0,
      saving: { amount: usable ? h.onCart!.saving : 0, currency: priced.currency },
      eligibleLines: h.onCart?.eligibleLines ?? [],
      reasons: failures.map((f) => couponReason(f, env)),
    };
  });
  if (input.selected !== null) {
    const seen = new Set<string>();
    for (const id of input.selected) {
      if (heldById.has(id) || seen.has(id)) continue;
      seen.add(id);
      coupons.push(notFound(id, baseEnv, priced.currency));
    }
  }

  return {
    memberId: snapshot.memberId,
    currency: priced.currency,
    lines: priced.lines,
    listSubtotal: { amount: priced.listSubtotal, currency: priced.currency },
    memberSubtotal: { amount: priced.memberSubtotal, currency: priced.currency },
    coupons,
    best: {
      coupons: bestHeld.map((h) => h.coupon.id),
      saving: { amount: combination.value, currency: priced.currency },
      total: { amount: priced.memberSubtotal - combination.value, currency: priced.currency },
    },
  };
}

/**
 * Why one coupon does or does not apply to the cart (the diagnosis link): the coupon evaluated with
 * only itself selected, so its reasons are exactly those checkout evaluation gives it, without
 * NOT_STACKABLE. An id that is not the member's answers NOT_FOUND, as in checkout.
 */
export function diagnoseCoupon(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  input: CouponDiagnosisInput,
): CouponDiagnosis {
  const { couponId, ...rest } = input;
  const held = input.coupons.filter((c) => c.id === couponId);
  const evaluation = evaluateCheckout(snapshot, catalog, { ...rest, coupons: held, selected: [couponId] });
  const coupon = evaluation.coupons[0];
  return { verdict: coupon.applicable ? "working" : "not_working", coupon };
}

/** The answer for an id that is not the member's: the same whether such a coupon exists or not. */
function notFound(id: string, env: CouponMessageEnv, currency: string): CouponEvaluation {
  const failure: CouponFailure = {
    code: "NOT_FOUND",
    details: {},
    remedy: { actor: "member", action: "remove_coupon" },
  };
  return {
    couponId: id,
    code: null,
    name: null,
    state: null,
    applicable: false,
    saving: { amount: 0, currency },
    eligibleLines: [],
    reasons: [couponReason(failure, env)],
  };
}
