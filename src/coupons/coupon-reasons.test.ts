import { describe, expect, it } from "vitest";
import type { CouponDoc, Locale } from "../catalog/catalog-types.js";
import { evaluateCheckout } from "./checkout-engine.js";
import {
  activeMember,
  cart,
  checkoutCatalog,
  checkoutInput,
  FIXTURE_COUPONS,
  heldCoupon,
  hold,
  line,
  snapshot,
  T,
  usage,
} from "./checkout-fixtures.js";
import { booksCart, both, catalog, codes, evaluate, vip } from "./coupon-reason-kit.js";

describe("coupon reasons: each with its details, remedy and words in both locales", () => {
  it("MIN_AMOUNT_NOT_MET: the eligible subtotal at member prices, what is short, and add_items", () => {
    const { en, zh } = both({ coupons: [heldCoupon("books_20_off_100")] });
    expect(en.applicable).toBe(false);
    expect(en.saving).toEqual({ amount: 0, currency: "CNY" });
    expect(en.eligibleLines).toEqual([0]);
    expect(en.reasons).toEqual([
      {
        code: "MIN_AMOUNT_NOT_MET",
        message: "¥20 off ¥100 of books needs ¥100.00 of eligible items; you have ¥88.00.",
        details: {
          required: { amount: 10000, currency: "CNY" },
          actual: { amount: 8800, currency: "CNY" },
          shortBy: { amount: 1200, currency: "CNY" },
        },
        remedy: {
          actor: "member",
          action: "add_items",
          amount: { amount: 1200, currency: "CNY" },
          message: "Add ¥12.00 more of eligible items.",
        },
      },
    ]);
    expect(zh).toEqual([["图书满100减20需适用商品满¥100.00，当前为¥88.00", "再买¥12.00的适用商品即可使用"]]);
  });

  it("MIN_QUANTITY_NOT_MET: how many more eligible items", () => {
    const c = cart([line("b1", "books", 1000, 2)], "official_web");
    const { en, zh } = both({ coupons: [heldCoupon("three_items_10_off")], cart: c });
    expect(en.reasons).toEqual([
      {
        code: "MIN_QUANTITY_NOT_MET",
        message: "10% off 3 items needs at least 3 eligible items; you have 2.",
        details: { required: 3, actual: 2, shortBy: 1 },
        remedy: { actor: "member", action: "add_items", quantity: 1, message: "Add 1 more eligible item." },
      },
    ]);
    expect(zh).toEqual([["任选3件9折需购买至少3件适用商品，当前为2件", "再买1件适用商品即可使用"]]);
  });

  it("NOT_IN_SCOPE: every line with the dimension that excludes it; partial scope lists the eligible lines", () => {
    const c = cart(
      [line("t1", "toys", 20000), line("b1", "books", 20000, 1, true), line("x1", undefined, 20000)],
      "official_web",
    );
    const { en, zh } = both({ coupons: [heldCoupon("books_20_off_100")], cart: c });
    expect(codes(en)).toEqual(["NOT_IN_SCOPE", "MIN_AMOUNT_NOT_MET"]);
    expect(en.eligibleLines).toEqual([]);
    expect(en.reasons[0]).toEqual({
      code: "NOT_IN_SCOPE",
      message: "¥20 off ¥100 of books does not apply to any item in your cart.",
      details: {
        lines: [
          {
            index: 0,
            productId: "t1",
            dimension: "category",
            rule: "allow",
            expected: ["books"],
            actual: "toys",
          },
          {
            index: 1,
            productId: "b1",
            dimension: "sale_item",
            rule: "exclude",
            expected: false,
            actual: true,
          },
          {
            index: 2,
            productId: "x1",
            dimension: "category",
            rule: "allow",
            expected: ["books"],
            actual: null,
          },
        ],
      },
      remedy: { actor: "member", action: "add_items", message: "Add items from books to use it." },
    });
    expect(en.reasons[1].details.actual).toEqual({ amount: 0, currency: "CNY" });
    expect(zh[0]).toEqual(["图书满100减20不适用于购物车中的任何商品", "添加「books」类商品后即可使用"]);

    const mixed = cart([line("t1", "toys", 5000), line("b1", "books", 12000)], "official_web");
    const applies = evaluate({ coupons: [heldCoupon("books_20_off_100")], cart: mixed }).coupons[0];
    expect(applies).toMatchObject({ applicable: true, eligibleLines: [1], reasons: [] });
    expect(applies.saving).toEqual({ amount: 2000, currency: "CNY" });
  });

  it("CHANNEL_NOT_ELIGIBLE: the allowed channels, or the excluded one", () => {
    const { en, zh } = both({ coupons: [heldCoupon("app_5_off")] });
    expect(en.reasons).toEqual([
      {
        code: "CHANNEL_NOT_ELIGIBLE",
        message: "¥5 off in the app can only be used through the official app, not the official website.",
        details: { channel: "official_web", allowed: ["official_app"] },
        remedy: { actor: "member", action: "change_channel", message: "Check out through the official app." },
      },
    ]);
    expect(zh).toEqual([["App立减5元仅限官方App使用，当前为官网", "请在官方App下单"]]);

    const notPartners: CouponDoc = {
      code: "no_partners",
      name: { en: "Direct only", "zh-CN": "官方专享" },
      amountOff: { amount: 300, currency: "CNY" },
      conditions: { scope: { excludeChannels: ["partner:shady"] } },
    };
    const withExclusion = checkoutCatalog([...FIXTURE_COUPONS, notPartners]);
    const run = (locale: Locale) =>
      evaluateCheckout(
        vip,
        withExclusion,
        checkoutInput({
          cart: cart([line("b1", "books", 1000)], "partner:shady"),
          coupons: [heldCoupon("no_partners")],
          locale,
        }),
      ).coupons[0].reasons[0];
    expect(run("en")).toEqual({
      code: "CHANNEL_NOT_ELIGIBLE",
      message: "Direct only cannot be used through partner channel shady.",
      details: { channel: "partner:shady", excluded: ["partner:shady"] },
      remedy: { actor: "member", action: "change_channel", message: "Check out through another channel." },
    });
    expect([run("zh-CN").message, run("zh-CN").remedy.message]).toEqual([
      "官方专享不能在合作渠道「shady」使用",
      "请更换下单渠道",
    ]);
  });

  it("TIER_TOO_LOW: the tier required and the member's own (null for none)", () => {
    const { en, zh } = both({ coupons: [heldCoupon("svip_15_off")] });
    expect(en.reasons).toEqual([
      {
        code: "TIER_TOO_LOW",
        message: "15% off for SVIP is for SVIP members and above; you are VIP.",
        details: { required: "svip", current: "vip" },
        remedy: { actor: "member", action: "upgrade_tier", message: "Upgrade to SVIP to use it." },
      },
    ]);
    expect(zh).toEqual([
      ["超级会员85折仅限超级会员及以上会员使用，您当前为VIP会员", "升级为超级会员即可使用"],
    ]);
    const none = both({ coupons: [heldCoupon("svip_15_off")], member: snapshot() });
    expect(none.en.reasons[0].details).toEqual({ required: "svip", current: null });
    expect(none.en.reasons[0].message).toBe(
      "15% off for SVIP is for SVIP members and above; you are not a member.",
    );
    expect(none.zh[0][0]).toBe("超级会员85折仅限超级会员及以上会员使用，您还不是会员");
    // The highest tier in force counts: an SVIP membership beside the VIP one.
    const svip = activeMember(catalog, "svip");
    const twoTiers = { ...vip, memberships: [...vip.memberships, ...svip.memberships] };
    expect(evaluate({ coupons: [heldCoupon("svip_15_off")], member: twoTiers }).coupons[0].applicable).toBe(
      true,
    );
  });

  it("ACCOUNT_ON_HOLD: a hold on every benefit or on the issuing one; remedy by how it clears", () => {
    const onAll = { ...vip, holds: [hold({ id: "hold_1" })] };
    const { en, zh } = both({
      coupons: [heldCoupon("app_5_off")],
      member: onAll,
      cart: cart(booksCart.lines),
    });
    expect(en.reasons).toEqual([
      {
        code: "ACCOUNT_ON_HOLD",
        message:
          "¥5 off in the app cannot be used while your account is on hold because of the account being used on a shared device.",
        details: {
          holdId: "hold_1",
          holdReason: "shared_device",
          placedAt: new Date(T.now - T.hour).toISOString(),
          clearMethod: "verify_identity",
        },
        remedy: {
          actor: "member",
          action: "verify_identity",
          message: "Verify your identity to lift the hold.",
        },
      },
    ]);
    expect(zh).toEqual([
      ["因账号存在多设备共享，您的账号已被暂停权益，App立减5元暂不可用", "完成身份验证即可恢复"],
    ]);

    const appCart = cart(booksCart.lines);
    const onPack = {
      ...vip,
      holds: [hold({ id: "h2", benefits: ["monthly_coupons"], clearMethod: "agent", reason: "chargeback" })],
    };
    const agent = evaluate({ coupons: [heldCoupon("app_5_off")], member: onPack, cart: appCart }).coupons[0];
    expect(agent.reasons[0].remedy).toEqual({
      actor: "support",
      action: "contact_support",
      message: "Contact support: an agent reviews the hold.",
    });
    // A hold on another benefit, or on the pack for a coupon an operator issued, does not block it.
    const elsewhere = { ...vip, holds: [hold({ id: "h3", benefits: ["vip_zone"] })] };
    expect(
      evaluate({ coupons: [heldCoupon("app_5_off")], member: elsewhere, cart: appCart }).coupons[0]
        .applicable,
    ).toBe(true);
    const operatorIssued = heldCoupon("app_5_off", { benefit: null });
    expect(evaluate({ coupons: [operatorIssued], member: onPack, cart: appCart }).coupons[0].applicable).toBe(
      true,
    );
  });

  it("CURRENCY_MISMATCH: the coupon's currency and the cart's", () => {
    const { en, zh } = both({ coupons: [heldCoupon("usd_5_off")] });
    expect(en.reasons).toEqual([
      {
        code: "CURRENCY_MISMATCH",
        message: "$5 off is in USD and cannot be used on a cart in CNY.",
        details: { coupon: "USD", cart: "CNY" },
        remedy: { actor: "member", action: "remove_coupon", message: "Remove it from your order." },
      },
    ]);
    expect(zh).toEqual([["立减5美元以USD计价，不能用于CNY结算的订单", "请从订单中移除该优惠券"]]);
  });

  it("USAGE_LIMIT_REACHED: per member and overall, both when both are reached", () => {
    const c = cart([line("b1", "books", 20000)], "official_web");
    const used = usage({ books_20_off_100: 1 }, { books_20_off_100: 100000 });
    const { en, zh } = both({ coupons: [heldCoupon("books_20_off_100")], cart: c, over: { usage: used } });
    expect(en.reasons).toEqual([
      {
        code: "USAGE_LIMIT_REACHED",
        message: "You have used ¥20 off ¥100 of books 1 time, the limit per member (1).",
        details: { scope: "member", limit: 1, used: 1 },
        remedy: { actor: "member", action: "none", message: "Choose another coupon." },
      },
      {
        code: "USAGE_LIMIT_REACHED",
        message: "¥20 off ¥100 of books has reached its overall limit of 100000 uses.",
        details: { scope: "total", limit: 100000, used: 100000 },
        remedy: { actor: "member", action: "none", message: "Choose another coupon." },
      },
    ]);
    expect(zh.map((z) => z[0])).toEqual([
      "图书满100减20每人限用1次，您已使用1次",
      "图书满100减20已达总使用上限（100000次）",
    ]);
    const fine = evaluate({
      coupons: [heldCoupon("books_20_off_100")],
      cart: c,
      over: { usage: usage({ books_20_off_100: 0 }, { books_20_off_100: 99999 }) },
    });
    expect(fine.coupons[0].applicable).toBe(true);
  });
});
