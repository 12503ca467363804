import type { Selectable } from "kysely";
import type { OrdersTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { MemberRecord } from "../members/member-store.js";
import type { MembershipRecord } from "../memberships/membership-store.js";

export type OrderStatus = "pending_payment" | "paid" | "refunded";

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
}

export interface PaymentTarget {
  order: OrderRecord;
  member: MemberRecord;
  activeMembership: MembershipRecord | null;
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
}

/** Orders: created pending, then paid or refunded by payment events. */
export interface OrderStore {
  insert(order: NewOrder): Promise<OrderRecord>;
  get(id: string): Promise<OrderRecord | null>;
  /**
   * What a payment needs, in one statement: the order and its member, both locked until the
   * transaction ends, and the member's membership of the order's tier still running at `at` (the one
   * a renewal extends). Null for an unknown order.
   */
  lockForPayment(id: string, at: Date): Promise<PaymentTarget | null>;
  listForMember(memberId: string): Promise<OrderRecord[]>;
  markPaid(id: string, paid: OrderPaid): Promise<void>;
  markRefunded(id: string, at: Date): Promise<void>;
  /** Paid orders that extended a membership, excluding one; used to shorten it on refund. */
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
    async lockForPayment(id, at) {
      const row = await db
        .selectFrom("orders")
        .innerJoin("members", "members.id", "orders.member_id")
        .leftJoinLateral(
          (eb) =>
            eb
              .selectFrom("memberships")
              .selectAll()
              .whereRef("memberships.member_id", "=", "orders.member_id")
              .whereRef("memberships.tier_code", "=", "orders.tier_code")
              .where("memberships.status", "=", "active")
              .where("memberships.expires_at", ">", at)
              .orderBy("memberships.expires_at", "desc")
              .limit(1)
              .as("active"),
          (join) => join.onTrue(),
        )
        .selectAll("orders")
        .select([
          "members.display_name as member_display_name",
          "members.locale as member_locale",
          "members.timezone as member_timezone",
          "members.entitlements_version as member_entitlements_version",
          "members.created_at as member_created_at",
          "members.updated_at as member_updated_at",
          "active.id as active_id",
          "active.starts_at as active_starts_at",
          "active.expires_at as active_expires_at",
          "active.source_order_id as active_source_order_id",
          "active.created_at as active_created_at",
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
      const activeMembership: MembershipRecord | null =
        row.active_id === null
          ? null
          : {
              id: row.active_id,
              memberId: row.member_id,
              tier: row.tier_code,
              startsAt: row.active_starts_at!,
              expiresAt: row.active_expires_at!,
              status: "active",
              sourceOrderId: row.active_source_order_id!,
              revokedAt: null,
              createdAt: row.active_created_at!,
            };
      return { order: toRecord(row), member, activeMembership };
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
        })
        .where("id", "=", id)
        .execute();
    },
    async markRefunded(id, at) {
      await db
        .updateTable("orders")
        .set({ status: "refunded", refunded_at: at })
        .where("id", "=", id)
        .execute();
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
