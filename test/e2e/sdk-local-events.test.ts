import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { createClient, createLocalEvaluator, type LocalEvaluator } from "../../src/sdk/index.js";
import { TestServer } from "../e2e-harness.js";
import { eventually } from "../support/eventually.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { TEST_ENGINES } from "../test-database.js";

/** The local evaluator follows GET /v1/events: a payment, a catalog change, a resumed reconnect. */
describe.each(TEST_ENGINES)("SDK local evaluator following the event stream on $name", (engine) => {
  let s: TestServer;
  let proxy: TcpProxy;
  let evaluator: LocalEvaluator;

  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    proxy = await TcpProxy.start(s.baseUrl);
    evaluator = createLocalEvaluator({
      url: proxy.url,
      apiKey: (await s.request("POST", "/v1/api-keys", { body: { name: "sdk", role: "service" } })).body.key,
      locale: "en",
      members: [],
      reconnectMs: 50,
      now: () => s.clock.now(),
    });
    await evaluator.ready();
  });
  afterAll(async () => {
    await evaluator.close();
    await proxy.cut();
    await s.stop();
  });

  const held = (memberId: string) => evaluator.decideCached(memberId, "ad_free");

  it("turns a member's decision around after a payment, without asking the server", async () => {
    await s.createMember("ev-pay", { locale: "en" });
    const order = await s.createOrder("ev-pay", "vip_month");
    expect(await evaluator.decide("ev-pay", "ad_free")).toMatchObject({
      allowed: false,
      reasons: [{ code: "PAYMENT_PENDING" }],
      source: "local",
    });
    await eventually("evaluator.status().connected", () => evaluator.status().connected, 10_000);

    const paid = await s.pay(order.orderId, order.amount.amount);
    // The stream's first connection reloads what is held, which may race the payment: wait for the
    // payment's own event too.
    await eventually(
      "the payment's event, and ev-pay allowed",
      () => held("ev-pay").allowed && Number(evaluator.status().lastEventId) > 0,
      10_000,
    );
    expect(held("ev-pay")).toMatchObject({
      allowed: true,
      freshness: "fresh",
      source: "local",
      entitlementsVersion: paid.body.entitlementsVersion,
    });
  });

  it("reloads the catalog on catalog.changed", async () => {
    const withoutAdFree = structuredClone(DEMO_CATALOG);
    withoutAdFree.tiers = withoutAdFree.tiers.map((t) => ({
      ...t,
      benefits: t.benefits.filter((b) => b !== "ad_free"),
    }));
    const { version } = await s.putCatalog(withoutAdFree);
    await eventually(
      "evaluator.status().catalogVersion === version",
      () => evaluator.status().catalogVersion === version,
      10_000,
    );
    await eventually(
      "held('ev-pay').reasons[0]?.code === 'BENEFIT_WITHDRAWN'",
      () => held("ev-pay").reasons[0]?.code === "BENEFIT_WITHDRAWN",
      10_000,
    );
    const { freshness: _f, source: _s, ...local } = held("ev-pay");
    expect(local).toEqual(await s.check("ev-pay", "ad_free", undefined, { "accept-language": "en" }));
    await s.putCatalog(DEMO_CATALOG);
    await eventually("held('ev-pay').allowed", () => held("ev-pay").allowed, 10_000);
  });

  it("resumes after a dropped connection: what happened meanwhile arrives (Last-Event-ID)", async () => {
    await s.createMember("ev-resume", { locale: "en" });
    await evaluator.preload(["ev-resume"]);
    await eventually("evaluator.status().connected", () => evaluator.status().connected, 10_000);
    const before = Number(evaluator.status().lastEventId);
    await proxy.cut();
    await eventually("!evaluator.status().connected", () => !evaluator.status().connected, 10_000);

    const order = await s.createOrder("ev-resume", "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    expect(held("ev-resume").allowed).toBe(false);

    await proxy.restore();
    await eventually("held('ev-resume').allowed", () => held("ev-resume").allowed, 10_000);
    expect(Number(evaluator.status().lastEventId)).toBeGreaterThan(before);
    const client = createClient({ url: s.baseUrl, apiKey: evaluator.client.options.apiKey, locale: "en" });
    const { freshness, source, ...local } = held("ev-resume");
    expect([freshness, source]).toEqual(["fresh", "local"]);
    expect(local).toEqual(await client.check("ev-resume", "ad_free"));
  });
});
