import type { Selectable } from "kysely";
import type { MembershipsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import { grantRow, type NewGrant } from "../grants/grant-store.js";

export interface MembershipRecord {
  id: string;
  memberId: string;
  tier: string;
  startsAt: Date;
  expiresAt: Date;
  status: "active" | "revoked";
  sourceOrderId: string;
  revokedAt: Date | null;
  createdAt: Date;
}

/** Memberships: a member's paid period in a tier. Paying again for the same tier extends one. */
export interface MembershipStore {
  /** A new membership and its grants, in one statement. */
  insertWithGrants(
    m: Omit<MembershipRecord, "status" | "revokedAt" | "createdAt">,
    grants: NewGrant[],
  ): Promise<void>;
  get(id: string): Promise<MembershipRecord | null>;
  /** The member's active membership of a tier that has not ended at `at`, if any. */
  findActive(memberId: string, tier: string, at: Date): Promise<MembershipRecord | null>;
  listForMember(memberId: string): Promise<MembershipRecord[]>;
  setExpiry(id: string, expiresAt: Date): Promise<void>;
  revoke(id: string, at: Date): Promise<void>;
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
    createdAt: row.created_at,
  };
}

function membershipRow(m: Omit<MembershipRecord, "status" | "revokedAt" | "createdAt">, now: Date) {
  return {
    id: m.id,
    member_id: m.memberId,
    tier_code: m.tier,
    starts_at: m.startsAt,
    expires_at: m.expiresAt,
    status: "active",
    source_order_id: m.sourceOrderId,
    updated_at: now,
  };
}

export function createMembershipStore(db: Executor): MembershipStore {
  return {
    async insertWithGrants(m, grants) {
      const now = new Date();
      if (grants.length === 0) {
        await db.insertInto("memberships").values(membershipRow(m, now)).execute();
        return;
      }
      await db
        .with("membership", (qc) => qc.insertInto("memberships").values(membershipRow(m, now)))
        .insertInto("grants")
        .values(grants.map((g) => grantRow(g, now)))
        .execute();
    },
    async get(id) {
      const row = await db.selectFrom("memberships").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async findActive(memberId, tier, at) {
      const row = await db
        .selectFrom("memberships")
        .selectAll()
        .where("member_id", "=", memberId)
        .where("tier_code", "=", tier)
        .where("status", "=", "active")
        .where("expires_at", ">", at)
        .orderBy("expires_at", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
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
    async setExpiry(id, expiresAt) {
      await db
        .updateTable("memberships")
        .set({ expires_at: expiresAt, updated_at: new Date() })
        .where("id", "=", id)
        .execute();
    },
    async revoke(id, at) {
      await db
        .updateTable("memberships")
        .set({ status: "revoked", revoked_at: at, updated_at: new Date() })
        .where("id", "=", id)
        .execute();
    },
  };
}
