/**
 * What buying a plan does to the memberships a member holds, and the credit an upgrade carries over:
 * one implementation for the payment (membership-changes.ts, inside its transaction) and for the
 * plans page's preview (plans/plan-service.ts), so the credit a member is shown is the credit the
 * payment grants.
 */
import type { CompiledCatalog, CompiledPlan } from "../catalog/catalog-types.js";
import type { Stores } from "../db/stores.js";
import { addIsoDuration } from "../time/durations.js";
import type { MembershipRecord } from "./membership-store.js";
import { creditTime, type PaidPeriod, unusedValue } from "./upgrade-credit.js";

/** A membership as purchases read it (the plans page may not import the store module). */
export type HeldMembershipRecord = MembershipRecord;

/** What a paid order for a plan does, given the memberships active now. */
export type Purchase =
  /** The same tier again: a renewal from the current expiry. */
  | { kind: "extend"; membership: MembershipRecord }
  /** A lower tier than one still paid for: it starts when the higher term ends. */
  | { kind: "downgrade_scheduled"; until: MembershipRecord }
  /** A higher tier than the running ones: they end now, their unused value becomes extra time. */
  | { kind: "upgrade"; lower: MembershipRecord[] }
  /** Nothing running: a new membership from now. */
  | { kind: "new" };

const rankOf = (catalog: CompiledCatalog, tier: string) =>
  catalog.tiers.get(tier)?.rank ?? Number.NEGATIVE_INFINITY;

/** The effect of paying for `plan` at `now`, over the member's active memberships. */
export function classifyPurchase(
  catalog: CompiledCatalog,
  active: readonly MembershipRecord[],
  plan: CompiledPlan,
  now: number,
): Purchase {
  const same = active.find((m) => m.tier === plan.tier);
  if (same) return { kind: "extend", membership: same };
  const rank = rankOf(catalog, plan.tier);
  const running = active.filter((m) => m.startsAt.getTime() <= now);
  // Only a term still paid for waits: a higher tier already in its grace period has no term left.
  const higher = running.filter((m) => rankOf(catalog, m.tier) > rank && m.expiresAt.getTime() > now);
  if (higher.length > 0) {
    // The end of the current term: when the last higher membership expires (its grace is not paid for).
    return {
      kind: "downgrade_scheduled",
      until: higher.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a)),
    };
  }
  const lower = running.filter((m) => rankOf(catalog, m.tier) < rank);
  return lower.length > 0 ? { kind: "upgrade", lower } : { kind: "new" };
}

/** An upgrade's credit: the unused value of the replaced terms, and the time it buys on the new plan. */
export interface UpgradeQuote {
  /** Minor units of the new plan's currency. */
  credit: number;
  currency: string;
  /** Extra time on the new membership, in milliseconds. */
  extraMs: number;
  /** The tier of the highest replaced membership. */
  fromTier: string;
}

/** The credit upgrading from `lower` to `plan` at `now` carries over (upgrade-credit.ts states it). */
export async function quoteUpgrade(
  orders: Pick<Stores["orders"], "paidForMembership">,
  catalog: CompiledCatalog,
  lower: readonly MembershipRecord[],
  plan: CompiledPlan,
  timeZone: string,
  now: number,
): Promise<UpgradeQuote> {
  const periods: PaidPeriod[] = [];
  for (const membership of lower) {
    for (const paid of await orders.paidForMembership(membership.id)) {
      if (!paid.periodStart || !paid.periodEnd) continue;
      periods.push({
        amount: paid.amount,
        currency: paid.currency,
        start: paid.periodStart.getTime(),
        end: paid.periodEnd.getTime(),
      });
    }
  }
  const credit = unusedValue(periods, plan.price.currency, now);
  const periodMs = addIsoDuration(now, plan.period, timeZone) - now;
  const from = lower.reduce((a, b) => (rankOf(catalog, b.tier) > rankOf(catalog, a.tier) ? b : a));
  return {
    credit,
    currency: plan.price.currency,
    extraMs: creditTime(credit, plan.price.amount, periodMs),
    fromTier: from.tier,
  };
}
