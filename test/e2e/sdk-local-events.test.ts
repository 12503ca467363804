import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { createClient, createLocalEvaluator, type LocalEvaluator } from "../../src/sdk/index.js";
import { TestServer } from "../e2e-harness.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { until } from "../support/until.js";
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
    await until(() => evaluator.status().connected);

    const paid = await s.pay(order.orderId, order.amount.amount);
    await until(() => held("ev-pay").allowed);
    expect(held("ev-pay")).toMatchObject({
      allowed: true,
      freshness: "fresh",
      source: "local",
      entitlementsVersion: paid.body.entitlementsVersion,
    });
    expect(Number(evaluator.status().lastEventId)).toBeGreaterThan(0);
  });

  it("reloads the catalog on catalog.changed", async () => {
    const withoutAdFree = structuredClone(DEMO_CATALOG);
    withoutAdFree.tiers = withoutAdFree.tiers.map((t) => ({
      ...t,
      benefits: t.benefits.filter((b) => b !== "ad_free"),
    }));
    const { version } = await s.putCatalog(withoutAdFree);
    await until(() => evaluator.status().catalogVersion === version);
    await until(() => held("ev-pay").reasons[0]?.code === "BENEFIT_WITHDRAWN");
    const { freshness: _f, source: _s, ...local } = held("ev-pay");
    expect(local).toEqual(await s.check("ev-pay", "ad_free", undefined, { "accept-language": "en" }));
    await s.putCatalog(DEMO_CATALOG);
    await until(() => held("ev-pay").allowed);
  });

  it("resumes after a dropped connection: what happened meanwhile arrives (Last-Event-ID)", async () => {
    await s.createMember("ev-resume", { locale: "en" });
    await evaluator.preload(["ev-resume"]);
    await until(() => evaluator.status().connected);
    const before = Number(evaluator.status().lastEventId);
    await proxy.cut();
    await until(() => !evaluator.status().connected);

    const order = await s.createOrder("ev-resume", "vip_month");
    await s.pay(order.orderId, order.amount.amount);
    expect(held("ev-resume").allowed).toBe(false);

    await proxy.restore();
    await until(() => held("ev-resume").allowed);
    expect(Number(evaluator.status().lastEventId)).toBeGreaterThan(before);
    const client = createClient({ url: s.baseUrl, apiKey: evaluator.client.options.apiKey, locale: "en" });
    const { freshness, source, ...local } = held("ev-resume");
    expect([freshness, source]).toEqual(["fresh", "local"]);
    expect(local).toEqual(await client.check("ev-resume", "ad_free"));
  });
});
