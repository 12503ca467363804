import type { Executor } from "../db/transaction.js";

/** The verification state of one hold: the current code (hashed) and the brute-force counters. */
export interface VerificationRecord {
  holdId: string;
  memberId: string;
  /** null once used, or voided by a lockout. */
  codeHash: string | null;
  expiresAt: Date | null;
  requestedAt: Date;
  /** Wrong codes since the last lockout or success. */
  attempts: number;
  lockedUntil: Date | null;
}

export interface VerificationStore {
  get(holdId: string): Promise<VerificationRecord | null>;
  save(record: VerificationRecord): Promise<void>;
}

export function createVerificationStore(db: Executor): VerificationStore {
  return {
    async get(holdId) {
      const row = await db
        .selectFrom("verification_codes")
        .selectAll()
        .where("hold_id", "=", holdId)
        .executeTakeFirst();
      if (!row) return null;
      return {
        holdId: row.hold_id,
        memberId: row.member_id,
        codeHash: row.code_hash,
        expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
        requestedAt: new Date(row.requested_at),
        attempts: row.attempts,
        lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
      };
    },
    async save(r) {
      const values = {
        code_hash: r.codeHash,
        expires_at: r.expiresAt,
        requested_at: r.requestedAt,
        attempts: r.attempts,
        locked_until: r.lockedUntil,
      };
      await db
        .insertInto("verification_codes")
        .values({ hold_id: r.holdId, member_id: r.memberId, ...values })
        .onConflict((oc) => oc.column("hold_id").doUpdateSet(values))
        .execute();
    },
  };
}
