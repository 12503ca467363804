import type { Executor } from "../db/transaction.js";

export interface ClientSession {
  id: string;
  memberId: string;
  platform: string;
  version: string;
  /** The entitlements version the client had cached when it reported. */
  entitlementsVersion: number;
  reportedAt: Date;
}

export type NewClientSession = Omit<ClientSession, "id">;

/** What members' apps report about themselves, newest first: the evidence of a stale or outdated client. */
export interface SessionStore {
  insert(session: NewClientSession): Promise<ClientSession>;
  listForMember(memberId: string, limit: number): Promise<ClientSession[]>;
}

type Row = {
  id: string;
  member_id: string;
  platform: string;
  version: string;
  entitlements_version: number;
  reported_at: Date;
};

function toRecord(row: Row): ClientSession {
  return {
    id: String(row.id),
    memberId: row.member_id,
    platform: row.platform,
    version: row.version,
    entitlementsVersion: row.entitlements_version,
    reportedAt: new Date(row.reported_at),
  };
}

export function createSessionStore(db: Executor): SessionStore {
  return {
    async insert(session) {
      const row = await db
        .insertInto("client_sessions")
        .values({
          member_id: session.memberId,
          platform: session.platform,
          version: session.version,
          entitlements_version: session.entitlementsVersion,
          reported_at: session.reportedAt,
        })
        .returning(["id", "member_id", "platform", "version", "entitlements_version", "reported_at"])
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async listForMember(memberId, limit) {
      const rows = await db
        .selectFrom("client_sessions")
        .select(["id", "member_id", "platform", "version", "entitlements_version", "reported_at"])
        .where("member_id", "=", memberId)
        .orderBy("reported_at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
  };
}
