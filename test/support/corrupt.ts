/**
 * The test hook that corrupts the database directly, behind the services' back, one function per kind
 * of drift reconciliation must find. Each touches only what its kind needs: where rows are rewritten,
 * the member row is rewritten in the same transaction too, so the corruption does not also count as
 * version_not_bumped (which has its own function).
 */
import { sql } from "kysely";
import type { Db } from "../../src/db/database.js";

async function paidOrder(db: Db, memberId: string) {
  const order = await db
    .selectFrom("orders")
    .selectAll()
    .where("member_id", "=", memberId)
    .where("status", "=", "paid")
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  return order;
}

export const corrupt = {
  /** The membership a paid order bought disappears, grants and all; the order still points at it. */
  async paidWithoutMembership(db: Db, memberId: string) {
    const order = await paidOrder(db, memberId);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom("grants").where("membership_id", "=", order.membership_id!).execute();
      await trx.deleteFrom("memberships").where("id", "=", order.membership_id!).execute();
    });
    return order.id;
  },
  /** A payment event recorded as applied, for an order that is still pending: the apply was lost. */
  async paymentEventNotApplied(db: Db, orderId: string) {
    const order = await db
      .selectFrom("orders")
      .selectAll()
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    const event = { type: "payment.succeeded", data: { orderId, amount: order.amount } };
    await db
      .insertInto("payment_events")
      .values({
        webhook_id: `msg_lost_${orderId}`,
        order_id: orderId,
        type: "payment.succeeded",
        amount: order.amount,
        outcome: "applied",
        payload: JSON.stringify(event),
      })
      .execute();
  },
  /** Every grant of the member's memberships is gone. */
  async membershipWithoutGrants(db: Db, memberId: string) {
    await db.deleteFrom("grants").where("member_id", "=", memberId).execute();
  },
  /** One benefit's grant is gone. */
  async grantMissing(db: Db, memberId: string, benefit: string) {
    await db
      .deleteFrom("grants")
      .where("member_id", "=", memberId)
      .where("benefit_code", "=", benefit)
      .execute();
  },
  /** The grants a refund ended are active again. */
  async grantAfterRefund(db: Db, memberId: string) {
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("grants")
        .set({ status: "active", ended_at: null, end_reason: null })
        .where("member_id", "=", memberId)
        .where("end_reason", "=", "refunded")
        .execute();
      await sql`update members set id = id where id = ${memberId}`.execute(trx);
    });
  },
  /** A grant changes (its expiry moves a day) without the entitlements version being bumped. */
  async versionNotBumped(db: Db, memberId: string, benefit: string) {
    await sql`update grants set expires_at = expires_at + interval '1 day', updated_at = now()
      where member_id = ${memberId} and benefit_code = ${benefit}`.execute(db);
  },
};
