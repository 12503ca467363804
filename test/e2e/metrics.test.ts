import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { T0, TestServer } from "../e2e-harness.js";
import { parsePrometheus, sampleValue } from "../support/prometheus-text.js";
import { SseClient } from "../support/sse-client.js";
import { WebhookReceiver } from "../support/webhook-receiver.js";
import { TEST_ENGINES } from "../test-database.js";
import { expectErrorShape, expectRefusedCredentials } from "./support/error-responses.js";

const METRICS_TOKEN = "pwmetrics_test_token_0123456789";

describe.each(TEST_ENGINES)("GET /metrics on $name", (engine) => {
  let s: TestServer;
  const scrape = async (auth?: string) => {
    const res = await s.request("GET", "/metrics", { auth });
    expect(res.status, String(res.body)).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(res.body as string);
  };

  beforeAll(async () => {
    s = await TestServer.startOn(await engine.open(), new ManualClock(T0), {
      metricsToken: METRICS_TOKEN,
      webhooks: { allowPrivateNetworks: true },
    });
    await s.putCatalog(DEMO_CATALOG);
  });
  afterAll(() => s.stop());

  it("the admin key and the metrics token may read it; the token opens nothing else", async () => {
    await scrape();
    await scrape(METRICS_TOKEN);
    expectErrorShape(await s.request("GET", "/metrics", { auth: null }), 401, "UNAUTHENTICATED");
    expectRefusedCredentials(await s.request("GET", "/metrics", { auth: "pwmetrics_wrong" }), "invalid");
    expectRefusedCredentials(await s.request("GET", "/v1/stats", { auth: METRICS_TOKEN }), "invalid");
    expectRefusedCredentials(await s.request("GET", "/v1/members/x", { auth: METRICS_TOKEN }), "invalid");
  });

  it("counts decisions by benefit and reason, with their latency and the cache's hits and misses", async () => {
    const before = (await scrape()).samples;
    const count = (samples: typeof before, benefit: string, reason: string) =>
      sampleValue(samples, "perkwise_decisions_total", { benefit, reason }) ?? 0;
    await s.createMember("met-1");
    const order = await s.createOrder("met-1", "vip_month");
    await s.check("met-1", "ad_free"); // PAYMENT_PENDING, a miss
    await s.check("met-1", "ad_free"); // a hit
    await s.pay(order.orderId, order.amount.amount);
    for (let i = 0; i < 3; i++) await s.check("met-1", "ad_free"); // a miss, then hits
    await s.check("met-nobody", "vip_zone"); // NO_MEMBERSHIP, a miss
    const batch = await s.request("POST", "/v1/check/batch", {
      body: {
        checks: [
          { memberId: "met-1", benefit: "vip_zone" },
          { memberId: "met-nobody", benefit: "ad_free" },
        ],
      },
    });
    expect(batch.status).toBe(200);

    const { samples, types } = await scrape();
    expect(types.get("perkwise_decisions_total")).toBe("counter");
    expect(count(samples, "ad_free", "PAYMENT_PENDING") - count(before, "ad_free", "PAYMENT_PENDING")).toBe(
      2,
    );
    expect(count(samples, "ad_free", "GRANTED") - count(before, "ad_free", "GRANTED")).toBe(3);
    expect(count(samples, "vip_zone", "NO_MEMBERSHIP") - count(before, "vip_zone", "NO_MEMBERSHIP")).toBe(1);
    expect(count(samples, "vip_zone", "GRANTED") - count(before, "vip_zone", "GRANTED")).toBe(1);
    expect(count(samples, "ad_free", "NO_MEMBERSHIP") - count(before, "ad_free", "NO_MEMBERSHIP")).toBe(1);

    const decided = (list: typeof samples) =>
      sampleValue(list, "perkwise_decision_duration_seconds_count") ?? 0;
    expect(decided(samples) - decided(before)).toBe(8);
    expect(types.get("perkwise_decision_duration_seconds")).toBe("histogram");
    const buckets = samples.filter((x) => x.name === "perkwise_decision_duration_seconds_bucket");
    expect(buckets.at(-1)).toMatchObject({ labels: { le: "+Inf" }, value: decided(samples) });
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i].value).toBeGreaterThanOrEqual(buckets[i - 1].value);
    expect(sampleValue(samples, "perkwise_decision_duration_seconds_sum")).toBeGreaterThan(0);

    const { hits, misses } = s.app.cache.stats();
    expect(sampleValue(samples, "perkwise_snapshot_cache_hits_total")).toBe(hits);
    expect(sampleValue(samples, "perkwise_snapshot_cache_misses_total")).toBe(misses);
    expect(sampleValue(samples, "perkwise_snapshot_cache_hit_ratio")).toBeCloseTo(hits / (hits + misses), 10);
    expect(types.get("perkwise_snapshot_cache_hits_total")).toBe("counter");
  });

  it("payment-to-grant latency: one observation per applied payment.succeeded, none for a duplicate", async () => {
    const paid = (list: ReturnType<typeof parsePrometheus>["samples"]) =>
      sampleValue(list, "perkwise_payment_to_grant_seconds_count") ?? 0;
    const before = paid((await scrape()).samples);
    await s.createMember("met-2");
    const order = await s.createOrder("met-2", "vip_month");
    await s.pay(order.orderId, order.amount.amount, "msg_met_2");
    await s.pay(order.orderId, order.amount.amount, "msg_met_2"); // redelivery
    await s.pay("ord_unknown", 1500);
    const { samples } = await scrape();
    expect(paid(samples) - before).toBe(1);
    expect(sampleValue(samples, "perkwise_payment_to_grant_seconds_bucket", { le: "+Inf" })).toBe(
      paid(samples),
    );
  });

  it("outbox lag is the age of the oldest undelivered event, 0 when all are delivered", async () => {
    await sql`update outbox set delivered_at = now()`.execute(s.database.db);
    expect(sampleValue((await scrape()).samples, "perkwise_outbox_oldest_undelivered_seconds")).toBe(0);
    await sql`insert into outbox (member_id, type, payload, created_at)
      values (null, 'test.lag', '{}'::jsonb, now() - interval '10 minutes')`.execute(s.database.db);
    const lag = sampleValue((await scrape()).samples, "perkwise_outbox_oldest_undelivered_seconds")!;
    expect(lag).toBeGreaterThanOrEqual(600);
    expect(lag).toBeLessThan(660);
  });

  it("webhook failures and SSE clients as the events feature reports them; the cluster link; Node's own metrics", async () => {
    // A receiver that fails every delivery, and two member streams of which one is closed again.
    const receiver = await WebhookReceiver.start();
    receiver.otherwise = 500;
    const endpoint = await s.request("POST", "/v1/webhook-endpoints", {
      body: { url: receiver.url, events: ["*"] },
    });
    expect(endpoint.status).toBe(201);
    await s.createMember("mx-sse", { locale: "en" });
    const token = await s.memberToken("mx-sse");
    const streams = await Promise.all(
      [0, 1].map(() => SseClient.open(`${s.baseUrl}/v1/me/events`, { auth: token })),
    );
    await streams[1].close();
    const order = await s.createOrder("mx-sse", "vip_month");
    expect((await s.pay(order.orderId, order.amount.amount)).status).toBe(200);
    await s.app.events.dispatcher.dispatchAll();
    const sent = await s.app.webhookWorker.runDue();
    await receiver.stop();
    const { samples, types } = await scrape();
    await streams[0].close();
    expect(sent.retried).toBeGreaterThan(0);
    expect(sampleValue(samples, "perkwise_webhook_failures_total", { reason: "http_500" })).toBe(
      sent.retried,
    );
    expect(sampleValue(samples, "perkwise_sse_clients")).toBe(1);
    expect(sampleValue(samples, "perkwise_cluster_connected")).toBe(1);
    expect(sampleValue(samples, "perkwise_cluster_resyncs_total")).toBe(1);
    expect(types.get("process_cpu_user_seconds_total")).toBe("counter");
    expect(sampleValue(samples, "nodejs_heap_size_total_bytes")).toBeGreaterThan(0);
  });
});
