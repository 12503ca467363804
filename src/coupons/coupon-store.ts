import { type Selectable, sql } from "kysely";
import type { Clock } from "../clock.js";
import type { MemberCouponsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { CouponCut, MemberCouponRecord, PackGrant } from "./coupon-issuance.js";

/** The member row and grants issuance needs: one read. */
export interface CouponHolder {
  memberId: string;
  timezone: string;
  locale: string | null;
  grants: PackGrant[];
}

/** A member's coupons with the global usage of their templates: one read. */
export interface HeldCoupons {
  coupons: MemberCouponRecord[];
  /** Locked + used by every member, for each template the member holds. */
  totalUsed: Map<string, number>;
}

export type RedemptionStatus = "locked" | "completed" | "released";

export interface RedemptionRecord {
  orderRef: string;
  memberId: string;
  couponIds: string[];
  status: RedemptionStatus;
  response: Record<string, unknown>;
  lockedAt: Date;
  completedAt: Date | null;
  releasedAt: Date | null;
}

/** Issued coupons, their usage counters and redemptions (the coupons issue). */
export interface CouponStore {
  /** The member's time zone, locale and grants; null for an unknown member. */
  holder(memberId: string): Promise<CouponHolder | null>;
  held(memberId: string): Promise<HeldCoupons>;
  /** Inserts coupons; an issue already stored (grant, template, period, sequence) is skipped. Returns the new ids. */
  insert(coupons: (Omit<MemberCouponRecord, "id"> & { id: string })[]): Promise<string[]>;
  cut(cuts: CouponCut[]): Promise<void>;
  setClaimed(id: string, claimedAt: number, validFrom: number, validUntil: number | null): Promise<void>;
  /** Locks `ids` (each `issued`) to an order; returns how many it locked. */
  lockToOrder(ids: string[], orderRef: string, now: Date): Promise<number>;
  /** Moves the order's coupons from `from` to `to` (releasing: back to `issued`); returns their templates. */
  moveOrderCoupons(
    memberId: string,
    orderRef: string,
    from: readonly string[],
    to: "used" | "issued",
    now: Date,
  ): Promise<string[]>;
  /**
   * Adds `n` to the template's usage if it stays within `limit` (null: no limit), in one conditional
   * statement; false when the limit would be passed.
   */
  addUsage(template: string, n: number, limit: number | null): Promise<boolean>;
  removeUsage(template: string, n: number): Promise<void>;
  findRedemption(orderRef: string): Promise<RedemptionRecord | null>;
  /** false when the order reference is taken already (by a concurrent redemption too). */
  insertRedemption(record: Omit<RedemptionRecord, "completedAt" | "releasedAt">): Promise<boolean>;
  setRedemptionStatus(orderRef: string, status: "completed" | "released", at: Date): Promise<void>;
}

type CouponRow = Selectable<MemberCouponsTable>;

const ms = (d: Date | null) => (d === null ? null : d.getTime());

function toRecord(row: CouponRow): MemberCouponRecord {
  return {
    id: row.id,
    memberId: row.member_id,
    template: row.template,
    benefit: row.benefit_code,
    grantId: row.grant_id,
    periodStart: row.period_start.getTime(),
    periodEnd: row.period_end.getTime(),
    sequence: row.sequence,
    issuedAt: row.issued_at.getTime(),
    claimedAt: ms(row.claimed_at),
    validFrom: row.valid_from.getTime(),
    validUntil: ms(row.valid_until),
    status: row.status as MemberCouponRecord["status"],
    orderRef: row.order_ref,
  };
}

const date = (t: number | null) => (t === null ? null : new Date(t));

/** `clock` stamps `updated_at`: rows changed at a test's time say so. */
export function createCouponStore(db: Executor, clock: Clock): CouponStore {
  return {
    async holder(memberId) {
      const rows = await db
        .selectFrom("members as m")
        .leftJoin("grants as g", "g.member_id", "m.id")
        .leftJoin("memberships as ms", (join) =>
          join.onRef("ms.id", "=", "g.membership_id").onRef("ms.member_id", "=", "m.id"),
        )
        .select([
          "m.timezone",
          "m.locale",
          "g.id as grant_id",
          "g.benefit_code",
          "g.effective_from",
          "g.expires_at",
          "g.ended_at",
          "g.end_reason",
          "ms.starts_at as membership_starts_at",
        ])
        .where("m.id", "=", memberId)
        .execute();
      if (rows.length === 0) return null;
      const grants: PackGrant[] = [];
      for (const r of rows) {
        if (r.grant_id === null) continue;
        grants.push({
          id: r.grant_id,
          benefit: r.benefit_code!,
          effectiveFrom: r.effective_from!.getTime(),
          expiresAt: r.expires_at!.getTime(),
          endedAt: ms(r.ended_at),
          endReason: r.end_reason,
          membershipStart: (r.membership_starts_at ?? r.effective_from!).getTime(),
        });
      }
      return { memberId, timezone: rows[0].timezone, locale: rows[0].locale, grants };
    },
    async held(memberId) {
      const rows = await db
        .selectFrom("member_coupons as c")
        .leftJoin("coupon_usage as u", "u.template", "c.template")
        .selectAll("c")
        .select("u.used as template_used")
        .where("c.member_id", "=", memberId)
        .orderBy("c.issued_at")
        .orderBy("c.template")
        .orderBy("c.sequence")
        .orderBy("c.id")
        .execute();
      const totalUsed = new Map<string, number>();
      for (const r of rows) totalUsed.set(r.template, r.template_used ?? 0);
      return { coupons: rows.map(toRecord), totalUsed };
    },
    async insert(coupons) {
      if (coupons.length === 0) return [];
      const now = new Date(clock.now());
      const rows = await db
        .insertInto("member_coupons")
        .values(
          coupons.map((c) => ({
            id: c.id,
            member_id: c.memberId,
            template: c.template,
            benefit_code: c.benefit,
            grant_id: c.grantId,
            period_start: new Date(c.periodStart),
            period_end: new Date(c.periodEnd),
            sequence: c.sequence,
            issued_at: new Date(c.issuedAt),
            claimed_at: date(c.claimedAt),
            valid_from: new Date(c.validFrom),
            valid_until: date(c.validUntil),
            status: c.status,
            order_ref: c.orderRef,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.constraint("member_coupons_issue_key").doNothing())
        .returning("id")
        .execute();
      return rows.map((r) => r.id);
    },
    async cut(cuts) {
      for (const { id, validUntil } of cuts) {
        await db
          .updateTable("member_coupons")
          .set({ valid_until: new Date(validUntil), updated_at: new Date(clock.now()) })
          .where("id", "=", id)
          .execute();
      }
    },
    async setClaimed(id, claimedAt, validFrom, validUntil) {
      await db
        .updateTable("member_coupons")
        .set({
          claimed_at: new Date(claimedAt),
          valid_from: new Date(validFrom),
          valid_until: date(validUntil),
          updated_at: new Date(clock.now()),
        })
        .where("id", "=", id)
        .execute();
    },
    async lockToOrder(ids, orderRef, now) {
      if (ids.length === 0) return 0;
      const rows = await db
        .updateTable("member_coupons")
        .set({ status: "locked", order_ref: orderRef, updated_at: now })
        .where("id", "in", ids)
        .where("status", "=", "issued")
        .returning("id")
        .execute();
      return rows.length;
    },
    async moveOrderCoupons(memberId, orderRef, from, to, now) {
      if (from.length === 0) return [];
      const rows = await db
        .updateTable("member_coupons")
        .set({ status: to, order_ref: to === "issued" ? null : orderRef, updated_at: now })
        .where("member_id", "=", memberId)
        .where("order_ref", "=", orderRef)
        .where("status", "in", [...from])
        .returning("template")
        .execute();
      return rows.map((r) => r.template);
    },
    async addUsage(template, n, limit) {
      if (limit !== null && n > limit) return false;
      // One statement: the row lock of the conflicting row serializes concurrent increments and the
      // WHERE is evaluated against the latest committed count, so the limit is never passed.
      const within = limit === null ? sql`true` : sql`coupon_usage.used + excluded.used <= ${limit}`;
      const { rows } = await sql<{ used: number }>`
        insert into coupon_usage (template, used) values (${template}, ${n})
        on conflict (template) do update set used = coupon_usage.used + excluded.used
        where ${within}
        returning used`.execute(db);
      return rows.length === 1;
    },
    async removeUsage(template, n) {
      await db
        .updateTable("coupon_usage")
        .set({ used: sql`greatest(used - ${n}, 0)` })
        .where("template", "=", template)
        .execute();
    },
    async findRedemption(orderRef) {
      const row = await db
        .selectFrom("coupon_redemptions")
        .selectAll()
        .where("order_ref", "=", orderRef)
        .executeTakeFirst();
      if (!row) return null;
      return {
        orderRef: row.order_ref,
        memberId: row.member_id,
        couponIds: row.coupon_ids,
        status: row.status as RedemptionStatus,
        response: row.response,
        lockedAt: row.locked_at,
        completedAt: row.completed_at,
        releasedAt: row.released_at,
      };
    },
    async insertRedemption(r) {
      const rows = await db
        .insertInto("coupon_redemptions")
        .values({
          order_ref: r.orderRef,
          member_id: r.memberId,
          coupon_ids: JSON.stringify(r.couponIds),
          status: r.status,
          response: JSON.stringify(r.response),
          locked_at: r.lockedAt,
        })
        .onConflict((oc) => oc.column("order_ref").doNothing())
        .returning("order_ref")
        .execute();
      return rows.length === 1;
    },
    async setRedemptionStatus(orderRef, status, at) {
      await db
        .updateTable("coupon_redemptions")
        .set(status === "completed" ? { status, completed_at: at } : { status, released_at: at })
        .where("order_ref", "=", orderRef)
        .execute();
    },
  };
}
