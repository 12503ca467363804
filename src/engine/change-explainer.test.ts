import { describe, expect, it } from "vitest";
import type { CatalogDocument } from "../catalog/catalog-types.js";
import { compileCatalog } from "../catalog/compile-catalog.js";
import { DEMO_CATALOG } from "../demo/demo-catalog.js";
import { explainCatalogChange, isEmptyExplanation } from "./change-explainer.js";

const catalog = compileCatalog(DEMO_CATALOG, 1, 0);
const en = { locale: "en" as const, timezone: "Asia/Shanghai", catalog };
const zh = { ...en, locale: "zh-CN" as const };
const edit = (change: (doc: CatalogDocument) => void): CatalogDocument => {
  const doc = structuredClone(DEMO_CATALOG);
  change(doc);
  return doc;
};

describe("a catalog change in words", () => {
  it("names only the sentences that differ, before → after, in both languages", () => {
    const after = edit((doc) => {
      const discount = doc.benefits.find((b) => b.code === "member_discount");
      if (discount?.rules) discount.rules = { ...discount.rules, effective: { delay: "PT24H" } };
    });
    expect(explainCatalogChange(en, DEMO_CATALOG, after).benefits).toEqual([
      {
        code: "member_discount",
        name: "Member price",
        change: "changed",
        before: ["Takes effect at 00:00 the day after you buy (Beijing time)"],
        after: ["Takes effect 24 hours after you buy"],
      },
    ]);
    expect(explainCatalogChange(zh, DEMO_CATALOG, after).benefits[0]).toMatchObject({
      before: ["购买次日00:00（北京时间）起生效"],
      after: ["购买24小时后生效"],
    });
  });

  it("a tier that gains and loses benefits, a plan whose price changes, a coupon removed", () => {
    const after = edit((doc) => {
      const vip = doc.tiers[0];
      vip.benefits = vip.benefits.filter((b) => b !== "hd_downloads").concat("svip_concierge");
      vip.plans[0].price = { amount: 1800, currency: "CNY" };
      doc.coupons = doc.coupons?.filter((c) => c.code !== "app_10_off_50");
    });
    const change = explainCatalogChange(en, DEMO_CATALOG, after);
    expect(change.tiers).toEqual([
      {
        code: "vip",
        name: "VIP",
        change: "changed",
        added: ["SVIP concierge"],
        withdrawn: ["HD downloads"],
        plans: [
          {
            code: "vip_month",
            name: "vip_month",
            change: "changed",
            before: ["¥15.00 a month"],
            after: ["¥18.00 a month"],
          },
        ],
      },
    ]);
    expect(change.coupons).toMatchObject([{ code: "app_10_off_50", change: "removed", after: [] }]);
    expect(change.coupons[0].before).toContain("For orders of ¥50.00 or more");
  });

  it("says nothing of a change members read the same (a description), and everything of a first version", () => {
    const after = edit((doc) => {
      doc.benefits[1].description = { en: "No ads at all.", "zh-CN": "完全无广告。" };
    });
    expect(isEmptyExplanation(explainCatalogChange(en, DEMO_CATALOG, after))).toBe(true);
    const first = explainCatalogChange(en, null, DEMO_CATALOG);
    expect(first.benefits.every((b) => b.change === "added" && b.after.length > 0)).toBe(true);
    expect(first.tiers.map((t) => t.code)).toEqual(["vip", "svip"]);
  });
});
