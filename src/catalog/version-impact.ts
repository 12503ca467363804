/**
 * What one catalog version changes for members, tier by tier: benefits withdrawn, added, and those
 * whose decision-relevant fields changed. Drives grandfathering, grant creation and notices.
 */
import { altersDecisions, valueAt } from "./catalog-history.js";
import type { CompiledCatalog } from "./catalog-types.js";
import type { CatalogDiff } from "./diff-catalog.js";

export interface FieldChangeView {
  field: string;
  before: unknown;
  after: unknown;
}

/** The changes one tier's members see. */
export interface TierImpact {
  withdrawn: string[];
  added: string[];
  changed: { benefit: string; fields: FieldChangeView[] }[];
}

export interface VersionImpact {
  /** Tiers whose members' decisions the version alters (a tier removed outright withdraws everything). */
  tiers: Record<string, TierImpact>;
  /** (tier, benefit) pairs whose existing grants decide differently: changed or withdrawn benefits. */
  grantPairs: { tier: string; benefit: string }[];
}

/** The impact of `after` (with its stored diff) over `before`; empty when `before` is null (version 1). */
export function versionImpact(
  before: CompiledCatalog | null,
  after: CompiledCatalog,
  diff: CatalogDiff,
): VersionImpact {
  const impact: VersionImpact = { tiers: {}, grantPairs: [] };
  if (before === null) return impact;
  const changed = new Map<string, FieldChangeView[]>();
  for (const b of diff.benefits) {
    if (b.change !== "changed") continue;
    const fields = (b.fields ?? [])
      .filter((f) => altersDecisions(f.path))
      .map((f) => ({
        field: f.path,
        before: valueAt(before.benefits.get(b.code)?.doc, f.path) ?? null,
        after: valueAt(after.benefits.get(b.code)?.doc, f.path) ?? null,
      }));
    if (fields.length > 0) changed.set(b.code, fields);
  }
  for (const [code, tier] of before.tiers) {
    const now = after.tiers.get(code);
    const entry: TierImpact = { withdrawn: [], added: [], changed: [] };
    for (const benefit of tier.benefits) {
      if (!now?.benefits.has(benefit)) {
        entry.withdrawn.push(benefit);
        impact.grantPairs.push({ tier: code, benefit });
        continue;
      }
      const fields = changed.get(benefit);
      if (fields) {
        entry.changed.push({ benefit, fields });
        impact.grantPairs.push({ tier: code, benefit });
      }
    }
    for (const benefit of now?.benefits ?? []) if (!tier.benefits.has(benefit)) entry.added.push(benefit);
    if (entry.withdrawn.length + entry.added.length + entry.changed.length > 0) impact.tiers[code] = entry;
  }
  return impact;
}

/** True when the version alters no member's decisions (wording, prices, new tiers only). */
export function isEmptyImpact(impact: VersionImpact): boolean {
  return Object.keys(impact.tiers).length === 0;
}
