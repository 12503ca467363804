import type { ServerResponse } from "node:http";
import { type EventFilter, eventMatches } from "./event-log-store.js";
import type { LoggedEvent } from "./logged-event.js";

/**
 * - catching-up: reading what it missed (from the hub's recent events, else from the log), not fed by the hub;
 * - live: fed by the hub as events arrive;
 * - behind: its socket buffer is full; nothing is queued for it in memory, it waits for `drain`
 *   and then catches up from its cursor.
 */
export type ConnectionState = "catching-up" | "live" | "behind" | "closed";

/** The frame of one event (the contract's `id`, `event`, `data` lines). */
export function eventFrame(event: Pick<LoggedEvent, "seq" | "type" | "data">): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${event.data}\n\n`;
}

/** One open event stream. */
export class SseConnection {
  state: ConnectionState = "catching-up";
  /** Every event up to here was sent or is not for this stream. */
  cursor: number;
  /** When the socket buffer filled (state behind), for the stall timeout. */
  behindSince = 0;

  constructor(
    readonly response: ServerResponse,
    readonly filter: EventFilter,
    /** Counts toward a per-principal limit; null when unlimited. */
    readonly limitKey: string | null,
    cursor: number,
  ) {
    this.cursor = cursor;
  }

  /** Bytes written but not yet taken by the kernel: what a slow reader costs this process. */
  get buffered(): number {
    return this.response.writableLength;
  }

  /**
   * Sends the event if it is this stream's and moves the cursor past it. False when the socket
   * buffer is full: the caller stops feeding this connection.
   */
  send(event: LoggedEvent, frame?: string): boolean {
    if (event.seq <= this.cursor) return true;
    this.cursor = event.seq;
    if (!eventMatches(this.filter, event)) return true;
    return this.response.write(frame ?? eventFrame(event));
  }

  /** Writes a raw chunk (retry line, reset, heartbeat comment). */
  write(chunk: string): boolean {
    return this.response.write(chunk);
  }
}
