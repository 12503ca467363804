import { describe, expect, it } from "vitest";
import type { CouponDoc, Locale } from "../catalog/catalog-types.js";
import { evaluateCheckout } from "./checkout-engine.js";
import {
  activeMember,
  cart,
  checkoutCatalog,
  checkoutInput,
  heldCoupon,
  line,
  T,
  usage,
} from "./checkout-fixtures.js";
import type { CheckoutInput, CouponEvaluation, MemberCouponView } from "./coupon-types.js";

const CNY = (amount: number) => ({ amount, currency: "CNY" });
const percent = (code: string, percentOff: number, stacking: CouponDoc["stacking"] = {}): CouponDoc => ({
  code,
  name: { en: code, "zh-CN": `券${code}` },
  percentOff,
  stacking,
});
const amount = (code: string, off: number, over: Partial<CouponDoc> = {}): CouponDoc => ({
  code,
  name: { en: code, "zh-CN": `券${code}` },
  amountOff: CNY(off),
  ...over,
});

function run(templates: CouponDoc[], coupons: MemberCouponView[], over: Partial<CheckoutInput> = {}) {
  const catalog = checkoutCatalog(templates);
  const member = activeMember(catalog, "vip");
  const input = checkoutInput({
    cart: cart([line("t1", "toys", 10000), line("t2", "toys", 10000)], "official_web"),
    coupons,
    ...over,
  });
  return evaluateCheckout(member, catalog, input);
}

const byId = (coupons: CouponEvaluation[], id: string) => coupons.find((c) => c.couponId === id)!;

describe("best combination", () => {
  it("is optimal where a greedy choice is not: two stackable coupons beat the largest exclusive one", () => {
    const templates = [
      percent("big_exclusive", 30, { exclusive: true }),
      percent("a20", 20, { group: "a" }),
      percent("b20", 20, { group: "b" }),
    ];
    const [big, a, b] = templates.map((t) => heldCoupon(t.code));
    const evaluation = run(templates, [big, a, b]);
    // Greedy: take the largest single saving, then whatever still combines with it.
    const savings = evaluation.coupons.map((c) => c.saving.amount);
    expect(savings).toEqual([6000, 4000, 4000]);
    const greedy = Math.max(...savings); // big_exclusive combines with nothing
    expect(greedy).toBe(6000);
    expect(evaluation.best).toEqual({ coupons: [a.id, b.id], saving: CNY(8000), total: CNY(12000) });
    expect(byId(evaluation.coupons, big.id)).toMatchObject({
      applicable: false,
      saving: CNY(6000),
      reasons: [{ code: "NOT_STACKABLE", details: { conflictsWith: [a.id, b.id], rule: "exclusive" } }],
    });
    expect(byId(evaluation.coupons, a.id)).toMatchObject({ applicable: true, reasons: [] });
  });

  it("is optimal where a greedy choice within a group is not: the smaller coupon leaves room for another", () => {
    // Group "a" offers ¥100 on the books line or ¥70 on anything; "b" offers ¥60 on the books line.
    // The books line is ¥95 at member price: greedy takes ¥100 (capped at ¥95 by the line) and b adds nothing.
    const templates = [
      amount("books_100", 10000, {
        conditions: { scope: { categories: ["books"] } },
        stacking: { group: "a" },
      }),
      amount("any_70", 7000, { stacking: { group: "a" } }),
      amount("books_60", 6000, {
        conditions: { scope: { categories: ["books"] } },
        stacking: { group: "b" },
      }),
    ];
    const coupons = templates.map((t) => heldCoupon(t.code));
    const evaluation = run(templates, coupons, {
      cart: cart([line("b1", "books", 10000), line("t1", "toys", 10000)], "official_web"),
    });
    expect(evaluation.coupons.map((c) => c.saving.amount)).toEqual([9500, 7000, 6000]);
    // any_70 over 9500 + 10000: 3410 on books, 3590 on toys; with books_60: min(9500, 9410) + 3590.
    expect(evaluation.best).toEqual({
      coupons: [coupons[1].id, coupons[2].id],
      saving: CNY(13000),
      total: CNY(6500),
    });
    expect(byId(evaluation.coupons, coupons[0].id).reasons[0].details).toEqual({
      conflictsWith: [coupons[1].id],
      rule: "group",
      group: "a",
    });
  });

  it("never takes a line below zero: shares past a line's total are lost, not moved", () => {
    const templates = [
      amount("books_900", 900, { conditions: { scope: { categories: ["books"] } } }),
      amount("any_1000", 1000),
    ];
    const coupons = templates.map((t) => heldCoupon(t.code));
    const evaluation = run(templates, coupons, {
      cart: cart([line("b1", "books", 1000), line("t1", "toys", 1000)], "official_web"),
    });
    // any_1000 over 950 + 1000: 487.18… and 512.82…, the leftover unit to the larger remainder (toys).
    // books: min(950, 900 + 487) = 950; toys: 513.
    expect(evaluation.memberSubtotal).toEqual(CNY(1950));
    expect(evaluation.best).toEqual({
      coupons: coupons.map((c) => c.id),
      saving: CNY(1463),
      total: CNY(487),
    });

    const free = run(
      [amount("x", 800, { stacking: { group: "a" } }), amount("y", 800, { stacking: { group: "b" } })],
      [heldCoupon("x"), heldCoupon("y")],
      {
        cart: cart([line("t1", "toys", 1000)], "official_web"),
      },
    );
    expect(free.best.saving).toEqual(CNY(1000));
    expect(free.best.total).toEqual(CNY(0));
  });

  it("prefers fewer coupons at equal value, and leaves the unneeded ones applicable", () => {
    const templates = [amount("p1000", 1000), amount("q600", 600), amount("r400", 400)];
    const [p, q, r] = templates.map((t) => heldCoupon(t.code));
    const evaluation = run(templates, [q, r, p], { cart: cart([line("t1", "toys", 1000)], "official_web") });
    expect(evaluation.best).toEqual({ coupons: [p.id], saving: CNY(1000), total: CNY(0) });
    for (const c of evaluation.coupons) expect(c).toMatchObject({ applicable: true, reasons: [] });
  });

  it("at equal value and count, uses the coupons that expire first, then the first listed", () => {
    const templates = [amount("g5", 500, { stacking: { group: "g" } })];
    const later = heldCoupon("g5", { validUntil: T.end });
    const sooner = heldCoupon("g5", { validUntil: T.end - T.day });
    const never = heldCoupon("g5", { validUntil: null });
    const evaluation = run(templates, [never, later, sooner]);
    expect(evaluation.best.coupons).toEqual([sooner.id]);
    expect(byId(evaluation.coupons, later.id).reasons.map((x) => x.details)).toEqual([
      { conflictsWith: [sooner.id], rule: "group", group: "g" },
    ]);
    const twins = [heldCoupon("g5"), heldCoupon("g5")];
    expect(run(templates, twins).best.coupons).toEqual([twins[0].id]);
    const open = [heldCoupon("g5", { validUntil: null }), heldCoupon("g5", { validUntil: null })];
    expect(run(templates, open).best.coupons).toEqual([open[0].id]);
  });

  it("settles many equal choices without visiting every tie: 30 interchangeable coupons, 10 fill the line", () => {
    // 30 templates of ¥1 off on a ¥10 cart: C(30, 10) sets tie on value and count; the earliest 10 win.
    const templates = Array.from({ length: 30 }, (_, i) => amount(`one_${i}`, 100));
    const coupons = templates.map((t, i) =>
      heldCoupon(t.code, { validUntil: T.end - ((i * 7) % 30) * T.hour }),
    );
    const evaluation = run(templates, coupons, { cart: cart([line("t1", "toys", 1000)], "official_web") });
    const earliest = [...coupons]
      .sort((a, b) => (a.validUntil ?? 0) - (b.validUntil ?? 0))
      .slice(0, 10)
      .map((c) => c.id);
    expect(evaluation.best.saving).toEqual(CNY(1000));
    expect([...evaluation.best.coupons].sort()).toEqual(earliest.sort());
  });

  it("uses at most the template's remaining capacity, min(perMember − used, total − used)", () => {
    const templates = [amount("five", 500, { limits: { perMember: 3, total: 50 } })];
    const held = [0, 1, 2].map((k) => heldCoupon("five", { validUntil: T.end - k * T.hour }));
    const evaluation = run(templates, held, { usage: usage({ five: 1 }, { five: 10 }) });
    expect(evaluation.best.coupons).toEqual([held[1].id, held[2].id]);
    expect(evaluation.best.saving).toEqual(CNY(1000));
    expect(byId(evaluation.coupons, held[0].id).reasons[0].details).toEqual({
      conflictsWith: [held[1].id, held[2].id],
      rule: "usage_limit",
      remaining: 2,
    });
    const scarce = run(templates, held, { usage: usage({ five: 0 }, { five: 49 }) });
    expect(scarce.best.coupons).toEqual([held[2].id]);
  });

  it("combines only the selected coupons; an unselected one says whether it could join them", () => {
    const templates = [
      percent("a10", 10, { group: "a" }),
      percent("a20", 20, { group: "a" }),
      percent("b5", 5, { group: "b" }),
    ];
    const [a10, a20, b5] = templates.map((t) => heldCoupon(t.code));
    const evaluation = run(templates, [a10, a20, b5], { selected: [a10.id] });
    expect(evaluation.best).toEqual({ coupons: [a10.id], saving: CNY(2000), total: CNY(18000) });
    expect(byId(evaluation.coupons, a20.id)).toMatchObject({
      applicable: false,
      saving: CNY(4000),
      reasons: [{ code: "NOT_STACKABLE", details: { conflictsWith: [a10.id], rule: "group" } }],
    });
    expect(byId(evaluation.coupons, b5.id)).toMatchObject({
      applicable: true,
      reasons: [],
      saving: CNY(1000),
    });
    expect(run(templates, [a10, a20, b5], { selected: [] }).best.coupons).toEqual([]);
  });
});

describe("NOT_STACKABLE words and remedy", () => {
  const templates = [
    percent("solo", 30, { exclusive: true }),
    percent("grouped", 10, { group: "g" }),
    percent("grouped_too", 5, { group: "g" }),
    amount("capped", 500, { limits: { perMember: 1 } }),
  ];
  const words = (locale: Locale, selected: string[] | null, coupons: MemberCouponView[], id: string) => {
    const r = byId(run(templates, coupons, { selected, locale }).coupons, id).reasons[0];
    return [r.message, r.remedy.action, r.remedy.message];
  };

  it("exclusive: the coupon itself, or a coupon already chosen", () => {
    const solo = heldCoupon("solo");
    const grouped = heldCoupon("grouped");
    expect(words("en", [grouped.id], [solo, grouped], solo.id)).toEqual([
      "solo cannot be combined with other coupons.",
      "remove_coupon",
      "Remove grouped to use solo.",
    ]);
    expect(words("zh-CN", [grouped.id], [solo, grouped], solo.id)).toEqual([
      "券solo不能与其他优惠券同时使用",
      "remove_coupon",
      "移除券grouped后即可使用券solo",
    ]);
    expect(words("en", [solo.id], [solo, grouped], grouped.id)).toEqual([
      "grouped cannot be combined with solo, which is used on its own.",
      "remove_coupon",
      "Remove solo to use grouped.",
    ]);
    expect(words("zh-CN", [solo.id], [solo, grouped], grouped.id)[0]).toBe(
      "券grouped不能与券solo同时使用（该券不可叠加）",
    );
  });

  it("group and usage limit", () => {
    const [g1, g2] = [heldCoupon("grouped"), heldCoupon("grouped_too")];
    expect(words("en", null, [g1, g2], g2.id)[0]).toBe(
      "grouped_too cannot be combined with grouped: only one coupon of that kind per order.",
    );
    expect(words("zh-CN", null, [g1, g2], g2.id)[0]).toBe(
      "券grouped_too不能与券grouped同时使用（同类优惠券每单限用一张）",
    );
    const [c1, c2] = [heldCoupon("capped"), heldCoupon("capped")];
    expect(words("en", null, [c1, c2], c2.id)).toEqual([
      "You can use capped only 1 more time, and this order already does.",
      "remove_coupon",
      "Remove another capped from the order to use this one.",
    ]);
    expect(words("zh-CN", null, [c1, c2], c2.id)).toEqual([
      "券capped您最多还能使用1张，本单已用满",
      "remove_coupon",
      "从订单中移除另一张券capped后即可使用这张",
    ]);
  });
});
