/**
 * What earlier catalog versions mean for decisions under the version in force: the rule changes per
 * benefit, the benefits tiers dropped or gained, and the older compiled versions grandfathered grants
 * still decide by. Computed once per installed version, so decide() never diffs.
 */
import type {
  BenefitFieldChange,
  CatalogHistory,
  CompiledBenefit,
  CompiledCatalog,
  TierBenefitChange,
} from "./catalog-types.js";
import type { CatalogDiff } from "./diff-catalog.js";

/** One stored version as the history needs it. */
export interface HistoryVersion {
  compiled: CompiledCatalog;
  diff: CatalogDiff;
  /** When it came into force: its effectiveFrom, or its creation when that is later or absent. */
  activeAt: number;
}

/** Fields whose change alters no decision: they only rename or describe. */
const WORDING_FIELDS = ["name", "description"];

/** True when a benefit field change can alter decisions (not just its wording). */
export function altersDecisions(field: string): boolean {
  return !WORDING_FIELDS.some((w) => field === w || field.startsWith(`${w}.`));
}

export const tierBenefitKey = (tier: string, benefit: string) => `${tier}\u0000${benefit}`;

/** The value at a dotted path of a document (plans and other coded lists are not walked: rules are objects). */
export function valueAt(doc: unknown, path: string): unknown {
  let node: unknown = doc;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The history of `versions` (ascending, the last one in force). Each version's diff is against the
 * version before it; the diff names the changed fields, the documents give their before and after.
 */
export function buildCatalogHistory(versions: readonly HistoryVersion[]): CatalogHistory {
  const previous = new Map<number, CompiledCatalog>();
  const benefitChanges = new Map<string, BenefitFieldChange[]>();
  const withdrawals = new Map<string, TierBenefitChange[]>();
  const additions = new Map<string, TierBenefitChange>();
  const removed = new Map<string, { benefit: CompiledBenefit; version: number; at: number }>();
  for (let i = 0; i < versions.length; i++) {
    const { compiled, diff, activeAt } = versions[i];
    if (i < versions.length - 1) previous.set(compiled.version, compiled);
    const before = i > 0 ? versions[i - 1].compiled : null;
    if (before === null) continue;
    const change = { version: compiled.version, at: activeAt };
    for (const b of diff.benefits) {
      if (b.change === "removed") {
        const last = before.benefits.get(b.code);
        if (last) removed.set(b.code, { benefit: last, version: compiled.version, at: activeAt });
        continue;
      }
      if (b.change === "added") removed.delete(b.code);
      if (b.change !== "changed") continue;
      const oldDoc = before.benefits.get(b.code)?.doc;
      const newDoc = compiled.benefits.get(b.code)?.doc;
      for (const f of b.fields ?? []) {
        if (!altersDecisions(f.path)) continue;
        push(benefitChanges, b.code, {
          version: compiled.version,
          changedAt: activeAt,
          field: f.path,
          before: valueAt(oldDoc, f.path) ?? null,
          after: valueAt(newDoc, f.path) ?? null,
        });
      }
    }
    for (const [code, tier] of before.tiers) {
      const now = compiled.tiers.get(code);
      for (const benefit of tier.benefits)
        if (!now?.benefits.has(benefit)) push(withdrawals, tierBenefitKey(code, benefit), change);
    }
    for (const [code, tier] of compiled.tiers) {
      const then = before.tiers.get(code);
      if (!then) continue;
      for (const benefit of tier.benefits)
        if (!then.benefits.has(benefit)) additions.set(tierBenefitKey(code, benefit), change);
    }
  }
  return { previous, benefitChanges, withdrawals, additions, removed };
}

/** The latest change to one of `fields` (path prefixes) in versions (after, upTo]; null when none. */
export function latestFieldChange(
  history: CatalogHistory,
  benefit: string,
  fields: readonly string[],
  after: number,
  upTo: number,
): BenefitFieldChange | null {
  const changes = history.benefitChanges.get(benefit);
  if (changes === undefined) return null;
  for (let i = changes.length - 1; i >= 0; i--) {
    const c = changes[i];
    if (c.version > upTo) continue;
    if (c.version <= after) return null;
    for (const f of fields) if (c.field === f || c.field.startsWith(`${f}.`)) return c;
  }
  return null;
}

/** The latest version in (after, upTo] that dropped `benefit` from `tier`; null when none. */
export function latestWithdrawal(
  history: CatalogHistory,
  tier: string,
  benefit: string,
  after: number,
  upTo: number,
): TierBenefitChange | null {
  const list = history.withdrawals.get(tierBenefitKey(tier, benefit));
  if (list === undefined) return null;
  for (let i = list.length - 1; i >= 0; i--) {
    const w = list[i];
    if (w.version <= upTo && w.version > after) return w;
  }
  return null;
}
