import { LRUCache } from "lru-cache";
import type { MemberSnapshot } from "../engine/engine-types.js";

/**
 * Per-member snapshots in memory (bounded LRU). Every write to a member calls `invalidate` after
 * its commit; a load that raced with such a write is not cached, so a check after a write always
 * reads the database (read-your-writes).
 */
export class SnapshotCache {
  private readonly entries: LRUCache<string, MemberSnapshot>;
  /** Bumped on each invalidation; a load caches its result only if no invalidation happened meanwhile. */
  private readonly epochs = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<MemberSnapshot>>();
  /** Bumped by `invalidateAll`, which races with every in-flight load. */
  private generation = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly load: (memberId: string) => Promise<MemberSnapshot>,
    maxMembers = 100_000,
  ) {
    this.entries = new LRUCache({ max: maxMembers });
  }

  /** The cached snapshot, or undefined: lets the hot path stay synchronous on a hit. */
  peek(memberId: string): MemberSnapshot | undefined {
    const hit = this.entries.get(memberId);
    if (hit) this.hits++;
    return hit;
  }

  async get(memberId: string): Promise<MemberSnapshot> {
    return this.peek(memberId) ?? this.fill(memberId);
  }

  private fill(memberId: string): Promise<MemberSnapshot> {
    const pending = this.inflight.get(memberId);
    if (pending) return pending;
    this.misses++;
    const epoch = this.epochs.get(memberId) ?? 0;
    const generation = this.generation;
    const loading = this.load(memberId)
      .then((snapshot) => {
        const unchanged = (this.epochs.get(memberId) ?? 0) === epoch && this.generation === generation;
        if (unchanged) this.entries.set(memberId, snapshot);
        return snapshot;
      })
      .finally(() => {
        if (this.inflight.get(memberId) === loading) this.inflight.delete(memberId);
      });
    this.inflight.set(memberId, loading);
    return loading;
  }

  invalidate(memberId: string): void {
    this.entries.delete(memberId);
    this.inflight.delete(memberId);
    this.epochs.set(memberId, (this.epochs.get(memberId) ?? 0) + 1);
    // Keep the epoch map bounded: stale epochs only matter while a load is in flight.
    if (this.epochs.size > 10_000 && this.inflight.size === 0) this.epochs.clear();
  }

  /** Drops every snapshot, e.g. after a catalog change bumped every member's version. */
  invalidateAll(): void {
    this.generation++;
    this.entries.clear();
    this.inflight.clear();
  }

  stats() {
    return { size: this.entries.size, hits: this.hits, misses: this.misses };
  }
}
