import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "../engine/decide.js";
import {
  activeMember,
  context,
  fixtureCatalog,
  pendingOrder,
  snapshot,
  T,
} from "../engine/engine-fixtures.js";
import { batchJson, decisionJson } from "./decision-json.js";

const catalog = fixtureCatalog();
const benefits = [...catalog.benefits.keys()];

describe("decisionJson", () => {
  it("is exactly JSON.stringify of the decision, for every benefit, member and context", () => {
    const members = [
      activeMember(catalog, "vip"),
      activeMember(catalog, "svip", { memberId: 'quote"d\\ 会员 \u2028' }),
      activeMember(catalog, "vip", {}, { toggledOn: true, claimedAt: T.start }),
      snapshot({ memberId: "pending", pendingOrders: [pendingOrder({ orderId: "o1" })] }),
      snapshot({ memberId: "ghost", exists: false }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...members),
        fc.constantFrom(...benefits),
        fc.record({
          locale: fc.constantFrom("en" as const, "zh-CN" as const),
          at: fc.integer({ min: T.start - 86_400_000, max: T.end + 86_400_000 }),
          channel: fc.option(fc.constantFrom("official_app", "partner:x", 'we"ird'), { nil: undefined }),
          product: fc.option(
            fc.record({ category: fc.constantFrom("books", "toys"), onSale: fc.boolean(), id: fc.string() }),
            { nil: undefined },
          ),
          client: fc.option(
            fc.record({
              platform: fc.constantFrom("ios", "android", "web"),
              version: fc.constantFrom("5.0.0", "5.2.0", "x"),
              entitlementsVersion: fc.integer({ min: 0, max: 20 }),
            }),
            { nil: undefined },
          ),
        }),
        (member, benefit, ctx) => {
          const decision = decide(member, catalog, benefit, context(ctx));
          expect(decisionJson(decision).toString()).toBe(JSON.stringify(decision));
          // The memoized fragments serialize the same the second time.
          expect(decisionJson(decision).toString()).toBe(JSON.stringify(decision));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("wraps a batch as {results: […]}", () => {
    const member = activeMember(catalog, "vip");
    const decisions = benefits.map((b) => decide(member, catalog, b, context()));
    expect(batchJson(decisions).toString()).toBe(JSON.stringify({ results: decisions }));
    expect(batchJson([]).toString()).toBe('{"results":[]}');
  });
});
