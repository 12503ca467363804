/**
 * Every decision rule, in evaluation order: the order of a decision's reasons. Adding a rule means
 * writing its file and listing it here; the engine (decide.ts) never changes.
 */
import { activationRule } from "./activation-rule.js";
import { clientCacheRule } from "./client-cache-rule.js";
import { effectiveTimeRule } from "./effective-time-rule.js";
import { gracePeriodRule } from "./grace-period-rule.js";
import { holdRule } from "./hold-rule.js";
import { minClientVersionRule } from "./min-client-version-rule.js";
import { quotaRule } from "./quota-rule.js";
import type { Rule } from "./rule-types.js";
import { scopeRule } from "./scope-rule.js";

export const RULES: readonly Rule[] = Object.freeze([
  // First: a hold is the first thing a held member must hear about.
  holdRule,
  gracePeriodRule,
  effectiveTimeRule,
  activationRule,
  quotaRule,
  scopeRule,
  minClientVersionRule,
  clientCacheRule,
]);
