import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { activeMember, fixtureCatalog, T } from "./engine-fixtures.js";
import { type DecisionContext, REASON_CODES, REMEDY_ACTIONS } from "./engine-types.js";
import { RULES } from "./rules/rule-registry.js";

const catalog = fixtureCatalog();
const benefitCodes = [...catalog.benefits.keys()];
const advisoryCodes = new Set(RULES.filter((r) => !r.blocking).flatMap((r) => r.reasons));

const contextArb: fc.Arbitrary<DecisionContext> = fc.record(
  {
    at: fc.integer({ min: T.start - 3 * T.day, max: T.end + 3 * T.day }),
    locale: fc.constantFrom("en" as const, "zh-CN" as const),
    channel: fc.constantFrom("official_app", "official_web", "partner:x"),
    product: fc.record(
      {
        id: fc.constantFrom("b1", "book-999", "p1"),
        category: fc.constantFrom("books", "toys", "gift_cards"),
        onSale: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    client: fc.record(
      {
        platform: fc.constantFrom("ios", "android", "web", "tv"),
        version: fc.constantFrom("5.1.0", "5.2.0", "6.1", "x", "7.0.0-rc.1"),
        entitlementsVersion: fc.integer({ min: 0, max: 20 }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["at", "locale"] },
);

describe("decide: invariants", () => {
  it("allowed exactly when reasons start with GRANTED and the rest are advisories", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...benefitCodes),
        contextArb,
        fc.boolean(),
        fc.boolean(),
        (benefit, ctx, toggledOn, claimed) => {
          const member = activeMember(catalog, "vip", {}, { toggledOn, claimedAt: claimed ? T.start : null });
          const d = decide(member, catalog, benefit, ctx);
          expect(d.benefit).toBe(benefit);
          expect(d.reasons.length).toBeGreaterThan(0);
          expect(d.allowed).toBe(d.reasons[0].code === "GRANTED");
          if (d.allowed) for (const r of d.reasons.slice(1)) expect(advisoryCodes.has(r.code)).toBe(true);
          else expect(d.reasons.some((r) => r.code === "GRANTED")).toBe(false);
          for (const r of d.reasons) {
            expect(r.cause).toBe(REASON_CODES[r.code]);
            expect(r.message.length).toBeGreaterThan(0);
            expect(REMEDY_ACTIONS).toContain(r.remedy.action);
            if (r.remedy.action === "wait" && r.remedy.actor === "member")
              expect(r.remedy.until).toBeTypeOf("string");
          }
          expect(decide(member, catalog, benefit, ctx)).toEqual(d);
        },
      ),
      { numRuns: 500 },
    );
  });
});
