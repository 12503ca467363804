/**
 * What a catalog change takes from members, counted in the database: the tiers, plans and benefits
 * it removes with the members holding each and the pending orders naming them (a removal someone
 * holds needs `"confirm": "remove"`), and for a dry run the members whose decisions change — the
 * members the activation job would notice (version-impact.ts, notice-store.ts).
 */
import { AppError, type ErrorDetail } from "../errors.js";
import type { NoticeStore } from "../notices/notice-store.js";
import type { CatalogDocument } from "./catalog-types.js";
import type { RemovalCount, RemovalToCount, RuleChangeStore } from "./rule-change-store.js";
import type { TierImpact, VersionImpact } from "./version-impact.js";

/** One tier, plan or benefit the change removes, with what it takes from members. */
export interface Removal extends RemovalCount {
  kind: "tier" | "plan" | "benefit";
  code: string;
  /** For a plan: the tier it belonged to. */
  tier?: string;
}

/** The value of `confirm` that lets a PUT remove what members hold. */
export const CONFIRM_REMOVE = "remove";

/**
 * The tiers, plans (by code, wherever they sit: a plan moved to another tier is not removed) and
 * benefits in `before` that `after` no longer has, in document order. A removed tier's plans are
 * listed too: they go with it.
 */
export function removedEntities(before: CatalogDocument | null, after: CatalogDocument): RemovalToCount[] {
  if (before === null) return [];
  const tiers = new Set(after.tiers.map((t) => t.code));
  const plans = new Set(after.tiers.flatMap((t) => t.plans.map((p) => p.code)));
  const benefits = new Set(after.benefits.map((b) => b.code));
  const removed: RemovalToCount[] = [];
  for (const tier of before.tiers) {
    if (!tiers.has(tier.code))
      removed.push({ kind: "tier", code: tier.code, tier: null, plans: tier.plans.map((p) => p.code) });
  }
  for (const tier of before.tiers) {
    for (const plan of tier.plans)
      if (!plans.has(plan.code))
        removed.push({ kind: "plan", code: plan.code, tier: tier.code, plans: [plan.code] });
  }
  for (const benefit of before.benefits)
    if (!benefits.has(benefit.code))
      removed.push({ kind: "benefit", code: benefit.code, tier: null, plans: [] });
  return removed;
}

/** Every removal of the change `before` → `after`, with its members and pending orders at `now`. */
export async function countRemovals(
  store: RuleChangeStore,
  before: CatalogDocument | null,
  after: CatalogDocument,
  now: Date,
): Promise<Removal[]> {
  const removed = removedEntities(before, after);
  const counts = await store.countRemovals(removed, now);
  return removed.map(({ kind, code, tier }, i) => ({
    kind,
    code,
    ...(tier === null ? {} : { tier }),
    ...counts[i],
  }));
}

/** True when the removal takes something from a member or names a plan a pending order is for. */
export const isHeld = (r: Removal) => r.members > 0 || r.pendingOrders > 0;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function describe(r: Removal): string {
  const holders = [
    ...(r.members > 0 ? [`${plural(r.members, "member holds", "members hold")} it`] : []),
    ...(r.pendingOrders > 0
      ? [
          `${plural(r.pendingOrders, "pending order names", "pending orders name")} ${r.kind === "tier" ? "its plans" : "it"}`,
        ]
      : []),
  ];
  return `${r.kind} ${r.code} would be removed while ${holders.join(" and ")}`;
}

/**
 * The 409 of a PUT that removes what members hold without `"confirm": "remove"`: one detail per held
 * removal, `{path: "/confirm", message, kind, code, tier?, members, pendingOrders}`.
 */
export function needsConfirmation(held: Removal[]): AppError {
  const details: ErrorDetail[] = held.map((r) => ({ path: "/confirm", message: describe(r), ...r }));
  const list = held.map((r) => `${r.kind} ${r.code}`).join(", ");
  return new AppError(
    "CATALOG_CHANGE_NEEDS_CONFIRMATION",
    `The change removes what members hold or pending orders name (${list}); send "confirm": "remove" to remove it anyway.`,
    details,
  );
}

/** What a dry run reports besides the diff. */
export interface ChangeImpact {
  /** Every tier, plan and benefit the change removes, held or not. */
  removed: Removal[];
  /** True when the PUT would answer 409 CATALOG_CHANGE_NEEDS_CONFIRMATION. */
  needsConfirmation: boolean;
  /** Per tier whose members' decisions change: what changes, and how many members it has now. */
  tiers: Record<string, TierImpact & { members: number }>;
  /** Distinct members whose decisions change: each gets one notice when the version comes into force. */
  members: number;
  /** The notices the activation would write (one per member above). */
  notices: number;
  /** Pending orders naming a removed plan (they are still honoured when paid). */
  pendingOrders: number;
}

/** The reach of a change, counted at `now`; `confirmed` when the body says `"confirm": "remove"`. */
export async function changeImpact(
  stores: { ruleChanges: RuleChangeStore; notices: Pick<NoticeStore, "countRecipients"> },
  documents: { before: CatalogDocument | null; after: CatalogDocument },
  impact: VersionImpact,
  confirmed: boolean,
  now: Date,
): Promise<ChangeImpact> {
  const removed = await countRemovals(stores.ruleChanges, documents.before, documents.after, now);
  const recipients = await stores.notices.countRecipients(Object.keys(impact.tiers), now);
  const tiers = Object.fromEntries(
    Object.entries(impact.tiers).map(([code, t]) => [code, { ...t, members: recipients.byTier[code] ?? 0 }]),
  );
  return {
    removed,
    needsConfirmation: !confirmed && removed.some(isHeld),
    tiers,
    members: recipients.members,
    notices: recipients.members,
    pendingOrders: removed.filter((r) => r.kind === "plan").reduce((sum, r) => sum + r.pendingOrders, 0),
  };
}
