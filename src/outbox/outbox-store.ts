import type { Executor } from "../db/transaction.js";

export interface OutboxEvent {
  id: number;
  memberId: string | null;
  type: string;
  payload: unknown;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** Effects to deliver after commit (webhooks, pushes): written in the business transaction. */
export interface OutboxStore {
  append(event: { memberId: string | null; type: string; payload: unknown }): Promise<void>;
  listForMember(memberId: string): Promise<OutboxEvent[]>;
}

export function createOutboxStore(db: Executor): OutboxStore {
  return {
    async append(event) {
      await db
        .insertInto("outbox")
        .values({ member_id: event.memberId, type: event.type, payload: JSON.stringify(event.payload) })
        .execute();
    },
    async listForMember(memberId) {
      const rows = await db
        .selectFrom("outbox")
        .selectAll()
        .where("member_id", "=", memberId)
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        memberId: r.member_id,
        type: r.type,
        payload: r.payload,
        createdAt: r.created_at,
        deliveredAt: r.delivered_at,
      }));
    },
  };
}
