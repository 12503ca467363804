import { sql } from "kysely";
import type { Executor } from "../db/transaction.js";
import type { TimelineEntry, TimelineSource } from "./timeline-types.js";

/** The member timeline: written in the same transaction as each change it records. */
export interface TimelineStore {
  /** Appends entries in the order given, in one statement. */
  append(memberId: string, entries: TimelineEntry[]): Promise<void>;
  /**
   * Everything that touched the member, oldest first: its entries and every catalog version after its
   * first one. Ids are the entries' own (diagnosis cites them), or `catalog-<version>`.
   */
  listForMember(memberId: string): Promise<(TimelineEntry & { id: string })[]>;
}

export function createTimelineStore(db: Executor): TimelineStore {
  return {
    async append(memberId, entries) {
      if (entries.length === 0) return;
      await db
        .insertInto("timeline")
        .values(
          entries.map((entry) => ({
            member_id: memberId,
            at: entry.at,
            kind: entry.kind,
            source: entry.source,
            data: JSON.stringify(entry.data),
          })),
        )
        .execute();
    },
    async listForMember(memberId) {
      // Entries in the order they were written; a catalog version by its time, after the member's
      // own entries of the same instant.
      const { rows } = await sql<{
        id: string;
        at: Date;
        kind: string;
        source: TimelineSource;
        data: Record<string, unknown>;
      }>`
        select id, at, kind, source, data from (
          select t.id::text as id, t.at, t.kind, t.source, t.data, 0 as rank, t.id as seq from timeline t
          where t.member_id = ${memberId}
          union all
          select 'catalog-' || cv.version, cv.created_at, 'catalog.changed', 'admin', jsonb_build_object(
              'version', cv.version, 'notice', cv.notice, 'policy', cv.policy, 'diff', cv.diff),
            1, cv.version::bigint
          from catalog_versions cv
          where cv.created_at > (select min(at) from timeline where member_id = ${memberId})
        ) entries
        order by at, rank, seq`.execute(db);
      return rows.map((r) => ({
        id: r.id,
        at: new Date(r.at),
        kind: r.kind,
        source: r.source,
        data: r.data,
      }));
    },
  };
}
