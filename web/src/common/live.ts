import { createParser } from "eventsource-parser";

export type LiveStatus = "connecting" | "live" | "offline";

export interface LiveEvent {
  type: string;
  id: string | undefined;
  data: unknown;
}

export interface LiveOptions {
  /** `/v1/me/events` or `/v1/events?members=…`. */
  path: string;
  token: string;
  onEvent: (event: LiveEvent) => void;
  /**
   * The server could not resume from our last id (`event: reset`: kept too short, or an id it never
   * gave out): events may have been missed, so refetch the whole state. The stream goes on from now.
   */
  onReset: () => void;
  onStatus: (status: LiveStatus) => void;
}

/**
 * Server-sent events over `fetch` (not EventSource, which cannot send the bearer header), parsed by
 * eventsource-parser. Reconnects after the server's `retry`, resuming with `Last-Event-ID`.
 * Returns the function that stops it.
 */
export function subscribeLive(options: LiveOptions): () => void {
  const abort = new AbortController();
  let lastEventId: string | undefined;
  let retryMs = 2000;
  let stopped = false;

  const connect = async () => {
    options.onStatus("connecting");
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      accept: "text/event-stream",
    };
    if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
    const response = await fetch(options.path, { headers, signal: abort.signal });
    if (!response.ok || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
    options.onStatus("live");
    const parser = createParser({
      onEvent: (message) => {
        if (message.id !== undefined) lastEventId = message.id;
        if (message.event === "reset") return options.onReset();
        options.onEvent({ type: message.event ?? "message", id: message.id, data: parseData(message.data) });
      },
      onRetry: (ms) => {
        retryMs = ms;
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  };

  const run = async () => {
    while (!stopped) {
      try {
        await connect();
      } catch {
        // A refused or broken connection: try again after the server's retry delay.
      }
      if (stopped) return;
      options.onStatus("offline");
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
  void run();

  return () => {
    stopped = true;
    abort.abort();
  };
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
