import { describe, expect, it } from "vitest";
import type { CatalogDocument } from "../../catalog/catalog-types.js";
import { decide } from "../decide.js";
import { activeMember, context, FIXTURE_DOCUMENT, fixtureCatalog, T } from "../engine-fixtures.js";
import type { GrantView } from "../engine-types.js";
import { buildEntitlements } from "../entitlements.js";
import { quotaRule } from "./quota-rule.js";

const DOCUMENT: CatalogDocument = {
  tiers: FIXTURE_DOCUMENT.tiers.map((t) =>
    t.code === "vip" ? { ...t, benefits: [...t.benefits, "hd_downloads"] } : t,
  ),
  benefits: [
    ...FIXTURE_DOCUMENT.benefits,
    {
      code: "hd_downloads",
      kind: "quota",
      name: { en: "HD downloads", "zh-CN": "高清下载" },
      quota: { limit: 10, unit: "downloads", period: "P1D" },
    },
  ],
};
const catalog = fixtureCatalog(DOCUMENT);
/** Midnight after T.now in Shanghai: when today's downloads reset. */
const MIDNIGHT = Date.parse("2026-11-30T16:00:00.000Z");

function member(over: Partial<GrantView>) {
  return activeMember(catalog, "vip", {}, over);
}

function check(benefit: string, over: Partial<GrantView>, usage?: number, at = T.now) {
  const m = member(over);
  return quotaRule.check({
    snapshot: m,
    catalog,
    benefit: catalog.benefits.get(benefit)!,
    grant: m.grantsByBenefit.get(benefit)![0],
    membership: m.memberships[0],
    ctx: context({ at, usage }),
  });
}

describe("quota rule", () => {
  it("passes while something is left, denies once the limit is reached", () => {
    expect(check("hd_downloads", { quotaUsed: 9, quotaResetsAt: MIDNIGHT })).toBeNull();
    expect(check("hd_downloads", { quotaUsed: 10, quotaResetsAt: MIDNIGHT })).toEqual({
      code: "QUOTA_EXHAUSTED",
      details: { limit: 10, used: 10, requested: 0, unit: "downloads", resetAt: "2026-11-30T16:00:00.000Z" },
      remedy: { actor: "member", action: "wait", until: "2026-11-30T16:00:00.000Z" },
    });
  });

  it("with context.usage, denies a request that would pass the limit and allows one that reaches it", () => {
    expect(check("hd_downloads", { quotaUsed: 7, quotaResetsAt: MIDNIGHT }, 3)).toBeNull();
    expect(check("hd_downloads", { quotaUsed: 7, quotaResetsAt: MIDNIGHT }, 4)).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      details: { limit: 10, used: 7, requested: 4 },
      remedy: { action: "wait" },
    });
    // More than a whole period holds: waiting does not help.
    expect(check("hd_downloads", {}, 11)).toEqual({
      code: "QUOTA_EXHAUSTED",
      details: { limit: 10, used: 0, requested: 11, unit: "downloads", resetAt: null },
      remedy: { actor: "member", action: "upgrade_tier" },
    });
  });

  it("counts a period that has ended as unused, before anything resets the row", () => {
    const spent = { quotaUsed: 10, quotaResetsAt: MIDNIGHT };
    expect(check("hd_downloads", spent, 1, MIDNIGHT - 1)).not.toBeNull();
    expect(check("hd_downloads", spent, 1, MIDNIGHT)).toBeNull();
    expect(check("hd_downloads", spent, 10, MIDNIGHT)).toBeNull();
  });

  it("never resets a quota without a period: the remedy is a bigger tier", () => {
    expect(check("cloud_storage", { quotaUsed: 2000 }, 48)).toBeNull();
    expect(check("cloud_storage", { quotaUsed: 2000 }, 49)).toEqual({
      code: "QUOTA_EXHAUSTED",
      details: { limit: 2048, used: 2000, requested: 49, unit: "GB", resetAt: null },
      remedy: { actor: "member", action: "upgrade_tier" },
    });
  });

  it("ignores benefits that are not quotas", () => {
    expect(check("ad_free", { quotaUsed: 1e9 }, 5)).toBeNull();
  });

  it("answers each request with its own numbers, though failures are shared per grant", () => {
    const m = member({ quotaUsed: 8, quotaResetsAt: MIDNIGHT });
    const at = (usage: number) => decide(m, catalog, "hd_downloads", context({ usage }));
    expect(at(3).reasons[0].details).toMatchObject({ used: 8, requested: 3 });
    expect(at(5).reasons[0].details).toMatchObject({ used: 8, requested: 5 });
    expect(at(3).reasons[0]).toBe(at(3).reasons[0]);
    expect(at(2).allowed).toBe(true);
    // The same grant after its period ended: nothing is used, so a request of 5 passes.
    expect(decide(m, catalog, "hd_downloads", context({ usage: 5, at: MIDNIGHT })).allowed).toBe(true);
  });

  it("tells the member in their language how much is left and when it resets", () => {
    const m = member({ quotaUsed: 8, quotaResetsAt: MIDNIGHT });
    const reason = (locale: "en" | "zh-CN", usage?: number) =>
      decide(m, catalog, "hd_downloads", context({ locale, usage })).reasons[0];
    expect(reason("en", 5)).toEqual({
      code: "QUOTA_EXHAUSTED",
      cause: "rule_condition",
      message:
        "You asked for 5 downloads of HD downloads, but only 2 of your 10 downloads are left; it resets on 2026-12-01 00:00 (Asia/Shanghai).",
      details: { limit: 10, used: 8, requested: 5, unit: "downloads", resetAt: "2026-11-30T16:00:00.000Z" },
      remedy: { actor: "member", action: "wait", until: "2026-11-30T16:00:00.000Z" },
    });
    expect(reason("zh-CN", 5).message).toBe(
      "高清下载剩余额度不足（剩余2 downloads，本次需要5 downloads），将于2026-12-01 00:00 (Asia/Shanghai)重置",
    );
    const spent = member({ quotaUsed: 10, quotaResetsAt: MIDNIGHT });
    expect(decide(spent, catalog, "hd_downloads", context({ locale: "en" })).reasons[0].message).toBe(
      "You have used 10 of your 10 downloads of HD downloads; it resets on 2026-12-01 00:00 (Asia/Shanghai).",
    );
  });

  it("shows the member centre what is used, what is left and when it resets", () => {
    const m = member({ quotaUsed: 10, quotaResetsAt: MIDNIGHT });
    const quota = (at: number) =>
      buildEntitlements(m, catalog, { at, locale: "en" }).benefits.find((b) => b.benefit === "hd_downloads");
    expect(quota(T.now)).toMatchObject({
      state: "active",
      quota: {
        limit: 10,
        unit: "downloads",
        used: 10,
        remaining: 0,
        period: "P1D",
        anchor: "calendar",
        resetAt: "2026-11-30T16:00:00.000Z",
      },
      reasons: [{ code: "QUOTA_EXHAUSTED" }],
    });
    expect(quota(MIDNIGHT)).toMatchObject({
      // Nothing used in the new day: the snapshot still says when this day's downloads reset.
      quota: { used: 0, remaining: 10, anchor: "calendar", resetAt: "2026-12-01T16:00:00.000Z" },
      reasons: [{ code: "GRANTED" }],
    });
  });
});
