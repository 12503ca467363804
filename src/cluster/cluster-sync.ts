import type { CatalogService } from "../catalog/catalog-service.js";
import type { Executor } from "../db/transaction.js";
import type { SnapshotCache } from "../decisions/snapshot-cache.js";
import type { ClusterBus } from "./cluster-bus.js";

/** Member ids whose snapshots changed (a JSON array), or `*`: drop every snapshot. */
export const SNAPSHOTS_CHANNEL = "snapshots";
/** A catalog version was stored (its number): reload the versions. */
export const CATALOG_CHANNEL = "catalog";
/** More messages than this for one write and the write asks every node to drop everything instead. */
export const MAX_MESSAGES_PER_WRITE = 16;

/**
 * Splits member ids into JSON arrays of at most `limit` bytes each; `["*"]` when that would take more
 * than `maxMessages` messages (a batch job touching thousands of members: a full drop is cheaper).
 */
export function packMemberIds(ids: Iterable<string>, limit: number, maxMessages = MAX_MESSAGES_PER_WRITE) {
  const messages: string[] = [];
  let current: string[] = [];
  let size = 2; // the brackets
  for (const id of ids) {
    const encoded = JSON.stringify(id);
    const added = Buffer.byteLength(encoded) + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && size + added > limit) {
      messages.push(`[${current.join(",")}]`);
      if (messages.length >= maxMessages) return ["*"];
      current = [];
      size = 2;
    }
    current.push(encoded);
    size += Buffer.byteLength(encoded) + (current.length > 1 ? 1 : 0);
  }
  if (current.length > 0) messages.push(`[${current.join(",")}]`);
  return messages;
}

function parseMemberIds(payload: string): string[] | "all" {
  if (payload === "*") return "all";
  const ids: unknown = JSON.parse(payload);
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) return "all";
  return ids;
}

/**
 * Keeps this node's snapshot cache and catalog in step with writes made on other nodes. Writers call
 * `membersChanged` / `catalogStored` inside their transaction; the messages go out on commit. A node
 * drops the members' snapshots when it hears them — a load that started before the writer committed
 * and ends after the message is not cached (the cache's per-member epoch), and one that ended before
 * is dropped by it. While the link is down nothing is cached; on (re)connect everything is dropped
 * and the catalog reloaded, since messages sent meanwhile are lost.
 */
export class ClusterSync {
  constructor(
    private readonly bus: ClusterBus,
    private readonly cache: SnapshotCache,
    private readonly report: (error: unknown, context: string) => void = () => {},
  ) {}

  /**
   * Subscribes to the channels; call before the bus starts. Nothing is cached until the first
   * connection is made: a node that cannot listen must not serve snapshots it cannot invalidate.
   */
  wire(catalog: CatalogService): void {
    this.cache.suspend();
    this.bus.subscribe(SNAPSHOTS_CHANNEL, (payload, origin) => {
      // Our own writes invalidated the cache after their commit already.
      if (origin.local) return;
      const ids = parseMemberIds(payload);
      if (ids === "all") this.cache.invalidateAll();
      else for (const id of ids) this.cache.invalidate(id);
    });
    this.bus.subscribe(CATALOG_CHANNEL, (_payload, origin) => {
      if (origin.local) return;
      catalog.refresh().catch((error) => this.report(error, "catalog refresh"));
    });
    this.bus.onDisconnect(() => this.cache.suspend());
    this.bus.onResync(async () => {
      this.cache.resume();
      await catalog.refresh();
    });
  }

  async membersChanged(executor: Executor, memberIds: Iterable<string>): Promise<void> {
    const limit = this.bus.payloadLimit(SNAPSHOTS_CHANNEL);
    for (const message of packMemberIds(memberIds, limit))
      await this.bus.notifyOthers(executor, SNAPSHOTS_CHANNEL, message);
  }

  async catalogStored(executor: Executor, version: number): Promise<void> {
    await this.bus.notifyOthers(executor, CATALOG_CHANNEL, String(version));
  }
}
