import { sql } from "kysely";
import type { Locale } from "../catalog/catalog-types.js";
import { LOCALES } from "../catalog/catalog-types.js";
import type { Executor } from "../db/transaction.js";
import {
  type ClientSessionView,
  type GrantView,
  type HoldView,
  indexGrantsByBenefit,
  type MemberSnapshot,
  type MembershipView,
  type PendingOrderView,
} from "../engine/engine-types.js";
import { DEFAULT_TIME_ZONE } from "../time/durations.js";

/** Loads the engine's view of one member in a single round trip. */
export interface SnapshotStore {
  load(memberId: string): Promise<MemberSnapshot>;
}

type JsonRow = Record<string, unknown>;

/** One member's row as the snapshot query returns it: the member, with related rows as JSON. */
export interface SnapshotRow {
  id: string;
  locale: string | null;
  timezone: string;
  entitlements_version: number;
  memberships: JsonRow[];
  grants: JsonRow[];
  pending: JsonRow[];
  session: JsonRow | null;
  /** Open holds; absent in rows built before holds existed (benchmarks). */
  holds?: JsonRow[];
}

const time = (v: unknown): number => Date.parse(String(v));
const timeOrNull = (v: unknown): number | null => (v == null ? null : Date.parse(String(v)));

/**
 * Codes, statuses and time zones repeat across every cached member; parsing JSON makes a new copy
 * of each. One shared copy keeps 100,000 cached members well inside the heap budget.
 */
const interned = new Map<string, string>();
function intern(value: unknown): string {
  const s = value as string;
  const shared = interned.get(s);
  if (shared !== undefined) return shared;
  // Codes are a small set; the bound only stops unbounded growth from unexpected values.
  if (interned.size < 10_000) interned.set(s, s);
  return s;
}

function toMembership(r: JsonRow): MembershipView {
  return {
    id: r.id as string,
    tier: intern(r.tier_code),
    startsAt: time(r.starts_at),
    expiresAt: time(r.expires_at),
    status: intern(r.status) as MembershipView["status"],
    sourceOrderId: r.source_order_id as string,
    revokedAt: timeOrNull(r.revoked_at),
    graceEndsAt: timeOrNull(r.grace_ends_at),
  };
}

function toGrant(r: JsonRow, membershipIds: ReadonlyMap<string, string>): GrantView {
  const membershipId = r.membership_id as string;
  return {
    id: r.id as string,
    benefit: intern(r.benefit_code),
    tier: intern(r.tier_code),
    // Share the membership's own id string rather than a parsed copy per grant.
    membershipId: membershipIds.get(membershipId) ?? membershipId,
    status: intern(r.status) as GrantView["status"],
    effectiveFrom: time(r.effective_from),
    expiresAt: time(r.expires_at),
    catalogVersion: r.catalog_version as number,
    claimedAt: timeOrNull(r.claimed_at),
    toggledOn: r.toggled_on as boolean,
    quotaUsed: Number(r.quota_used),
    quotaResetsAt: timeOrNull(r.quota_resets_at),
    rulesVersion: (r.rules_version ?? null) as number | null,
    rulesUntil: timeOrNull(r.rules_until),
  };
}

function toPendingOrder(r: JsonRow): PendingOrderView {
  return {
    orderId: r.id as string,
    plan: intern(r.plan_code),
    tier: intern(r.tier_code),
    createdAt: time(r.created_at),
  };
}

function toHold(r: JsonRow): HoldView {
  return {
    id: r.id as string,
    reason: intern(r.reason),
    benefits: Array.isArray(r.benefits) ? (r.benefits as string[]).map(intern) : null,
    clearMethod: intern(r.clear_method) as HoldView["clearMethod"],
    placedAt: time(r.placed_at),
  };
}

/** The snapshot of a loaded row; `undefined` for a member who does not exist. */
export function snapshotFromRow(memberId: string, row: SnapshotRow | undefined): MemberSnapshot {
  if (!row) return buildSnapshot(null, memberId, [], [], []);
  const memberships = row.memberships.map(toMembership);
  const membershipIds = new Map(memberships.map((m) => [m.id, m.id]));
  return buildSnapshot(
    {
      id: row.id,
      locale: row.locale,
      timezone: intern(row.timezone),
      entitlementsVersion: row.entitlements_version,
    },
    memberId,
    memberships,
    row.grants.map((g) => toGrant(g, membershipIds)),
    row.pending.map(toPendingOrder),
    row.session === null ? null : toSession(row.session),
    row.holds?.map(toHold) ?? [],
  );
}

function toSession(r: JsonRow): ClientSessionView {
  return {
    platform: intern(r.platform),
    version: intern(r.version),
    entitlementsVersion: r.entitlements_version as number,
    reportedAt: time(r.reported_at),
  };
}

/** Builds the snapshot, indexing grants by benefit so a decision touches only its own. */
export function buildSnapshot(
  member: { id: string; locale: string | null; timezone: string; entitlementsVersion: number } | null,
  memberId: string,
  memberships: MembershipView[],
  grants: GrantView[],
  pendingOrders: PendingOrderView[],
  latestSession: ClientSessionView | null = null,
  holds: HoldView[] = [],
): MemberSnapshot {
  const grantsByBenefit = indexGrantsByBenefit(grants);
  const locale = (LOCALES as readonly string[]).includes(member?.locale ?? "")
    ? (member?.locale as Locale)
    : null;
  return {
    memberId,
    exists: member !== null,
    locale,
    timezone: member?.timezone ?? DEFAULT_TIME_ZONE,
    entitlementsVersion: member?.entitlementsVersion ?? 0,
    memberships,
    grants,
    grantsByBenefit,
    pendingOrders,
    latestSession,
    holds,
  };
}

export function createSnapshotStore(db: Executor): SnapshotStore {
  return {
    async load(memberId) {
      // One statement: the member row with its memberships, active grants, pending orders and open
      // holds as JSON.
      const { rows } = await sql<SnapshotRow>`
        select m.id, m.locale, m.timezone, m.entitlements_version,
          coalesce((select json_agg(ms order by ms.starts_at) from memberships ms where ms.member_id = m.id), '[]') as memberships,
          coalesce((select json_agg(g order by g.effective_from) from grants g
                    where g.member_id = m.id and g.status = 'active'), '[]') as grants,
          coalesce((select json_agg(o order by o.created_at) from orders o
                    where o.member_id = m.id and o.status = 'pending_payment'), '[]') as pending,
          (select json_build_object('platform', s.platform, 'version', s.version,
                    'entitlements_version', s.entitlements_version, 'reported_at', s.reported_at)
           from client_sessions s where s.member_id = m.id
           order by s.reported_at desc, s.id desc limit 1) as session,
          coalesce((select json_agg(json_build_object('id', h.id, 'reason', h.reason, 'benefits', h.benefits,
                      'clear_method', h.clear_method, 'placed_at', h.placed_at) order by h.placed_at, h.id)
                    from holds h where h.member_id = m.id and h.status = 'open'), '[]') as holds
        from members m where m.id = ${memberId}`.execute(db);
      return snapshotFromRow(memberId, rows[0]);
    },
  };
}
