import type { CatalogService } from "../catalog/catalog-service.js";
import type { CatalogDiff, EntityDiff } from "../catalog/diff-catalog.js";
import type { MemberService } from "../members/member-service.js";
import type { TimelineStore } from "./timeline-store.js";
import type { TimelineEntry } from "./timeline-types.js";

export interface TimelineView {
  memberId: string;
  entries: { id: string; at: string; kind: string; source: string; data: Record<string, unknown> }[];
}

/** The member's timeline: the evidence that diagnosis and support show. */
export class TimelineService {
  constructor(
    private readonly deps: { store: TimelineStore; members: MemberService; catalog: CatalogService },
  ) {}

  async forMember(memberId: string): Promise<TimelineView> {
    await this.deps.members.requireMember(memberId);
    const entries = await this.deps.store.listForMember(memberId);
    const tiers = new Set<string>();
    for (const entry of entries) if (typeof entry.data.tier === "string") tiers.add(entry.data.tier);
    const view: TimelineView["entries"] = [];
    for (const entry of entries) {
      const shown = entry.kind === "catalog.changed" ? this.relevantCatalogChange(entry, tiers) : entry;
      if (shown) {
        const { at, kind, source, data } = shown;
        view.push({ id: entry.id, at: at.toISOString(), kind, source, data });
      }
    }
    return { memberId, entries: view };
  }

  /**
   * A catalog version as it touched this member: the changes to the tiers the member ordered and
   * to the benefits those tiers include; null when it touched none of them.
   */
  private relevantCatalogChange(entry: TimelineEntry, tiers: ReadonlySet<string>): TimelineEntry | null {
    const current = this.deps.catalog.peek();
    const benefits = new Set<string>();
    for (const tier of tiers) for (const b of current?.tiers.get(tier)?.benefits ?? []) benefits.add(b);
    const diff = entry.data.diff as CatalogDiff;
    const touched: CatalogDiff = {
      tiers: diff.tiers.filter((t: EntityDiff) => tiers.has(t.code)),
      benefits: diff.benefits.filter((b: EntityDiff) => benefits.has(b.code)),
    };
    if (touched.tiers.length === 0 && touched.benefits.length === 0) return null;
    return { ...entry, data: { ...entry.data, diff: touched } };
  }
}
