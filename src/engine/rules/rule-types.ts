/** The contract every decision rule implements. Rules are registered in rule-registry.ts. */
import type { CompiledBenefit, CompiledCatalog } from "../../catalog/catalog-types.js";
import type {
  DecisionContext,
  GrantView,
  MemberSnapshot,
  MembershipView,
  ReasonCode,
  Remedy,
} from "../engine-types.js";
import { getOrAdd } from "../memo.js";

/** The member self-check step a rule belongs to (the diagnosis report's `steps`). */
export type DiagnosisStep =
  | "membership_status"
  | "benefit_rules"
  | "scenario"
  | "refresh_client"
  | "update_client";

/** What every rule may read. Plain data; a rule must not mutate it. */
export interface RuleInput {
  snapshot: MemberSnapshot;
  catalog: CompiledCatalog;
  benefit: CompiledBenefit;
  /** The covering grant, or null when no grant covers the benefit (only rules with needsGrant: false). */
  grant: GrantView | null;
  /** The membership of `grant`, or null with it. */
  membership: MembershipView | null;
  ctx: DecisionContext;
}

/** The input of a rule that runs only against a covering grant. */
export interface GrantRuleInput extends RuleInput {
  grant: GrantView;
  membership: MembershipView;
}

/** A failed rule: the engine adds `cause` (from REASON_CODES) and the localized `message`. */
export interface RuleFailure {
  code: ReasonCode;
  details: Readonly<Record<string, unknown>>;
  remedy: Remedy;
}

/** null means the rule passes. Return shared frozen failures where the details never vary. */
export type RuleOutcome = RuleFailure | null;

interface RuleBase {
  /** Stable rule id, kebab-case, e.g. `effective-time`. */
  code: string;
  /** A blocking failure denies the decision; a non-blocking one is an advisory, also on allowed decisions. */
  blocking: boolean;
  /** Every reason code the rule can produce. */
  reasons: readonly ReasonCode[];
  step: DiagnosisStep;
  /**
   * The benefit-document fields the rule reads (dotted paths, matched as prefixes, e.g. `rules.scope`).
   * When the rule denies and one of them changed after the member bought, the denial also carries
   * RULE_CHANGED. Empty when the rule reads no catalog field, or none a later change could affect.
   */
  fields: readonly string[];
}

/** Runs only when a grant covers the benefit. */
export interface GrantRule extends RuleBase {
  needsGrant: true;
  check(input: GrantRuleInput): RuleOutcome;
}

/** Runs on every decision, also when no grant covers the benefit (then `grant` is null). */
export interface MemberRule extends RuleBase {
  needsGrant: false;
  check(input: RuleInput): RuleOutcome;
}

export type Rule = GrantRule | MemberRule;

/** A frozen failure for rules whose outcome never varies. */
export function staticFailure(code: ReasonCode, remedy: Remedy): RuleFailure {
  return Object.freeze({ code, details: Object.freeze({}), remedy: Object.freeze(remedy) });
}

/** Keys come from callers' contexts (categories, app versions): bound what one owner may hold. */
const FAILURES_PER_OWNER = 256;
const sharedFailures = new WeakMap<object, WeakMap<CompiledBenefit, Map<string, RuleFailure>>>();
const newByBenefit = () => new WeakMap<CompiledBenefit, Map<string, RuleFailure>>();
const newByKey = () => new Map<string, RuleFailure>();

/**
 * The failure for (owner, benefit, key), built once, frozen and shared. `owner` is an object the
 * failure's content depends on (a snapshot row, a compiled scope list, the benefit itself) and
 * `key` names whatever else it depends on. Shared failures let the engine build their localized
 * reason and its JSON once (see toReason in decide.ts); their content must not depend on anything
 * outside (owner, benefit, key) — in particular not on the member's time zone unless the owner is
 * that member's own snapshot row.
 */
export function sharedFailure(
  owner: object,
  benefit: CompiledBenefit,
  key: string,
  build: () => RuleFailure,
): RuleFailure {
  const byKey = getOrAdd(getOrAdd(sharedFailures, owner, newByBenefit), benefit, newByKey);
  let failure = byKey.get(key);
  if (failure === undefined) {
    const built = build();
    failure = Object.freeze({
      ...built,
      details: Object.freeze(built.details),
      remedy: Object.freeze(built.remedy),
    });
    if (byKey.size >= FAILURES_PER_OWNER) byKey.clear();
    byKey.set(key, failure);
  }
  return failure;
}
