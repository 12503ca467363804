import { describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../demo/demo-catalog.js";
import { AppError } from "../errors.js";
import type { CatalogDocument } from "./catalog-types.js";
import { compileCatalog } from "./compile-catalog.js";

const doc: CatalogDocument = {
  // Listed out of rank order on purpose.
  tiers: [
    {
      code: "svip",
      name: "SVIP",
      rank: 2,
      benefits: ["ad_free", "zone"],
      plans: [{ code: "svip_month", period: "P1M", price: { amount: 3000, currency: "CNY" } }],
    },
    {
      code: "vip",
      name: { en: "VIP" },
      rank: 1,
      benefits: ["ad_free", "discount"],
      plans: [
        { code: "vip_month", period: "P1M", price: { amount: 1500, currency: "CNY" } },
        { code: "vip_year", period: "P1Y", price: { amount: 15800, currency: "CNY" } },
      ],
    },
  ],
  benefits: [
    { code: "ad_free", kind: "feature", name: "No ads" },
    {
      code: "discount",
      kind: "discount",
      name: "Member price",
      discount: { percentOff: 5 },
      rules: {
        effective: { delay: "next_day" },
        activation: "claim",
        scope: {
          categories: ["books", "music"],
          excludeProducts: ["p1"],
          excludeChannels: [],
          excludeSaleItems: true,
        },
      },
    },
    {
      code: "zone",
      kind: "access",
      name: "Zone",
      resources: ["zone:a"],
      rules: { effective: { delay: "PT24H" }, minClientVersion: { ios: "5.2.0", web: "1.0.0" }, scope: {} },
    },
    { code: "unused", kind: "quota", name: "Q", quota: { limit: 10, unit: "GB", period: "P1M" } },
  ],
};

describe("compileCatalog", () => {
  const c = compileCatalog(doc, 7, 1_700_000_000_000);

  it("keeps version and creation time", () => {
    expect(c.version).toBe(7);
    expect(c.createdAt).toBe(1_700_000_000_000);
    expect(c.document).toEqual(doc);
  });

  it("applies defaults", () => {
    const adFree = c.benefits.get("ad_free")!;
    expect(adFree.activation).toBe("automatic");
    expect(adFree.effective).toEqual({ type: "immediate" });
    expect(adFree.scope).toBeNull();
    expect(adFree.minClientVersion).toBeNull();
    expect(adFree.quota).toBeNull();
    expect(adFree.discount).toBeNull();
    expect(adFree.resources).toEqual([]);
    expect(adFree.description).toBeUndefined();
  });

  it("compiles rules", () => {
    const discount = c.benefits.get("discount")!;
    expect(discount.activation).toBe("claim");
    expect(discount.effective).toEqual({ type: "next_day" });
    expect(discount.discount).toEqual({ percentOff: 5 });
    const scope = discount.scope!;
    expect(scope.categories?.has("books")).toBe(true);
    expect(scope.categories?.has("toys")).toBe(false);
    expect(scope.excludeProducts?.has("p1")).toBe(true);
    expect(scope.products).toBeNull();
    expect(scope.channels).toBeNull();
    expect(scope.excludeChannels).toBeNull(); // an empty list restricts nothing
    expect(scope.excludeSaleItems).toBe(true);

    const zone = c.benefits.get("zone")!;
    expect(zone.effective).toEqual({ type: "duration", iso: "PT24H" });
    expect(zone.minClientVersion).toEqual({ ios: "5.2.0", web: "1.0.0" });
    expect(zone.scope).toBeNull(); // `scope: {}` has no rule in it
    expect(zone.resources).toEqual(["zone:a"]);

    expect(c.benefits.get("unused")!.quota).toEqual({
      limit: 10,
      unit: "GB",
      period: "P1M",
      anchor: "membership",
    });
    expect(compileCatalog(DEMO_CATALOG, 1, 0).benefits.get("vip_zone")!.minClientVersion).toEqual({
      "*": "5.2.0",
    });
  });

  it("lists each benefit's tiers lowest rank first", () => {
    expect(c.benefits.get("ad_free")!.tiers).toEqual(["vip", "svip"]);
    expect(c.benefits.get("discount")!.tiers).toEqual(["vip"]);
    expect(c.benefits.get("zone")!.tiers).toEqual(["svip"]);
    expect(c.benefits.get("unused")!.tiers).toEqual([]);
    expect([...c.tiers.keys()]).toEqual(["vip", "svip"]);
  });

  it("looks up tiers and plans by code", () => {
    const vip = c.tiers.get("vip")!;
    expect(vip.rank).toBe(1);
    expect(vip.name).toEqual({ en: "VIP" });
    expect(vip.benefits.has("discount")).toBe(true);
    expect(vip.benefits.has("zone")).toBe(false);
    expect(vip.plans.map((p) => p.code)).toEqual(["vip_month", "vip_year"]);
    expect(c.plans.get("vip_year")).toEqual({
      code: "vip_year",
      period: "P1Y",
      price: { amount: 15800, currency: "CNY" },
      tier: "vip",
      gracePeriod: null,
    });
    expect(c.plans.get("svip_month")!.tier).toBe("svip");
    expect(c.plans.get("vip_month")).toBe(vip.plans[0]);
    expect(c.plans.size).toBe(3);
    expect(c.tiers.get("gold")).toBeUndefined();
    expect(c.benefits.get("nope")).toBeUndefined();
  });

  it("is isolated from later changes to the input document", () => {
    const input = structuredClone(doc);
    const compiled = compileCatalog(input, 1, 0);
    input.benefits[0].name = "changed";
    input.tiers[0].benefits.push("unused");
    expect(compiled.benefits.get("ad_free")!.name).toBe("No ads");
    expect(compiled.document.tiers[0].benefits).toEqual(["ad_free", "zone"]);
    expect(Object.isFrozen(compiled.document.benefits[0])).toBe(true);
    expect(() => {
      (compiled.benefits.get("ad_free")!.doc as { name: string }).name = "x";
    }).toThrow(TypeError);
  });

  it("refuses a tier that lists an unknown benefit", () => {
    const broken = structuredClone(doc);
    broken.tiers[0].benefits.push("ghost");
    expect(() => compileCatalog(broken, 1, 0)).toThrow(AppError);
  });
});
