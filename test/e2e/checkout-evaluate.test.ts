/**
 * Checkout evaluation over HTTP with the demo catalog's coupons: member prices, every coupon's
 * reasons with details and remedies, the best combination, the member's own route, and the same
 * answer for someone else's coupon as for one that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { T0, TestServer } from "../e2e-harness.js";
import { couponsOf, vipMember } from "../support/coupon-fixtures.js";
import { TEST_ENGINES } from "../test-database.js";

const DAY = 86_400_000;
const CNY = (amount: number) => ({ amount, currency: "CNY" });
const line = (productId: string, category: string, price: number, extra: Record<string, unknown> = {}) => ({
  productId,
  category,
  price: CNY(price),
  quantity: 1,
  ...extra,
});
/** ¥88 of books, a ¥30 book on sale and a ¥20 toy. */
const SAMPLE_CART = {
  lines: [line("b1", "books", 8800), line("b2", "books", 3000, { onSale: true }), line("t1", "toys", 2000)],
  channel: "web",
};

type Evaluation = {
  lines: { memberUnitPrice: { amount: number }; discount: { benefit: string | null; reasons: any[] } }[];
  coupons: {
    couponId: string;
    code: string | null;
    applicable: boolean;
    saving: { amount: number };
    reasons: any[];
  }[];
  best: { coupons: string[]; saving: { amount: number }; total: { amount: number } };
  memberSubtotal: { amount: number };
};

describe.each(TEST_ENGINES)("checkout evaluation ($name)", (engine) => {
  let s: TestServer;
  const evaluate = (memberId: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    s.request<Evaluation>("POST", "/v1/checkout/evaluate", { body: { memberId, ...body }, headers });
  const reasonCodes = (e: Evaluation, code: string) =>
    e.coupons.filter((c) => c.code === code).map((c) => c.reasons.map((r: { code: string }) => r.code));

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    s.clock.set(T0);
    await vipMember(s, "co-vip");
    await vipMember(s, "co-other");
    for (const member of ["co-vip", "co-other"]) {
      const claim = await s.request("POST", `/v1/members/${member}/benefits/monthly_coupons/claim`);
      expect(claim.status, JSON.stringify(claim.body)).toBe(200);
    }
    // Member prices start the day after joining.
    s.clock.set(T0 + DAY);
  });
  afterAll(() => s.stop());

  it("prices lines at member prices and says why each coupon does not apply, every reason at once", async () => {
    const res = await evaluate("co-vip", { cart: SAMPLE_CART });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const e = res.body;
    expect(e.lines.map((l) => l.memberUnitPrice.amount)).toEqual([8360, 3000, 2000]);
    expect(e.lines[0].discount.benefit).toBe("member_discount");
    expect(e.lines[1].discount.reasons).toMatchObject([
      { benefit: "member_discount", code: "OUT_OF_SCOPE", details: { dimension: "sale_item" } },
    ]);
    expect(e.memberSubtotal.amount).toBe(13360);

    const books = e.coupons.filter((c) => c.code === "books_20_off_100");
    expect(books).toHaveLength(2);
    expect(books[0].reasons).toMatchObject([
      {
        code: "MIN_AMOUNT_NOT_MET",
        details: { required: CNY(10000), actual: CNY(8360), shortBy: CNY(1640) },
        remedy: { action: "add_items", amount: CNY(1640), message: "Add ¥16.40 more of eligible items." },
      },
    ]);
    expect(reasonCodes(e, "app_10_off_50")).toEqual([["CHANNEL_NOT_ELIGIBLE"]]);
    expect(reasonCodes(e, "svip_50_off_300")).toEqual([["TIER_TOO_LOW", "MIN_AMOUNT_NOT_MET"]]);
    const any = e.coupons.find((c) => c.code === "any_9_off")!;
    expect(any).toMatchObject({ applicable: true, saving: CNY(1202), reasons: [] });
    expect(e.best).toEqual({ coupons: [any.couponId], saving: CNY(1202), total: CNY(12158) });
  });

  it("picks two stackable coupons over the larger exclusive one when together they save more", async () => {
    const cart = { lines: [line("b1", "books", 12000), line("t1", "toys", 2000)], channel: "app" };
    const e = (await evaluate("co-vip", { cart })).body;
    // Books at the member price: ¥114; 9 % of ¥134 is ¥12.06 — less than ¥20 + ¥10 together.
    const books = e.coupons.find((c) => c.code === "books_20_off_100" && c.applicable)!;
    const app = e.coupons.find((c) => c.code === "app_10_off_50")!;
    expect(e.best.coupons.sort()).toEqual([books.couponId, app.couponId].sort());
    expect(e.best.saving).toEqual(CNY(3000));
    expect(e.best.total).toEqual(CNY(13400 - 3000));
    expect(reasonCodes(e, "any_9_off")).toEqual([["NOT_STACKABLE"]]);
    // The second books coupon is in the same stacking group as the first.
    expect(reasonCodes(e, "books_20_off_100")).toContainEqual(["NOT_STACKABLE"]);
  });

  it("answers someone else's coupon exactly like one that does not exist", async () => {
    const [foreign] = await couponsOf(s, "co-other", "any_9_off");
    const missing = "cpn_AAAAAAAAAAAAAAAAAAAAAAAA";
    const e = (await evaluate("co-vip", { cart: SAMPLE_CART, coupons: [foreign.couponId, missing] })).body;
    const [a, b] = [foreign.couponId, missing].map((id) => e.coupons.find((c) => c.couponId === id)!);
    expect(a.reasons.map((r: { code: string }) => r.code)).toEqual(["NOT_FOUND"]);
    expect({ ...a, couponId: "x" }).toEqual({ ...b, couponId: "x" });
    expect(e.best.coupons).toEqual([]);
  });

  it("lets a member evaluate their own sample cart, in their language", async () => {
    const token = await s.memberToken("co-vip");
    const res = await s.request<Evaluation>("POST", "/v1/me/checkout/evaluate", {
      auth: token,
      body: { cart: SAMPLE_CART },
    });
    expect(res.status).toBe(200);
    expect(res.body.best.saving).toEqual(CNY(1202));
    const zh = await s.createMember("co-zh", { locale: "zh-CN" });
    expect(zh).toBeDefined();
    const zhRes = await s.request<Evaluation>("POST", "/v1/me/checkout/evaluate", {
      auth: await s.memberToken("co-zh"),
      body: { cart: SAMPLE_CART },
    });
    expect(zhRes.body.lines[0].discount.reasons[0].message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("diagnoses an unavailable coupon with the reasons checkout gives, by id or by code", async () => {
    const token = await s.memberToken("co-vip");
    const diagnose = (body: Record<string, unknown>) =>
      s.request("POST", "/v1/me/diagnose", { auth: token, body });
    const checkout = (await evaluate("co-vip", { cart: SAMPLE_CART })).body;
    const svip = checkout.coupons.find((c) => c.code === "svip_50_off_300")!;
    const byId = await diagnose({ coupon: svip.couponId, cart: SAMPLE_CART });
    expect(byId.status, JSON.stringify(byId.body)).toBe(200);
    expect(byId.body).toMatchObject({ memberId: "co-vip", verdict: "not_working" });
    expect(byId.body.coupon.reasons).toEqual(svip.reasons);
    expect(byId.body.evidence).toMatchObject([
      { type: "coupon", id: svip.couponId, data: { template: "svip_50_off_300", state: "available" } },
    ]);
    // By template code: the member's most usable coupon of it.
    const byCode = await diagnose({ coupon: "books_20_off_100", cart: SAMPLE_CART });
    expect(byCode.body.coupon.reasons.map((r: { code: string }) => r.code)).toEqual(["MIN_AMOUNT_NOT_MET"]);
    const working = await diagnose({ coupon: "any_9_off", cart: SAMPLE_CART });
    expect(working.body).toMatchObject({ verdict: "working", coupon: { applicable: true, reasons: [] } });
    // Another member's coupon: the answer of one that does not exist.
    const [foreign] = await couponsOf(s, "co-other", "any_9_off");
    const [theirs, none] = await Promise.all(
      [foreign.couponId, "cpn_AAAAAAAAAAAAAAAAAAAAAAAA"].map((coupon) =>
        diagnose({ coupon, cart: SAMPLE_CART }),
      ),
    );
    expect(theirs.body.coupon.reasons.map((r: { code: string }) => r.code)).toEqual(["NOT_FOUND"]);
    expect({ ...theirs.body, coupon: { ...theirs.body.coupon, couponId: "x" }, at: "t" }).toEqual({
      ...none.body,
      coupon: { ...none.body.coupon, couponId: "x" },
      at: "t",
    });
    // A question that asks both, or a coupon without a cart, is refused with every problem.
    const both = await diagnose({ benefit: "ad_free", coupon: "any_9_off" });
    expect(both.status).toBe(400);
    expect(both.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["", "/cart"]);
  });

  it("reads its own writes: a coupon locked to an order right after an evaluation shows LOCKED", async () => {
    const before = (await evaluate("co-other", { cart: SAMPLE_CART })).body;
    const any = before.coupons.find((c) => c.code === "any_9_off")!;
    expect(any.applicable).toBe(true);
    const locked = await s.request("POST", "/v1/checkout/redeem", {
      body: { memberId: "co-other", orderRef: "co-order-1", coupons: [any.couponId] },
    });
    expect(locked.status, JSON.stringify(locked.body)).toBe(200);
    const after = (await evaluate("co-other", { cart: SAMPLE_CART })).body;
    // Locked, and its one use per member is taken by that very order.
    expect(after.coupons.find((c) => c.couponId === any.couponId)!.reasons.map((r) => r.code)).toEqual([
      "LOCKED",
      "USAGE_LIMIT_REACHED",
    ]);
    await s.request("POST", "/v1/checkout/release", { body: { orderRef: "co-order-1" } });
    const released = (await evaluate("co-other", { cart: SAMPLE_CART })).body;
    expect(released.coupons.find((c) => c.couponId === any.couponId)!.applicable).toBe(true);
  });

  it("refuses a bad cart with every problem, and an unknown member", async () => {
    const bad: { status: number; body: any } = await evaluate("co-vip", {
      cart: {
        lines: [
          line("b1", "books", 100),
          { ...line("b2", "books", 100), price: { amount: 100, currency: "USD" } },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(bad.body.error.details)).toContain("/cart/lines/1/price/currency");
    const unknown: { status: number; body: any } = await evaluate("co-nobody", { cart: SAMPLE_CART });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("MEMBER_NOT_FOUND");
  });
});
