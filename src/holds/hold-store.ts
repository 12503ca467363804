import { type Selectable, sql } from "kysely";
import type { HoldsTable } from "../db/schema.js";
import type { Executor } from "../db/transaction.js";
import type { ClearMethod, HoldEvent, HoldReason, HoldRecord, HoldStatus, NewHold } from "./hold-types.js";

/** A page position in the newest-first list of holds: the last hold of the previous page. */
export interface HoldCursor {
  placedAt: Date;
  id: string;
}

export interface HoldQuery {
  status?: HoldStatus;
  memberId?: string;
  limit: number;
  after?: HoldCursor;
}

export interface ClearHold {
  id: string;
  clearedBy: string;
  clearedAt: Date;
  note: string | null;
}

/** Holds and their audit trail. */
export interface HoldStore {
  /** Inserts an open hold; null when the member already has an open hold of that reason (not manual). */
  insert(hold: NewHold): Promise<HoldRecord | null>;
  get(id: string): Promise<HoldRecord | null>;
  /** Every hold of the member, newest first. */
  listForMember(memberId: string): Promise<HoldRecord[]>;
  /** Newest first, by placement time then id. */
  list(query: HoldQuery): Promise<HoldRecord[]>;
  /** Clears an open hold; null when it is not open (nothing written). */
  clear(input: ClearHold): Promise<HoldRecord | null>;
  /** When the member's latest hold of each reason was cleared. */
  lastCleared(memberId: string): Promise<Map<HoldReason, number>>;
  appendEvents(events: HoldEvent[]): Promise<void>;
  /** A hold's audit trail, oldest first. */
  events(holdId: string): Promise<HoldEvent[]>;
}

type Row = Selectable<HoldsTable>;

function toRecord(row: Row): HoldRecord {
  return {
    id: row.id,
    memberId: row.member_id,
    reason: row.reason as HoldReason,
    benefits: row.benefits,
    status: row.status as HoldStatus,
    clearMethod: row.clear_method as ClearMethod,
    note: row.note,
    placedBy: row.placed_by,
    placedAt: new Date(row.placed_at),
    clearedBy: row.cleared_by,
    clearedAt: row.cleared_at === null ? null : new Date(row.cleared_at),
    clearNote: row.clear_note,
    details: row.details,
  };
}

export function createHoldStore(db: Executor): HoldStore {
  return {
    async insert(hold) {
      const row = await db
        .insertInto("holds")
        .values({
          id: hold.id,
          member_id: hold.memberId,
          reason: hold.reason,
          benefits: hold.benefits === null ? null : JSON.stringify(hold.benefits),
          status: "open",
          clear_method: hold.clearMethod,
          note: hold.note,
          placed_by: hold.placedBy,
          placed_at: hold.placedAt,
          details: JSON.stringify(hold.details),
        })
        // The partial unique index (member, reason) of open holds: a second one is not an error.
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async get(id) {
      const row = await db.selectFrom("holds").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async listForMember(memberId) {
      const rows = await db
        .selectFrom("holds")
        .selectAll()
        .where("member_id", "=", memberId)
        .orderBy("placed_at", "desc")
        .orderBy("id", "desc")
        .execute();
      return rows.map(toRecord);
    },
    async list({ status, memberId, limit, after }) {
      let query = db.selectFrom("holds").selectAll();
      if (status !== undefined) query = query.where("status", "=", status);
      if (memberId !== undefined) query = query.where("member_id", "=", memberId);
      if (after !== undefined) {
        query = query.where(sql<boolean>`(placed_at, id) < (${after.placedAt}::timestamptz, ${after.id})`);
      }
      const rows = await query.orderBy("placed_at", "desc").orderBy("id", "desc").limit(limit).execute();
      return rows.map(toRecord);
    },
    async clear({ id, clearedBy, clearedAt, note }) {
      const row = await db
        .updateTable("holds")
        .set({ status: "cleared", cleared_by: clearedBy, cleared_at: clearedAt, clear_note: note })
        .where("id", "=", id)
        .where("status", "=", "open")
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async lastCleared(memberId) {
      const rows = await db
        .selectFrom("holds")
        .select(["reason", (eb) => eb.fn.max("cleared_at").as("cleared_at")])
        .where("member_id", "=", memberId)
        .where("status", "=", "cleared")
        .groupBy("reason")
        .execute();
      return new Map(
        rows.map((r) => [r.reason as HoldReason, new Date(r.cleared_at as unknown as Date).getTime()]),
      );
    },
    async appendEvents(events) {
      if (events.length === 0) return;
      await db
        .insertInto("hold_events")
        .values(
          events.map((e) => ({
            hold_id: e.holdId,
            member_id: e.memberId,
            kind: e.kind,
            actor: e.actor,
            at: e.at,
            data: JSON.stringify(e.data),
          })),
        )
        .execute();
    },
    async events(holdId) {
      const rows = await db
        .selectFrom("hold_events")
        .selectAll()
        .where("hold_id", "=", holdId)
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        holdId: r.hold_id,
        memberId: r.member_id,
        kind: r.kind,
        actor: r.actor,
        at: new Date(r.at),
        data: r.data,
      }));
    },
  };
}
