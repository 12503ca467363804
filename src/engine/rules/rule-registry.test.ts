import { describe, expect, it } from "vitest";
import { REASON_CODES } from "../engine-types.js";
import { RULES } from "./rule-registry.js";

describe("rule registry", () => {
  it("lists the rules in evaluation order, each once", () => {
    expect(RULES.map((r) => r.code)).toEqual([
      "hold",
      "grace-period",
      "effective-time",
      "activation",
      "quota",
      "scope",
      "min-client-version",
      "client-cache",
    ]);
    expect(Object.isFrozen(RULES)).toBe(true);
  });

  it("declares only reason codes of the closed list, and GRANTED never", () => {
    for (const rule of RULES) {
      expect(rule.reasons.length).toBeGreaterThan(0);
      for (const code of rule.reasons) {
        expect(Object.keys(REASON_CODES)).toContain(code);
        expect(code).not.toBe("GRANTED");
      }
    }
  });

  it("has two advisory rules today: the grace period and the stale client cache", () => {
    expect(RULES.filter((r) => !r.blocking).map((r) => r.code)).toEqual(["grace-period", "client-cache"]);
  });
});
