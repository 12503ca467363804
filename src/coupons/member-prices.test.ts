import { describe, expect, it } from "vitest";
import type { BenefitDoc } from "../catalog/catalog-types.js";
import { evaluateCheckout } from "./checkout-engine.js";
import {
  activeMember,
  cart,
  checkoutCatalog,
  checkoutDocument,
  checkoutInput,
  compileFixture,
  line,
  snapshot,
  T,
} from "./checkout-fixtures.js";
import type { Cart } from "./coupon-types.js";

const catalog = checkoutCatalog();
const vip = activeMember(catalog, "vip");
const linesOf = (c: Cart, member = vip, at = T.now, locale: "en" | "zh-CN" = "en") =>
  evaluateCheckout(member, catalog, checkoutInput({ cart: c, at, locale })).lines;

describe("member prices per line", () => {
  it("takes a percent off (floored) where the discount benefit applies, with the benefit named", () => {
    const [book] = linesOf(cart([line("b1", "books", 1999, 3)], "official_web"));
    expect(book).toMatchObject({
      index: 0,
      productId: "b1",
      quantity: 3,
      unitPrice: { amount: 1999, currency: "CNY" },
      // 5 % of 19.99 is 0.9995: floored to 0.99
      memberUnitPrice: { amount: 1900, currency: "CNY" },
      lineTotal: { amount: 5700, currency: "CNY" },
      discount: { benefit: "member_discount", unitSaving: { amount: 99, currency: "CNY" } },
    });
    expect(book.discount.reasons.map((r) => [r.benefit, r.code, r.details.dimension])).toEqual([
      ["app_exclusive", "OUT_OF_SCOPE", "channel"],
    ]);
  });

  it("takes an amount off, never below zero, and the largest saving wins", () => {
    const [book, cheap] = linesOf(cart([line("b1", "books", 6000), line("t1", "toys", 800)]));
    // In the app, ¥12 off beats 5 % of ¥60.
    expect(book.discount.benefit).toBe("app_exclusive");
    expect(book.memberUnitPrice.amount).toBe(4800);
    expect(book.discount.reasons).toEqual([]);
    // ¥12 off an ¥8 item: the item is free, not negative.
    expect(cheap.memberUnitPrice.amount).toBe(0);
    expect(cheap.discount.unitSaving.amount).toBe(800);
    expect(cheap.discount.reasons.map((r) => `${r.benefit} ${r.code}`)).toEqual([
      "member_discount OUT_OF_SCOPE",
    ]);
  });

  it("caps a percent by maxOff; on equal savings the benefit listed first in the catalog wins", () => {
    const capped: BenefitDoc = {
      code: "half_price_capped",
      kind: "discount",
      name: "Half price, up to ¥10",
      discount: { percentOff: 50, maxOff: { amount: 1000, currency: "CNY" } },
    };
    const same: BenefitDoc = {
      ...capped,
      code: "also_ten",
      discount: { amountOff: { amount: 1000, currency: "CNY" } },
    };
    const doc = checkoutDocument();
    doc.benefits.push(capped, same);
    doc.tiers = doc.tiers.map((t) =>
      t.code === "vip" ? { ...t, benefits: [...t.benefits, capped.code, same.code] } : t,
    );
    const withCap = compileFixture(doc);
    const member = activeMember(withCap, "vip");
    const [big, small] = evaluateCheckout(
      member,
      withCap,
      checkoutInput({ cart: cart([line("x1", "toys", 10000), line("x2", "toys", 1500)], "official_web") }),
    ).lines;
    expect(big.discount).toMatchObject({ benefit: "half_price_capped", unitSaving: { amount: 1000 } });
    expect(small.discount).toMatchObject({ benefit: "also_ten", unitSaving: { amount: 1000 } });
  });

  it("excludes sale items, with the decision's reason in both locales", () => {
    const c = cart([line("b1", "books", 3000, 1, true)], "official_web");
    const [en] = linesOf(c);
    expect(en.memberUnitPrice.amount).toBe(3000);
    expect(en.discount.benefit).toBeNull();
    expect(en.discount.reasons[0]).toEqual({
      benefit: "member_discount",
      code: "OUT_OF_SCOPE",
      message: "Member discount does not apply to items on sale.",
      details: { dimension: "sale_item", rule: "exclude", expected: false, actual: true },
    });
    const [zh] = linesOf(c, vip, T.now, "zh-CN");
    expect(zh.discount.reasons[0].message).toBe("会员折扣不适用于特价商品");
  });

  it("gives a non-member list prices, each discount benefit saying NO_MEMBERSHIP", () => {
    const stranger = snapshot({ memberId: "m2" });
    const evaluation = evaluateCheckout(
      stranger,
      catalog,
      checkoutInput({ cart: cart([line("b1", "books", 6000)]), locale: "zh-CN" }),
    );
    const [book] = evaluation.lines;
    expect(book.memberUnitPrice.amount).toBe(6000);
    expect(book.discount.reasons.map((r) => `${r.benefit} ${r.code}`)).toEqual([
      "member_discount NO_MEMBERSHIP",
      "app_exclusive NO_MEMBERSHIP",
    ]);
    expect(book.discount.reasons[0].message).toContain("开通会员后即可使用");
    expect(evaluation.listSubtotal).toEqual({ amount: 6000, currency: "CNY" });
    expect(evaluation.memberSubtotal).toEqual({ amount: 6000, currency: "CNY" });
  });

  it("does not price a line before the discount takes effect (next_day)", () => {
    const [book] = linesOf(cart([line("b1", "books", 6000)], "official_web"), vip, T.start + T.hour);
    expect(book.discount.benefit).toBeNull();
    expect(book.discount.reasons[0]).toMatchObject({ benefit: "member_discount", code: "NOT_YET_EFFECTIVE" });
  });

  it("skips an amount-off benefit set in another currency, saying so", () => {
    const [line0] = evaluateCheckout(
      vip,
      catalog,
      checkoutInput({
        cart: {
          lines: [
            { productId: "b1", category: "books", price: { amount: 6000, currency: "USD" }, quantity: 1 },
          ],
          channel: "official_app",
        },
      }),
    ).lines;
    expect(line0.discount.benefit).toBe("member_discount");
    expect(line0.discount.reasons).toEqual([
      {
        benefit: "app_exclusive",
        code: "CURRENCY_MISMATCH",
        message: "App-only price is set in CNY (¥12.00) and does not apply to a cart in USD.",
        details: { benefit: "CNY", cart: "USD" },
      },
    ]);
  });

  it("sums list and member subtotals", () => {
    const evaluation = evaluateCheckout(
      vip,
      catalog,
      checkoutInput({
        cart: cart([line("b1", "books", 2000, 2), line("t1", "toys", 500, 3)], "official_web"),
      }),
    );
    expect(evaluation.listSubtotal.amount).toBe(5500);
    expect(evaluation.memberSubtotal.amount).toBe(1900 * 2 + 1500);
    expect(evaluation.best).toEqual({
      coupons: [],
      saving: { amount: 0, currency: "CNY" },
      total: { amount: 5300, currency: "CNY" },
    });
  });
});
