import type { EventLogStore } from "./event-log-store.js";
import type { LoggedEvent } from "./logged-event.js";
import { eventFrame, type SseConnection } from "./sse-connection.js";

export interface HubOptions {
  /** A `: heartbeat` comment this often (contract: 15 s). */
  heartbeatMs?: number;
  /** Reads the log this often for events numbered by other processes (until a cluster bus wakes it). */
  pollMs?: number;
  /** Recent events kept in memory: a reconnect or a slow reader within them costs no database read. */
  recentEvents?: number;
  /** Events per catch-up read from the log. */
  pageSize?: number;
  /** A connection whose socket buffer stays full this long is closed (the client stopped reading). */
  stallTimeoutMs?: number;
  /** Open streams per process; the next one is refused (503). */
  maxConnections?: number;
  /** Open streams per member token; the next one is refused (429). */
  maxPerMember?: number;
  onError?: (error: unknown) => void;
}

export type AdmitRefusal = "closing" | "too_many_connections" | "too_many_for_member";

/** What the hub holds now: for tests, the bench and metrics. */
export interface HubStats {
  connections: number;
  live: number;
  catchingUp: number;
  behind: number;
  /** The largest socket buffer of any connection, in bytes. */
  maxBuffered: number;
  head: number;
  recent: number;
}

/**
 * Fans the event log out to this process's streams. It keeps the last events in memory (contiguous
 * numbers, so an event is found by arithmetic) and feeds live connections as events arrive — from
 * this node's dispatcher at once, from other nodes' by reading the log. A connection whose socket
 * buffer fills is not queued for: it drops back to catch-up reads from its cursor when it drains,
 * so a slow client costs at most one socket buffer and one page, never a growing queue.
 */
export class EventHub {
  private readonly connections = new Set<SseConnection>();
  private readonly perKey = new Map<string, number>();
  private readonly recent: LoggedEvent[] = [];
  /** The number of recent[0]; recent[i] has number recentStart + i. */
  private recentStart = 1;
  /** The last event this hub has seen (and fed to live connections); -1 before activation. */
  private head = -1;
  private activating: Promise<void> | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private closing = false;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly recentCapacity: number;
  private readonly pageSize: number;
  private readonly stallTimeoutMs: number;
  private readonly maxConnections: number;
  private readonly maxPerMember: number;

  constructor(
    private readonly log: Pick<EventLogStore, "readAfter" | "head">,
    private readonly options: HubOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.pollMs = options.pollMs ?? 25;
    this.recentCapacity = options.recentEvents ?? 10_000;
    this.pageSize = options.pageSize ?? 200;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 60_000;
    this.maxConnections = options.maxConnections ?? 20_000;
    this.maxPerMember = options.maxPerMember ?? 10;
  }

  /** Why a new stream may not open now, or null when it may. */
  admit(limitKey: string | null): AdmitRefusal | null {
    if (this.closing) return "closing";
    if (this.connections.size >= this.maxConnections) return "too_many_connections";
    if (limitKey !== null && (this.perKey.get(limitKey) ?? 0) >= this.maxPerMember)
      return "too_many_for_member";
    return null;
  }

  /** Starts feeding `connection` from its cursor; it is closed by the client or by close(). */
  async attach(connection: SseConnection): Promise<void> {
    await this.activate();
    const { response } = connection;
    // The client may have gone while the stream was being set up: its `close` has fired already.
    if (response.destroyed || response.closed || this.closing) {
      response.end();
      return;
    }
    this.connections.add(connection);
    if (connection.limitKey !== null)
      this.perKey.set(connection.limitKey, (this.perKey.get(connection.limitKey) ?? 0) + 1);
    response.on("close", () => this.detach(connection));
    response.on("drain", () => {
      if (connection.state !== "behind") return;
      connection.state = "catching-up";
      void this.catchUp(connection);
    });
    await this.catchUp(connection);
  }

  /** Events this process numbered, right after their commit. */
  publish(events: LoggedEvent[]): void {
    if (this.head < 0 || events.length === 0) return;
    const fresh = events.filter((e) => e.seq > this.head);
    if (fresh.length === 0) return;
    // Another process numbered the events before these: read them from the log, with these.
    if (fresh[0].seq === this.head + 1) this.append(fresh);
    else this.refresh();
  }

  /** Reads the log for events this hub has not seen (other processes'); coalesced. */
  refresh(): void {
    if (this.head < 0) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = this.readNew()
      .catch((error) => this.options.onError?.(error))
      .finally(() => {
        this.refreshing = null;
      });
  }

  stats(): HubStats {
    const stats: HubStats = {
      connections: this.connections.size,
      live: 0,
      catchingUp: 0,
      behind: 0,
      maxBuffered: 0,
      head: this.head,
      recent: this.recent.length,
    };
    for (const c of this.connections) {
      if (c.state === "live") stats.live++;
      else if (c.state === "behind") stats.behind++;
      else if (c.state === "catching-up") stats.catchingUp++;
      stats.maxBuffered = Math.max(stats.maxBuffered, c.buffered);
    }
    return stats;
  }

  /** Refuses new streams and ends every open one (SIGTERM, server close); clients reconnect elsewhere. */
  async close(): Promise<void> {
    this.closing = true;
    this.stopTimers();
    for (const c of this.connections) {
      c.state = "closed";
      c.response.end();
    }
    this.connections.clear();
    this.perKey.clear();
    await this.refreshing;
  }

  private async activate(): Promise<void> {
    if (this.head >= 0) return;
    this.activating ??= this.log.head().then((head) => {
      this.head = head.lastSeq;
      this.recentStart = head.lastSeq + 1;
      this.startTimers();
    });
    try {
      await this.activating;
    } finally {
      this.activating = null;
    }
  }

  private detach(connection: SseConnection): void {
    if (!this.connections.delete(connection)) return;
    connection.state = "closed";
    const key = connection.limitKey;
    if (key !== null) {
      const left = (this.perKey.get(key) ?? 1) - 1;
      if (left > 0) this.perKey.set(key, left);
      else this.perKey.delete(key);
    }
  }

  private append(events: LoggedEvent[]): void {
    this.recent.push(...events);
    this.head = events[events.length - 1].seq;
    const excess = this.recent.length - this.recentCapacity;
    // Trimmed in chunks: shifting one at a time would copy the array for every event.
    if (excess > this.recentCapacity / 4) {
      this.recent.splice(0, excess);
      this.recentStart += excess;
    }
    const frames = events.map(eventFrame);
    for (const c of this.connections) {
      if (c.state !== "live") continue;
      for (let i = 0; i < events.length; i++) {
        if (!c.send(events[i], frames[i])) {
          this.fellBehind(c);
          break;
        }
      }
    }
  }

  private fellBehind(connection: SseConnection): void {
    connection.state = "behind";
    connection.behindSince = Date.now();
  }

  /**
   * Sends a connection what it missed, then makes it live. From the recent events when they reach
   * back to its cursor (synchronously, so no event can arrive between the last one sent and going
   * live), else a page from the log and again.
   */
  private async catchUp(c: SseConnection): Promise<void> {
    try {
      while (c.state === "catching-up") {
        if (c.cursor + 1 >= this.recentStart) {
          for (let seq = c.cursor + 1; seq <= this.head; seq++) {
            if (!c.send(this.recent[seq - this.recentStart])) {
              this.fellBehind(c);
              return;
            }
          }
          c.state = "live";
          return;
        }
        const seen = this.head;
        const page = await this.log.readAfter(c.cursor, c.filter, this.pageSize);
        if (c.state !== "catching-up") return;
        for (const event of page) {
          if (!c.send(event)) {
            this.fellBehind(c);
            return;
          }
        }
        // A short page saw every event up to `seen` (committed before the read began): none of them
        // is left for this stream, even where the page's last match is older.
        if (page.length < this.pageSize) c.cursor = Math.max(c.cursor, seen);
      }
    } catch (error) {
      this.options.onError?.(error);
      c.response.destroy();
    }
  }

  private async readNew(): Promise<void> {
    do {
      this.refreshAgain = false;
      for (;;) {
        const page = await this.log.readAfter(this.head, { members: null, memberFacing: false }, 1000);
        const fresh = page.filter((e) => e.seq > this.head);
        if (fresh.length > 0) this.append(fresh);
        if (page.length < 1000) break;
      }
    } while (this.refreshAgain && !this.closing);
  }

  private startTimers(): void {
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.heartbeatMs);
    this.heartbeatTimer.unref();
    this.pollTimer = setInterval(() => {
      if (this.connections.size > 0) this.refresh();
    }, this.pollMs);
    this.pollTimer.unref();
  }

  private stopTimers(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.heartbeatTimer = null;
    this.pollTimer = null;
  }

  private heartbeat(): void {
    const now = Date.now();
    for (const c of this.connections) {
      if (c.state === "behind") {
        if (now - c.behindSince > this.stallTimeoutMs) c.response.destroy();
        continue;
      }
      c.write(": heartbeat\n\n");
    }
  }
}
