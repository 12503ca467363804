import { describe, expect, it } from "vitest";
import { decide } from "../decide.js";
import { activeMember, context, fixtureCatalog, T } from "../engine-fixtures.js";
import { effectiveTimeRule } from "./effective-time-rule.js";
import type { GrantRuleInput } from "./rule-types.js";

const catalog = fixtureCatalog();
const member = activeMember(catalog);
const discountGrant = member.grantsByBenefit.get("member_discount")![0];
const input = (at: number): GrantRuleInput => ({
  snapshot: member,
  catalog,
  benefit: catalog.benefits.get("member_discount")!,
  grant: discountGrant,
  membership: member.memberships[0],
  ctx: context({ at }),
});

describe("effective-time rule", () => {
  it("passes from effectiveFrom on, including the exact instant", () => {
    expect(effectiveTimeRule.check(input(T.nextDay))).toBeNull();
    expect(effectiveTimeRule.check(input(T.end - 1))).toBeNull();
  });

  it("fails before effectiveFrom with the time to wait for", () => {
    expect(effectiveTimeRule.check(input(T.nextDay - 1))).toEqual({
      code: "NOT_YET_EFFECTIVE",
      details: { effectiveFrom: "2026-11-24T16:00:00.000Z" },
      remedy: { actor: "member", action: "wait", until: "2026-11-24T16:00:00.000Z" },
    });
  });

  it("renders a duration delay in the member's own time zone", () => {
    const ny = { ...member, timezone: "America/New_York" };
    const d = decide(ny, catalog, "early_access", context({ at: T.start + T.hour, locale: "zh-CN" }));
    expect(d.reasons).toEqual([
      {
        code: "NOT_YET_EFFECTIVE",
        cause: "rule_condition",
        message: "抢先看将于2026-11-24 21:00 (America/New_York)生效",
        details: { effectiveFrom: "2026-11-25T02:00:00.000Z" },
        remedy: { actor: "member", action: "wait", until: "2026-11-25T02:00:00.000Z" },
      },
    ]);
  });

  it("is a blocking grant rule of the benefit_rules step", () => {
    expect(effectiveTimeRule).toMatchObject({ blocking: true, needsGrant: true, step: "benefit_rules" });
  });
});
