/**
 * Outgoing webhooks against local receivers on 127.0.0.1 that fail on purpose: every delivery is
 * verified with standardwebhooks' Webhook.verify as a receiver would; retries back off with jitter;
 * an endpoint that keeps failing is disabled with an alert event; the delivery log, replay and
 * re-enabling; URL rules.
 */
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { ADMIN_KEY, TestServer } from "../e2e-harness.js";
import { SseClient } from "../support/sse-client.js";
import { WebhookReceiver } from "../support/webhook-receiver.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectRejected } from "./support/error-responses.js";

const POLICY = {
  // Generous: a loaded 2-core CI machine has answered a healthy local receiver in over 400 ms.
  timeoutMs: 2_000,
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  disableAfterFailures: 6,
  disableAfterMs: 10 * 60_000,
  // The receivers are on 127.0.0.1; the last test checks the default, which refuses them.
  allowPrivateNetworks: true,
};

describe.each(TEST_ENGINES)("outgoing webhooks ($name)", (engine) => {
  let s: TestServer;
  const receivers: WebhookReceiver[] = [];
  const clients: SseClient[] = [];
  let memberCount = 0;

  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };
  const register = async (url: string, events: string[]) => {
    const res = await s.request("POST", "/v1/webhook-endpoints", { body: { url, events } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; secret: string };
  };
  /** A new member with a paid order: entitlements.changed events, numbered and queued for delivery. */
  const change = async () => {
    const memberId = `wh-m${++memberCount}`;
    await s.createMember(memberId);
    const order = await s.createOrder(memberId, "vip_month");
    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
    await s.app.events.dispatcher.dispatchAll();
    return memberId;
  };
  /** Verifies a received request as a receiver would; returns the parsed body. */
  const verified = (secret: string, request: { headers: Record<string, unknown>; body: string }) =>
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as {
      type: string;
      timestamp: string;
      eventId: number;
      data: Record<string, unknown>;
    };
  /** A new catalog version: exactly one event (catalog.changed), numbered and queued for delivery. */
  const oneEvent = async () => {
    await s.putCatalog({ ...DEMO_CATALOG });
    await s.app.events.dispatcher.dispatchAll();
  };
  const deliveries = async (endpointId: string) => {
    const res = await s.request("GET", `/v1/webhook-endpoints/${endpointId}/deliveries`);
    expect(res.status).toBe(200);
    return res.body.deliveries as any[];
  };

  beforeAll(async () => {
    // Signatures are checked against the receiver's real clock: start the server's clock at it.
    s = await TestServer.start(engine, Date.now(), { webhooks: POLICY });
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await s.stop();
    await Promise.all(receivers.map((r) => r.stop()));
  });

  it("registers an endpoint, shows its secret once, and delivers signed events that verify", async () => {
    const r = await receiver();
    const endpoint = await register(r.url, ["entitlements.changed"]);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const listed = await s.request("GET", "/v1/webhook-endpoints");
    expect(listed.body.endpoints.map((e: { id: string }) => e.id)).toContain(endpoint.id);
    expect(JSON.stringify(listed.body)).not.toContain(endpoint.secret);
    const one = await s.request("GET", `/v1/webhook-endpoints/${endpoint.id}`);
    expect(one.body).toMatchObject({
      id: endpoint.id,
      url: r.url,
      enabled: true,
      events: ["entitlements.changed"],
    });
    expect(one.body).not.toHaveProperty("secret");

    const memberId = await change();
    const summary = await s.app.webhookWorker.runDue();
    expect(summary.succeeded).toBeGreaterThan(0);
    expect(r.received.length).toBe(summary.succeeded);
    for (const request of r.received) {
      const body = verified(endpoint.secret, request);
      expect(body.type).toBe("entitlements.changed");
      expect(body.data).toMatchObject({ memberId, entitlementsVersion: expect.any(Number) });
    }
    // A tampered body or another secret does not verify.
    const [first] = r.received;
    expect(() => verified(endpoint.secret, { ...first, body: first.body.replace("wh-m", "wh-x") })).toThrow();
    expect(() => verified(`whsec_${Buffer.from("x".repeat(24)).toString("base64")}`, first)).toThrow();
    const log = await deliveries(endpoint.id);
    expect(log.map((d) => d.id).sort()).toEqual(r.received.map((x) => x.headers["webhook-id"]).sort());
    for (const d of log) {
      expect(d.status).toBe("succeeded");
      expect(d.attemptLog).toEqual([
        { attempt: 1, at: expect.any(String), statusCode: 200, latencyMs: expect.any(Number), error: null },
      ]);
    }
  });

  it("only subscribed types are delivered; a prefix pattern matches its family", async () => {
    const r = await receiver();
    const endpoint = await register(r.url, ["catalog.*"]);
    await change();
    const { version } = await s.putCatalog({ ...DEMO_CATALOG });
    await s.app.events.dispatcher.dispatchAll();
    await s.app.webhookWorker.runDue();
    expect(r.received.map((x) => verified(endpoint.secret, x).type)).toEqual(["catalog.changed"]);
    expect(verified(endpoint.secret, r.received[0]).data.version).toBe(version);
  });

  it("a failing receiver is retried with exponential backoff and jitter, same webhook-id, until it answers", async () => {
    const r = await receiver();
    r.script = [500, 503, "hang"];
    const endpoint = await register(r.url, ["catalog.changed"]);
    await oneEvent();
    let log = await deliveries(endpoint.id);
    const id = log[0].id;
    const attemptAndCheck = async (index: number, minDelay: number, maxDelay: number) => {
      const before = s.clock.now();
      await s.app.webhookWorker.runDue();
      const delivery = (await deliveries(endpoint.id)).find((d) => d.id === id);
      expect(delivery.status).toBe("pending");
      expect(delivery.attempts).toBe(index);
      const wait = Date.parse(delivery.nextAttemptAt) - before;
      expect(wait).toBeGreaterThanOrEqual(minDelay);
      expect(wait).toBeLessThanOrEqual(maxDelay);
      s.clock.advance(wait);
    };
    await attemptAndCheck(1, 500, 1_000);
    await attemptAndCheck(2, 1_000, 2_000);
    await attemptAndCheck(3, 2_000, 4_000);
    await s.app.webhookWorker.runDue();
    log = await deliveries(endpoint.id);
    const delivery = log.find((d) => d.id === id);
    expect(delivery.status).toBe("succeeded");
    expect(delivery.attemptLog.map((a: any) => [a.statusCode, a.error])).toEqual([
      [500, "HTTP 500"],
      [503, "HTTP 503"],
      [null, "timed out after 2000 ms"],
      [200, null],
    ]);
    const mine = r.received.filter((x) => x.headers["webhook-id"] === id);
    expect(mine.length).toBe(4);
    for (const request of mine)
      expect(verified(endpoint.secret, request).eventId).toBe(Number(delivery.eventId));
  });

  it("a delivery that never succeeds is marked failed after the attempt budget; replay sends it again", async () => {
    const r = await receiver();
    r.otherwise = 500;
    const endpoint = await register(r.url, ["catalog.changed"]);
    await oneEvent();
    for (let i = 0; i < POLICY.maxAttempts; i++) {
      await s.app.webhookWorker.runDue();
      s.clock.advance(POLICY.maxDelayMs);
    }
    let [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({
      status: "failed",
      attempts: POLICY.maxAttempts,
      lastStatusCode: 500,
      nextAttemptAt: null,
    });
    r.otherwise = 204;
    const replay = await s.request(
      "POST",
      `/v1/webhook-endpoints/${endpoint.id}/deliveries/${delivery.id}/replay`,
    );
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ id: delivery.id, status: "pending", attempts: 0 });
    await s.app.webhookWorker.runDue();
    [delivery] = await deliveries(endpoint.id);
    expect(delivery.status).toBe("succeeded");
    expect(delivery.attemptLog.map((a: any) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(delivery.attemptLog.at(-1).statusCode).toBe(204);
  });

  it("an endpoint that keeps failing is disabled with an alert event; re-enabled, its deliveries go out again", async () => {
    const failing = await receiver();
    failing.otherwise = 500;
    const watcher = await receiver();
    const endpoint = await register(failing.url, ["entitlements.changed"]);
    const alerts = await register(watcher.url, ["webhook_endpoint.disabled"]);
    const stream = await SseClient.open(`${s.baseUrl}/v1/events`, { auth: ADMIN_KEY });
    clients.push(stream);
    for (let i = 0; i < 10; i++) {
      const current = await s.request("GET", `/v1/webhook-endpoints/${endpoint.id}`);
      if (!current.body.enabled) break;
      await change();
      await s.app.webhookWorker.runDue();
    }
    const disabled = (await s.request("GET", `/v1/webhook-endpoints/${endpoint.id}`)).body;
    expect(disabled).toMatchObject({ enabled: false, consecutiveFailures: POLICY.disableAfterFailures });
    expect(disabled.disabledReason).toBe(`${POLICY.disableAfterFailures} consecutive failed attempts`);
    // The alert: in the event stream, and delivered to the endpoint subscribed to it.
    await s.app.events.dispatcher.dispatchAll();
    await stream.until(
      (c) => c.events.some((e) => e.event === "webhook_endpoint.disabled"),
      5000,
      "the alert",
    );
    const alert = stream.events.find((e) => e.event === "webhook_endpoint.disabled")!;
    expect(alert.data).toMatchObject({ endpointId: endpoint.id, url: failing.url, consecutiveFailures: 6 });
    await s.app.webhookWorker.runDue();
    expect(watcher.received.map((x) => verified(alerts.secret, x))).toEqual([
      expect.objectContaining({
        type: "webhook_endpoint.disabled",
        data: expect.objectContaining({ endpointId: endpoint.id }),
      }),
    ]);
    // Disabled: nothing is attempted, however long we wait; replay is refused until re-enabled.
    const attempted = failing.received.length;
    s.clock.advance(POLICY.maxDelayMs);
    await change();
    await s.app.webhookWorker.runDue();
    expect(failing.received.length).toBe(attempted);
    const log = await deliveries(endpoint.id);
    const replayDisabled = await s.request(
      "POST",
      `/v1/webhook-endpoints/${endpoint.id}/deliveries/${log[0].id}/replay`,
    );
    expectRejected(replayDisabled, ["WEBHOOK_ENDPOINT_DISABLED"]);
    failing.otherwise = 200;
    const enabled = await s.request("PATCH", `/v1/webhook-endpoints/${endpoint.id}`, {
      body: { enabled: true },
    });
    expect(enabled.body).toMatchObject({
      enabled: true,
      consecutiveFailures: 0,
      disabledAt: null,
      disabledReason: null,
    });
    await s.app.webhookWorker.runDue();
    const after = await deliveries(endpoint.id);
    expect(after.filter((d) => d.status === "pending" || d.status === "running")).toEqual([]);
    expect(after.some((d) => d.status === "succeeded")).toBe(true);
  });

  it("an endpoint failing for longer than the window is disabled even below the failure count", async () => {
    const r = await receiver();
    r.otherwise = 500;
    const endpoint = await register(r.url, ["entitlements.changed"]);
    await change();
    await s.app.webhookWorker.runDue();
    s.clock.advance(POLICY.disableAfterMs);
    await s.app.webhookWorker.runDue();
    const body = (await s.request("GET", `/v1/webhook-endpoints/${endpoint.id}`)).body;
    expect(body.enabled).toBe(false);
    expect(body.consecutiveFailures).toBeLessThan(POLICY.disableAfterFailures);
    expect(body.disabledReason).toMatch(/^failing since /);
  });

  it("refuses URLs that are not http(s), carry credentials or a fragment, and unknown events patterns", async () => {
    for (const url of [
      "ftp://127.0.0.1/x",
      "file:///etc/passwd",
      "http://user:pass@127.0.0.1/x",
      "https://token@example.com/x",
      "http://127.0.0.1/x#frag",
      "not a url",
      "/relative",
      `https://example.com/${"a".repeat(2100)}`,
    ]) {
      expectRejected(
        await s.request("POST", "/v1/webhook-endpoints", { body: { url, events: ["*"] } }),
        ["VALIDATION_FAILED"],
        url,
      );
    }
    for (const events of [[], ["Entitlements.Changed"], ["*.x"], ["a b"], "*"]) {
      const res = await s.request("POST", "/v1/webhook-endpoints", {
        body: { url: "https://example.com/h", events },
      });
      expectRejected(res, ["VALIDATION_FAILED"], JSON.stringify(events));
    }
    expect(
      (await s.request("GET", "/v1/webhook-endpoints")).body.endpoints.every(
        (e: any) => e.url !== "ftp://127.0.0.1/x",
      ),
    ).toBe(true);
  });

  it("by default refuses private networks: an IP at registration, a name at delivery, nothing sent", async () => {
    const guarded = await TestServer.start(engine, Date.now());
    try {
      const r = await receiver();
      const res = (url: string) =>
        guarded.request("POST", "/v1/webhook-endpoints", { body: { url, events: ["catalog.changed"] } });
      const byAddress = await res(r.url);
      expectRejected(byAddress, ["VALIDATION_FAILED"], r.url);
      expect(JSON.stringify(byAddress.body)).toContain("private networks are not allowed");

      const byName = await res(r.url.replace("127.0.0.1", "localhost"));
      expect(byName.status).toBe(201);
      await guarded.putCatalog({ ...DEMO_CATALOG });
      await guarded.app.events.dispatcher.dispatchAll();
      expect((await guarded.app.webhookWorker.runDue()).succeeded).toBe(0);
      const log = await guarded.request("GET", `/v1/webhook-endpoints/${byName.body.id}/deliveries`);
      expect(log.body.deliveries).toHaveLength(1);
      expect(log.body.deliveries[0].attemptLog).toEqual([
        {
          attempt: 1,
          at: expect.any(String),
          statusCode: null,
          latencyMs: expect.any(Number),
          error: expect.stringMatching(
            /^localhost is (127\.0\.0\.1|::1), a loopback address: private networks are not allowed/,
          ),
        },
      ]);
      expect(r.received).toEqual([]);
    } finally {
      await guarded.stop();
    }
  });

  it("changes, deletes, and answers unknown endpoints and deliveries with 404", async () => {
    const endpoint = await register("https://example.com/first", ["*"]);
    const patched = await s.request("PATCH", `/v1/webhook-endpoints/${endpoint.id}`, {
      body: {
        url: "https://example.com/second",
        events: ["notice.created", "notice.created"],
        description: "notices",
      },
    });
    expect(patched.body).toMatchObject({
      url: "https://example.com/second",
      events: ["notice.created"],
      description: "notices",
    });
    expectRejected(
      await s.request("PATCH", `/v1/webhook-endpoints/${endpoint.id}`, {
        body: { url: "http://a:b@example.com" },
      }),
      ["VALIDATION_FAILED"],
    );
    expectRejected(await s.request("PATCH", `/v1/webhook-endpoints/${endpoint.id}`, { body: {} }), [
      "VALIDATION_FAILED",
    ]);
    expect((await s.request("DELETE", `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(204);
    const missing = "whe_AAAAAAAAAAAAAAAA";
    for (const [method, path] of [
      ["GET", `/v1/webhook-endpoints/${endpoint.id}`],
      ["DELETE", `/v1/webhook-endpoints/${endpoint.id}`],
      ["PATCH", `/v1/webhook-endpoints/${missing}`],
      ["GET", `/v1/webhook-endpoints/${missing}/deliveries`],
      ["POST", `/v1/webhook-endpoints/${missing}/deliveries/whd_AAAAAAAAAAAAAAAA/replay`],
    ] as const) {
      const res = await s.request(method, path, method === "PATCH" ? { body: { description: "x" } } : {});
      expectRejected(res, ["WEBHOOK_ENDPOINT_NOT_FOUND"], path);
    }
    const live = await register("https://example.com/third", ["*"]);
    expectRejected(
      await s.request("POST", `/v1/webhook-endpoints/${live.id}/deliveries/whd_AAAAAAAAAAAAAAAA/replay`),
      ["WEBHOOK_DELIVERY_NOT_FOUND"],
    );
    await s.request("DELETE", `/v1/webhook-endpoints/${live.id}`);
  });
});
