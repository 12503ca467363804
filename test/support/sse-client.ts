import { createParser } from "eventsource-parser";

export interface ReceivedEvent {
  id: number;
  event: string;
  data: any;
}

/**
 * A Server-Sent Events client as the browser and SDK clients are: fetch with a bearer token, parsed
 * by eventsource-parser. Collects events, comments and the retry hint.
 */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  readonly comments: string[] = [];
  retry: number | null = null;
  status = 0;
  ended = false;
  /** The error body of a refused stream. */
  body: any = null;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  private done: Promise<void> = Promise.resolve();

  private constructor() {}

  /** Opens the stream; resolves once the response head arrived (its status is in `status`). */
  static async open(
    url: string,
    options: { auth?: string | null; lastEventId?: number | string; headers?: Record<string, string> } = {},
  ): Promise<SseClient> {
    const client = new SseClient();
    const headers: Record<string, string> = { accept: "text/event-stream", ...options.headers };
    if (options.auth) headers.authorization = `Bearer ${options.auth}`;
    if (options.lastEventId !== undefined) headers["last-event-id"] = String(options.lastEventId);
    const response = await fetch(url, { headers, signal: client.controller.signal });
    client.status = response.status;
    if (response.status !== 200 || !response.body) {
      client.ended = true;
      client.body = await response.json().catch(() => null);
      return client;
    }
    const parser = createParser({
      onEvent: (message) => {
        client.events.push({
          id: Number(message.id),
          event: message.event ?? "message",
          data: JSON.parse(message.data),
        });
        client.wake();
      },
      onComment: (comment) => {
        client.comments.push(comment.trim());
        client.wake();
      },
      onRetry: (ms) => {
        client.retry = ms;
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    client.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch {
        // aborted by close()
      } finally {
        client.ended = true;
        client.wake();
      }
    })();
    return client;
  }

  /** The last event id received. */
  get lastId(): number | undefined {
    return this.events.at(-1)?.id;
  }

  /** Waits until `predicate` holds (checked on every event and comment), or fails after `timeoutMs`. */
  async until(
    predicate: (client: SseClient) => boolean,
    timeoutMs = 5000,
    what = "condition",
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0 || (this.ended && !predicate(this)))
        throw new Error(`SSE: ${what} not met (${this.events.length} events, ended=${this.ended})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until `count` events arrived. */
  untilCount(count: number, timeoutMs = 5000): Promise<void> {
    return this.until((c) => c.events.length >= count, timeoutMs, `${count} events`);
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** The streams a test file opens (with `defaultAuth` unless told otherwise), closed together at its end. */
export class SseClientSet {
  readonly clients: SseClient[] = [];

  constructor(
    private readonly baseUrl: () => string,
    private readonly defaultAuth: string,
  ) {}

  async open(path: string, options: Parameters<typeof SseClient.open>[1] = {}): Promise<SseClient> {
    const client = await SseClient.open(`${this.baseUrl()}${path}`, { auth: this.defaultAuth, ...options });
    this.clients.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }
}
