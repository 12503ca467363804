import { describe, expect, it } from "vitest";
import type { CouponDoc, Locale } from "../catalog/catalog-types.js";
import { diagnoseCoupon, evaluateCheckout } from "./checkout-engine.js";
import {
  cart,
  checkoutCatalog,
  checkoutInput,
  FIXTURE_COUPONS,
  heldCoupon,
  hold,
  line,
  T,
  usage,
} from "./checkout-fixtures.js";
import { COUPON_MESSAGES } from "./coupon-messages.js";
import { both, catalog, codes, evaluate, SHANGHAI_END, vip } from "./coupon-reason-kit.js";
import { COUPON_REASON_CODES, COUPON_REMEDY_ACTIONS } from "./coupon-types.js";

describe("coupon reasons from the coupon's own state", () => {
  const c = cart([line("t1", "toys", 5000)], "official_app");

  it("NOT_CLAIMED: claim by the deadline", () => {
    const { en, zh } = both({ coupons: [heldCoupon("app_5_off", { claimedAt: null })], cart: c });
    expect(en.state).toBe("unclaimed");
    expect(en.reasons).toEqual([
      {
        code: "NOT_CLAIMED",
        message: `¥5 off in the app has not been claimed yet; claim it by ${SHANGHAI_END}.`,
        details: { claimBy: new Date(T.end).toISOString() },
        remedy: { actor: "member", action: "claim", message: "Claim ¥5 off in the app to use it." },
      },
    ]);
    expect(zh).toEqual([[`App立减5元尚未领取，请在${SHANGHAI_END}前领取`, "领取App立减5元后即可使用"]]);
  });

  it("ALREADY_USED and LOCKED name the order", () => {
    const used = both({ coupons: [heldCoupon("app_5_off", { status: "used", orderRef: "ord_7" })], cart: c });
    expect(used.en.state).toBe("used");
    expect(used.en.reasons).toEqual([
      {
        code: "ALREADY_USED",
        message: "¥5 off in the app was already used on order ord_7.",
        details: { orderRef: "ord_7" },
        remedy: { actor: "member", action: "none", message: "Choose another coupon." },
      },
    ]);
    expect(used.zh).toEqual([["App立减5元已在订单ord_7中使用", "请选择其他优惠券"]]);
    const locked = both({
      coupons: [heldCoupon("app_5_off", { status: "locked", orderRef: "ord_8" })],
      cart: c,
    });
    expect(locked.en.reasons).toEqual([
      {
        code: "LOCKED",
        message: "¥5 off in the app is held by order ord_8, which is not finished yet.",
        details: { orderRef: "ord_8" },
        remedy: {
          actor: "member",
          action: "none",
          message: "It comes back to you if that order is cancelled or refunded.",
        },
      },
    ]);
    expect(locked.zh).toEqual([["App立减5元已被未完成的订单ord_8占用", "该订单取消或退款后，优惠券将退回"]]);
  });

  it("NOT_STARTED: wait until it starts", () => {
    const from = T.now + 2 * T.day;
    const { en, zh } = both({ coupons: [heldCoupon("app_5_off", { validFrom: from })], cart: c });
    expect(en.reasons).toEqual([
      {
        code: "NOT_STARTED",
        message: "¥5 off in the app can be used from 2026-12-02 20:00 (Asia/Shanghai).",
        details: { validFrom: new Date(from).toISOString() },
        remedy: {
          actor: "member",
          action: "wait",
          until: new Date(from).toISOString(),
          message: "Use it from 2026-12-02 20:00 (Asia/Shanghai).",
        },
      },
    ]);
    expect(zh).toEqual([
      ["App立减5元将于2026-12-02 20:00 (Asia/Shanghai)起可用", "请于2026-12-02 20:00 (Asia/Shanghai)后使用"],
    ]);
  });

  it("EXPIRED: past its end, past its claim deadline (not NOT_CLAIMED then), or its template withdrawn", () => {
    const late = { over: { at: T.end + T.hour }, cart: c };
    const expired = both({ coupons: [heldCoupon("app_5_off")], ...late });
    expect(expired.en.state).toBe("expired");
    expect(expired.en.reasons).toEqual([
      {
        code: "EXPIRED",
        message: `¥5 off in the app expired on ${SHANGHAI_END}.`,
        details: { validUntil: new Date(T.end).toISOString() },
        remedy: { actor: "member", action: "none", message: "Choose another coupon." },
      },
    ]);
    expect(expired.zh[0][0]).toBe(`App立减5元已于${SHANGHAI_END}过期`);

    const unclaimed = both({ coupons: [heldCoupon("app_5_off", { claimedAt: null })], ...late });
    expect(codes(unclaimed.en)).toEqual(["EXPIRED"]);
    expect(unclaimed.en.reasons[0].details).toEqual({
      validUntil: new Date(T.end).toISOString(),
      unclaimed: true,
    });
    expect(unclaimed.en.reasons[0].message).toBe(
      `¥5 off in the app was not claimed in time; the claim deadline was ${SHANGHAI_END}.`,
    );

    const gone = both({ coupons: [heldCoupon("retired_coupon")], cart: c });
    expect(gone.en).toMatchObject({
      code: "retired_coupon",
      name: null,
      applicable: false,
      eligibleLines: [],
    });
    expect(gone.en.reasons).toEqual([
      {
        code: "EXPIRED",
        message: "retired_coupon is no longer offered.",
        details: { validUntil: new Date(T.end).toISOString(), withdrawn: true },
        remedy: { actor: "member", action: "none", message: "Choose another coupon." },
      },
    ]);
    expect(gone.zh[0][0]).toBe("retired_coupon已下线");
  });

  it("NOT_FOUND: the same answer for an id of nobody and an id of another member's coupon", () => {
    const mine = heldCoupon("app_5_off");
    const selected = [mine.id, "cpn_does_not_exist", "cpn_of_someone_else", "cpn_does_not_exist"];
    const run = (locale: Locale) =>
      evaluate({ coupons: [mine], cart: c, over: { selected } }, locale).coupons.slice(1);
    const [nobody, other] = run("en");
    expect(run("en")).toHaveLength(2);
    expect(nobody).toEqual({
      couponId: "cpn_does_not_exist",
      code: null,
      name: null,
      state: null,
      applicable: false,
      saving: { amount: 0, currency: "CNY" },
      eligibleLines: [],
      reasons: [
        {
          code: "NOT_FOUND",
          message: "This coupon is not one of your coupons.",
          details: {},
          remedy: { actor: "member", action: "remove_coupon", message: "Remove it from your order." },
        },
      ],
    });
    expect({ ...other, couponId: nobody.couponId }).toEqual(nobody);
    expect(run("zh-CN")[0].reasons[0].message).toBe("该优惠券不存在或不属于您");
  });
});

describe("a coupon failing several conditions lists every one, in a fixed order", () => {
  it("unclaimed, tier, hold, channel, scope, minimum, quantity and usage at once", () => {
    const strict: CouponDoc = {
      code: "strict",
      name: "Strict",
      amountOff: { amount: 2000, currency: "CNY" },
      conditions: {
        minAmount: { amount: 50000, currency: "CNY" },
        minQuantity: 5,
        minTier: "svip",
        scope: { categories: ["books"], channels: ["official_app"] },
      },
      limits: { perMember: 1 },
    };
    const withStrict = checkoutCatalog([...FIXTURE_COUPONS, strict]);
    const held = { ...vip, holds: [hold({ id: "hold_1" })] };
    const evaluation = evaluateCheckout(
      held,
      withStrict,
      checkoutInput({
        cart: cart([line("t1", "toys", 3000)], "official_web"),
        coupons: [heldCoupon("strict", { claimedAt: null, validFrom: T.now + T.day })],
        usage: usage({ strict: 1 }),
      }),
    );
    const [coupon] = evaluation.coupons;
    expect(codes(coupon)).toEqual([
      "NOT_CLAIMED",
      "NOT_STARTED",
      "TIER_TOO_LOW",
      "ACCOUNT_ON_HOLD",
      "CHANNEL_NOT_ELIGIBLE",
      "NOT_IN_SCOPE",
      "MIN_AMOUNT_NOT_MET",
      "MIN_QUANTITY_NOT_MET",
      "USAGE_LIMIT_REACHED",
    ]);
    expect(coupon.reasons.find((r) => r.code === "MIN_QUANTITY_NOT_MET")?.details).toEqual({
      required: 5,
      actual: 0,
      shortBy: 5,
    });
    expect(coupon).toMatchObject({ applicable: false, saving: { amount: 0 }, state: "unclaimed" });
    expect(evaluation.best.coupons).toEqual([]);
  });
});

describe("coupon messages", () => {
  it("has both locales for every reason code, and every remedy action is a known one", () => {
    for (const locale of ["en", "zh-CN"] as const) {
      expect(Object.keys(COUPON_MESSAGES[locale]).sort()).toEqual([...COUPON_REASON_CODES].sort());
    }
    const evaluation = evaluate({
      coupons: [
        ...FIXTURE_COUPONS.map((t) => heldCoupon(t.code)),
        heldCoupon("app_5_off", { status: "used" }),
      ],
    });
    for (const coupon of evaluation.coupons) {
      for (const r of coupon.reasons) {
        expect(COUPON_REMEDY_ACTIONS).toContain(r.remedy.action);
        expect(r.message.length).toBeGreaterThan(0);
        expect(r.remedy.message.length).toBeGreaterThan(0);
      }
    }
  });
});

describe("diagnoseCoupon: one coupon explained with the reasons checkout gives it", () => {
  it("lists the same reasons as the evaluation, never NOT_STACKABLE, and NOT_FOUND for a stranger's id", () => {
    const books = heldCoupon("books_20_off_100", { claimedAt: null });
    const exclusive = heldCoupon("any_9_off");
    const other = heldCoupon("three_items_10_off");
    const c = cart([line("b1", "books", 1000, 3)], "official_web");
    const input = {
      cart: c,
      coupons: [books, exclusive, other],
      usage: usage(),
      at: T.now,
      locale: "zh-CN" as const,
    };
    const evaluation = evaluateCheckout(vip, catalog, { ...input, selected: null });
    const booksDiagnosis = diagnoseCoupon(vip, catalog, { ...input, couponId: books.id });
    expect(booksDiagnosis.verdict).toBe("not_working");
    expect(booksDiagnosis.coupon).toEqual(evaluation.coupons[0]);
    expect(codes(booksDiagnosis.coupon)).toEqual(["NOT_CLAIMED", "MIN_AMOUNT_NOT_MET"]);
    // In checkout the exclusive coupon loses to the larger stack; alone it works.
    expect(codes(evaluation.coupons[1])).toEqual(["NOT_STACKABLE"]);
    expect(diagnoseCoupon(vip, catalog, { ...input, couponId: exclusive.id })).toMatchObject({
      verdict: "working",
      coupon: { couponId: exclusive.id, applicable: true, reasons: [] },
    });
    const stranger = diagnoseCoupon(vip, catalog, { ...input, couponId: "cpn_someone_elses" });
    expect(stranger.verdict).toBe("not_working");
    expect(stranger.coupon).toMatchObject({
      couponId: "cpn_someone_elses",
      code: null,
      reasons: [{ code: "NOT_FOUND" }],
    });
  });
});
