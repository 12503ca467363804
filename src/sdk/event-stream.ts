/**
 * Follows `GET /v1/events` (Server-Sent Events) with fetch and eventsource-parser, so it can send the
 * Authorization header: reconnects after the server's `retry` delay, resumes with `Last-Event-ID`,
 * and treats a silent connection (no heartbeat within `heartbeatTimeoutMs`) as broken.
 */
import { createParser } from "eventsource-parser";
import { PerkwiseError } from "./perkwise-error.js";

export interface StreamEvent {
  id: string | undefined;
  type: string;
  data: unknown;
}

export interface EventStreamOptions {
  url: string;
  apiKey: string;
  fetch?: (request: Request) => Promise<Response>;
  /** The members to follow (`?members=`), or null for every event. Read at each (re)connect. */
  members: () => readonly string[] | null;
  /** Delay before reconnecting until the server sends its own `retry:`. Default 2000 ms. */
  reconnectMs?: number;
  /** A connection that sends nothing for this long is dropped and reopened. Default 45,000 ms. */
  heartbeatTimeoutMs?: number;
  onEvent: (event: StreamEvent) => void;
  /**
   * Called on every change between connected and disconnected, with the error that ended a connection;
   * `resumed` says whether a connection continued from a Last-Event-ID (else events before it may be lost).
   */
  onConnection: (connected: boolean, error: PerkwiseError | null, resumed: boolean) => void;
}

/** The longest wait between reconnection attempts while the server keeps failing. */
const MAX_BACKOFF_MS = 30_000;

/** One long-lived subscription; `stop()` ends it for good. */
export class EventStream {
  /** The id of the last event received: the resume point. */
  lastEventId: string | undefined;
  connected = false;
  private stopped = false;
  /** Set by reconnect(): the connection it ends is reopened without the retry delay. */
  private reconnecting = false;
  private retryMs: number;
  /** Connection attempts that failed in a row: the delay doubles with each, up to MAX_BACKOFF_MS. */
  private failures = 0;
  /** Ends the connection under way: aborts its request and cancels its body. */
  private endCurrent: (() => void) | null = null;
  private wake: (() => void) | null = null;
  private readonly loop: Promise<void>;

  constructor(private readonly options: EventStreamOptions) {
    this.retryMs = options.reconnectMs ?? 2000;
    this.loop = this.run();
  }

  /** Drops the connection and reconnects at once (resuming), e.g. to follow more members. */
  reconnect(): void {
    this.reconnecting = true;
    this.endCurrent?.();
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.reconnecting = false;
      const error = await this.connectOnce();
      this.setConnected(false, this.reconnecting ? null : error);
      if (this.stopped) break;
      if (this.reconnecting) continue;
      const delay = Math.min(this.retryMs * 2 ** Math.max(0, this.failures - 1), MAX_BACKOFF_MS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** One connection, until it ends; returns what ended it (null: a clean end or stop()). */
  private async connectOnce(): Promise<PerkwiseError | null> {
    this.failures++;
    const controller = new AbortController();
    let body: ReadableStreamDefaultReader<Uint8Array> | null = null;
    // Aborting alone may leave a body read pending forever (undici#1940): cancelling the reader
    // settles it, as the streams standard requires.
    const end = () => {
      controller.abort();
      body?.cancel().catch(() => {});
    };
    this.endCurrent = end;
    const heartbeatMs = this.options.heartbeatTimeoutMs ?? 45_000;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let silent = false;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        silent = true;
        end();
      }, heartbeatMs);
    };
    const resumed = this.lastEventId !== undefined;
    try {
      alive();
      const response = await (this.options.fetch ?? fetch)(this.request(controller.signal));
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        return PerkwiseError.fromResponse(response.status, body);
      }
      if (response.body === null) return new PerkwiseError("BAD_RESPONSE", "The event stream has no body.");
      this.failures = 0;
      this.setConnected(true, null, resumed);
      const parser = createParser({
        onEvent: (message) => {
          if (message.id !== undefined) this.lastEventId = message.id;
          // A reset without an id: resuming from the old id would only be reset again.
          else if (message.event === "reset") this.lastEventId = undefined;
          let data: unknown = message.data;
          try {
            data = JSON.parse(message.data);
          } catch {
            // not JSON: hand over the text
          }
          this.options.onEvent({ id: message.id, type: message.event ?? "message", data });
        },
        onRetry: (ms) => {
          this.retryMs = ms;
        },
      });
      const decoder = new TextDecoder();
      body = response.body.getReader();
      for (;;) {
        const chunk = await body.read();
        if (chunk.done) break;
        alive();
        parser.feed(decoder.decode(chunk.value, { stream: true }));
      }
      if (this.stopped || this.reconnecting) return null;
      if (silent) return silence(heartbeatMs);
      return new PerkwiseError("UNREACHABLE", "The server closed the event stream.");
    } catch (cause) {
      if (this.stopped || this.reconnecting) return null;
      if (silent) return silence(heartbeatMs, cause);
      return PerkwiseError.fromFetchFailure(cause, heartbeatMs);
    } finally {
      clearTimeout(watchdog);
      end();
      this.endCurrent = null;
    }
  }

  private request(signal: AbortSignal): Request {
    const url = new URL(`${this.options.url.replace(/\/+$/, "")}/v1/events`);
    const members = this.options.members();
    if (members !== null) url.searchParams.set("members", members.join(","));
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: "text/event-stream",
    };
    if (this.lastEventId !== undefined) headers["last-event-id"] = this.lastEventId;
    return new Request(url, { headers, signal });
  }

  private setConnected(connected: boolean, error: PerkwiseError | null, resumed = false): void {
    if (this.connected === connected && connected) return;
    const changed = this.connected !== connected;
    this.connected = connected;
    if (changed || error !== null) this.options.onConnection(connected, error, resumed);
  }
}

function silence(heartbeatMs: number, cause?: unknown): PerkwiseError {
  return new PerkwiseError("TIMEOUT", `The event stream was silent for ${heartbeatMs} ms.`, [], 0, cause);
}
