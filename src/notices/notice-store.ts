import { sql } from "kysely";
import type { CatalogPolicy, LocalizedText } from "../catalog/catalog-types.js";
import type { TierImpact } from "../catalog/version-impact.js";
import type { MemberRange } from "../db/member-range.js";
import type { Executor } from "../db/transaction.js";
import { liveMembership } from "../memberships/live-membership.js";

/** What one tier's members are told changed: the tier and its impact. */
export type NoticeChange = { tier: string } & TierImpact;

export interface NoticeRecord {
  id: string;
  memberId: string;
  catalogVersion: number;
  createdAt: Date;
  appliesFrom: Date;
  policy: CatalogPolicy;
  title: LocalizedText;
  /** The version's own notice; null = summarize `changes`. */
  message: LocalizedText | null;
  changes: NoticeChange[];
  readAt: Date | null;
}

/** One chunk of a version's notice fan-out. */
export interface NoticeFanOut {
  version: number;
  policy: CatalogPolicy;
  /** When the version came into force. */
  activeAt: Date;
  title: LocalizedText;
  message: LocalizedText | null;
  /** The impact per tier; only members of these tiers are noticed. */
  tiers: Record<string, TierImpact>;
  range: MemberRange;
  now: Date;
}

/** Rule-change notices: written set-based by the activation job, read by members and support. */
export interface NoticeStore {
  /**
   * Notices the members in the range with a live membership of an affected tier, and for each one
   * newly noticed bumps the entitlements version and appends the outbox event and timeline entry —
   * one statement. Returns the members noticed (a retried chunk notices nobody twice).
   */
  fanOut(chunk: NoticeFanOut): Promise<string[]>;
  /**
   * Whom a fan-out over `tiers` at `now` would notice, without writing: the members of each tier and
   * the distinct members in all (a member of two affected tiers gets one notice).
   */
  countRecipients(tiers: string[], now: Date): Promise<{ members: number; byTier: Record<string, number> }>;
  /** The first `limit` of those members, in id order (what a publish preview names). */
  listRecipients(tiers: string[], now: Date, limit: number): Promise<string[]>;
  listForMember(memberId: string): Promise<NoticeRecord[]>;
  /** Marks a notice read (once); false when the member has no such notice. */
  markRead(memberId: string, id: string, at: Date): Promise<boolean>;
}

type Row = {
  id: string;
  member_id: string;
  catalog_version: number;
  created_at: Date;
  applies_from: Date;
  policy: string;
  title: unknown;
  message: unknown;
  changes: unknown;
  read_at: Date | null;
};

function toRecord(r: Row): NoticeRecord {
  return {
    id: r.id,
    memberId: r.member_id,
    catalogVersion: r.catalog_version,
    createdAt: new Date(r.created_at),
    appliesFrom: new Date(r.applies_from),
    policy: r.policy as CatalogPolicy,
    title: r.title as LocalizedText,
    message: (r.message ?? null) as LocalizedText | null,
    changes: r.changes as NoticeChange[],
    readAt: r.read_at === null ? null : new Date(r.read_at),
  };
}

/** A membership (alias `ms`) whose member a fan-out over `tiers` at `now` notices: counted and listed alike. */
const recipientOf = (tiers: string[], now: Date) =>
  sql`ms.tier_code in (select jsonb_array_elements_text(${JSON.stringify(tiers)}::jsonb))
    and ${liveMembership(now)}`;

export function createNoticeStore(db: Executor): NoticeStore {
  return {
    async fanOut(c) {
      const tiers = Object.keys(c.tiers);
      if (tiers.length === 0) return [];
      const upTo = c.range.upTo === null ? sql`true` : sql`ms.member_id <= ${c.range.upTo}`;
      // Grandfathered members are told when the change reaches them: the end of their current term.
      const appliesFrom =
        c.policy === "grandfather"
          ? sql`greatest(${c.activeAt}::timestamptz, min(t.term_end))`
          : sql`${c.activeAt}::timestamptz`;
      const { rows } = await sql<{ member_id: string }>`
        with impact as (select ${JSON.stringify(c.tiers)}::jsonb as by_tier),
        tiers as (
          select ms.member_id, ms.tier_code, max(ms.expires_at) as term_end
          from memberships ms
          where ms.member_id > ${c.range.after} and ${upTo}
            and ms.tier_code in (select jsonb_object_keys(by_tier) from impact)
            and ${liveMembership(c.now)}
          group by ms.member_id, ms.tier_code),
        affected as (
          select t.member_id, ${appliesFrom} as applies_from,
            jsonb_agg(jsonb_build_object('tier', t.tier_code) || (select by_tier -> t.tier_code from impact)
                      order by t.tier_code) as changes
          from tiers t group by t.member_id),
        ins as (
          insert into notices (id, member_id, catalog_version, created_at, applies_from, policy, title, message, changes)
          select 'ntc_' || replace(gen_random_uuid()::text, '-', ''), a.member_id, ${c.version}::int,
            ${c.now}::timestamptz, a.applies_from, ${c.policy}::text, ${JSON.stringify(c.title)}::jsonb,
            ${c.message === null ? null : JSON.stringify(c.message)}::jsonb, a.changes
          from affected a
          on conflict (member_id, catalog_version) do nothing
          returning id, member_id, applies_from),
        bumped as (
          update members m set entitlements_version = m.entitlements_version + 1, updated_at = ${c.now}::timestamptz
          from ins where m.id = ins.member_id
          returning m.id, m.entitlements_version),
        events as (
          insert into outbox (member_id, type, payload)
          select ins.member_id, 'notice.created', jsonb_build_object(
            'memberId', ins.member_id, 'noticeId', ins.id, 'catalogVersion', ${c.version}::int,
            'policy', ${c.policy}::text, 'appliesFrom', ins.applies_from,
            'entitlementsVersion', b.entitlements_version)
          from ins join bumped b on b.id = ins.member_id),
        entries as (
          insert into timeline (member_id, at, kind, source, data)
          select ins.member_id, ${c.now}::timestamptz, 'notice.created', 'admin', jsonb_build_object(
            'noticeId', ins.id, 'catalogVersion', ${c.version}::int, 'policy', ${c.policy}::text,
            'appliesFrom', ins.applies_from)
          from ins)
        select member_id from ins`.execute(db);
      return rows.map((r) => r.member_id);
    },
    async countRecipients(tiers, now) {
      if (tiers.length === 0) return { members: 0, byTier: {} };
      // The grouping set () is the total: distinct members over every tier.
      const { rows } = await sql<{ tier_code: string | null; members: string | number }>`
        select ms.tier_code, count(distinct ms.member_id) as members from memberships ms
        where ${recipientOf(tiers, now)}
        group by grouping sets ((ms.tier_code), ())`.execute(db);
      const byTier: Record<string, number> = Object.fromEntries(tiers.map((t) => [t, 0]));
      let members = 0;
      for (const row of rows) {
        if (row.tier_code === null) members = Number(row.members);
        else byTier[row.tier_code] = Number(row.members);
      }
      return { members, byTier };
    },
    async listRecipients(tiers, now, limit) {
      if (tiers.length === 0) return [];
      const { rows } = await sql<{ member_id: string }>`
        select distinct ms.member_id from memberships ms
        where ${recipientOf(tiers, now)}
        order by ms.member_id limit ${limit}`.execute(db);
      return rows.map((r) => r.member_id);
    },
    async listForMember(memberId) {
      const rows = await db
        .selectFrom("notices")
        .selectAll()
        .where("member_id", "=", memberId)
        .orderBy("created_at", "desc")
        .orderBy("catalog_version", "desc")
        .execute();
      return rows.map((r) => toRecord(r as Row));
    },
    async markRead(memberId, id, at) {
      const row = await db
        .updateTable("notices")
        .set({ read_at: sql`coalesce(read_at, ${at})` })
        .where("member_id", "=", memberId)
        .where("id", "=", id)
        .returning("id")
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
