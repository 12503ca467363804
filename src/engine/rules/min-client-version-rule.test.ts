import { describe, expect, it } from "vitest";
import { decide } from "../decide.js";
import { activeMember, context, fixtureCatalog } from "../engine-fixtures.js";
import type { ClientContext } from "../engine-types.js";
import { minClientVersionRule, parseClientVersion } from "./min-client-version-rule.js";

const catalog = fixtureCatalog();
const member = activeMember(catalog);
const check = (benefit: string, client: ClientContext | undefined) =>
  minClientVersionRule.check({
    snapshot: member,
    catalog,
    benefit: catalog.benefits.get(benefit)!,
    grant: member.grantsByBenefit.get(benefit)![0],
    membership: member.memberships[0],
    ctx: context({ client }),
  });

describe("min-client-version rule", () => {
  it("fails below the minimum with platform, version and minimum", () => {
    expect(check("vip_zone", { platform: "ios", version: "5.1.9" })).toEqual({
      code: "CLIENT_OUTDATED",
      details: { platform: "ios", version: "5.1.9", minVersion: "5.2.0" },
      remedy: { actor: "member", action: "update_client" },
    });
  });

  it("passes at and above the minimum", () => {
    expect(check("vip_zone", { platform: "android", version: "5.2.0" })).toBeNull();
    expect(check("vip_zone", { platform: "web", version: "10.0.0" })).toBeNull();
  });

  it("uses each platform's own minimum, and none for a platform the benefit does not list", () => {
    expect(check("mobile_pip", { platform: "ios", version: "6.0.0" })).toBeNull();
    expect(check("mobile_pip", { platform: "android", version: "6.0.0" })?.details).toEqual({
      platform: "android",
      version: "6.0.0",
      minVersion: "6.1.0",
    });
    expect(check("mobile_pip", { platform: "web", version: "0.1.0" })).toBeNull();
  });

  it("applies the `*` minimum when the client names no platform", () => {
    expect(check("vip_zone", { version: "5.0.0" })?.details).toEqual({
      platform: null,
      version: "5.0.0",
      minVersion: "5.2.0",
    });
  });

  it("passes when the client reports no version, or there is no client", () => {
    expect(check("vip_zone", { platform: "ios" })).toBeNull();
    expect(check("vip_zone", undefined)).toBeNull();
    expect(check("ad_free", { platform: "ios", version: "0.0.1" })).toBeNull();
  });

  it("coerces version-like strings and treats anything else as outdated", () => {
    expect(check("vip_zone", { platform: "ios", version: "5.2" })).toBeNull();
    expect(check("vip_zone", { platform: "ios", version: "v5.3.0" })).toBeNull();
    expect(check("vip_zone", { platform: "android", version: "5.2.0.1234" })).toBeNull();
    expect(check("vip_zone", { platform: "ios", version: "5.2.0-beta.1" })?.code).toBe("CLIENT_OUTDATED");
    expect(check("vip_zone", { platform: "ios", version: "latest" })?.code).toBe("CLIENT_OUTDATED");
    expect(check("vip_zone", { platform: "ios", version: "build 9.9.9" })?.code).toBe("CLIENT_OUTDATED");
    expect(check("vip_zone", { platform: "ios", version: "" })?.code).toBe("CLIENT_OUTDATED");
    expect(parseClientVersion("6.1")?.version).toBe("6.1.0");
    expect(parseClientVersion("release-6.1.0")).toBeNull();
  });

  it("tells the member which version to install, in both locales", () => {
    const client = { platform: "android", version: "6.0.3" };
    const en = decide(member, catalog, "mobile_pip", context({ client }));
    expect(en.reasons).toEqual([
      {
        code: "CLIENT_OUTDATED",
        cause: "client_stale",
        message:
          "Picture in picture needs app version 6.1.0 or later on Android; yours is 6.0.3. Please update the app.",
        details: { platform: "android", version: "6.0.3", minVersion: "6.1.0" },
        remedy: { actor: "member", action: "update_client" },
      },
    ]);
    const zh = decide(member, catalog, "mobile_pip", context({ client, locale: "zh-CN" }));
    expect(zh.reasons[0].message).toBe("画中画需要Android客户端6.1.0或更高版本，您当前为6.0.3，请更新App");
  });
});
