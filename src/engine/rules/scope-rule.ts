/**
 * `scope`: the decision context (channel, product id, category, sale status) against the benefit's
 * allow-lists and exclusions. A dimension the context does not mention passes: "no product given" is
 * not "wrong product". The first failing dimension is reported, most specific first.
 */
import type { CompiledBenefit } from "../../catalog/catalog-types.js";
import { type GrantRule, type RuleFailure, sharedFailure } from "./rule-types.js";

export type ScopeDimension = "category" | "product" | "channel" | "sale_item";

const lists = new WeakMap<ReadonlySet<string>, readonly string[]>();

/** The set as a frozen array, computed once per compiled set (coupon scopes use it too). */
export function listOf(set: ReadonlySet<string>): readonly string[] {
  let list = lists.get(set);
  if (list === undefined) {
    list = Object.freeze([...set]);
    lists.set(set, list);
  }
  return list;
}

const NO_ACTION = Object.freeze({ actor: "member", action: "none" } as const);

/** The failure for a value outside (or excluded by) one of the benefit's scope lists. */
function outside(
  benefit: CompiledBenefit,
  dimension: ScopeDimension,
  rule: "allow" | "exclude",
  set: ReadonlySet<string>,
  actual: string,
): RuleFailure {
  return sharedFailure(set, benefit, actual, () => ({
    code: "OUT_OF_SCOPE",
    details: { dimension, rule, expected: listOf(set), actual },
    remedy: NO_ACTION,
  }));
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
  fields: ["rules.scope"],
  check({ benefit, ctx }) {
    const scope = benefit.scope;
    if (scope === null) return null;
    const channel = ctx.channel;
    if (channel !== undefined) {
      if (scope.channels !== null && !scope.channels.has(channel)) {
        return outside(benefit, "channel", "allow", scope.channels, channel);
      }
      if (scope.excludeChannels?.has(channel)) {
        return outside(benefit, "channel", "exclude", scope.excludeChannels, channel);
      }
    }
    const product = ctx.product;
    if (product === undefined) return null;
    const id = product.id;
    if (id !== undefined) {
      if (scope.products !== null && !scope.products.has(id)) {
        return outside(benefit, "product", "allow", scope.products, id);
      }
      if (scope.excludeProducts?.has(id)) {
        return outside(benefit, "product", "exclude", scope.excludeProducts, id);
      }
    }
    const category = product.category;
    if (category !== undefined) {
      if (scope.categories !== null && !scope.categories.has(category)) {
        return outside(benefit, "category", "allow", scope.categories, category);
      }
      if (scope.excludeCategories?.has(category)) {
        return outside(benefit, "category", "exclude", scope.excludeCategories, category);
      }
    }
    if (scope.excludeSaleItems && product.onSale === true) return SALE_ITEM;
    return null;
  },
};
