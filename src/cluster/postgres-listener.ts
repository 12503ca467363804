import pg from "pg";
import type { Listener, ListenerEvents } from "./listener.js";

/** Retries after a lost LISTEN connection: the first after `firstMs`, doubling up to `maxMs`. */
export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { firstMs: 50, maxMs: 5_000 };

/**
 * One dedicated connection per process that LISTENs on the schema's channel. When it is lost
 * (server restart, `pg_terminate_backend`, network), it reconnects with exponential backoff; each
 * successful LISTEN is reported as a (re)connect so the bus resyncs what was missed meanwhile.
 */
export class PostgresListener implements Listener {
  private client: pg.Client | null = null;
  private retryMs: number;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly applicationName: string,
    private readonly events: ListenerEvents,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.retryMs = retry.firstMs;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  backendPid(): number | null {
    return (this.client as unknown as { processID?: number } | null)?.processID ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: this.applicationName.slice(0, 63),
      keepAlive: true,
    });
    let lost = false;
    const onLost = (error: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
      if (this.closed) return;
      this.events.onDisconnected(error);
      this.scheduleRetry();
    };
    client.on("error", onLost);
    client.on("end", () => onLost(new Error("LISTEN connection ended")));
    client.on("notification", (message) => {
      if (message.channel === this.channel && message.payload !== undefined)
        this.events.onMessage(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replaceAll('"', '""')}"`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (lost) return;
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryMs = this.retry.firstMs;
    this.events.onConnected();
  }

  private scheduleRetry(): void {
    if (this.closed || this.timer) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.retry.maxMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
    this.timer.unref();
  }
}
