/** A lean Server-Sent Events reader over node:http, for thousands of streams in one process. */
import { request } from "node:http";

export interface SseFrame {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

export interface SseStream {
  /** 200 once the stream is open; the error status otherwise. */
  status: number;
  closed: boolean;
  close(): void;
}

/**
 * Opens `url` as an event stream with a bearer key (its own socket, no agent); calls `onFrame` for
 * every event as it arrives. Resolves once the response head is in.
 */
export function openSseStream(
  url: string,
  apiKey: string,
  onFrame: (frame: SseFrame) => void,
  onClose: () => void = () => {},
): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      agent: false,
      headers: { authorization: `Bearer ${apiKey}`, accept: "text/event-stream" },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        closed: false,
        close: () => {
          stream.closed = true;
          req.destroy();
        },
      };
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: SseFrame = { id: undefined, event: undefined, data: "" };
          let isEvent = false;
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) frame.id = line.slice(4);
            else if (line.startsWith("event: ")) frame.event = line.slice(7);
            else if (line.startsWith("data: ")) {
              frame.data = line.slice(6);
              isEvent = true;
            }
          }
          if (isEvent) onFrame(frame);
        }
      });
      res.on("close", () => {
        stream.closed = true;
        onClose();
      });
      resolve(stream);
    });
    req.end();
  });
}
