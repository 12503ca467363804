import { describe, expect, it } from "vitest";
import { decide } from "../decide.js";
import { activeMember, context, fixtureCatalog, hold, snapshot, T } from "../engine-fixtures.js";
import type { HoldView } from "../engine-types.js";
import { buildEntitlements } from "../entitlements.js";
import { holdRule } from "./hold-rule.js";

const catalog = fixtureCatalog();

function check(benefit: string, holds: HoldView[]) {
  const member = activeMember(catalog, "vip", { holds });
  return holdRule.check({
    snapshot: member,
    catalog,
    benefit: catalog.benefits.get(benefit)!,
    grant: member.grantsByBenefit.get(benefit)![0],
    membership: member.memberships[0],
    ctx: context(),
  });
}

describe("hold rule", () => {
  it("passes without holds", () => {
    expect(check("ad_free", [])).toBeNull();
  });

  it("denies every benefit under a hold of all benefits, with the reason and the member's remedy", () => {
    const h = hold({ id: "hold_1", reason: "shared_device", placedAt: T.now - T.hour });
    expect(check("ad_free", [h])).toEqual({
      code: "ACCOUNT_ON_HOLD",
      details: {
        holdId: "hold_1",
        holdReason: "shared_device",
        placedAt: new Date(T.now - T.hour).toISOString(),
        clearMethod: "verify_identity",
      },
      remedy: { actor: "member", action: "verify_identity" },
    });
    expect(check("vip_zone", [h])?.code).toBe("ACCOUNT_ON_HOLD");
  });

  it("denies only the listed benefits of a scoped hold", () => {
    const h = hold({ id: "hold_1", benefits: ["vip_zone"] });
    expect(check("vip_zone", [h])?.code).toBe("ACCOUNT_ON_HOLD");
    expect(check("ad_free", [h])).toBeNull();
  });

  it("sends the member to support when a covering hold can only be cleared by an agent", () => {
    const verify = hold({ id: "hold_v", placedAt: T.now - 2 * T.hour });
    const agent = hold({
      id: "hold_a",
      reason: "chargeback",
      clearMethod: "agent",
      placedAt: T.now - T.hour,
    });
    const failure = check("ad_free", [verify, agent]);
    expect(failure?.details).toMatchObject({ holdId: "hold_a", holdReason: "chargeback" });
    expect(failure?.remedy).toEqual({ actor: "support", action: "contact_support" });
    // Of two holds the member can clear, the oldest first.
    const later = hold({ id: "hold_later", reason: "unusual_location", placedAt: T.now });
    expect(check("ad_free", [verify, later])?.details).toMatchObject({ holdId: "hold_v" });
  });

  it("shares one frozen failure per hold and benefit", () => {
    const member = activeMember(catalog, "vip", { holds: [hold({ id: "hold_1" })] });
    const a = decide(member, catalog, "ad_free", context());
    const b = decide(member, catalog, "ad_free", context());
    expect(a.reasons[0]).toBe(b.reasons[0]);
    expect(Object.isFrozen(a.reasons[0])).toBe(true);
  });

  it("decisions: ACCOUNT_ON_HOLD in the member's words; no hold talk without a membership", () => {
    const holds = [hold({ id: "hold_1", reason: "unusual_location" })];
    const held = decide(activeMember(catalog, "vip", { holds }), catalog, "ad_free", context());
    expect(held.allowed).toBe(false);
    expect(held.reasons).toEqual([
      {
        code: "ACCOUNT_ON_HOLD",
        cause: "account_risk",
        message:
          "No ads is paused on your account because of an unusual login location. Verify your identity to restore it.",
        details: expect.objectContaining({ holdId: "hold_1", holdReason: "unusual_location" }),
        remedy: { actor: "member", action: "verify_identity" },
      },
    ]);
    const agentOnly = [hold({ id: "hold_2", reason: "manual", clearMethod: "agent" })];
    const zh = decide(
      activeMember(catalog, "vip", { holds: agentOnly }),
      catalog,
      "ad_free",
      context({ locale: "zh-CN" }),
    );
    expect(zh.reasons[0].message).toBe("因人工安全审核，为保障账户安全，免广告已暂停，请联系客服处理");
    // A member without a membership is told so, not that they are on hold.
    const none = decide(snapshot({ holds }), catalog, "ad_free", context());
    expect(none.reasons.map((r) => r.code)).toEqual(["NO_MEMBERSHIP"]);
  });

  it("entitlements show held benefits as on_hold and the others as they are", () => {
    const holds = [hold({ id: "hold_1", benefits: ["ad_free"] })];
    const view = buildEntitlements(activeMember(catalog, "vip", { holds }), catalog, {
      at: T.now,
      locale: "en",
    });
    const state = (b: string) => view.benefits.find((e) => e.benefit === b)?.state;
    expect(state("ad_free")).toBe("on_hold");
    expect(state("cloud_storage")).toBe("active");
  });
});
