import { describe, expect, it } from "vitest";
import { LOCALES } from "../catalog/catalog-types.js";
import { compileCatalog } from "../catalog/compile-catalog.js";
import { validateCatalog } from "../catalog/validate-catalog.js";
import { DEMO_CATALOG } from "./demo-catalog.js";

describe("DEMO_CATALOG", () => {
  it("validates and compiles", () => {
    expect(validateCatalog(DEMO_CATALOG)).toEqual({ ok: true, document: DEMO_CATALOG });
    const c = compileCatalog(DEMO_CATALOG, 1, 0);
    expect([...c.tiers.keys()]).toEqual(["vip", "svip"]);
    expect([...c.plans.keys()]).toEqual(["vip_month", "vip_year", "svip_month", "svip_year"]);
    expect(c.plans.get("vip_month")).toMatchObject({
      period: "P1M",
      price: { amount: 1500, currency: "CNY" },
    });
    expect(c.plans.get("vip_year")).toMatchObject({
      period: "P1Y",
      price: { amount: 15800, currency: "CNY" },
    });
    expect(c.plans.get("svip_month")).toMatchObject({
      period: "P1M",
      price: { amount: 3000, currency: "CNY" },
    });
    expect(c.plans.get("svip_year")).toMatchObject({
      period: "P1Y",
      price: { amount: 30800, currency: "CNY" },
    });
  });

  it("shows every rule", () => {
    const c = compileCatalog(DEMO_CATALOG, 1, 0);
    expect(c.benefits.get("hd_download_boost")!.activation).toBe("toggle");
    expect(c.benefits.get("monthly_gift")!.activation).toBe("claim");
    expect(c.benefits.get("cloud_storage")!.quota).toEqual({
      limit: 2048,
      unit: "GB",
      period: null,
      anchor: null,
    });
    expect(c.benefits.get("cloud_storage_plus")!.quota).toEqual({
      limit: 8192,
      unit: "GB",
      period: null,
      anchor: null,
    });
    const discount = c.benefits.get("member_discount")!;
    expect(discount.discount).toEqual({ percentOff: 5 });
    expect(discount.effective).toEqual({ type: "next_day" });
    expect([...discount.scope!.categories!]).toEqual(["books"]);
    expect(discount.scope!.excludeSaleItems).toBe(true);
    const zone = c.benefits.get("vip_zone")!;
    expect(zone.resources).toEqual(["zone:vip-lounge"]);
    expect(zone.minClientVersion).toEqual({ "*": "5.2.0" });
  });

  it("gives svip everything vip has, with the larger storage, plus the concierge", () => {
    const c = compileCatalog(DEMO_CATALOG, 1, 0);
    const vip = c.tiers.get("vip")!.benefits;
    const svip = c.tiers.get("svip")!.benefits;
    expect(c.tiers.get("svip")!.rank).toBeGreaterThan(c.tiers.get("vip")!.rank);
    for (const b of vip) if (b !== "cloud_storage") expect(svip.has(b)).toBe(true);
    expect(svip.has("cloud_storage")).toBe(false);
    expect(svip.has("cloud_storage_plus")).toBe(true);
    expect(svip.has("svip_concierge")).toBe(true);
    expect(vip.has("svip_concierge")).toBe(false);
    expect(c.benefits.get("ad_free")!.tiers).toEqual(["vip", "svip"]);
  });

  it("names everything in every locale", () => {
    const texts = [
      ...DEMO_CATALOG.tiers.map((t) => t.name),
      ...DEMO_CATALOG.benefits.flatMap((b) => [b.name, b.description]),
    ];
    for (const text of texts) {
      expect(typeof text).toBe("object");
      for (const locale of LOCALES) expect((text as Record<string, string>)[locale]).toBeTruthy();
    }
  });
});
