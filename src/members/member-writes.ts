import type { Clock } from "../clock.js";
import type { Stores, Transact } from "../db/stores.js";
import type { Executor } from "../db/transaction.js";
import type { SnapshotCache } from "../decisions/snapshot-cache.js";
import type { TimelineEntry, TimelineSource } from "../timeline/timeline-types.js";

/** One timeline entry of a write: what happened, with its data. */
export interface TimelineChange {
  kind: string;
  data: Record<string, unknown>;
}

/** What a member write tells the rest of the system: whose snapshot changed. */
export interface MemberWriteScope {
  stores: Stores;
  /** Marks a member as changed: their cached snapshot is dropped once the transaction ends. */
  touch(memberId: string): void;
  /**
   * Bumps the member's entitlements version and appends the outbox event and the timeline entries
   * of the change, in this transaction and one statement.
   */
  entitlementsChanged(
    memberId: string,
    cause: string,
    extra: Record<string, unknown>,
    timeline: { source: TimelineSource; entries: TimelineChange[] },
  ): Promise<number>;
  /** entitlementsChanged for many members (each once), in one statement: what batch jobs use. */
  entitlementsChangedMany(
    cause: string,
    source: TimelineSource,
    changes: { memberId: string; extra: Record<string, unknown>; entries: TimelineChange[] }[],
  ): Promise<Map<string, number>>;
  /** Appends entries to the member's timeline, at the current time, in this transaction (one statement). */
  record(memberId: string, source: TimelineSource, ...entries: TimelineChange[]): Promise<void>;
}

/** Tells the other nodes, inside the writing transaction, whose snapshots changed (cluster-sync.ts). */
export type MemberChangeAnnouncer = (executor: Executor, memberIds: Set<string>) => Promise<void>;

/**
 * Runs writes that touch members in one transaction, then invalidates their cached snapshots — here
 * after the commit, and on the other nodes through the announcer's message, sent on the same commit.
 */
export class MemberWrites {
  /** `announce` defaults to nobody: a single process. */
  constructor(
    private readonly deps: {
      transaction: Transact;
      cache: SnapshotCache;
      clock: Clock;
      announce?: MemberChangeAnnouncer;
    },
  ) {}

  /** Timeline entries of a change, all at the current time. */
  private stamp(source: TimelineSource, entries: TimelineChange[]): TimelineEntry[] {
    const at = new Date(this.deps.clock.now());
    return entries.map((e) => ({ at, kind: e.kind, source, data: e.data }));
  }

  async run<T>(work: (scope: MemberWriteScope) => Promise<T>): Promise<T> {
    const touched = new Set<string>();
    try {
      return await this.deps.transaction(async (stores) => {
        const result = await work({
          stores,
          touch: (memberId) => touched.add(memberId),
          entitlementsChanged: (memberId, cause, extra, timeline) => {
            touched.add(memberId);
            const entries = this.stamp(timeline.source, timeline.entries);
            return stores.members.bumpWithEvent(
              memberId,
              "entitlements.changed",
              { memberId, cause, ...extra },
              entries,
            );
          },
          entitlementsChangedMany: (cause, source, changes) => {
            for (const change of changes) touched.add(change.memberId);
            return stores.members.bumpManyWithEvents(
              "entitlements.changed",
              changes.map((c) => ({
                memberId: c.memberId,
                payload: { memberId: c.memberId, cause, ...c.extra },
                timeline: this.stamp(source, c.entries),
              })),
            );
          },
          // What is worth a timeline entry changed the member: cached state (coupons) goes too.
          record: (memberId, source, ...entries) => {
            touched.add(memberId);
            return stores.timeline.append(memberId, this.stamp(source, entries));
          },
        });
        if (touched.size > 0) await this.deps.announce?.(stores.executor, touched);
        return result;
      });
    } finally {
      // After commit (or rollback): the next read of these members goes to the database.
      for (const memberId of touched) this.deps.cache.invalidate(memberId);
    }
  }
}
