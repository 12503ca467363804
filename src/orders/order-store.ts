import type { Selectable } from "kysely";
import type { OrdersTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { MemberRecord } from "../members/member-record.js";

/** `closed`: the provider closed the order unpaid (it is no longer awaited; a late payment still counts). */
export type OrderStatus = "pending_payment" | "paid" | "refunded" | "closed";

export interface OrderRecord {
  id: string;
  memberId: string;
  plan: string;
  tier: string;
  amount: number;
  currency: string;
  channel: string;
  status: OrderStatus;
  catalogVersion: number;
  membershipId: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  providerRef: string | null;
  createdAt: Date;
  paidAt: Date | null;
  refundedAt: Date | null;
  /** The cumulative refunded amount in the order's currency: a provider refunds in parts. */
  refundedAmount: number;
  closedAt: Date | null;
  /** Set when the order paid for an upgrade: what it replaced and the credit carried over. */
  upgrade: UpgradeRecord | null;
}

/** The record of an upgrade on the order that paid for it (see the credit formula in membership-changes.ts). */
export interface UpgradeRecord {
  fromMembershipIds: string[];
  fromTier: string;
  /** The unused value of the replaced memberships, in minor units of the new plan's currency. */
  creditAmount: number;
  currency: string;
  /** The extra time the credit bought on the new membership. */
  creditMs: number;
}

export type NewOrder = Pick<
  OrderRecord,
  "id" | "memberId" | "plan" | "tier" | "amount" | "currency" | "channel" | "catalogVersion" | "createdAt"
>;

export interface OrderPaid {
  membershipId: string;
  periodStart: Date;
  periodEnd: Date;
  paidAt: Date;
  providerRef: string | null;
  upgrade?: UpgradeRecord | null;
}

/** Orders: created pending, then paid or refunded by payment events. */
export interface OrderStore {
  insert(order: NewOrder): Promise<OrderRecord>;
  get(id: string): Promise<OrderRecord | null>;
  /** Locks an order and the member who placed it, in one statement; null for an unknown order. */
  lockWithMember(id: string): Promise<{ order: OrderRecord; member: MemberRecord } | null>;
  listForMember(memberId: string): Promise<OrderRecord[]>;
  markPaid(id: string, paid: OrderPaid): Promise<void>;
  /** Links a paid order to the membership it created again (a repair of a lost link). */
  linkMembership(id: string, membershipId: string): Promise<void>;
  /** A full refund: the order is refunded, its refunded amount the whole amount. */
  markRefunded(id: string, at: Date): Promise<void>;
  /** A partial refund: the cumulative refunded amount, the order staying as it is. */
  setRefundedAmount(id: string, cumulative: number): Promise<void>;
  /** The provider closed the unpaid order. */
  markClosed(id: string, at: Date): Promise<void>;
  /** The paid orders that bought periods of a membership, oldest first (a refund takes back one). */
  paidForMembership(membershipId: string): Promise<OrderRecord[]>;
}

type OrderRow = Selectable<OrdersTable>;

function toRecord(row: OrderRow): OrderRecord {
  return {
    id: row.id,
    memberId: row.member_id,
    plan: row.plan_code,
    tier: row.tier_code,
    amount: row.amount,
    currency: row.currency,
    channel: row.channel,
    status: row.status as OrderStatus,
    catalogVersion: row.catalog_version,
    membershipId: row.membership_id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    providerRef: row.provider_ref,
    createdAt: row.created_at,
    paidAt: row.paid_at,
    refundedAt: row.refunded_at,
    refundedAmount: row.refunded_amount,
    closedAt: row.closed_at,
    upgrade: (row.upgrade as UpgradeRecord | null) ?? null,
  };
}

export function createOrderStore(db: Executor): OrderStore {
  return {
    async insert(order) {
      const row = await db
        .insertInto("orders")
        .values({
          id: order.id,
          member_id: order.memberId,
          plan_code: order.plan,
          tier_code: order.tier,
          amount: order.amount,
          currency: order.currency,
          channel: order.channel,
          status: "pending_payment",
          catalog_version: order.catalogVersion,
          created_at: order.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async get(id) {
      const row = await db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async lockWithMember(id) {
      const row = await db
        .selectFrom("orders")
        .innerJoin("members", "members.id", "orders.member_id")
        .selectAll("orders")
        .select([
          "members.display_name as member_display_name",
          "members.locale as member_locale",
          "members.timezone as member_timezone",
          "members.entitlements_version as member_entitlements_version",
          "members.created_at as member_created_at",
          "members.updated_at as member_updated_at",
        ])
        .where("orders.id", "=", id)
        .forUpdate(["orders", "members"])
        .executeTakeFirst();
      if (!row) return null;
      const member: MemberRecord = {
        id: row.member_id,
        displayName: row.member_display_name,
        locale: row.member_locale,
        timezone: row.member_timezone,
        entitlementsVersion: row.member_entitlements_version,
        createdAt: row.member_created_at,
        updatedAt: row.member_updated_at,
      };
      return { order: toRecord(row), member };
    },
    async listForMember(memberId) {
      const rows = await db
        .selectFrom("orders")
        .selectAll()
        .where("member_id", "=", memberId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toRecord);
    },
    async linkMembership(id, membershipId) {
      await db.updateTable("orders").set({ membership_id: membershipId }).where("id", "=", id).execute();
    },
    async markPaid(id, paid) {
      await db
        .updateTable("orders")
        .set({
          status: "paid",
          membership_id: paid.membershipId,
          period_start: paid.periodStart,
          period_end: paid.periodEnd,
          paid_at: paid.paidAt,
          provider_ref: paid.providerRef,
          upgrade: paid.upgrade ? JSON.stringify(paid.upgrade) : null,
        })
        .where("id", "=", id)
        .execute();
    },
    async markRefunded(id, at) {
      await db
        .updateTable("orders")
        .set((eb) => ({ status: "refunded", refunded_at: at, refunded_amount: eb.ref("amount") }))
        .where("id", "=", id)
        .execute();
    },
    async setRefundedAmount(id, cumulative) {
      await db.updateTable("orders").set({ refunded_amount: cumulative }).where("id", "=", id).execute();
    },
    async markClosed(id, at) {
      await db.updateTable("orders").set({ status: "closed", closed_at: at }).where("id", "=", id).execute();
    },
    async paidForMembership(membershipId) {
      const rows = await db
        .selectFrom("orders")
        .selectAll()
        .where("membership_id", "=", membershipId)
        .where("status", "=", "paid")
        .orderBy("period_start")
        .execute();
      return rows.map(toRecord);
    },
  };
}
