import { describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../demo/demo-catalog.js";
import { removedEntities } from "./change-impact.js";

describe("removedEntities", () => {
  it("lists nothing for the first version or an unchanged document", () => {
    expect(removedEntities(null, DEMO_CATALOG)).toEqual([]);
    expect(removedEntities(DEMO_CATALOG, structuredClone(DEMO_CATALOG))).toEqual([]);
  });

  it("lists a removed tier with its plans, then each plan, then the benefits, in document order", () => {
    const after = structuredClone(DEMO_CATALOG);
    after.tiers = after.tiers.filter((t) => t.code !== "svip");
    for (const t of after.tiers) t.benefits = t.benefits.filter((b) => b !== "ad_free");
    after.benefits = after.benefits.filter((b) => b.code !== "ad_free" && b.code !== "svip_concierge");
    expect(removedEntities(DEMO_CATALOG, after)).toEqual([
      { kind: "tier", code: "svip", tier: null, plans: ["svip_month", "svip_year"] },
      { kind: "plan", code: "svip_month", tier: "svip", plans: ["svip_month"] },
      { kind: "plan", code: "svip_year", tier: "svip", plans: ["svip_year"] },
      { kind: "benefit", code: "ad_free", tier: null, plans: [] },
      { kind: "benefit", code: "svip_concierge", tier: null, plans: [] },
    ]);
  });

  it("a plan moved to another tier, or a benefit dropped from one tier only, is not removed", () => {
    const after = structuredClone(DEMO_CATALOG);
    const [vip, svip] = after.tiers;
    svip.plans.push(vip.plans.pop()!);
    vip.benefits = vip.benefits.filter((b) => b !== "vip_zone");
    expect(removedEntities(DEMO_CATALOG, after)).toEqual([]);
  });
});
