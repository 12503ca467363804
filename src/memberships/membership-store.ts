import { type Selectable, sql } from "kysely";
import type { Clock } from "../clock.js";
import type { MembershipsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { MembershipStatus } from "../engine/engine-types.js";
import { grantRow, type NewGrant } from "../grants/grant-rows.js";
import { jobRow, type NewJob } from "../jobs/new-job.js";

export interface MembershipRecord {
  id: string;
  memberId: string;
  tier: string;
  startsAt: Date;
  expiresAt: Date;
  status: MembershipStatus;
  sourceOrderId: string;
  revokedAt: Date | null;
  graceEndsAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
}

export type NewMembership = Omit<MembershipRecord, "status" | "revokedAt" | "endedAt" | "createdAt">;

/** Memberships: a member's paid period in a tier. Paying again for the same tier extends one. */
export interface MembershipStore {
  /** A new membership, its grants and its lifecycle jobs, in one statement. */
  insertWithGrants(m: NewMembership, grants: NewGrant[], jobs?: NewJob[]): Promise<void>;
  get(id: string): Promise<MembershipRecord | null>;
  /**
   * The member's active memberships that have not ended at `at` (grace periods included), running
   * now or scheduled to start later, latest expiry first.
   */
  listActive(memberId: string, at: Date): Promise<MembershipRecord[]>;
  listForMember(memberId: string): Promise<MembershipRecord[]>;
  setExpiry(id: string, expiresAt: Date, graceEndsAt: Date | null): Promise<void>;
  /** Moves a scheduled membership (its start and its end) by `deltaMs`. */
  shift(id: string, deltaMs: number): Promise<void>;
  revoke(id: string, at: Date): Promise<void>;
  /** Ends an active membership for good: `expired` by time, or `upgraded` into a higher tier. */
  end(id: string, status: "expired" | "upgraded", at: Date): Promise<void>;
  /** Makes an upgraded membership active again (its upgrade was refunded). */
  reinstate(id: string): Promise<void>;
}

type Row = Selectable<MembershipsTable>;

function toRecord(row: Row): MembershipRecord {
  return {
    id: row.id,
    memberId: row.member_id,
    tier: row.tier_code,
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
    status: row.status as MembershipRecord["status"],
    sourceOrderId: row.source_order_id,
    revokedAt: row.revoked_at,
    graceEndsAt: row.grace_ends_at,
    endedAt: row.ended_at,
    createdAt: row.created_at,
  };
}

function membershipRow(m: NewMembership, now: Date) {
  return {
    id: m.id,
    member_id: m.memberId,
    tier_code: m.tier,
    starts_at: m.startsAt,
    expires_at: m.expiresAt,
    status: "active",
    source_order_id: m.sourceOrderId,
    grace_ends_at: m.graceEndsAt,
    updated_at: now,
  };
}

/** `clock` stamps `updated_at`: rows changed at a test's time say so. */
export function createMembershipStore(db: Executor, clock: Clock): MembershipStore {
  return {
    async insertWithGrants(m, grants, jobs = []) {
      const now = new Date(clock.now());
      // Each insert a CTE of the next, so the grants' foreign key sees the membership: one round trip.
      const withMembership = db.with("membership", (qc) =>
        qc.insertInto("memberships").values(membershipRow(m, now)),
      );
      if (jobs.length === 0 && grants.length === 0) {
        await db.insertInto("memberships").values(membershipRow(m, now)).execute();
      } else if (jobs.length === 0) {
        await withMembership
          .insertInto("grants")
          .values(grants.map((g) => grantRow(g, now)))
          .execute();
      } else if (grants.length === 0) {
        await withMembership
          .insertInto("jobs")
          .values(jobs.map(jobRow))
          .onConflict((oc) => oc.column("key").doNothing())
          .execute();
      } else {
        await withMembership
          .with("granted", (qc) => qc.insertInto("grants").values(grants.map((g) => grantRow(g, now))))
          .insertInto("jobs")
          .values(jobs.map(jobRow))
          .onConflict((oc) => oc.column("key").doNothing())
          .execute();
      }
    },
    async get(id) {
      const row = await db.selectFrom("memberships").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async listActive(memberId, at) {
      const rows = await db
        .selectFrom("memberships")
        .selectAll()
        .where("member_id", "=", memberId)
        .where("status", "=", "active")
        .where(sql<Date>`coalesce(grace_ends_at, expires_at)`, ">", at)
        .orderBy("expires_at", "desc")
        .orderBy("id")
        .execute();
      return rows.map(toRecord);
    },
    async listForMember(memberId) {
      const rows = await db
        .selectFrom("memberships")
        .selectAll()
        .where("member_id", "=", memberId)
        .orderBy("starts_at")
        .orderBy("id")
        .execute();
      return rows.map(toRecord);
    },
    async setExpiry(id, expiresAt, graceEndsAt) {
      await db
        .updateTable("memberships")
        .set({ expires_at: expiresAt, grace_ends_at: graceEndsAt, updated_at: new Date(clock.now()) })
        .where("id", "=", id)
        .execute();
    },
    async shift(id, deltaMs) {
      const by = sql`make_interval(secs => ${deltaMs / 1000})`;
      await db
        .updateTable("memberships")
        .set({
          starts_at: sql`starts_at + ${by}`,
          expires_at: sql`expires_at + ${by}`,
          grace_ends_at: sql`grace_ends_at + ${by}`,
          updated_at: new Date(clock.now()),
        })
        .where("id", "=", id)
        .execute();
    },
    async revoke(id, at) {
      await db
        .updateTable("memberships")
        .set({ status: "revoked", revoked_at: at, ended_at: at, updated_at: new Date(clock.now()) })
        .where("id", "=", id)
        .execute();
    },
    async end(id, status, at) {
      await db
        .updateTable("memberships")
        .set({ status, ended_at: at, updated_at: new Date(clock.now()) })
        .where("id", "=", id)
        .where("status", "=", "active")
        .execute();
    },
    async reinstate(id) {
      await db
        .updateTable("memberships")
        .set({ status: "active", ended_at: null, updated_at: new Date(clock.now()) })
        .where("id", "=", id)
        .where("status", "=", "upgraded")
        .execute();
    },
  };
}
