/** What makes a cart one checkout can price: every problem at once, each at its path in the request body. */
import type { ErrorDetail } from "../errors.js";
import type { Cart } from "./coupon-types.js";

export const CART_LIMITS = {
  lines: 500,
  quantity: 1_000_000,
  /** A unit price, in minor units (¥100,000,000.00). */
  unitPrice: 10_000_000_000,
  /** The whole cart at list prices, in minor units: every sum and product stays exact in a double. */
  subtotal: 1_000_000_000_000_000,
} as const;

/** A cart problem; `code` says what kind, for clients that map problems onto their own fields. */
export interface CartProblem extends ErrorDetail {
  code:
    | "no_lines"
    | "too_many_lines"
    | "invalid_quantity"
    | "invalid_price"
    | "currency_mismatch"
    | "too_large";
}

/** Every problem of `cart` (paths under `/cart`); empty when evaluateCheckout may price it. */
export function validateCart(cart: Cart): CartProblem[] {
  const problems: CartProblem[] = [];
  const lines = cart.lines;
  if (lines.length === 0) {
    problems.push({ path: "/cart/lines", message: "must hold at least one line", code: "no_lines" });
  } else if (lines.length > CART_LIMITS.lines) {
    const message = `must hold at most ${CART_LIMITS.lines} lines (got ${lines.length})`;
    problems.push({ path: "/cart/lines", message, code: "too_many_lines" });
  }
  let currency: string | null = null;
  let subtotal = 0;
  lines.forEach((line, i) => {
    const at = `/cart/lines/${i}`;
    const { quantity, price } = line;
    const quantityOk = Number.isInteger(quantity) && quantity >= 1 && quantity <= CART_LIMITS.quantity;
    if (!quantityOk) {
      const message = `must be a whole number from 1 to ${CART_LIMITS.quantity.toLocaleString("en-US")}`;
      problems.push({ path: `${at}/quantity`, message, code: "invalid_quantity" });
    }
    const amountOk =
      Number.isInteger(price.amount) && price.amount >= 1 && price.amount <= CART_LIMITS.unitPrice;
    if (!amountOk) {
      const message = `must be a whole number of minor units from 1 to ${CART_LIMITS.unitPrice.toLocaleString("en-US")}`;
      problems.push({ path: `${at}/price/amount`, message, code: "invalid_price" });
    }
    if (currency === null) currency = price.currency;
    else if (price.currency !== currency) {
      const message = `currency "${price.currency}" differs from the first line's "${currency}": one cart, one currency`;
      problems.push({ path: `${at}/price/currency`, message, code: "currency_mismatch" });
    }
    if (quantityOk && amountOk) subtotal += price.amount * quantity;
  });
  if (subtotal > CART_LIMITS.subtotal) {
    const message = `the cart's total must not exceed ${CART_LIMITS.subtotal.toLocaleString("en-US")} minor units`;
    problems.push({ path: "/cart/lines", message, code: "too_large" });
  }
  return problems;
}
