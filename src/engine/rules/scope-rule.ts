/**
 * `scope`: the decision context (channel, product id, category, sale status) against the benefit's
 * allow-lists and exclusions. A dimension the context does not mention passes: "no product given" is
 * not "wrong product". The first failing dimension is reported, most specific first.
 */
import type { GrantRule, RuleFailure } from "./rule-types.js";

export type ScopeDimension = "category" | "product" | "channel" | "sale_item";

const lists = new WeakMap<ReadonlySet<string>, readonly string[]>();

/** The set as a frozen array, computed once per compiled set. */
function listOf(set: ReadonlySet<string>): readonly string[] {
  let list = lists.get(set);
  if (list === undefined) {
    list = Object.freeze([...set]);
    lists.set(set, list);
  }
  return list;
}

const NO_ACTION = Object.freeze({ actor: "member", action: "none" } as const);

function outside(
  dimension: ScopeDimension,
  rule: "allow" | "exclude",
  expected: readonly string[] | boolean,
  actual: string | boolean,
): RuleFailure {
  return { code: "OUT_OF_SCOPE", details: { dimension, rule, expected, actual }, remedy: NO_ACTION };
}

const SALE_ITEM = Object.freeze({
  code: "OUT_OF_SCOPE",
  details: Object.freeze({ dimension: "sale_item", rule: "exclude", expected: false, actual: true }),
  remedy: NO_ACTION,
} as const);

export const scopeRule: GrantRule = {
  code: "scope",
  blocking: true,
  needsGrant: true,
  reasons: ["OUT_OF_SCOPE"],
  step: "scenario",
  check({ benefit, ctx }) {
    const scope = benefit.scope;
    if (scope === null) return null;
    const channel = ctx.channel;
    if (channel !== undefined) {
      if (scope.channels !== null && !scope.channels.has(channel)) {
        return outside("channel", "allow", listOf(scope.channels), channel);
      }
      if (scope.excludeChannels?.has(channel)) {
        return outside("channel", "exclude", listOf(scope.excludeChannels), channel);
      }
    }
    const product = ctx.product;
    if (product === undefined) return null;
    const id = product.id;
    if (id !== undefined) {
      if (scope.products !== null && !scope.products.has(id)) {
        return outside("product", "allow", listOf(scope.products), id);
      }
      if (scope.excludeProducts?.has(id)) {
        return outside("product", "exclude", listOf(scope.excludeProducts), id);
      }
    }
    const category = product.category;
    if (category !== undefined) {
      if (scope.categories !== null && !scope.categories.has(category)) {
        return outside("category", "allow", listOf(scope.categories), category);
      }
      if (scope.excludeCategories?.has(category)) {
        return outside("category", "exclude", listOf(scope.excludeCategories), category);
      }
    }
    if (scope.excludeSaleItems && product.onSale === true) return SALE_ITEM;
    return null;
  },
};
