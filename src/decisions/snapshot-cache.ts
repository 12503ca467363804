import { LRUCache } from "lru-cache";
import type { MemberSnapshot } from "../engine/engine-types.js";

/**
 * Per-member state in memory (bounded LRU). Every write to a member calls `invalidate` after its
 * commit; a load that raced with such a write is not cached, so a read after a write always reads
 * the database (read-your-writes).
 */
export class MemberCache<T extends object> {
  private readonly entries: LRUCache<string, T>;
  /** Bumped on each invalidation; a load caches its result only if no invalidation happened meanwhile. */
  private readonly epochs = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<T>>();
  /** Caches of other per-member state, dropped whenever this one drops a member (see `attach`). */
  private readonly attached: Pick<
    MemberCache<object>,
    "invalidate" | "invalidateAll" | "suspend" | "resume"
  >[] = [];
  /** Bumped by `invalidateAll`, which races with every in-flight load. */
  private generation = 0;
  private hits = 0;
  private misses = 0;
  /** While false nothing is stored: every read goes to the database (the cluster link is down). */
  private caching = true;

  constructor(
    private readonly load: (memberId: string) => Promise<T>,
    maxMembers = 100_000,
    /** Entries older than this are loaded again (ms); 0: only invalidations drop them. */
    ttlMs = 0,
  ) {
    this.entries = new LRUCache({ max: maxMembers, ...(ttlMs > 0 ? { ttl: ttlMs } : {}) });
  }

  /**
   * A cache of other per-member state that every invalidation of this one (member writes, other
   * nodes' writes, catalog changes, a lost cluster link) drops as well.
   */
  attach<U extends object>(
    load: (memberId: string) => Promise<U>,
    maxMembers: number,
    ttlMs = 0,
  ): MemberCache<U> {
    const cache = new MemberCache<U>(load, maxMembers, ttlMs);
    if (!this.caching) cache.suspend();
    this.attached.push(cache);
    return cache;
  }

  /** The cached entry, or undefined: lets the hot path stay synchronous on a hit. */
  peek(memberId: string): T | undefined {
    const hit = this.entries.get(memberId);
    if (hit) this.hits++;
    return hit;
  }

  async get(memberId: string): Promise<T> {
    return this.peek(memberId) ?? this.fill(memberId);
  }

  private fill(memberId: string): Promise<T> {
    const pending = this.inflight.get(memberId);
    if (pending) return pending;
    this.misses++;
    const epoch = this.epochs.get(memberId) ?? 0;
    const generation = this.generation;
    const loading = this.load(memberId)
      .then((snapshot) => {
        const unchanged = (this.epochs.get(memberId) ?? 0) === epoch && this.generation === generation;
        if (unchanged && this.caching) this.entries.set(memberId, snapshot);
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
    for (const cache of this.attached) cache.invalidate(memberId);
  }

  /** Drops every snapshot, e.g. after a catalog change bumped every member's version. */
  invalidateAll(): void {
    this.generation++;
    this.entries.clear();
    this.inflight.clear();
    for (const cache of this.attached) cache.invalidateAll();
  }

  /**
   * Stops caching and drops everything: while this node cannot hear other nodes' invalidations, a
   * cached snapshot could go stale unnoticed. `resume` starts afresh.
   */
  suspend(): void {
    this.caching = false;
    this.invalidateAll();
    for (const cache of this.attached) cache.suspend();
  }

  resume(): void {
    this.invalidateAll();
    this.caching = true;
    for (const cache of this.attached) cache.resume();
  }

  get suspended(): boolean {
    return !this.caching;
  }

  stats() {
    return { size: this.entries.size, hits: this.hits, misses: this.misses };
  }
}

/** Member snapshots, the decisions' input: the cache every member write invalidates. */
export class SnapshotCache extends MemberCache<MemberSnapshot> {}
