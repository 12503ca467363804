import type { MemberSnapshot } from "../engine/engine-types.js";
import { snapshotFromWire } from "../engine/snapshot-wire.js";
import type { PerkwiseClient } from "./client.js";

/** A member's snapshot as the local evaluator holds it. */
export interface MemberEntry {
  snapshot: MemberSnapshot;
  /**
   * When its fetch was sent (Date.now()): its age counts while the event stream is down. The server
   * answered at some moment after, so counting from the request never makes a copy look younger.
   */
  fetchedAt: number;
  /** The highest entitlements version an event announced; above the snapshot's = known outdated. */
  wantedVersion: number;
}

/** How often a fetch that returned an older version than announced is tried again, and how long apart. */
const OUTDATED_RETRIES = 5;
const OUTDATED_RETRY_MS = 100;

/**
 * Member snapshots fetched from `GET /v1/members/{id}/snapshot`, one fetch at a time per member.
 * An event announcing version v makes the member's next fetch insist on v: a node whose cache has not
 * heard of the write yet may still serve the version before.
 */
export class MemberSnapshots {
  readonly entries = new Map<string, MemberEntry>();
  private readonly inflight = new Map<string, Promise<MemberEntry>>();
  private readonly wanted = new Map<string, number>();

  constructor(
    private readonly client: PerkwiseClient,
    private readonly onUpdate: (memberId: string, entry: MemberEntry) => void,
  ) {}

  /** The member's entry, fetching it when unknown. */
  async get(memberId: string): Promise<MemberEntry> {
    return this.entries.get(memberId) ?? this.fetch(memberId);
  }

  /** The pending fetch of the member, if one runs. */
  pending(memberId: string): Promise<MemberEntry> | undefined {
    return this.inflight.get(memberId);
  }

  /** An event says the member is at `version` now: refetch when the held snapshot is older. */
  announce(memberId: string, version: number): void {
    const entry = this.entries.get(memberId);
    if (entry === undefined && !this.inflight.has(memberId)) return;
    this.wanted.set(memberId, Math.max(this.wanted.get(memberId) ?? 0, version));
    // A member being fetched for the first time: that fetch insists on the version.
    if (entry === undefined) return;
    if (version > entry.wantedVersion) entry.wantedVersion = version;
    if (entry.snapshot.entitlementsVersion < version) this.fetch(memberId).catch(() => {});
  }

  /** Refetches every member held or being fetched (after a reset, a catalog change, a fresh subscription), a few at a time. */
  async refetchAll(concurrency = 8): Promise<void> {
    const ids = [...new Set([...this.entries.keys(), ...this.inflight.keys()])];
    const worker = async () => {
      for (let id = ids.pop(); id !== undefined; id = ids.pop()) await this.fetch(id, true).catch(() => {});
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Fetches the member (joining a running fetch unless `again`: that one may predate a change). */
  fetch(memberId: string, again = false): Promise<MemberEntry> {
    const running = this.inflight.get(memberId);
    if (running !== undefined && !again) return running;
    const loading = (running ?? Promise.resolve())
      .catch(() => {})
      .then(() => this.load(memberId))
      .finally(() => {
        if (this.inflight.get(memberId) === loading) this.inflight.delete(memberId);
      });
    this.inflight.set(memberId, loading);
    return loading;
  }

  private async load(memberId: string): Promise<MemberEntry> {
    let entry: MemberEntry | undefined;
    for (let attempt = 0; ; attempt++) {
      const fetchedAt = Date.now();
      const snapshot = snapshotFromWire(await this.client.snapshot(memberId));
      const wantedVersion = Math.max(this.wanted.get(memberId) ?? 0, snapshot.entitlementsVersion);
      entry = { snapshot, fetchedAt, wantedVersion };
      if (snapshot.entitlementsVersion >= wantedVersion || attempt >= OUTDATED_RETRIES) break;
      await new Promise((resolve) => setTimeout(resolve, OUTDATED_RETRY_MS));
    }
    const held = this.entries.get(memberId);
    // Never replace a newer snapshot with an older one (two fetches may finish out of order).
    if (held === undefined || held.snapshot.entitlementsVersion <= entry.snapshot.entitlementsVersion) {
      this.entries.set(memberId, entry);
      this.onUpdate(memberId, entry);
      return entry;
    }
    return held;
  }
}
