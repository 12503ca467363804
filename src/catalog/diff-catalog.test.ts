import { describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../demo/demo-catalog.js";
import type { CatalogDocument } from "./catalog-types.js";
import { diffCatalogs, isEmptyDiff } from "./diff-catalog.js";

const base = (): CatalogDocument => structuredClone(DEMO_CATALOG);

describe("diffCatalogs", () => {
  it("reports everything as added for the first version", () => {
    const diff = diffCatalogs(null, DEMO_CATALOG);
    expect(diff.tiers).toEqual([
      { code: "vip", change: "added" },
      { code: "svip", change: "added" },
    ]);
    expect(diff.benefits.map((b) => b.change)).toEqual(DEMO_CATALOG.benefits.map(() => "added"));
    expect(diff.benefits.map((b) => b.code)).toEqual(DEMO_CATALOG.benefits.map((b) => b.code));
  });

  it("is empty for identical documents, and ignores the order of entities and of code lists", () => {
    expect(isEmptyDiff(diffCatalogs(DEMO_CATALOG, base()))).toBe(true);
    const shuffled = base();
    shuffled.tiers.reverse();
    shuffled.benefits.reverse();
    shuffled.tiers[0].benefits.reverse();
    shuffled.tiers[1].plans.reverse();
    expect(diffCatalogs(DEMO_CATALOG, shuffled)).toEqual({ tiers: [], benefits: [] });
  });

  it("reports added, removed and changed tiers and benefits", () => {
    const after = base();
    after.benefits.push({
      code: "gold_badge",
      kind: "feature",
      name: { en: "Gold badge", "zh-CN": "金色徽章" },
    });
    after.benefits = after.benefits.filter((b) => b.code !== "svip_concierge");
    after.tiers[1].benefits = after.tiers[1].benefits.filter((b) => b !== "svip_concierge");
    after.tiers[1].benefits.push("gold_badge");
    after.tiers.push({ code: "diamond", name: "Diamond", rank: 3, benefits: ["ad_free"], plans: [] });
    after.tiers[0].plans[0].price.amount = 1800; // vip_month price rises
    after.tiers[0].plans.splice(1, 1); // vip_year withdrawn
    after.tiers[0].plans.push({
      code: "vip_quarter",
      period: "P3M",
      price: { amount: 4000, currency: "CNY" },
    });
    after.tiers[0].name = { en: "VIP", "zh-CN": "黄金会员" };

    const diff = diffCatalogs(DEMO_CATALOG, after);
    expect(diff.tiers).toEqual([
      {
        code: "vip",
        change: "changed",
        fields: [
          { path: "name.zh-CN", before: "VIP会员", after: "黄金会员" },
          { path: "plans.vip_month.price.amount", before: 1500, after: 1800 },
          {
            path: "plans.vip_quarter",
            after: { code: "vip_quarter", period: "P3M", price: { amount: 4000, currency: "CNY" } },
          },
          {
            path: "plans.vip_year",
            before: { code: "vip_year", period: "P1Y", price: { amount: 15800, currency: "CNY" } },
          },
        ],
      },
      {
        code: "svip",
        change: "changed",
        fields: [{ path: "benefits", added: ["gold_badge"], removed: ["svip_concierge"] }],
      },
      { code: "diamond", change: "added" },
    ]);
    expect(diff.benefits).toEqual([
      { code: "gold_badge", change: "added" },
      { code: "svip_concierge", change: "removed" },
    ]);
  });

  it("reports rule changes leaf by leaf", () => {
    const after = base();
    const discount = after.benefits.find((b) => b.code === "member_discount")!;
    discount.rules!.effective = { delay: "PT48H" };
    discount.rules!.scope!.categories = ["books", "music"];
    discount.rules!.scope!.excludeProducts = ["p9"];
    delete discount.rules!.scope!.excludeSaleItems;
    discount.discount = { percentOff: 3 };
    const storage = after.benefits.find((b) => b.code === "cloud_storage")!;
    storage.quota = { limit: 1024, unit: "GB", period: "P1M" };
    storage.name = "Storage";
    after.benefits.find((b) => b.code === "ad_free")!.rules = { activation: "claim" };
    after.benefits.find((b) => b.code === "vip_zone")!.rules = { minClientVersion: { ios: "6.0.0" } };

    const fields = new Map(diffCatalogs(DEMO_CATALOG, after).benefits.map((b) => [b.code, b.fields]));
    expect(fields.get("ad_free")).toEqual([{ path: "rules.activation", after: "claim" }]);
    expect(fields.get("cloud_storage")).toEqual([
      { path: "name", before: { en: "Cloud storage", "zh-CN": "云存储空间" }, after: "Storage" },
      { path: "quota.limit", before: 2048, after: 1024 },
      { path: "quota.period", before: null, after: "P1M" },
    ]);
    expect(fields.get("member_discount")).toEqual([
      { path: "discount.percentOff", before: 5, after: 3 },
      { path: "rules.effective.delay", before: "next_day", after: "PT48H" },
      { path: "rules.scope.categories", added: ["music"], removed: [] },
      { path: "rules.scope.excludeSaleItems", before: true },
      { path: "rules.scope.excludeProducts", added: ["p9"], removed: [] },
    ]);
    expect(fields.get("vip_zone")).toEqual([
      { path: "rules.minClientVersion", before: "5.2.0", after: { ios: "6.0.0" } },
    ]);
    expect(fields.size).toBe(4);
  });

  it("matches entities by code, so a rename is a removal plus an addition", () => {
    const after = base();
    after.benefits.find((b) => b.code === "ad_free")!.code = "no_ads";
    for (const tier of after.tiers) tier.benefits[tier.benefits.indexOf("ad_free")] = "no_ads";
    const diff = diffCatalogs(DEMO_CATALOG, after);
    expect(diff.benefits).toEqual([
      { code: "no_ads", change: "added" },
      { code: "ad_free", change: "removed" },
    ]);
    expect(diff.tiers.map((t) => t.fields)).toEqual([
      [{ path: "benefits", added: ["no_ads"], removed: ["ad_free"] }],
      [{ path: "benefits", added: ["no_ads"], removed: ["ad_free"] }],
    ]);
  });

  it("reports removed tiers and does not mutate its inputs", () => {
    const before = base();
    const after = base();
    after.tiers.pop();
    const snapshot = structuredClone(before);
    expect(diffCatalogs(before, after).tiers).toEqual([{ code: "svip", change: "removed" }]);
    expect(before).toEqual(snapshot);
    expect(diffCatalogs(after, { tiers: [], benefits: [] }).benefits).toHaveLength(after.benefits.length);
  });
});
