import type { PaymentEventStore } from "./payment-event-store.js";

/** How long latencies wait in memory before they are written together. */
const FLUSH_MS = 1000;

/**
 * Stores each applied payment's receipt → committed-grants latency (the console's chart) without a
 * statement in the payment's own transaction: latencies are measured after the commit and written
 * in one statement per second. A crash loses at most the last second's samples, never a payment.
 */
export class GrantLatencyRecorder {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Pick<PaymentEventStore, "setGrantLatencies">,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  record(webhookId: string, ms: number): void {
    this.pending.set(webhookId, ms);
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.flush().catch(this.onError);
    }, FLUSH_MS);
    this.timer.unref();
  }

  /** Writes what is waiting now (before statistics are read, and before the database closes). */
  flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const rows = [...this.pending].map(([webhookId, ms]) => ({ webhookId, ms }));
    this.pending = new Map();
    // One write at a time, in order: a reader waiting on flush() sees every earlier sample.
    this.flushing = this.flushing
      .catch(() => {})
      .then(() => (rows.length > 0 ? this.store.setGrantLatencies(rows) : undefined));
    return this.flushing;
  }
}
