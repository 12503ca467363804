import { describe, expect, it } from "vitest";
import { eventually } from "../../test/support/eventually.js";
import { EventStream, type StreamEvent } from "./event-stream.js";

/**
 * A server that sent one event and then keeps the stream open, and whose body does not end when the
 * request is aborted (undici may leave a body read pending after an abort): stop() and reconnect()
 * must still end the connection.
 */
function streamThatIgnoresAbort(requests: Request[]) {
  return async (request: Request): Promise<Response> => {
    requests.push(request);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`id: ${requests.length}\nevent: ping\ndata: {}\n\n`));
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
}

function openStream(requests: Request[], events: StreamEvent[], connections: boolean[]) {
  return new EventStream({
    url: "http://perkwise.invalid",
    apiKey: "key",
    fetch: streamThatIgnoresAbort(requests),
    members: () => ["m1"],
    onEvent: (event) => events.push(event),
    onConnection: (connected) => connections.push(connected),
  });
}

describe("EventStream", () => {
  it("stop() ends a connection whose body ignores the abort", async () => {
    const requests: Request[] = [];
    const events: StreamEvent[] = [];
    const connections: boolean[] = [];
    const stream = openStream(requests, events, connections);
    await eventually("events.length === 1", () => events.length === 1, 10_000);
    await stream.stop();
    expect(connections).toEqual([true, false]);
    expect(requests).toHaveLength(1);
    expect(requests[0].signal.aborted).toBe(true);
  });

  it("reconnect() opens a new connection at once, resuming from the last event id", async () => {
    const requests: Request[] = [];
    const events: StreamEvent[] = [];
    const stream = openStream(requests, events, []);
    await eventually("events.length === 1", () => events.length === 1, 10_000);
    stream.reconnect();
    await eventually("events.length === 2", () => events.length === 2, 10_000);
    expect(requests[1].headers.get("last-event-id")).toBe("1");
    expect(new URL(requests[1].url).searchParams.get("members")).toBe("m1");
    expect(events.map((e) => e.id)).toEqual(["1", "2"]);
    await stream.stop();
  });
});
