import { describe, expect, it } from "vitest";
import type { CatalogDocument } from "./catalog-types.js";
import { compileCatalog } from "./compile-catalog.js";
import { diffCatalogs } from "./diff-catalog.js";
import { type CatalogProblem, validateCatalog } from "./validate-catalog.js";

/** The coupon example of DESIGN.md ("Coupons … live in the same document") verbatim, plus a tier for minTier. */
const COUPON_EXAMPLE = {
  tiers: [{ code: "vip", name: "VIP", rank: 1, benefits: ["monthly_coupons"], plans: [] }],
  coupons: [
    {
      code: "books_20_off_100",
      name: { en: "¥20 off ¥100 of books", "zh-CN": "图书满100减20" },
      amountOff: { amount: 2000, currency: "CNY" },
      conditions: {
        minAmount: { amount: 10000, currency: "CNY" },
        scope: { categories: ["books"], excludeSaleItems: true },
        validDays: 7,
        minTier: "vip",
      },
      limits: { perMember: 1, total: 100000 },
      stacking: { group: "order", exclusive: false },
    },
    {
      code: "any_9_off",
      name: "9 % off anything",
      percentOff: 9,
      maxOff: { amount: 3000, currency: "CNY" },
      conditions: { validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" },
      stacking: { group: "order", exclusive: true },
    },
  ],
  benefits: [
    {
      code: "monthly_coupons",
      kind: "coupon_pack",
      name: "Monthly member coupons",
      couponPack: { items: [{ coupon: "books_20_off_100", count: 2 }], period: "P1M" },
      rules: { activation: "claim" },
    },
  ],
};

type Doc = {
  tiers: Record<string, unknown>[];
  benefits: Record<string, unknown>[];
  coupons: Record<string, unknown>[];
};
const copy = (): Doc => structuredClone(COUPON_EXAMPLE) as Doc;
const problemsOf = (input: unknown): CatalogProblem[] => {
  const result = validateCatalog(input);
  if (result.ok) throw new Error("expected problems");
  return result.problems;
};
const brief = (ps: CatalogProblem[]) => ps.map((p) => `${p.code} ${p.path}`);

describe("coupon templates in the catalog", () => {
  it("accepts the DESIGN.md coupon example and compiles it", () => {
    const result = validateCatalog(copy());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const catalog = compileCatalog(result.document, 1, 0);
    expect([...catalog.coupons.keys()]).toEqual(["books_20_off_100", "any_9_off"]);
    const books = catalog.coupons.get("books_20_off_100");
    expect(books).toMatchObject({
      amountOff: { amount: 2000, currency: "CNY" },
      percentOff: null,
      minAmount: { amount: 10000, currency: "CNY" },
      validDays: 7,
      validFrom: null,
      minTier: "vip",
      perMember: 1,
      total: 100000,
      stackingGroup: "order",
      exclusive: false,
    });
    expect(books?.scope?.categories).toEqual(new Set(["books"]));
    expect(books?.scope?.excludeSaleItems).toBe(true);
    const any = catalog.coupons.get("any_9_off");
    expect(any).toMatchObject({ percentOff: 9, maxOff: { amount: 3000, currency: "CNY" }, exclusive: true });
    expect(any?.validFrom).toBe(Date.UTC(2026, 0, 1));
    expect(any?.validUntil).toBe(Date.UTC(2027, 0, 1));
    expect(any?.scope).toBeNull();
    expect(catalog.benefits.get("monthly_coupons")?.couponPack).toEqual({
      items: [{ coupon: "books_20_off_100", count: 2 }],
      period: "P1M",
      // A monthly pack defaults to the membership's anniversaries.
      anchor: "membership",
    });
  });

  it("still accepts a document without coupons, compiling to an empty map", () => {
    const doc = copy() as Partial<Doc>;
    delete doc.coupons;
    doc.benefits = [];
    if (doc.tiers) doc.tiers[0].benefits = [];
    const result = validateCatalog(doc);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(compileCatalog(result.document, 1, 0).coupons.size).toBe(0);
  });

  it("lists every problem of the coupons at once, each at its path", () => {
    const doc = copy();
    const [books, any] = doc.coupons;
    books.percentOff = 10; // beside amountOff
    books.maxOff = { amount: 500, currency: "CNY" }; // a cap on an amount-off coupon
    books.conditions = {
      minAmount: { amount: 0, currency: "USD" },
      minQuantity: 1.5,
      validDays: 0,
      minTier: "gold",
      scope: { categories: ["books", "toys"], excludeCategories: ["toys"], channels: ["app"] },
      channels: ["app"],
    };
    books.limits = { perMember: 5, total: 2 };
    any.percentOff = 120;
    any.maxOff = { amount: 3000, currency: "USD" };
    any.conditions = { validFrom: "2027-01-01T00:00:00Z", validUntil: "2026-02-30T00:00:00Z" };
    any.limits = { perMember: 0 };
    doc.coupons.push({ code: "any_9_off", name: "again", stacking: {} });
    expect(brief(problemsOf(doc))).toEqual([
      "coupon_value /coupons/0",
      "invalid_combination /coupons/0/maxOff",
      "invalid_value /coupons/0/conditions/minAmount/amount",
      "currency_mismatch /coupons/0/conditions/minAmount/currency",
      "invalid_value /coupons/0/conditions/minQuantity",
      "invalid_value /coupons/0/conditions/validDays",
      "unknown_tier /coupons/0/conditions/minTier",
      "scope_conflict /coupons/0/conditions/scope/excludeCategories",
      "invalid_combination /coupons/0/conditions/channels",
      "invalid_limits /coupons/0/limits/perMember",
      "invalid_value /coupons/1/percentOff",
      "invalid_date /coupons/1/conditions/validUntil",
      "invalid_value /coupons/1/limits/perMember",
      "duplicate_code /coupons/2/code",
      "coupon_value /coupons/2",
    ]);
  });

  it("checks the order of the window, and rejects malformed times and unknown fields structurally", () => {
    const doc = copy();
    doc.coupons[1].conditions = { validFrom: "2027-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" };
    expect(brief(problemsOf(doc))).toEqual(["invalid_window /coupons/1/conditions/validUntil"]);
    doc.coupons[1].conditions = { validFrom: "2027-01-01 00:00", region: "cn" };
    doc.coupons[1].stacking = { group: "order", exclusive: "yes" };
    expect(brief(problemsOf(doc))).toEqual([
      "unknown_field /coupons/1/conditions/region",
      "invalid_value /coupons/1/conditions/validFrom",
      "invalid_type /coupons/1/stacking/exclusive",
    ]);
  });

  it("checks coupon_pack benefits: known coupons, counts, period, and the field only on that kind", () => {
    const doc = copy();
    doc.benefits[0].couponPack = {
      items: [
        { coupon: "books_20_off_100", count: 0 },
        { coupon: "ghost", count: 1 },
        { coupon: "books_20_off_100", count: 1 },
      ],
      period: "1M",
    };
    doc.benefits.push({ code: "empty_pack", kind: "coupon_pack", name: "Empty" });
    doc.benefits.push({
      code: "ads",
      kind: "feature",
      name: "No ads",
      couponPack: { items: [{ coupon: "any_9_off", count: 1 }], period: "P1M" },
    });
    expect(brief(problemsOf(doc))).toEqual([
      "kind_mismatch /benefits/1/couponPack",
      "kind_mismatch /benefits/2/couponPack",
      "invalid_value /benefits/0/couponPack/items/0/count",
      "unknown_coupon /benefits/0/couponPack/items/1/coupon",
      "duplicate_coupon /benefits/0/couponPack/items/2/coupon",
      "invalid_duration /benefits/0/couponPack/period",
    ]);
  });
});

describe("diffCatalogs with coupons", () => {
  const doc = (): CatalogDocument => {
    const result = validateCatalog(copy());
    if (!result.ok) throw new Error("example must validate");
    return structuredClone(result.document);
  };

  it("omits the coupons entry when no coupon changed", () => {
    expect(diffCatalogs(doc(), doc())).toEqual({ tiers: [], benefits: [] });
  });

  it("reports added, removed and changed coupons by code, field by field", () => {
    const before = doc();
    const after = doc();
    const coupons = after.coupons ?? [];
    coupons[0].limits = { perMember: 2, total: 100000 };
    coupons[0].conditions = { ...coupons[0].conditions, scope: { categories: ["books", "music"] } };
    coupons.splice(1, 1, {
      code: "music_5_off",
      name: "¥5 off music",
      amountOff: { amount: 500, currency: "CNY" },
    });
    expect(diffCatalogs(before, after).coupons).toEqual([
      {
        code: "books_20_off_100",
        change: "changed",
        fields: [
          { path: "conditions.scope.categories", added: ["music"], removed: [] },
          { path: "conditions.scope.excludeSaleItems", before: true },
          { path: "limits.perMember", before: 1, after: 2 },
        ],
      },
      { code: "music_5_off", change: "added" },
      { code: "any_9_off", change: "removed" },
    ]);
    expect(diffCatalogs(null, before).coupons?.map((c) => c.change)).toEqual(["added", "added"]);
  });
});
