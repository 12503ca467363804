/**
 * Event streams under stress: heartbeats, a client that stops reading (bounded memory, then a gap-free
 * catch-up), resume past the retention window, connection limits, and shutdown ending the streams.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { eventPruneJob } from "../../src/events/event-prune-job.js";
import { ADMIN_KEY, TestServer } from "../e2e-harness.js";
import { StalledSseSocket } from "../support/raw-sse-socket.js";
import { type SseClient, SseClientSet } from "../support/sse-client.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectRejected } from "./support/error-responses.js";

const HOUR = 3_600_000;

/** Writes `count` outbox rows of about 4 KB each in one statement: events no member write could produce as fast. */
async function flood(s: TestServer, count: number): Promise<void> {
  await sql`insert into outbox (member_id, type, payload)
    select null, 'test.filler', jsonb_build_object('n', g, 'pad', repeat('x', 4000))
    from generate_series(1, ${count}) g`.execute(s.app.database.db);
  await s.app.events.dispatcher.dispatchAll();
}

describe.each(TEST_ENGINES)("event stream delivery ($name)", (engine) => {
  let s: TestServer;
  const streams = new SseClientSet(() => s.baseUrl, ADMIN_KEY);
  const open = (path: string, options: Parameters<typeof SseClient.open>[1] = {}) =>
    streams.open(path, options);

  beforeAll(async () => {
    s = await TestServer.start(engine, undefined, { events: { heartbeatMs: 50 } });
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("dl-alice");
    // The catalog's own event (catalog.changed goes to every stream) is numbered before any test opens one.
    await s.app.events.dispatcher.dispatchAll();
  });
  afterAll(async () => {
    await streams.closeAll();
    await s.stop();
  });

  it("sends a heartbeat comment on an idle stream", async () => {
    const idle = await open("/v1/events?members=dl-nobody");
    await idle.until((c) => c.comments.filter((x) => x === "heartbeat").length >= 3, 3000, "3 heartbeats");
    expect(idle.events).toEqual([]);
  });

  it("a client that stops reading costs one socket buffer, then catches up without a gap", async () => {
    const before = s.app.events.hub.stats().connections;
    const stalled = await StalledSseSocket.open(s.baseUrl, "/v1/events", ADMIN_KEY);
    const start = (await s.app.data.events.head()).lastSeq;
    while (s.app.events.hub.stats().connections === before) await new Promise((r) => setTimeout(r, 10));
    stalled.pause();
    // About 20 MB of events: more than the kernel's socket buffers on both ends hold.
    const count = 5_000;
    let maxBuffered = 0;
    for (let i = 0; i < 4; i++) {
      await flood(s, count / 4);
      maxBuffered = Math.max(maxBuffered, s.app.events.hub.stats().maxBuffered);
    }
    const stats = s.app.events.hub.stats();
    expect(stats.behind).toBe(1);
    // Nothing is queued for it in this process beyond the socket's own buffer (16 KB) and one frame.
    expect(maxBuffered).toBeLessThan(64 * 1024);
    stalled.resume();
    const end = start + count;
    const deadline = Date.now() + 30_000;
    while ((stalled.ids().at(-1) ?? 0) < end && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    stalled.close();
    expect(stalled.ids()).toEqual(Array.from({ length: count }, (_, i) => start + 1 + i));
  }, 60_000);

  it("a resume from before the retention window gets one reset, then the stream goes on", async () => {
    const first = await open("/v1/events?members=dl-alice");
    const order = await s.createOrder("dl-alice", "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    await first.until((c) => c.events.length > 0, 5000, "an event");
    const old = first.events[0].id - 1;
    await first.close();
    s.clock.advance(25 * HOUR);
    await s.app.data.jobs.schedule([eventPruneJob(s.clock.now())]);
    s.clock.advance(HOUR);
    await s.app.scheduler.runDue();
    // What the jobs wrote is numbered after their commit: the head once it is.
    await s.app.events.dispatcher.dispatchAll();
    const head = await s.app.data.events.head();
    expect(head.prunedThrough).toBeGreaterThan(old);
    const resumed = await open("/v1/events?members=dl-alice", { lastEventId: old });
    await resumed.untilCount(1);
    expect(resumed.events[0]).toEqual({ id: head.lastSeq, event: "reset", data: { reason: "retention" } });
    const again = await s.createOrder("dl-alice", "vip_month");
    await s.pay(again.orderId, again.amount.amount);
    await resumed.until((c) => c.events.length >= 2, 5000, "an event after the reset");
    expect(resumed.events[1].id).toBeGreaterThan(head.lastSeq);
    // From the reset's id on, a resume is whole again.
    const fromReset = await open("/v1/events?members=dl-alice", { lastEventId: head.lastSeq });
    await fromReset.until((c) => c.events.length >= resumed.events.length - 1, 5000, "the same events");
    expect(fromReset.events.map((e) => e.id)).toEqual(resumed.events.slice(1).map((e) => e.id));
  });
});

describe.each(TEST_ENGINES)("event stream limits and shutdown ($name)", (engine) => {
  let s: TestServer;
  let stopped = false;
  const streams = new SseClientSet(() => s.baseUrl, ADMIN_KEY);
  const open = (path: string, options: Parameters<typeof SseClient.open>[1] = {}) =>
    streams.open(path, options);

  beforeAll(async () => {
    s = await TestServer.start(engine, undefined, {
      events: { maxConnections: 4, maxStreamsPerMember: 2, heartbeatMs: 50, stallTimeoutMs: 300 },
    });
    await s.putCatalog(DEMO_CATALOG);
    await s.createMember("lm-alice");
  });
  afterAll(async () => {
    await streams.closeAll();
    if (!stopped) await s.stop();
  });

  it("a member may hold two streams; the third is refused with 429", async () => {
    const token = await s.memberToken("lm-alice");
    const a = await open("/v1/me/events", { auth: token });
    const b = await open("/v1/me/events", { auth: token });
    expect([a.status, b.status]).toEqual([200, 200]);
    const third = await open("/v1/me/events", { auth: token });
    expect(third.status).toBe(429);
    expectRejected({ status: third.status, body: third.body, headers: new Headers() }, ["RATE_LIMITED"]);
    await a.close();
    const deadline = Date.now() + 2000;
    while (s.app.events.hub.stats().connections > 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const again = await open("/v1/me/events", { auth: token });
    expect(again.status).toBe(200);
  });

  it("past the process's limit a stream is refused with 503", async () => {
    while (s.app.events.hub.stats().connections < 4) await open("/v1/events");
    const over = await open("/v1/events");
    expect(over.status).toBe(503);
    expect(over.body.error).toMatchObject({ code: "UNAVAILABLE", details: [] });
    await streams.closeAll();
    const deadline = Date.now() + 2000;
    while (s.app.events.hub.stats().connections > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(s.app.events.hub.stats().connections).toBe(0);
  });

  it("a client stalled past the timeout is disconnected", async () => {
    const stalled = await StalledSseSocket.open(s.baseUrl, "/v1/events", ADMIN_KEY);
    while (s.app.events.hub.stats().connections === 0) await new Promise((r) => setTimeout(r, 10));
    stalled.pause();
    await flood(s, 5_000);
    const deadline = Date.now() + 10_000;
    while (s.app.events.hub.stats().connections > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(s.app.events.hub.stats().connections).toBe(0);
    stalled.resume();
    stalled.close();
  }, 30_000);

  it("closing the server (SIGTERM) ends every stream promptly", async () => {
    const a = await open("/v1/events");
    const b = await open("/v1/events?members=lm-alice");
    expect([a.status, b.status]).toEqual([200, 200]);
    const started = Date.now();
    stopped = true;
    await s.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    await a.until((c) => c.ended, 2000, "stream a ends");
    await b.until((c) => c.ended, 2000, "stream b ends");
  });
});
