import { Value } from "@sinclair/typebox/value";
import { describe, expect, it } from "vitest";
import { DEFAULT_RISK_RULES, RiskRulesSchema, riskRulesProblems, windowMillis } from "./risk-rules.js";

const with_ = (path: "sharedDevice" | "unusualLocation", patch: Record<string, unknown>) => ({
  ...DEFAULT_RISK_RULES,
  [path]: { ...DEFAULT_RISK_RULES[path], ...patch },
});

describe("risk rules", () => {
  it("the defaults are valid", () => {
    expect(Value.Check(RiskRulesSchema, DEFAULT_RISK_RULES)).toBe(true);
    expect(riskRulesProblems(DEFAULT_RISK_RULES)).toEqual([]);
  });

  it("windows are fixed lengths: weeks to seconds, never months or years", () => {
    for (const ok of ["P1D", "PT2H", "P1W", "P1DT12H", "PT90M", "PT30S"]) {
      expect(Value.Check(RiskRulesSchema, with_("sharedDevice", { window: ok })), ok).toBe(true);
    }
    for (const bad of ["P1M", "P1Y", "P", "PT", "1D", "P1.5D", "-P1D", "P1DT"]) {
      expect(Value.Check(RiskRulesSchema, with_("sharedDevice", { window: bad })), bad).toBe(false);
    }
    expect(windowMillis("P1DT2H")).toBe(26 * 3_600_000);
  });

  it("lists every problem the schema cannot see", () => {
    const rules = {
      ...with_("sharedDevice", { window: "PT0S" }),
      unusualLocation: { ...DEFAULT_RISK_RULES.unusualLocation, window: "P2W", history: "P1W" },
    };
    expect(riskRulesProblems(rules)).toEqual([
      { path: "/sharedDevice/window", message: "must be longer than zero" },
      { path: "/unusualLocation/window", message: "must not be longer than history" },
    ]);
    expect(riskRulesProblems(with_("sharedDevice", { window: "P367D" }))).toEqual([
      { path: "/sharedDevice/window", message: "must be at most 366 days" },
    ]);
  });
});
