import type { ServerResponse } from "node:http";
import { AppError } from "../errors.js";
import type { EventHub } from "./event-hub.js";
import type { EventFilter, EventLogStore } from "./event-log-store.js";
import { SseConnection } from "./sse-connection.js";

export interface StreamRequest {
  filter: EventFilter;
  /** Per-member connection limit key (member tokens); null for API keys. */
  limitKey: string | null;
  /** The client's Last-Event-ID (header or query), validated: a decimal string. */
  lastEventId: string | undefined;
  /** The `retry:` hint sent on connect, in ms. */
  retryMs: number;
}

/** The `reset` reasons: the client must refetch its state, then follow the stream from here. */
export type ResetReason = "retention" | "unknown_id";

/**
 * Opens event streams: checks the connection limits before anything is written (so a refusal is an
 * ordinary error response), then decides where the stream resumes.
 */
export class EventStreamService {
  constructor(
    private readonly log: Pick<EventLogStore, "head">,
    readonly hub: EventHub,
  ) {}

  /** Throws the documented error when the stream may not open; call before taking over the response. */
  admit(limitKey: string | null): void {
    const refusal = this.hub.admit(limitKey);
    if (refusal === "too_many_for_member")
      throw new AppError("RATE_LIMITED", "Too many open event streams for this member; close one first.");
    if (refusal !== null)
      throw new AppError(
        "UNAVAILABLE",
        "This server takes no more event streams now; try another node or later.",
      );
  }

  /**
   * Writes the stream's head and hands it to the hub. Resume: every event after Last-Event-ID; one
   * older than the retention window, or never given out, gets a `reset` (with the current number as
   * its id, so the next reconnect resumes from there) instead of a stream with a hole in it.
   */
  async open(response: ServerResponse, request: StreamRequest): Promise<void> {
    const head = await this.log.head();
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // Proxies such as nginx would otherwise buffer the stream.
      "x-accel-buffering": "no",
    });
    response.write(`retry: ${request.retryMs}\n\n`);
    let cursor = head.lastSeq;
    if (request.lastEventId !== undefined) {
      const last = Number(request.lastEventId);
      const reason: ResetReason | null =
        last < head.prunedThrough ? "retention" : last > head.lastSeq ? "unknown_id" : null;
      if (reason === null) cursor = last;
      else response.write(`id: ${head.lastSeq}\nevent: reset\ndata: ${JSON.stringify({ reason })}\n\n`);
    }
    await this.hub.attach(new SseConnection(response, request.filter, request.limitKey, cursor));
  }
}
