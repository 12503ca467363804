import type { Clock } from "../clock.js";
import type { Stores, Transact } from "../db/stores.js";
import type { LoggedEvent } from "./logged-event.js";

export interface DispatcherOptions {
  /** Outbox rows numbered per transaction. */
  batchSize?: number;
  /**
   * How often to look for outbox rows nobody kicked for (a writer that died between its commit and
   * its kick, another node's rows while its dispatcher is down).
   */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The numbering transaction's stores: the event log, and what the hooks app.ts registers write in it
 * (webhook deliveries; the cluster notice goes through the executor).
 */
export type NumberingStores = Pick<Stores, "executor" | "events" | "webhooks">;

/** Runs in the numbering transaction: what else must happen exactly once per event (webhook deliveries). */
export type SequencedHook = (stores: NumberingStores, events: LoggedEvent[], now: Date) => Promise<void>;

/** Retry delay when another process holds the sequencer: it may have read the outbox before our commit. */
const LOCKED_RETRY_MS = 5;

/**
 * Turns committed outbox rows into the numbered event log. Kicked after every local commit (so a
 * change reaches this node's streams in about a millisecond) and on a timer; passes are coalesced,
 * one at a time per process, and one at a time across processes (the sequencer lock).
 */
export class EventDispatcher {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly hooks: SequencedHook[] = [];
  private readonly listeners: ((events: LoggedEvent[]) => void)[] = [];
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  /** `transaction` must not kick this dispatcher after commit (the app's does). */
  constructor(
    private readonly deps: { transaction: Transact<NumberingStores>; clock: Clock },
    private readonly options: DispatcherOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 250;
  }

  /** Work to do in the same transaction as the numbering. */
  onSequenced(hook: SequencedHook): void {
    this.hooks.push(hook);
  }

  /** Called after each committed batch, in order (this node's hub publishes them at once). */
  onDispatched(listener: (events: LoggedEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Asks for a pass soon; returns at once. Kicks in the same turn of the event loop make one pass
   * (commits finishing together are numbered together), and kicks while a pass runs one more.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = new Promise((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .catch((error) => this.options.onError?.(error))
      .finally(() => {
        this.draining = null;
      });
  }

  /** Numbers every committed outbox row now (tests, and the kick loop). Returns how many events. */
  async dispatchAll(): Promise<number> {
    let total = 0;
    for (let locked = 0; ; ) {
      const events = await this.pass();
      if (events === null) {
        // Another process is numbering; it may have read the outbox before our rows committed.
        if (++locked > 200) return total;
        await new Promise((resolve) => setTimeout(resolve, LOCKED_RETRY_MS));
        continue;
      }
      total += events.length;
      // A batch that is not full took every row committed when it read the outbox; rows committed
      // since come with their own kick.
      if (events.length < this.batchSize) return total;
    }
  }

  /** Polls on a timer until stop(); the first pass runs at once. */
  start(): void {
    if (this.timer !== null || this.stopped) return;
    this.kick();
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
  }

  /** Stops polling and waits for the pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.draining;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      await this.dispatchAll();
    } while (this.again && !this.stopped);
  }

  private async pass(): Promise<LoggedEvent[] | null> {
    const now = new Date(this.deps.clock.now());
    const events = await this.deps.transaction(async (stores) => {
      const numbered = await stores.events.sequence(this.batchSize, now);
      if (numbered && numbered.length > 0) for (const hook of this.hooks) await hook(stores, numbered, now);
      return numbered;
    });
    if (events && events.length > 0) for (const listener of this.listeners) listener(events);
    return events;
  }
}
