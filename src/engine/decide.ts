/**
 * The decision: may this member use this benefit in this context, and if not, exactly why.
 * Pure and allocation-lean: it runs a million times a second on one core.
 */
import type { CompiledBenefit, CompiledCatalog, Locale } from "../catalog/catalog-types.js";
import { findCoveringGrant, membershipById } from "./covering-grant.js";
import {
  type Decision,
  type DecisionContext,
  type DecisionGrant,
  type GrantView,
  type MemberSnapshot,
  REASON_CODES,
  type Reason,
} from "./engine-types.js";
import { membershipFailures } from "./membership-reasons.js";
import { getOrAdd } from "./memo.js";
import { reasonMessage } from "./messages.js";
import {
  benefitOf,
  benefitWithdrawn,
  isWithdrawn,
  removedBenefitWithdrawn,
  ruleChanged,
  rulesCatalogOf,
} from "./rule-changes.js";
import { RULES } from "./rules/rule-registry.js";
import {
  type GrantRuleInput,
  type MemberRule,
  type RuleFailure,
  type RuleInput,
  staticFailure,
} from "./rules/rule-types.js";
import { isoTime } from "./time-format.js";

/** Rules that still apply when no grant covers the benefit (advisories such as a stale client cache). */
const NO_GRANT_RULES: readonly MemberRule[] = RULES.filter((rule): rule is MemberRule => !rule.needsGrant);

/** GRANTED is built like any static failure, so it is one frozen reason per benefit and locale. */
const GRANTED = staticFailure("GRANTED", { actor: "member", action: "none" });

interface GrantMemo {
  tier: string;
  effectiveFrom: number;
  expiresAt: number;
  catalogVersion: number;
  value: DecisionGrant;
}

const grantMemos = new WeakMap<GrantView, GrantMemo>();

/** The decision's `grant`, frozen and memoized per grant (re-derived if the grant's times changed). */
function decisionGrant(grant: GrantView): DecisionGrant {
  const memo = grantMemos.get(grant);
  if (
    memo !== undefined &&
    memo.effectiveFrom === grant.effectiveFrom &&
    memo.expiresAt === grant.expiresAt &&
    memo.tier === grant.tier &&
    memo.catalogVersion === grant.catalogVersion
  ) {
    return memo.value;
  }
  const value = Object.freeze({
    tier: grant.tier,
    effectiveFrom: isoTime(grant.effectiveFrom),
    expiresAt: isoTime(grant.expiresAt),
    catalogVersion: grant.catalogVersion,
  });
  grantMemos.set(grant, {
    tier: grant.tier,
    effectiveFrom: grant.effectiveFrom,
    expiresAt: grant.expiresAt,
    catalogVersion: grant.catalogVersion,
    value,
  });
  return value;
}

const newWeakMap = () => new WeakMap<CompiledBenefit, Partial<Record<Locale, Reason>>>();
const newLocaleRecord = (): Partial<Record<Locale, Reason>> => ({});

/** Reasons of shared frozen failures (no details that vary), per benefit and locale, built once. */
const staticReasons = new WeakMap<RuleFailure, WeakMap<CompiledBenefit, Partial<Record<Locale, Reason>>>>();

function toReason(
  failure: RuleFailure,
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  benefit: CompiledBenefit,
  locale: Locale,
): Reason {
  if (Object.isFrozen(failure)) {
    const byLocale = getOrAdd(getOrAdd(staticReasons, failure, newWeakMap), benefit, newLocaleRecord);
    let reason = byLocale[locale];
    if (reason === undefined) {
      reason = Object.freeze(buildReason(failure, snapshot, catalog, benefit, locale));
      byLocale[locale] = reason;
    }
    return reason;
  }
  return buildReason(failure, snapshot, catalog, benefit, locale);
}

function buildReason(
  failure: RuleFailure,
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  benefit: CompiledBenefit,
  locale: Locale,
): Reason {
  return {
    code: failure.code,
    cause: REASON_CODES[failure.code],
    message: reasonMessage(failure.code, failure.details, locale, benefit, snapshot.timezone, catalog),
    details: failure.details,
    remedy: failure.remedy,
  };
}

interface GrantSink {
  grant: GrantView | null;
}

function denyWithoutGrant(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  benefit: CompiledBenefit,
  ctx: DecisionContext,
  sink: GrantSink | null,
): Decision {
  const locale = ctx.locale;
  // A benefit gone from the catalog: nobody gets it any more, whatever their membership.
  const removed = catalog.benefits.has(benefit.code) ? null : removedBenefitWithdrawn(catalog, benefit);
  const findings =
    removed === null
      ? membershipFailures(snapshot, catalog, benefit, ctx.at)
      : { failures: [removed], grant: null };
  const reasons: Reason[] = [];
  for (const failure of findings.failures)
    reasons.push(toReason(failure, snapshot, catalog, benefit, locale));
  const input: RuleInput = { snapshot, catalog, benefit, grant: null, membership: null, ctx };
  for (let i = 0; i < NO_GRANT_RULES.length; i++) {
    const failure = NO_GRANT_RULES[i].check(input);
    if (failure !== null) reasons.push(toReason(failure, snapshot, catalog, benefit, locale));
  }
  if (sink !== null) sink.grant = findings.grant;
  return {
    memberId: snapshot.memberId,
    benefit: benefit.code,
    allowed: false,
    reasons,
    grant: findings.grant === null ? null : decisionGrant(findings.grant),
    entitlementsVersion: snapshot.entitlementsVersion,
  };
}

function evaluate(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  benefit: CompiledBenefit,
  ctx: DecisionContext,
  sink: GrantSink | null,
): Decision {
  const grants = snapshot.exists ? snapshot.grantsByBenefit.get(benefit.code) : undefined;
  let grant = grants === undefined ? null : findCoveringGrant(snapshot, catalog, grants, ctx.at);
  if (grant === null) return denyWithoutGrant(snapshot, catalog, benefit, ctx, sink);
  // A member of two tiers, one of which dropped the benefit: the other one's grant still covers it.
  if (grants!.length > 1 && isWithdrawn(grant, catalog, benefit.code, ctx.at)) {
    const kept = grants!.filter((g) => !isWithdrawn(g, catalog, benefit.code, ctx.at));
    grant = findCoveringGrant(snapshot, catalog, kept, ctx.at) ?? grant;
  }
  if (sink !== null) sink.grant = grant;

  // The rules this grant decides by: those in force, or (grandfathered) the older ones it keeps.
  const rules = rulesCatalogOf(grant, catalog, ctx.at);
  const rulesBenefit = rules === catalog ? benefit : (rules.benefits.get(benefit.code) ?? benefit);
  const input: GrantRuleInput = {
    snapshot,
    catalog: rules,
    benefit: rulesBenefit,
    grant,
    membership: membershipById(snapshot, grant.membershipId)!,
    ctx,
  };
  const locale = ctx.locale;
  let blocking: Reason[] | null = null;
  let advisory: Reason[] | null = null;
  const withdrawn = rules.tiers.get(grant.tier)?.benefits.has(benefit.code) !== true;
  if (withdrawn) {
    blocking = [
      toReason(benefitWithdrawn(catalog, rules, benefit, grant), snapshot, catalog, benefit, locale),
    ];
  }
  for (let i = 0; i < RULES.length; i++) {
    const rule = RULES[i];
    // A withdrawn benefit has no rules left to explain; only advisories still apply.
    if (withdrawn && rule.blocking) continue;
    const failure = rule.check(input);
    if (failure === null) continue;
    const reason = toReason(failure, snapshot, catalog, rulesBenefit, locale);
    if (rule.blocking) {
      if (blocking === null) blocking = [];
      blocking.push(reason);
      const changed = ruleChanged(rule, input, catalog, rules);
      if (changed !== null) blocking.push(toReason(changed, snapshot, catalog, rulesBenefit, locale));
    } else {
      if (advisory === null) advisory = [];
      advisory.push(reason);
    }
  }

  let reasons: Reason[];
  if (blocking === null) {
    reasons = [toReason(GRANTED, snapshot, catalog, benefit, locale)];
    if (advisory !== null) for (const reason of advisory) reasons.push(reason);
  } else {
    reasons = blocking;
    if (advisory !== null) for (const reason of advisory) reasons.push(reason);
  }
  return {
    memberId: snapshot.memberId,
    benefit: benefit.code,
    allowed: blocking === null,
    reasons,
    grant: decisionGrant(grant),
    entitlementsVersion: snapshot.entitlementsVersion,
  };
}

/**
 * Decides whether the member may use `benefitCode` at `ctx.at`. The caller guarantees the benefit is in
 * the catalog, or was and is now removed (see isKnownBenefit). Allowed decisions carry `[GRANTED, ...advisories]`; denials every blocking reason found.
 */
export function decide(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  benefitCode: string,
  ctx: DecisionContext,
): Decision {
  return evaluate(snapshot, catalog, benefitOf(catalog, benefitCode)!, ctx, null);
}

/** The decision plus the grant it considered (for entitlements and diagnosis), null when none. */
export function decideWithGrant(
  snapshot: MemberSnapshot,
  catalog: CompiledCatalog,
  benefitCode: string,
  ctx: DecisionContext,
): { decision: Decision; grant: GrantView | null } {
  const sink: GrantSink = { grant: null };
  const decision = evaluate(snapshot, catalog, benefitOf(catalog, benefitCode)!, ctx, sink);
  return { decision, grant: sink.grant };
}
