import { describe, expect, it } from "vitest";
import { decide } from "../decide.js";
import { activeMember, context, FIXTURE_DOCUMENT, fixtureCatalog } from "../engine-fixtures.js";
import type { DecisionContext } from "../engine-types.js";

const catalog = fixtureCatalog({
  tiers: FIXTURE_DOCUMENT.tiers.map((t) =>
    t.code === "vip" ? { ...t, benefits: [...t.benefits, "partner_deal"] } : t,
  ),
  benefits: [
    ...FIXTURE_DOCUMENT.benefits,
    {
      code: "partner_deal",
      kind: "discount",
      name: { en: "Partner deal", "zh-CN": "合作优惠" },
      discount: { percentOff: 10 },
      rules: { scope: { products: ["p1", "p2"], excludeChannels: ["partner:shady"] } },
    },
  ],
});
const member = activeMember(catalog);
const decideIn = (benefit: string, over: Partial<DecisionContext>) =>
  decide(member, catalog, benefit, context(over));
const reasonIn = (benefit: string, over: Partial<DecisionContext>) => {
  const d = decideIn(benefit, over);
  expect(d.allowed).toBe(false);
  expect(d.reasons).toHaveLength(1);
  return d.reasons[0];
};

describe("scope rule", () => {
  it("excludes sale items, with the member-facing wording in both locales", () => {
    const product = { id: "b1", category: "books", onSale: true };
    expect(reasonIn("member_discount", { product })).toEqual({
      code: "OUT_OF_SCOPE",
      cause: "rule_condition",
      message: "Member discount does not apply to items on sale.",
      details: { dimension: "sale_item", rule: "exclude", expected: false, actual: true },
      remedy: { actor: "member", action: "none" },
    });
    expect(reasonIn("member_discount", { product, locale: "zh-CN" }).message).toBe(
      "会员折扣不适用于特价商品",
    );
  });

  it("names expected and actual category for an allow-list", () => {
    const r = reasonIn("member_discount", { product: { category: "toys" }, locale: "zh-CN" });
    expect(r.details).toEqual({ dimension: "category", rule: "allow", expected: ["books"], actual: "toys" });
    expect(r.message).toBe("会员折扣仅适用于「books」类商品，该商品属于「toys」");
    expect(reasonIn("member_discount", { product: { category: "toys" } }).message).toBe(
      "Member discount applies only to books; this item is in toys.",
    );
  });

  it("reports an excluded category and an excluded product", () => {
    const cat = reasonIn("app_exclusive", { channel: "official_app", product: { category: "gift_cards" } });
    expect(cat.details).toEqual({
      dimension: "category",
      rule: "exclude",
      expected: ["gift_cards"],
      actual: "gift_cards",
    });
    expect(cat.message).toBe("App-only price does not apply to the gift_cards category.");
    const prod = reasonIn("member_discount", {
      product: { id: "book-999", category: "books" },
      locale: "zh-CN",
    });
    expect(prod.details).toEqual({
      dimension: "product",
      rule: "exclude",
      expected: ["book-999"],
      actual: "book-999",
    });
    expect(prod.message).toBe("会员折扣不适用于该商品");
  });

  it("reports a product outside an allow-list", () => {
    const r = reasonIn("partner_deal", { product: { id: "p9" } });
    expect(r.details).toEqual({ dimension: "product", rule: "allow", expected: ["p1", "p2"], actual: "p9" });
    expect(r.message).toBe("Partner deal does not apply to this product.");
    expect(decideIn("partner_deal", { product: { id: "p2" } }).allowed).toBe(true);
  });

  it("reports channels outside the allow-list and excluded channels", () => {
    const web = reasonIn("app_exclusive", { channel: "official_web" });
    expect(web.details).toEqual({
      dimension: "channel",
      rule: "allow",
      expected: ["official_app"],
      actual: "official_web",
    });
    expect(web.message).toBe(
      "App-only price can only be used through the official app, not the official website.",
    );
    expect(reasonIn("app_exclusive", { channel: "official_web", locale: "zh-CN" }).message).toBe(
      "App专享价仅限官方App使用，当前为官网",
    );
    const shady = reasonIn("partner_deal", { channel: "partner:shady", locale: "zh-CN" });
    expect(shady.details).toEqual({
      dimension: "channel",
      rule: "exclude",
      expected: ["partner:shady"],
      actual: "partner:shady",
    });
    expect(shady.message).toBe("合作优惠不能在合作渠道「shady」使用");
  });

  it("reports the most specific failing dimension first: channel, product, category, sale item", () => {
    const r = reasonIn("member_discount", { product: { id: "book-999", category: "toys", onSale: true } });
    expect(r.details.dimension).toBe("product");
  });

  it("passes when the context does not mention a dimension", () => {
    expect(decideIn("member_discount", {}).allowed).toBe(true);
    expect(decideIn("member_discount", { product: { id: "x1" } }).allowed).toBe(true);
    expect(decideIn("member_discount", { product: { category: "books", onSale: false } }).allowed).toBe(true);
    expect(decideIn("app_exclusive", { product: { category: "books" } }).allowed).toBe(true);
    expect(
      decideIn("app_exclusive", { channel: "official_app", product: { category: "books" } }).allowed,
    ).toBe(true);
  });

  it("ignores the context for a benefit without scope", () => {
    expect(decideIn("ad_free", { channel: "partner:shady", product: { onSale: true } }).allowed).toBe(true);
  });
});
