import { type Selectable, sql } from "kysely";
import type { Clock } from "../clock.js";
import type { GrantsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import { type GrantRecord, grantRow, type NewGrant } from "./grant-rows.js";

/** Grants: a benefit materialized for a member from a membership. */
export interface GrantStore {
  /** Inserts the grants a membership lacks (one per benefit); returns how many were new. */
  insertMissing(grants: NewGrant[]): Promise<number>;
  listForMember(memberId: string): Promise<GrantRecord[]>;
  /** The active grants of those of `membershipIds` that are themselves active. */
  listActiveOfActiveMemberships(membershipIds: string[]): Promise<GrantRecord[]>;
  /** The member's active grants of a benefit, locked until the transaction ends. */
  lockActive(memberId: string, benefit: string): Promise<GrantRecord[]>;
  setMembershipExpiry(membershipId: string, expiresAt: Date): Promise<void>;
  endForMembership(membershipId: string, at: Date, reason: string): Promise<number>;
  /** Re-activates a membership's grants that were ended for `reason` (an upgrade that was refunded). */
  reinstateForMembership(membershipId: string, reason: string): Promise<number>;
  /** Moves the grants of a scheduled membership by `deltaMs`, as the membership moved. */
  shiftForMembership(membershipId: string, deltaMs: number): Promise<void>;
  setClaimed(id: string, at: Date): Promise<void>;
  setToggle(id: string, on: boolean): Promise<void>;
}

type Row = Selectable<GrantsTable>;

function toRecord(row: Row): GrantRecord {
  return {
    id: row.id,
    memberId: row.member_id,
    membershipId: row.membership_id,
    benefit: row.benefit_code,
    tier: row.tier_code,
    status: row.status as GrantRecord["status"],
    effectiveFrom: row.effective_from,
    expiresAt: row.expires_at,
    catalogVersion: row.catalog_version,
    claimedAt: row.claimed_at,
    toggledOn: row.toggled_on,
    quotaUsed: Number(row.quota_used),
    quotaResetsAt: row.quota_resets_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    rulesVersion: row.rules_version,
    rulesUntil: row.rules_until,
  };
}

/** `clock` stamps `updated_at`: rows changed at a test's time say so. */
export function createGrantStore(db: Executor, clock: Clock): GrantStore {
  return {
    async insertMissing(grants) {
      if (grants.length === 0) return 0;
      const now = new Date(clock.now());
      const inserted = await db
        .insertInto("grants")
        .values(grants.map((g) => grantRow(g, now)))
        .onConflict((oc) => oc.columns(["membership_id", "benefit_code"]).doNothing())
        .returning("id")
        .execute();
      return inserted.length;
    },
    async listForMember(memberId) {
      const rows = await db
        .selectFrom("grants")
        .selectAll()
        .where("member_id", "=", memberId)
        .orderBy("created_at")
        .orderBy("benefit_code")
        .execute();
      return rows.map(toRecord);
    },
    async listActiveOfActiveMemberships(membershipIds) {
      if (membershipIds.length === 0) return [];
      const rows = await db
        .selectFrom("grants as g")
        .innerJoin("memberships as m", "m.id", "g.membership_id")
        .selectAll("g")
        .where("g.membership_id", "in", membershipIds)
        .where("g.status", "=", "active")
        .where("m.status", "=", "active")
        .orderBy("g.member_id")
        .orderBy("g.benefit_code")
        .execute();
      return rows.map(toRecord);
    },
    async lockActive(memberId, benefit) {
      const rows = await db
        .selectFrom("grants")
        .selectAll()
        .where("member_id", "=", memberId)
        .where("benefit_code", "=", benefit)
        .where("status", "=", "active")
        .orderBy("effective_from")
        .forUpdate()
        .execute();
      return rows.map(toRecord);
    },
    async setMembershipExpiry(membershipId, expiresAt) {
      await db
        .updateTable("grants")
        .set({ expires_at: expiresAt, updated_at: new Date(clock.now()) })
        .where("membership_id", "=", membershipId)
        .where("status", "=", "active")
        .execute();
    },
    async endForMembership(membershipId, at, reason) {
      const rows = await db
        .updateTable("grants")
        .set({ status: "ended", ended_at: at, end_reason: reason, updated_at: new Date(clock.now()) })
        .where("membership_id", "=", membershipId)
        .where("status", "=", "active")
        .returning("id")
        .execute();
      return rows.length;
    },
    async reinstateForMembership(membershipId, reason) {
      const rows = await db
        .updateTable("grants")
        .set({ status: "active", ended_at: null, end_reason: null, updated_at: new Date(clock.now()) })
        .where("membership_id", "=", membershipId)
        .where("status", "=", "ended")
        .where("end_reason", "=", reason)
        .returning("id")
        .execute();
      return rows.length;
    },
    async shiftForMembership(membershipId, deltaMs) {
      const by = sql`make_interval(secs => ${deltaMs / 1000})`;
      await db
        .updateTable("grants")
        .set({
          effective_from: sql`effective_from + ${by}`,
          expires_at: sql`expires_at + ${by}`,
          updated_at: new Date(clock.now()),
        })
        .where("membership_id", "=", membershipId)
        .execute();
    },
    async setClaimed(id, at) {
      await db
        .updateTable("grants")
        .set({ claimed_at: at, updated_at: new Date(clock.now()) })
        .where("id", "=", id)
        .execute();
    },
    async setToggle(id, on) {
      await db
        .updateTable("grants")
        .set({ toggled_on: on, updated_at: new Date(clock.now()) })
        .where("id", "=", id)
        .execute();
    },
  };
}
