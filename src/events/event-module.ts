import type { Clock } from "../clock.js";
import type { Transact } from "../db/stores.js";
import { EventDispatcher, type NumberingStores } from "./event-dispatcher.js";
import { EventHub } from "./event-hub.js";
import type { EventLogStore } from "./event-log-store.js";
import { EventStreamService } from "./event-stream-service.js";

export interface EventOptions {
  /**
   * Number outbox rows right after each commit (default true). One-shot processes (demo seeding,
   * CLI commands) turn it off: a serving node numbers their rows in batches, on start and by its poll.
   */
  dispatchOnCommit?: boolean;
  /** Events are kept this long for resuming streams (default 24 h). */
  retentionMs?: number;
  /** The `retry:` hint sent on connect (default 2000 ms). */
  retryMs?: number;
  heartbeatMs?: number;
  /** How often the hub reads the log for other processes' events (default 25 ms). */
  hubPollMs?: number;
  /** How often the dispatcher looks for outbox rows nobody kicked for (default 250 ms). */
  dispatchPollMs?: number;
  stallTimeoutMs?: number;
  maxConnections?: number;
  maxStreamsPerMember?: number;
  onError?: (error: unknown) => void;
}

export const DEFAULT_RETENTION_MS = 24 * 3_600_000;

/** The outbox → event log → streams pipeline of one process. */
export class EventModule {
  readonly dispatcher: EventDispatcher;
  readonly hub: EventHub;
  readonly streams: EventStreamService;
  readonly retentionMs: number;
  readonly retryMs: number;

  /** `transaction` is the raw one: the dispatcher's own commits must not kick it again. */
  constructor(
    deps: { store: EventLogStore; transaction: Transact<NumberingStores>; clock: Clock },
    options: EventOptions = {},
  ) {
    const { store, transaction, clock } = deps;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.retryMs = options.retryMs ?? 2000;
    this.dispatcher = new EventDispatcher(
      { transaction, clock },
      {
        pollMs: options.dispatchPollMs,
        onError: options.onError,
      },
    );
    this.hub = new EventHub(store, {
      heartbeatMs: options.heartbeatMs,
      pollMs: options.hubPollMs,
      stallTimeoutMs: options.stallTimeoutMs,
      maxConnections: options.maxConnections,
      maxPerMember: options.maxStreamsPerMember,
      onError: options.onError,
    });
    this.streams = new EventStreamService(store, this.hub);
    this.dispatcher.onDispatched((events) => this.hub.publish(events));
  }

  /** Polls the outbox (the kicks after each local commit need no start). */
  start(): void {
    this.dispatcher.start();
  }

  /** Ends every stream (before the HTTP server closes). */
  closeStreams(): Promise<void> {
    return this.hub.close();
  }

  /** Ends streams and waits for the dispatcher's pass under way (before the database closes). */
  async stop(): Promise<void> {
    await this.hub.close();
    await this.dispatcher.stop();
  }
}
