/**
 * A catalog change in the explainer's words, before → after: for each benefit, coupon and plan it
 * touches, the sentences that stop being true and those that become true. The console's publish
 * preview, the plans page's history and the member's notices all read this one rendering.
 */
import type { CatalogDocument, TierDoc } from "../catalog/catalog-types.js";
import { explainCoupon } from "./coupon-explainer.js";
import { localize } from "./message-format.js";
import { type ExplainEnv, explainBenefit, explainPlan, type RuleSentence } from "./rule-explainer.js";

export type ChangeKind = "added" | "removed" | "changed";

/** One benefit, coupon or plan: only the sentences that differ between the two versions. */
export interface ExplainedChange {
  code: string;
  name: string;
  change: ChangeKind;
  before: string[];
  after: string[];
}

/** What one tier gains, loses, and how its plans change. */
export interface ExplainedTierChange {
  code: string;
  name: string;
  change: ChangeKind;
  /** Names of the benefits the tier now includes, and of those it no longer includes. */
  added: string[];
  withdrawn: string[];
  plans: ExplainedChange[];
}

export interface ExplainedCatalogChange {
  tiers: ExplainedTierChange[];
  benefits: ExplainedChange[];
  coupons: ExplainedChange[];
}

function differing(before: RuleSentence[], after: RuleSentence[]): { before: string[]; after: string[] } {
  const old = new Set(before.map((s) => s.text));
  const now = new Set(after.map((s) => s.text));
  return {
    before: before.map((s) => s.text).filter((t) => !now.has(t)),
    after: after.map((s) => s.text).filter((t) => !old.has(t)),
  };
}

interface Coded {
  code: string;
}

/** Entities of both lists matched by code, with the sentences of each side. */
function compare<T extends Coded>(
  before: readonly T[],
  after: readonly T[],
  explain: (doc: T) => RuleSentence[],
  nameOf: (doc: T) => string,
): ExplainedChange[] {
  const old = new Map(before.map((d) => [d.code, d]));
  const out: ExplainedChange[] = [];
  for (const doc of after) {
    const previous = old.get(doc.code);
    if (previous === undefined) {
      out.push({
        code: doc.code,
        name: nameOf(doc),
        change: "added",
        before: [],
        after: explain(doc).map((s) => s.text),
      });
      continue;
    }
    const diff = differing(explain(previous), explain(doc));
    if (diff.before.length > 0 || diff.after.length > 0)
      out.push({ code: doc.code, name: nameOf(doc), change: "changed", ...diff });
  }
  const current = new Set(after.map((d) => d.code));
  for (const doc of before)
    if (!current.has(doc.code))
      out.push({
        code: doc.code,
        name: nameOf(doc),
        change: "removed",
        before: explain(doc).map((s) => s.text),
        after: [],
      });
  return out;
}

/** The change `before` → `after` in words; `before` null for the first version. */
export function explainCatalogChange(
  env: ExplainEnv,
  before: CatalogDocument | null,
  after: CatalogDocument,
): ExplainedCatalogChange {
  const named = (d: { code: string; name: Parameters<typeof localize>[0] }) =>
    localize(d.name, env.locale) || d.code;
  const benefitNames = new Map(
    [...(before?.benefits ?? []), ...after.benefits].map((b) => [b.code, named(b)] as const),
  );
  const tierChanges: ExplainedTierChange[] = [];
  const oldTiers = new Map((before?.tiers ?? []).map((t) => [t.code, t]));
  const describeTier = (
    tier: TierDoc,
    previous: TierDoc | undefined,
    change: ChangeKind,
  ): ExplainedTierChange => {
    const had = new Set(previous?.benefits ?? []);
    const has = new Set(change === "removed" ? [] : tier.benefits);
    const nameOf = (code: string) => benefitNames.get(code) ?? code;
    return {
      code: tier.code,
      name: named(tier),
      change,
      added: change === "removed" ? [] : tier.benefits.filter((b) => !had.has(b)).map(nameOf),
      withdrawn: [...had].filter((b) => !has.has(b)).map(nameOf),
      plans: compare(
        previous?.plans ?? [],
        change === "removed" ? [] : tier.plans,
        (p) => explainPlan(env, p),
        (p) => p.code,
      ),
    };
  };
  for (const tier of after.tiers) {
    const previous = oldTiers.get(tier.code);
    const explained = describeTier(tier, previous, previous === undefined ? "added" : "changed");
    const moved =
      explained.added.length + explained.withdrawn.length + explained.plans.length > 0 ||
      (previous !== undefined && named(previous) !== explained.name);
    if (previous === undefined || moved) tierChanges.push(explained);
  }
  const current = new Set(after.tiers.map((t) => t.code));
  for (const tier of before?.tiers ?? [])
    if (!current.has(tier.code)) tierChanges.push(describeTier(tier, tier, "removed"));
  return {
    tiers: tierChanges,
    benefits: compare(before?.benefits ?? [], after.benefits, (b) => explainBenefit(env, b), named),
    coupons: compare(before?.coupons ?? [], after.coupons ?? [], (c) => explainCoupon(env, c), named),
  };
}

/** True when the change says nothing a member would read differently. */
export function isEmptyExplanation(change: ExplainedCatalogChange): boolean {
  return change.tiers.length === 0 && change.benefits.length === 0 && change.coupons.length === 0;
}
