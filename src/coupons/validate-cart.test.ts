import { describe, expect, it } from "vitest";
import { cart, line } from "./checkout-fixtures.js";
import type { CartLine } from "./coupon-types.js";
import { CART_LIMITS, validateCart } from "./validate-cart.js";

describe("validateCart", () => {
  it("accepts a sound cart", () => {
    expect(validateCart(cart([line("b1", "books", 6000, 2), line("t1", undefined, 1, 1, true)]))).toEqual([]);
  });

  it("lists every problem at once, each at its path", () => {
    const lines: CartLine[] = [
      line("b1", "books", 6000, 0),
      line("b2", "books", 0, 1.5),
      { productId: "b3", price: { amount: 12.5, currency: "USD" }, quantity: -1 },
      line("b4", "books", CART_LIMITS.unitPrice + 1, CART_LIMITS.quantity + 1),
    ];
    expect(validateCart(cart(lines)).map((p) => `${p.code} ${p.path}`)).toEqual([
      "invalid_quantity /cart/lines/0/quantity",
      "invalid_quantity /cart/lines/1/quantity",
      "invalid_price /cart/lines/1/price/amount",
      "invalid_quantity /cart/lines/2/quantity",
      "invalid_price /cart/lines/2/price/amount",
      "currency_mismatch /cart/lines/2/price/currency",
      "invalid_quantity /cart/lines/3/quantity",
      "invalid_price /cart/lines/3/price/amount",
    ]);
    const [mismatch] = validateCart(cart(lines)).filter((p) => p.code === "currency_mismatch");
    expect(mismatch.message).toBe(
      'currency "USD" differs from the first line\'s "CNY": one cart, one currency',
    );
  });

  it("refuses an empty cart and one of more than 500 lines", () => {
    expect(validateCart(cart([]))).toEqual([
      { path: "/cart/lines", message: "must hold at least one line", code: "no_lines" },
    ]);
    const many = Array.from({ length: 501 }, (_, i) => line(`p${i}`, "books", 100));
    expect(validateCart(cart(many))).toEqual([
      { path: "/cart/lines", message: "must hold at most 500 lines (got 501)", code: "too_many_lines" },
    ]);
    expect(validateCart(cart(many.slice(0, 500)))).toEqual([]);
  });

  it("refuses a cart whose total would leave exact integer arithmetic", () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      line(`p${i}`, "books", CART_LIMITS.unitPrice, CART_LIMITS.quantity),
    );
    expect(validateCart(cart(lines)).map((p) => p.code)).toEqual(["too_large"]);
  });
});
