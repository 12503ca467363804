import { sql } from "kysely";
import type { MemberRange } from "../db/member-range.js";
import type { Executor } from "../db/transaction.js";
import { liveMembership } from "../memberships/live-membership.js";

/** A membership of a tier that gained benefits, with what a new grant needs. */
export interface MembershipForAddition {
  membershipId: string;
  memberId: string;
  tier: string;
  startsAt: Date;
  expiresAt: Date;
  timezone: string;
}

/**
 * Something a catalog change removes, as counted: a tier (`plans` its plans), a plan (`tier` the tier
 * it belonged to, `plans` itself) or a benefit.
 */
export interface RemovalToCount {
  kind: "tier" | "plan" | "benefit";
  code: string;
  tier: string | null;
  plans: string[];
}

/** What a removal takes from members: members holding it, and pending orders naming its plans. */
export interface RemovalCount {
  members: number;
  pendingOrders: number;
}

/**
 * Set-based work of a catalog change: grandfathering marks on grants, chunk bounds of the fan-out,
 * and the counts of what a removal would take from members.
 */
export interface RuleChangeStore {
  /**
   * Marks the live grants of these (tier, benefit) pairs created before `version` as keeping the rules of
   * `rulesVersion` until their membership's current expiry. Grants already grandfathered keep theirs.
   */
  markGrandfathered(
    pairs: { tier: string; benefit: string }[],
    version: number,
    rulesVersion: number,
    now: Date,
    range: MemberRange,
  ): Promise<number>;
  /** Ends grandfathering of the live grants of these pairs: they decide by the rules in force. */
  clearGrandfathered(
    pairs: { tier: string; benefit: string }[],
    now: Date,
    range: MemberRange,
  ): Promise<number>;
  /**
   * The last member id of the next chunk of up to `limit` members with an active or future membership
   * (or one in grace) of `tiers`, after `after`; null when there is none.
   */
  nextChunk(tiers: string[], after: string, limit: number, now: Date): Promise<string | null>;
  /** The live memberships of `tiers` in the range, for granting benefits the tiers gained. */
  membershipsOf(tiers: string[], range: MemberRange, now: Date): Promise<MembershipForAddition[]>;
  /**
   * For each removal, in order: the members holding it at `now` (a live membership of the tier; one
   * bought on the plan; a live grant of the benefit) and the pending orders naming its plans. One
   * statement, so one snapshot: an order paid meanwhile is counted as an order or as a member, never
   * missed.
   */
  countRemovals(removals: RemovalToCount[], now: Date): Promise<RemovalCount[]>;
}

const pairsJson = (pairs: { tier: string; benefit: string }[]) => JSON.stringify(pairs);
const upper = (range: MemberRange) => (range.upTo === null ? sql`true` : sql`g.member_id <= ${range.upTo}`);

export function createRuleChangeStore(db: Executor): RuleChangeStore {
  return {
    async markGrandfathered(pairs, version, rulesVersion, now, range) {
      if (pairs.length === 0) return 0;
      const result = await sql`
        update grants g set rules_version = ${rulesVersion}, rules_until = ms.expires_at, updated_at = ${now}
        from memberships ms, jsonb_to_recordset(${pairsJson(pairs)}::jsonb) as p(tier text, benefit text)
        where ms.id = g.membership_id and g.tier_code = p.tier and g.benefit_code = p.benefit
          and g.status = 'active' and g.expires_at > ${now} and g.rules_version is null
          and g.catalog_version < ${version}
          and g.member_id > ${range.after} and ${upper(range)}`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
    async clearGrandfathered(pairs, now, range) {
      if (pairs.length === 0) return 0;
      const result = await sql`
        update grants g set rules_version = null, rules_until = null, updated_at = ${now}
        from jsonb_to_recordset(${pairsJson(pairs)}::jsonb) as p(tier text, benefit text)
        where g.tier_code = p.tier and g.benefit_code = p.benefit and g.rules_version is not null
          and g.status = 'active' and g.member_id > ${range.after} and ${upper(range)}`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
    async nextChunk(tiers, after, limit, now) {
      if (tiers.length === 0) return null;
      // Keyset pagination over member ids: each chunk reads the index from where the last one ended.
      const { rows } = await sql<{ last: string | null }>`
        select max(member_id) as last from (
          select distinct ms.member_id from memberships ms
          where ms.member_id > ${after}
            and ms.tier_code in (select jsonb_array_elements_text(${JSON.stringify(tiers)}::jsonb))
            and ${liveMembership(now)}
          order by ms.member_id limit ${limit}) chunk`.execute(db);
      return rows[0]?.last ?? null;
    },
    async membershipsOf(tiers, range, now) {
      if (tiers.length === 0) return [];
      const { rows } = await sql<{
        id: string;
        member_id: string;
        tier_code: string;
        starts_at: Date;
        expires_at: Date;
        timezone: string;
      }>`
        select ms.id, ms.member_id, ms.tier_code, ms.starts_at, ms.expires_at, m.timezone
        from memberships ms join members m on m.id = ms.member_id
        where ms.member_id > ${range.after} and ${range.upTo === null ? sql`true` : sql`ms.member_id <= ${range.upTo}`}
          and ms.tier_code in (select jsonb_array_elements_text(${JSON.stringify(tiers)}::jsonb))
          and ms.status = 'active' and ms.expires_at > ${now}
        order by ms.member_id`.execute(db);
      return rows.map((r) => ({
        membershipId: r.id,
        memberId: r.member_id,
        tier: r.tier_code,
        startsAt: new Date(r.starts_at),
        expiresAt: new Date(r.expires_at),
        timezone: r.timezone,
      }));
    },
    async countRemovals(removals, now) {
      if (removals.length === 0) return [];
      const list = JSON.stringify(removals.map((r, i) => ({ ...r, i })));
      const { rows } = await sql<{ members: string | number; pending_orders: string | number }>`
        select
          case r.kind
            when 'tier' then (select count(distinct ms.member_id) from memberships ms
              where ms.tier_code = r.code and ${liveMembership(now)})
            when 'plan' then (select count(distinct ms.member_id) from memberships ms
              join orders o on o.id = ms.source_order_id
              where ms.tier_code = r.tier and o.plan_code = r.code and ${liveMembership(now)})
            else (select count(distinct g.member_id) from grants g
              join memberships ms on ms.id = g.membership_id
              where g.benefit_code = r.code and g.status = 'active' and ${liveMembership(now)})
          end as members,
          (select count(*) from orders o where o.status = 'pending_payment'
            and o.plan_code in (select jsonb_array_elements_text(r.plans))) as pending_orders
        from jsonb_to_recordset(${list}::jsonb) as r(i int, kind text, code text, tier text, plans jsonb)
        order by r.i`.execute(db);
      return rows.map((r) => ({ members: Number(r.members), pendingOrders: Number(r.pending_orders) }));
    },
  };
}
