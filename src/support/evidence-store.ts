import { sql } from "kysely";
import type { Executor } from "../db/transaction.js";
import type { ClaimedOrder, EvidenceBundle } from "../engine/diagnosis-types.js";
import type { ReceivedNotification } from "../payments/payment-event.js";
import { redactNotification } from "../payments/redact-notification.js";

/** How much of the timeline a diagnosis cites: the most recent entries. */
export const TIMELINE_EVIDENCE = 200;

/** Loads what a diagnosis may cite, in one round trip. */
export interface EvidenceStore {
  load(memberId: string, benefit: string): Promise<EvidenceBundle>;
  /** The member's own order with its payment events; null for an unknown order or another member's. */
  claimedOrder(memberId: string, orderId: string): Promise<ClaimedOrder | null>;
  /** The member's pending orders, newest first, at most `limit`. */
  pendingOrders(memberId: string, limit: number): Promise<string[]>;
  /** Whether the order was flagged for support already (any time, not only within the cited timeline). */
  flaggedForSupport(memberId: string, orderId: string): Promise<boolean>;
}

type Json = Record<string, unknown>;
const time = (v: unknown) => Date.parse(String(v));
const timeOrNull = (v: unknown) => (v == null ? null : Date.parse(String(v)));

function toOrder(r: Json) {
  return {
    id: r.id as string,
    plan: r.plan_code as string,
    tier: r.tier_code as string,
    status: r.status as string,
    amount: r.amount as number,
    currency: r.currency as string,
    channel: r.channel as string,
    membershipId: (r.membership_id as string | null) ?? null,
    createdAt: time(r.created_at),
    paidAt: timeOrNull(r.paid_at),
    refundedAt: timeOrNull(r.refunded_at),
  };
}

function toPayment(r: Json) {
  const notification = (r.notification as ReceivedNotification | null) ?? null;
  return {
    webhookId: r.webhook_id as string,
    orderId: (r.order_id as string | null) ?? null,
    type: r.type as string,
    outcome: r.outcome as string,
    amount: (r.amount as number | null) ?? null,
    receivedAt: time(r.received_at),
    provider: r.provider as string,
    // What support sees of the provider's raw notification: no credentials, signatures shortened.
    notification: notification ? redactNotification(notification) : null,
  };
}

export function createEvidenceStore(db: Executor): EvidenceStore {
  return {
    async load(memberId, benefit) {
      const { rows } = await sql<{
        orders: Json[];
        payments: Json[];
        memberships: Json[];
        grants: Json[];
        sessions: Json[];
        timeline: Json[];
      }>`
        select
          coalesce((select json_agg(o order by o.created_at, o.id) from (
            select id, plan_code, tier_code, status, amount, currency, channel, membership_id,
                   created_at, paid_at, refunded_at
            from orders where member_id = ${memberId}) o), '[]') as orders,
          coalesce((select json_agg(p order by p.received_at, p.webhook_id) from (
            select webhook_id, order_id, type, outcome, amount, received_at, provider, notification from payment_events
            where order_id in (select id from orders where member_id = ${memberId})) p), '[]') as payments,
          coalesce((select json_agg(m order by m.starts_at, m.id) from (
            select id, tier_code, status, starts_at, expires_at, grace_ends_at, ended_at, source_order_id
            from memberships where member_id = ${memberId}) m), '[]') as memberships,
          coalesce((select json_agg(g order by g.created_at, g.id) from (
            select id, benefit_code, tier_code, membership_id, status, effective_from, expires_at,
                   catalog_version, claimed_at, toggled_on, ended_at, end_reason, created_at
            from grants where member_id = ${memberId} and benefit_code = ${benefit}) g), '[]') as grants,
          coalesce((select json_agg(s order by s.reported_at desc, s.id desc) from (
            select id, platform, version, entitlements_version, reported_at from client_sessions
            where member_id = ${memberId} order by reported_at desc, id desc limit 5) s), '[]') as sessions,
          coalesce((select json_agg(t order by t.id) from (
            select id, at, kind, source, data from timeline
            where member_id = ${memberId} order by id desc limit ${TIMELINE_EVIDENCE}) t), '[]') as timeline`.execute(
        db,
      );
      const row = rows[0];
      return {
        orders: row.orders.map(toOrder),
        paymentEvents: row.payments.map(toPayment),
        memberships: row.memberships.map((r) => ({
          id: r.id as string,
          tier: r.tier_code as string,
          status: r.status as string,
          startsAt: time(r.starts_at),
          expiresAt: time(r.expires_at),
          graceEndsAt: timeOrNull(r.grace_ends_at),
          endedAt: timeOrNull(r.ended_at),
          sourceOrderId: r.source_order_id as string,
        })),
        grants: row.grants.map((r) => ({
          id: r.id as string,
          benefit: r.benefit_code as string,
          tier: r.tier_code as string,
          membershipId: r.membership_id as string,
          status: r.status as string,
          effectiveFrom: time(r.effective_from),
          expiresAt: time(r.expires_at),
          catalogVersion: r.catalog_version as number,
          claimedAt: timeOrNull(r.claimed_at),
          toggledOn: r.toggled_on as boolean,
          endedAt: timeOrNull(r.ended_at),
          endReason: (r.end_reason as string | null) ?? null,
        })),
        sessions: row.sessions.map((r) => ({
          id: String(r.id),
          platform: r.platform as string,
          version: r.version as string,
          entitlementsVersion: r.entitlements_version as number,
          reportedAt: time(r.reported_at),
        })),
        timeline: row.timeline.map((r) => ({
          id: String(r.id),
          at: time(r.at),
          kind: r.kind as string,
          source: r.source as string,
          data: r.data as Record<string, unknown>,
        })),
      };
    },
    async claimedOrder(memberId, orderId) {
      const { rows } = await sql<{ order: Json; payments: Json[] }>`
        select row_to_json(o) as order,
          coalesce((select json_agg(p order by p.received_at, p.webhook_id) from (
            select webhook_id, order_id, type, outcome, amount, received_at, provider, notification from payment_events
            where order_id = o.id) p), '[]') as payments
        from (select id, plan_code, tier_code, status, amount, currency, channel, membership_id,
                     created_at, paid_at, refunded_at
              from orders where id = ${orderId} and member_id = ${memberId}) o`.execute(db);
      const row = rows[0];
      return row ? { order: toOrder(row.order), paymentEvents: row.payments.map(toPayment) } : null;
    },
    async pendingOrders(memberId, limit) {
      const rows = await db
        .selectFrom("orders")
        .select("id")
        .where("member_id", "=", memberId)
        .where("status", "=", "pending_payment")
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
    async flaggedForSupport(memberId, orderId) {
      const { rows } = await sql<{ flagged: boolean }>`
        select exists (select 1 from timeline where member_id = ${memberId}
          and kind = 'order.flagged_for_support' and data->>'orderId' = ${orderId}) as flagged`.execute(db);
      return rows[0].flagged;
    },
  };
}
