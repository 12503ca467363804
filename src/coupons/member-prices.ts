/**
 * Member prices per cart line: every `discount` benefit of the catalog is decided for each line by the
 * pure decide() (the line's product and the cart's channel as context); the allowed one that saves
 * the most prices the line, and each of the others says why it did not.
 */
import type { CompiledBenefit, CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import { decide } from "../engine/decide.js";
import type { Decision, DecisionContext, MemberSnapshot, ReasonCode } from "../engine/engine-types.js";
import { formatMoney, localize } from "../engine/message-format.js";
import { RULES } from "../engine/rules/rule-registry.js";
import { discountOff } from "./checkout-money.js";
import type { Cart, LineDiscountReason, LineEvaluation } from "./coupon-types.js";

/** Advisories (a stale client cache, a grace period) ride along with decisions; they price nothing. */
const ADVISORY_CODES: ReadonlySet<ReasonCode> = new Set(
  RULES.filter((rule) => !rule.blocking).flatMap((rule) => rule.reasons),
);

export interface PricedCart {
  currency: string;
  lines: LineEvaluation[];
  listSubtotal: number;
  memberSubtotal: number;
}

const discountBenefitsOf = new WeakMap<CompiledCatalog, readonly CompiledBenefit[]>();

/** The catalog's discount benefits in document order, computed once per compiled catalog. */
function discountBenefits(catalog: CompiledCatalog): readonly CompiledBenefit[] {
  let list = discountBenefitsOf.get(catalog);
  if (list === undefined) {
    list = [...catalog.benefits.values()].filter((b) => b.kind === "discount" && b.discount !== null);
    discountBenefitsOf.set(catalog, list);
  }
  return list;
}

/** Off one unit of `price` by an allowed benefit; null when its amount is in another currency. */
function unitSavingOf(benefit: CompiledBenefit, price: number, currency: string): number | null {
  const d = benefit.discount!;
  const foreign = [d.amountOff, d.maxOff].some((m) => m !== undefined && m.currency !== currency);
  if (foreign) return null;
  return discountOff(price, d.percentOff ?? null, d.amountOff?.amount ?? null, d.maxOff?.amount ?? null);
}

function currencyReason(benefit: CompiledBenefit, currency: string, locale: Locale): LineDiscountReason {
  const d = benefit.discount!;
  const money = (d.amountOff ?? d.maxOff)!;
  const name = localize(benefit.name, locale);
  const message =
    locale === "zh-CN"
      ? `${name}以${money.currency}计价（${formatMoney(money)}），不适用于${currency}结算的订单`
      : `${name} is set in ${money.currency} (${formatMoney(money)}) and does not apply to a cart in ${currency}.`;
  return {
    benefit: benefit.code,
    code: "CURRENCY_MISMATCH",
    message,
    details: { benefit: money.currency, cart: currency },
  };
}

function deniedReasons(decision: Decision): LineDiscountReason[] {
  const reasons: LineDiscountReason[] = [];
  for (const r of decision.reasons) {
    if (ADVISORY_CODES.has(r.code)) continue;
    reasons.push({ benefit: decision.benefit, code: r.code, message: r.message, details: r.details });
  }
  return reasons;
}

/** Prices every line of a valid cart (see validateCart) for the member at `at`. */
export function priceCart(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  cart: Cart,
  at: number,
  locale: Locale,
): PricedCart {
  const benefits = discountBenefits(catalog);
  const currency = cart.lines[0].price.currency;
  const lines: LineEvaluation[] = [];
  let listSubtotal = 0;
  let memberSubtotal = 0;
  cart.lines.forEach((line, index) => {
    const price = line.price.amount;
    const ctx: DecisionContext = {
      at,
      locale,
      channel: cart.channel,
      product: { id: line.productId, category: line.category, onSale: line.onSale },
    };
    let chosen: string | null = null;
    let unitSaving = 0;
    const reasons: LineDiscountReason[] = [];
    for (const benefit of benefits) {
      const decision = decide(snapshot, catalog, benefit.code, ctx);
      if (!decision.allowed) {
        reasons.push(...deniedReasons(decision));
        continue;
      }
      const saving = unitSavingOf(benefit, price, currency);
      if (saving === null) reasons.push(currencyReason(benefit, currency, locale));
      // Strictly larger: on a tie the benefit listed first in the catalog keeps the line.
      else if (chosen === null || saving > unitSaving) {
        chosen = benefit.code;
        unitSaving = saving;
      }
    }
    const memberUnitPrice = price - unitSaving;
    const lineTotal = memberUnitPrice * line.quantity;
    listSubtotal += price * line.quantity;
    memberSubtotal += lineTotal;
    lines.push({
      index,
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: line.price,
      memberUnitPrice: { amount: memberUnitPrice, currency },
      lineTotal: { amount: lineTotal, currency },
      discount: { benefit: chosen, unitSaving: { amount: unitSaving, currency }, reasons },
    });
  });
  return { currency, lines, listSubtotal, memberSubtotal };
}
