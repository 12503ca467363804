/**
 * Rule changes in decisions: which catalog version's rules a grant decides by (grandfathering), and
 * the RULE_CHANGED and BENEFIT_WITHDRAWN failures, all read from the history precomputed with the
 * catalog in force (catalog-history.ts), so a decision never diffs.
 */
import { latestFieldChange, latestWithdrawal } from "../catalog/catalog-history.js";
import type { CompiledBenefit, CompiledCatalog, TierBenefitChange } from "../catalog/catalog-types.js";
import type { GrantView } from "./engine-types.js";
import { type GrantRuleInput, type Rule, type RuleFailure, sharedFailure } from "./rules/rule-types.js";
import { isoTime } from "./time-format.js";

/**
 * The compiled catalog whose rules (and tier benefit lists) the grant decides by at `at`: an older
 * version while a grandfathered grant keeps it, else the catalog in force. One null test for the
 * common case.
 */
export function rulesCatalogOf(grant: GrantView, catalog: CompiledCatalog, at: number): CompiledCatalog {
  if (grant.rulesVersion === null || grant.rulesUntil === null || at >= grant.rulesUntil) return catalog;
  return catalog.history?.previous.get(grant.rulesVersion) ?? catalog;
}

/** True when the grant's tier, in the rules that apply to it at `at`, no longer includes the benefit. */
export function isWithdrawn(grant: GrantView, catalog: CompiledCatalog, code: string, at: number): boolean {
  return rulesCatalogOf(grant, catalog, at).tiers.get(grant.tier)?.benefits.has(code) !== true;
}

// The member cannot undo a rule change, and a support ticket would not either: the remedy that helps is
// the one on the rule's own reason (update the app, pick another product). RULE_CHANGED explains.
const EXPLAIN_ONLY = Object.freeze({ actor: "member", action: "none" } as const);
const UPGRADE = Object.freeze({ actor: "member", action: "upgrade_tier" } as const);

/**
 * RULE_CHANGED for a blocking `rule` that denied: when a field it reads changed after the grant's
 * catalog version (up to the version whose rules apply) and the rules the member bought under would
 * have passed. null otherwise.
 */
export function ruleChanged(
  rule: Rule,
  input: GrantRuleInput,
  catalog: CompiledCatalog,
  rules: CompiledCatalog,
): RuleFailure | null {
  const history = catalog.history;
  if (history === undefined || rule.fields.length === 0) return null;
  const { grant, benefit } = input;
  const change = latestFieldChange(history, benefit.code, rule.fields, grant.catalogVersion, rules.version);
  if (change === null) return null;
  // Denied under the old rules too? Then the change is not why: say nothing about it.
  const bought = history.previous.get(grant.catalogVersion);
  const boughtBenefit = bought?.benefits.get(benefit.code);
  if (bought !== undefined && boughtBenefit !== undefined) {
    if (rule.check({ ...input, catalog: bought, benefit: boughtBenefit }) !== null) return null;
  }
  return sharedFailure(change, benefit, "", () => ({
    code: "RULE_CHANGED",
    details: {
      version: change.version,
      changedAt: isoTime(change.changedAt),
      field: change.field,
      before: change.before,
      after: change.after,
    },
    remedy: EXPLAIN_ONLY,
  }));
}

/** `tiers`: those that include the benefit in the catalog in force (none for a removed benefit). */
function withdrawnFailure(
  owner: object,
  benefit: CompiledBenefit,
  tier: string | null,
  version: number,
  at: number,
  tiers: readonly string[],
): RuleFailure {
  return sharedFailure(owner, benefit, `withdrawn\u0000${tier ?? ""}`, () => ({
    code: "BENEFIT_WITHDRAWN",
    details: { version, tier, withdrawnAt: isoTime(at), tiers },
    remedy: tiers.length > 0 ? UPGRADE : EXPLAIN_ONLY,
  }));
}

const NO_TIERS: readonly string[] = Object.freeze([]);
const tiersNow = (catalog: CompiledCatalog, code: string) => catalog.benefits.get(code)?.tiers ?? NO_TIERS;

/** BENEFIT_WITHDRAWN for a grant whose tier, in the rules that apply to it, no longer includes the benefit. */
export function benefitWithdrawn(
  catalog: CompiledCatalog,
  rules: CompiledCatalog,
  benefit: CompiledBenefit,
  grant: GrantView,
): RuleFailure {
  const found: TierBenefitChange | null =
    catalog.history === undefined
      ? null
      : latestWithdrawal(catalog.history, grant.tier, benefit.code, grant.catalogVersion, rules.version);
  const tiers = tiersNow(catalog, benefit.code);
  if (found !== null) return withdrawnFailure(found, benefit, grant.tier, found.version, found.at, tiers);
  return withdrawnFailure(rules, benefit, grant.tier, rules.version, rules.createdAt, tiers);
}

/** BENEFIT_WITHDRAWN for a benefit no longer in the catalog at all (no tier includes it). */
export function removedBenefitWithdrawn(catalog: CompiledCatalog, benefit: CompiledBenefit): RuleFailure {
  const removed = catalog.history?.removed.get(benefit.code);
  if (removed === undefined)
    return withdrawnFailure(catalog, benefit, null, catalog.version, catalog.createdAt, NO_TIERS);
  return withdrawnFailure(removed, benefit, null, removed.version, removed.at, NO_TIERS);
}

/** The compiled benefit for a code: in the catalog, or removed from it but kept in its history. */
export function benefitOf(catalog: CompiledCatalog, code: string): CompiledBenefit | undefined {
  return catalog.benefits.get(code) ?? catalog.history?.removed.get(code)?.benefit;
}

/** True when decide() can answer for the code: a benefit of the catalog, or one it removed. */
export function isKnownBenefit(catalog: CompiledCatalog, code: string): boolean {
  return benefitOf(catalog, code) !== undefined;
}
