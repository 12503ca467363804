import { sql } from "kysely";
import type { Executor } from "../db/transaction.js";
import { CATALOG_CHANGED, expandOutboxRow, PLATFORM_ONLY_TYPES } from "./event-expansion.js";
import type { LoggedEvent } from "./logged-event.js";

/** Which events a stream reads: every event, or some members' own and the broadcasts. */
export interface EventFilter {
  /** null: every event. */
  members: ReadonlySet<string> | null;
  /** Leave out PLATFORM_ONLY_TYPES (a member's own stream). */
  memberFacing: boolean;
}

export interface LogHead {
  lastSeq: number;
  /** Events up to here may be gone: a resume from before it cannot be gap-free. */
  prunedThrough: number;
}

/**
 * The event log. Numbers are given out by one sequencer at a time (its row is locked FOR UPDATE SKIP
 * LOCKED, held to commit), after the outbox rows committed, so a reader streaming `seq > last` never
 * skips one: a row that commits later gets a later number.
 */
export interface EventLogStore {
  /**
   * Numbers up to `limit` undelivered outbox rows (oldest id first) as events created at `now`, and
   * marks the rows delivered. Call inside a transaction. Returns null when another process holds
   * the sequencer (it will number them, or this one will on its next pass).
   */
  sequence(limit: number, now: Date): Promise<LoggedEvent[] | null>;
  /** Events after `after`, in order, at most `limit`. */
  readAfter(after: number, filter: EventFilter, limit: number): Promise<LoggedEvent[]>;
  head(): Promise<LogHead>;
  /** Deletes events (and delivered outbox rows) older than `cutoff`; returns how many events went. */
  prune(cutoff: Date): Promise<number>;
}

interface LogRow {
  seq: number | string;
  member_id: string | null;
  type: string;
  data: string;
  created_at: Date | string;
}

function toEvent(row: LogRow): LoggedEvent {
  return {
    seq: Number(row.seq),
    memberId: row.member_id,
    type: row.type,
    data: row.data,
    createdAt: new Date(row.created_at),
  };
}

export function createEventLogStore(db: Executor): EventLogStore {
  return {
    async sequence(limit, now) {
      const { rows: locked } = await sql<{ last_seq: number | string }>`
        select last_seq from event_sequencer where id = 1 for update skip locked`.execute(db);
      if (!locked[0]) return null;
      // A statement of its own, after the lock: its snapshot sees every row the previous holder marked.
      const rows = await db
        .selectFrom("outbox")
        .select(["id", "member_id", "type", "payload"])
        .where("delivered_at", "is", null)
        .orderBy("id")
        .limit(limit)
        .execute();
      if (rows.length === 0) return [];
      let seq = Number(locked[0].last_seq);
      const events = rows
        .flatMap((r) =>
          expandOutboxRow({
            id: Number(r.id),
            memberId: r.member_id,
            type: r.type,
            payload: (r.payload ?? {}) as Record<string, unknown>,
          }),
        )
        .map((e) => ({ ...e, seq: ++seq, createdAt: now }));
      const input = JSON.stringify(
        events.map((e) => ({
          seq: e.seq,
          outbox_id: e.outboxId,
          member_id: e.memberId,
          type: e.type,
          data: e.data,
        })),
      );
      await sql`
        with input as (
          select * from jsonb_to_recordset(${input}::jsonb)
            as e(seq bigint, outbox_id bigint, member_id text, type text, data text)),
        logged as (
          insert into event_log (seq, outbox_id, member_id, type, data, created_at)
          select seq, outbox_id, member_id, type, data, ${now}::timestamptz from input),
        delivered as (
          update outbox set delivered_at = ${now}::timestamptz
          where id in (select outbox_id from input))
        update event_sequencer set last_seq = ${seq} where id = 1`.execute(db);
      return events.map(({ seq, memberId, type, data, createdAt }) => ({
        seq,
        memberId,
        type,
        data,
        createdAt,
      }));
    },
    async readAfter(after, filter, limit) {
      let query = db
        .selectFrom("event_log")
        .select(["seq", "member_id", "type", "data", "created_at"])
        .where("seq", ">", after);
      const members = filter.members;
      if (members !== null) {
        query = query.where((eb) =>
          eb.or([
            ...(members.size > 0 ? [eb("member_id", "in", [...members])] : []),
            eb.and([eb("member_id", "is", null), eb("type", "=", CATALOG_CHANGED)]),
          ]),
        );
      }
      if (filter.memberFacing) query = query.where("type", "not in", [...PLATFORM_ONLY_TYPES]);
      const rows = await query.orderBy("seq").limit(limit).execute();
      return rows.map(toEvent);
    },
    async head() {
      const row = await db
        .selectFrom("event_sequencer")
        .select(["last_seq", "pruned_through"])
        .where("id", "=", 1)
        .executeTakeFirstOrThrow();
      return { lastSeq: Number(row.last_seq), prunedThrough: Number(row.pruned_through) };
    },
    async prune(cutoff) {
      const { rows } = await sql<{ pruned: number | string }>`
        with boundary as (select max(seq) as seq from event_log where created_at < ${cutoff}),
        gone as (delete from event_log where seq <= (select seq from boundary) returning seq),
        moved as (
          update event_sequencer set pruned_through = greatest(pruned_through, (select seq from boundary))
          where id = 1 and (select seq from boundary) is not null),
        outbox_gone as (delete from outbox where delivered_at < ${cutoff})
        select count(*) as pruned from gone`.execute(db);
      return Number(rows[0]?.pruned ?? 0);
    },
  };
}

/** Whether a stream with `filter` shows `event` (the hub's in-memory twin of readAfter's where clause). */
export function eventMatches(filter: EventFilter, event: LoggedEvent): boolean {
  if (filter.memberFacing && PLATFORM_ONLY_TYPES.has(event.type)) return false;
  if (filter.members === null) return true;
  if (event.memberId === null) return event.type === CATALOG_CHANGED;
  return filter.members.has(event.memberId);
}
