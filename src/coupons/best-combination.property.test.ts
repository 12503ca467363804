/**
 * The best combination against a brute force: on random carts and coupon sets, every subset of the
 * usable coupons is enumerated, checked against the stacking rules and valued line by line, and the
 * preferred one (largest value, then fewer coupons, then earliest expiries, then listing order) must
 * be exactly what evaluateCheckout answers. The brute force shares only `allocate` with the engine.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CouponDoc } from "../catalog/catalog-types.js";
import { evaluateCheckout } from "./checkout-engine.js";
import {
  activeMember,
  checkoutCatalog,
  checkoutInput,
  heldCoupon,
  line,
  snapshot,
  T,
  usage,
} from "./checkout-fixtures.js";
import { allocate } from "./checkout-money.js";
import type { CheckoutEvaluation, CouponUsage, MemberCouponView } from "./coupon-types.js";

const CATEGORIES = ["books", "toys", "food"] as const;
const CNY = (amount: number) => ({ amount, currency: "CNY" });

const lineArb = fc.record({
  category: fc.constantFrom(...CATEGORIES),
  onSale: fc.boolean(),
  // Cheap lines too, so that stacked coupons often fill a line and adding one more saves nothing.
  price: fc.oneof(
    fc.constantFrom(300, 1_000, 3_000),
    fc.integer({ min: 1, max: 2_000 }),
    fc.integer({ min: 1, max: 20_000 }),
  ),
  quantity: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3 })),
});

/** A value one draw in four, else null. */
const rarely = <V>(arb: fc.Arbitrary<V>) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: arb, weight: 1 });

const templateArb = fc.record({
  value: fc.oneof(
    fc.record({
      // Round values half the time, so that equal savings (and the tie-breaks) come up often.
      percentOff: fc.oneof(fc.constantFrom(10, 20), fc.integer({ min: 1, max: 60 })),
      maxOff: fc.option(fc.oneof(fc.constantFrom(500, 1_000), fc.integer({ min: 100, max: 5_000 }))),
    }),
    fc.record({
      amountOff: fc.oneof(fc.constantFrom(500, 1_000, 3_000), fc.integer({ min: 100, max: 8_000 })),
    }),
  ),
  group: fc.constantFrom(null, null, "a", "b", "c"),
  /** 0 (one draw in five) makes the template exclusive. */
  exclusiveDraw: fc.integer({ min: 0, max: 4 }),
  scope: fc.constantFrom("none", "books", "not_food", "no_sale"),
  minAmount: rarely(fc.integer({ min: 1_000, max: 30_000 })),
  minQuantity: rarely(fc.integer({ min: 2, max: 6 })),
  perMember: fc.option(fc.integer({ min: 1, max: 3 })),
  total: fc.option(fc.integer({ min: 3, max: 6 })),
  memberUsed: fc.integer({ min: 0, max: 2 }),
  totalUsed: fc.integer({ min: 0, max: 4 }),
});

type TemplateDraw = typeof templateArb extends fc.Arbitrary<infer X> ? X : never;

function toDoc(t: TemplateDraw, i: number): CouponDoc {
  const conditions: NonNullable<CouponDoc["conditions"]> = {};
  if (t.scope === "books") conditions.scope = { categories: ["books"] };
  if (t.scope === "not_food") conditions.scope = { excludeCategories: ["food"] };
  if (t.scope === "no_sale") conditions.scope = { excludeSaleItems: true };
  if (t.minAmount !== null) conditions.minAmount = CNY(t.minAmount);
  if (t.minQuantity !== null) conditions.minQuantity = t.minQuantity;
  const doc: CouponDoc = {
    code: `c${i}`,
    name: `Coupon ${i}`,
    conditions,
    stacking: { ...(t.group === null ? {} : { group: t.group }), exclusive: t.exclusiveDraw === 0 },
    limits: {
      ...(t.perMember === null ? {} : { perMember: t.perMember }),
      ...(t.total === null ? {} : { total: Math.max(t.total, t.perMember ?? 0) }),
    },
  };
  if ("percentOff" in t.value) {
    doc.percentOff = t.value.percentOff;
    if (t.value.maxOff !== null) doc.maxOff = CNY(t.value.maxOff);
  } else doc.amountOff = CNY(t.value.amountOff);
  return doc;
}

const scenarioArb = fc
  .record({
    lines: fc.array(lineArb, { minLength: 1, maxLength: 8 }),
    templates: fc.array(templateArb, { minLength: 1, maxLength: 6 }),
    member: fc.constantFrom("vip", "none"),
    channel: fc.constantFrom("official_web", "official_app"),
  })
  .chain((s) =>
    fc.record({
      s: fc.constant(s),
      held: fc.array(
        fc.record({
          template: fc.integer({ min: 0, max: s.templates.length - 1 }),
          expiresInHours: fc.option(fc.integer({ min: 1, max: 6 }), { freq: 4 }),
          unusable: fc.integer({ min: 0, max: 9 }),
        }),
        { minLength: 0, maxLength: 10, size: "max" },
      ),
      selection: fc.option(fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), { freq: 2 }),
    }),
  );

/** The stacking rules, written again from the brief: exclusive alone, one per group, capacity per template. */
function allowed(set: MemberCouponView[], docs: Map<string, CouponDoc>, use: CouponUsage): boolean {
  const groups = new Set<string>();
  const counts = new Map<string, number>();
  for (const c of set) {
    const doc = docs.get(c.template)!;
    if (doc.stacking?.exclusive && set.length > 1) return false;
    const group = doc.stacking?.group;
    if (group !== undefined) {
      if (groups.has(group)) return false;
      groups.add(group);
    }
    counts.set(c.template, (counts.get(c.template) ?? 0) + 1);
  }
  for (const [code, count] of counts) {
    const limits = docs.get(code)!.limits ?? {};
    const member =
      limits.perMember === undefined ? Infinity : limits.perMember - (use.memberUsed.get(code) ?? 0);
    const total = limits.total === undefined ? Infinity : limits.total - (use.totalUsed.get(code) ?? 0);
    if (count > Math.min(member, total)) return false;
  }
  return true;
}

interface Scored {
  ids: string[];
  value: number;
  key: [number, number][];
}

function bruteForce(
  evaluation: CheckoutEvaluation,
  held: MemberCouponView[],
  selected: Set<string> | null,
  docs: Map<string, CouponDoc>,
  use: CouponUsage,
): Scored {
  const totals = evaluation.lines.map((l) => l.lineTotal.amount);
  const usable = evaluation.coupons
    .map((c, listIndex) => ({ c, listIndex, view: held[listIndex] }))
    .filter(({ c }) => c.code !== null && c.reasons.every((r) => r.code === "NOT_STACKABLE"))
    .filter(({ c }) => selected === null || selected.has(c.couponId));
  let best: Scored = { ids: [], value: 0, key: [] };
  for (let mask = 1; mask < 1 << usable.length; mask++) {
    const set = usable.filter((_, k) => mask & (1 << k));
    if (
      !allowed(
        set.map((u) => u.view),
        docs,
        use,
      )
    )
      continue;
    const covered = new Array<number>(totals.length).fill(0);
    for (const { c } of set) {
      const shares = allocate(c.saving.amount, c.eligibleLines, totals);
      c.eligibleLines.forEach((l, k) => {
        covered[l] += shares[k];
      });
    }
    const value = covered.reduce((sum, v, l) => sum + Math.min(v, totals[l]), 0);
    const key = set
      .map(({ view, listIndex }): [number, number] => [view.validUntil ?? Infinity, listIndex])
      .sort((x, y) => (x[0] === y[0] ? x[1] - y[1] : x[0] - y[0]));
    const candidate = { ids: set.map(({ c }) => c.couponId), value, key };
    if (prefer(candidate, best)) best = candidate;
  }
  return best;
}

function prefer(a: Scored, b: Scored): boolean {
  if (a.value !== b.value) return a.value > b.value;
  if (a.key.length !== b.key.length) return a.key.length < b.key.length;
  for (let k = 0; k < a.key.length; k++) {
    if (a.key[k][0] !== b.key[k][0]) return a.key[k][0] < b.key[k][0];
    if (a.key[k][1] !== b.key[k][1]) return a.key[k][1] < b.key[k][1];
  }
  return false;
}

describe("best combination: property test against brute force", () => {
  it("equals the best of every subset under the same rules and tie-breaks", () => {
    fc.assert(
      fc.property(scenarioArb, ({ s, held: draws, selection }) => {
        const docs = s.templates.map(toDoc);
        const catalog = checkoutCatalog(docs);
        const byCode = new Map(docs.map((d) => [d.code, d]));
        const member = s.member === "vip" ? activeMember(catalog, "vip") : snapshot();
        const held = draws.map((h) =>
          heldCoupon(`c${h.template}`, {
            validUntil: h.expiresInHours === null ? null : T.end - h.expiresInHours * T.hour,
            ...(h.unusable === 0 ? { status: "used" as const, orderRef: "ord_1" } : {}),
            ...(h.unusable === 1 ? { claimedAt: null } : {}),
          }),
        );
        const use = usage(
          Object.fromEntries(s.templates.map((t, i) => [`c${i}`, t.memberUsed])),
          Object.fromEntries(s.templates.map((t, i) => [`c${i}`, t.totalUsed])),
        );
        const selected = selection === null ? null : held.filter((_, k) => selection[k]).map((c) => c.id);
        const cartLines = s.lines.map((l, i) => line(`p${i}`, l.category, l.price, l.quantity, l.onSale));
        const evaluation = evaluateCheckout(
          member,
          catalog,
          checkoutInput({
            cart: { lines: cartLines, channel: s.channel },
            coupons: held,
            usage: use,
            selected,
          }),
        );
        const expected = bruteForce(
          evaluation,
          held,
          selected === null ? null : new Set(selected),
          byCode,
          use,
        );
        const listed = evaluation.coupons.map((c) => c.couponId);
        const inListingOrder = [...expected.ids].sort((a, b) => listed.indexOf(a) - listed.indexOf(b));
        expect(evaluation.best.coupons).toEqual(inListingOrder);
        expect(evaluation.best.saving.amount).toBe(expected.value);
        expect(evaluation.best.total.amount).toBe(evaluation.memberSubtotal.amount - expected.value);
        expect(evaluation.best.total.amount).toBeGreaterThanOrEqual(0);
        // A coupon left out for stacking names only coupons of the best combination.
        for (const c of evaluation.coupons) {
          for (const r of c.reasons.filter((x) => x.code === "NOT_STACKABLE")) {
            for (const id of r.details.conflictsWith as string[])
              expect(evaluation.best.coupons).toContain(id);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("computes each usable coupon's own saving from its eligible lines as documented", () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 8 }),
        fc.array(templateArb, { minLength: 1, maxLength: 6 }),
        (lines, templates) => {
          const docs = templates
            .map(toDoc)
            .map((d) => ({ ...d, conditions: { scope: d.conditions?.scope } }));
          const catalog = checkoutCatalog(docs);
          const held = docs.map((d) => heldCoupon(d.code));
          const cartLines = lines.map((l, i) => line(`p${i}`, l.category, l.price, l.quantity, l.onSale));
          const evaluation = evaluateCheckout(
            activeMember(catalog, "vip"),
            catalog,
            checkoutInput({ cart: { lines: cartLines, channel: "official_web" }, coupons: held }),
          );
          evaluation.coupons.forEach((c, i) => {
            if (c.reasons.some((r) => r.code !== "NOT_STACKABLE")) return;
            const subtotal = c.eligibleLines.reduce(
              (sum, l) => sum + evaluation.lines[l].lineTotal.amount,
              0,
            );
            const doc = docs[i];
            let saving =
              doc.percentOff !== undefined
                ? Number((BigInt(subtotal) * BigInt(doc.percentOff)) / 100n)
                : Math.min(doc.amountOff!.amount, subtotal);
            if (doc.maxOff !== undefined) saving = Math.min(saving, doc.maxOff.amount);
            expect(c.saving.amount).toBe(saving);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
