import { sql } from "kysely";
import type { Executor } from "../db/transaction.js";

/** A keyset range of member ids: (after, upTo]; upTo null = no upper bound. */
export interface MemberRange {
  after: string;
  upTo: string | null;
}

export const ALL_MEMBERS: MemberRange = { after: "", upTo: null };

/** A membership of a tier that gained benefits, with what a new grant needs. */
export interface MembershipForAddition {
  membershipId: string;
  memberId: string;
  tier: string;
  startsAt: Date;
  expiresAt: Date;
  timezone: string;
}

/** Set-based writes of a catalog change: grandfathering marks on grants, and chunk bounds of the fan-out. */
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
            and ms.status = 'active' and coalesce(ms.grace_ends_at, ms.expires_at) > ${now}
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
  };
}
