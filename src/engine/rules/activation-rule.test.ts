import { describe, expect, it } from "vitest";
import { decide } from "../decide.js";
import { activeMember, context, fixtureCatalog, T } from "../engine-fixtures.js";
import type { GrantView } from "../engine-types.js";
import { activationRule } from "./activation-rule.js";

const catalog = fixtureCatalog();

function check(benefit: string, over: Partial<GrantView>) {
  const member = activeMember(catalog, "vip", {}, over);
  const grant = member.grantsByBenefit.get(benefit)![0];
  return activationRule.check({
    snapshot: member,
    catalog,
    benefit: catalog.benefits.get(benefit)!,
    grant,
    membership: member.memberships[0],
    ctx: context(),
  });
}

describe("activation rule", () => {
  it("requires a claim until the grant is claimed", () => {
    expect(check("monthly_gift", { claimedAt: null })).toEqual({
      code: "CLAIM_REQUIRED",
      details: {},
      remedy: { actor: "member", action: "claim" },
    });
    expect(check("monthly_gift", { claimedAt: T.start + T.hour })).toBeNull();
  });

  it("requires a toggle benefit to be switched on", () => {
    expect(check("hd_download_boost", { toggledOn: false })).toEqual({
      code: "TOGGLE_OFF",
      details: {},
      remedy: { actor: "member", action: "toggle_on" },
    });
    expect(check("hd_download_boost", { toggledOn: true })).toBeNull();
  });

  it("never stops an automatic benefit, whatever the claim/toggle fields say", () => {
    expect(check("ad_free", { claimedAt: null, toggledOn: false })).toBeNull();
  });

  it("gives members the words and the remedy in both locales", () => {
    const member = activeMember(catalog);
    const claim = (locale: "en" | "zh-CN") => decide(member, catalog, "monthly_gift", context({ locale }));
    expect(claim("en").reasons).toEqual([
      {
        code: "CLAIM_REQUIRED",
        cause: "rule_condition",
        message: "Claim Monthly gift first to start using it.",
        details: {},
        remedy: { actor: "member", action: "claim" },
      },
    ]);
    expect(claim("zh-CN").reasons[0].message).toBe("请先领取每月礼包，领取后即可使用");
    const toggle = (locale: "en" | "zh-CN") =>
      decide(member, catalog, "hd_download_boost", context({ locale }));
    expect(toggle("en").reasons).toEqual([
      {
        code: "TOGGLE_OFF",
        cause: "rule_condition",
        message: "HD download boost is switched off. Turn it on to use it.",
        details: {},
        remedy: { actor: "member", action: "toggle_on" },
      },
    ]);
    expect(toggle("zh-CN").reasons[0].message).toBe("高清下载加速尚未开启，打开开关后即可使用");
  });
});
